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

export const portalRoutes: Route[] = [
  { path: '/', page: Home },
  { path: '/search', page: Search },
  { path: '/matters/:code', page: MatterGuide },
  { path: '/bundles/:code', page: BundleGuide },
  { path: '/apply/:code', page: Apply },
];

export const areas: Area[] = [
  { prefix: '/workbench', page: lazy(() => import('../workbench/Area.tsx')) },
  { prefix: '/console', page: lazy(() => import('../console/Area.tsx')) },
];
