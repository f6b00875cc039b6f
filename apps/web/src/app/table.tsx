// Where each address goes. The portal's pages are lazy chunks except the home page, which most
// visits start on. The officer workbench and the operator console are whole lazy chunks of their
// own with their own route tables (workbench/Area.tsx, console/Area.tsx), so none of their code
// weighs on the portal's initial JavaScript (budget: scripts/budget.ts).
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { Home } from '../pages/Home.tsx';
import type { Params } from '../lib/paths.ts';

export interface PageProps {
  params: Params;
}

export interface Route {
  path: string;
  page: ComponentType<PageProps> | LazyExoticComponent<ComponentType<PageProps>>;
}

/** An area (workbench, console): one lazy chunk that routes the rest of the path (`params['*']`) itself. */
export interface Area {
  prefix: string;
  page: LazyExoticComponent<ComponentType<PageProps>>;
}

const Search = lazy(() => import('../pages/Search.tsx'));
const MatterGuide = lazy(() => import('../pages/MatterGuide.tsx'));
const BundleGuide = lazy(() => import('../pages/BundleGuide.tsx'));
const Apply = lazy(() => import('../pages/Apply.tsx'));
const Licences = lazy(() => import('../pages/Licences.tsx'));
const Verify = lazy(() => import('../pages/Verify.tsx'));
const Register = lazy(() => import('../pages/Register.tsx'));
const RegisterConfirm = lazy(() => import('../pages/Register.tsx').then((m) => ({ default: m.Confirm })));
// The application journey and the citizen's own pages (src/journey/): a lazy chunk each.
const journey = {
  consent: lazy(() => import('../journey/Consent.tsx')),
  tasks: lazy(() => import('../journey/Tasks.tsx')),
  questions: lazy(() => import('../journey/Questions.tsx')),
  materials: lazy(() => import('../journey/MaterialsPage.tsx')),
  check: lazy(() => import('../journey/Check.tsx')),
  submitted: lazy(() => import('../journey/Submitted.tsx')),
  applications: lazy(() => import('../journey/Applications.tsx')),
  case: lazy(() => import('../journey/Case.tsx')),
  withdraw: lazy(() => import('../journey/Withdraw.tsx')),
  correction: lazy(() => import('../journey/Correction.tsx')),
  account: lazy(() => import('../journey/Account.tsx')),
};
// 我的缴费 (src/payments/) and the citizen's notification pages (src/notify/): a lazy chunk each.
const payments = {
  orders: lazy(() => import('../payments/Orders.tsx')),
  order: lazy(() => import('../payments/Order.tsx')),
  return: lazy(() => import('../payments/Return.tsx')),
};
const notify = {
  preferences: lazy(() => import('../notify/Preferences.tsx')),
  messages: lazy(() => import('../notify/Messages.tsx')),
};

export const portalRoutes: Route[] = [
  { path: '/', page: Home },
  { path: '/search', page: Search },
  { path: '/matters/:code', page: MatterGuide },
  { path: '/bundles/:code', page: BundleGuide },
  { path: '/apply/:code', page: Apply },
  { path: '/verify', page: Verify },
  { path: '/licences', page: Licences },
  { path: '/register', page: Register },
  { path: '/register/confirm', page: RegisterConfirm },
  { path: '/apply/:code/:id', page: journey.tasks },
  { path: '/apply/:code/:id/consent', page: journey.consent },
  { path: '/apply/:code/:id/questions/:group', page: journey.questions },
  { path: '/apply/:code/:id/materials', page: journey.materials },
  { path: '/apply/:code/:id/check', page: journey.check },
  { path: '/applications', page: journey.applications },
  { path: '/applications/:id', page: journey.case },
  { path: '/applications/:id/submitted', page: journey.submitted },
  { path: '/applications/:id/withdraw', page: journey.withdraw },
  { path: '/applications/:id/tasks/:taskId/correction', page: journey.correction },
  { path: '/account', page: journey.account },
  { path: '/payments', page: payments.orders },
  { path: '/payments/:id', page: payments.order },
  { path: '/payments/return/:token', page: payments.return },
  { path: '/settings/notifications', page: notify.preferences },
  { path: '/messages', page: notify.messages },
];

export const areas: Area[] = [
  { prefix: '/workbench', page: lazy(() => import('../workbench/Area.tsx')) },
  { prefix: '/console', page: lazy(() => import('../console/Area.tsx')) },
  { prefix: '/security', page: lazy(() => import('../security/Area.tsx')) },
];
