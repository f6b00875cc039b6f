// The operator console (/console/*): its own lazy chunk, routing the rest of the path
// (params['*']) itself, so none of its code weighs on the portal's initial JavaScript. Who may use
// it is the API's to decide (each route's policy); this only spares a citizen or an officer pages
// that would answer 403 to everything.
import './messages.ts';
import '../notify/messages.ts';
import './console.css';
import type { ReactNode } from 'react';
import type { PageProps } from '../app/table.tsx';
import { Button } from '../components/Button.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { matchPath } from '../lib/paths.ts';
import { useLocation } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import { NotFound } from '../pages/NotFound.tsx';
import { BundleEditor, Bundles } from './Bundles.tsx';
import { Dashboard } from './Dashboard.tsx';
import { DepartmentEdit, Departments } from './Departments.tsx';
import { Grants } from './Grants.tsx';
import { MatterEditor } from './MatterEditor.tsx';
import { Matters } from './Matters.tsx';
import { Staff } from './Staff.tsx';
import { TrustList } from './TrustList.tsx';
import { DeadLetters } from '../notify/DeadLetters.tsx';
import { Deliveries } from '../notify/Deliveries.tsx';
import { SmsSink } from '../notify/SmsSink.tsx';
import { TemplateEditor } from '../notify/TemplateEditor.tsx';
import { Templates } from '../notify/Templates.tsx';

type Page = (props: { params: Record<string, string> }) => ReactNode;

const routes: { path: string; page: Page; section: Section }[] = [
  { path: '', page: Dashboard, section: 'dashboard' },
  { path: 'departments', page: Departments, section: 'departments' },
  { path: 'departments/:code', page: DepartmentEdit, section: 'departments' },
  { path: 'staff', page: Staff, section: 'staff' },
  { path: 'matters', page: Matters, section: 'matters' },
  { path: 'matters/:code', page: MatterEditor, section: 'matters' },
  { path: 'bundles', page: Bundles, section: 'bundles' },
  { path: 'bundles/:code', page: BundleEditor, section: 'bundles' },
  { path: 'grants', page: Grants, section: 'grants' },
  { path: 'trust', page: TrustList, section: 'trust' },
  { path: 'templates', page: Templates, section: 'templates' },
  { path: 'templates/:kind/:channel', page: TemplateEditor, section: 'templates' },
  { path: 'messages', page: Deliveries, section: 'messages' },
  { path: 'webhooks', page: DeadLetters, section: 'webhooks' },
  { path: 'sms-sink', page: SmsSink, section: 'sms-sink' },
];

type Section =
  | 'dashboard'
  | 'departments'
  | 'staff'
  | 'matters'
  | 'bundles'
  | 'grants'
  | 'trust'
  | 'templates'
  | 'messages'
  | 'webhooks'
  | 'sms-sink';
const sections: { section: Section; href: string; label: MessageKey }[] = [
  { section: 'dashboard', href: '/console', label: 'console.nav.dashboard' },
  { section: 'departments', href: '/console/departments', label: 'console.nav.departments' },
  { section: 'staff', href: '/console/staff', label: 'console.nav.staff' },
  { section: 'matters', href: '/console/matters', label: 'console.nav.matters' },
  { section: 'bundles', href: '/console/bundles', label: 'console.nav.bundles' },
  { section: 'grants', href: '/console/grants', label: 'console.nav.grants' },
  { section: 'trust', href: '/console/trust', label: 'console.nav.trust' },
  { section: 'templates', href: '/console/templates', label: 'notify.console.nav.templates' },
  { section: 'messages', href: '/console/messages', label: 'notify.console.nav.deliveries' },
  { section: 'webhooks', href: '/console/webhooks', label: 'notify.console.nav.webhooks' },
  { section: 'sms-sink', href: '/console/sms-sink', label: 'notify.console.nav.smsSink' },
];

export default function Area({ params }: PageProps) {
  const { session } = useSession();
  const { pathname } = useLocation();
  if (session.state === 'unknown') return <Loading />;
  if (session.state === 'signedOut') return <SignIn />;
  if (session.user.kind !== 'operator') return <OperatorsOnly />;
  const rest = `/${params['*'] ?? ''}`;
  for (const route of routes) {
    const found = matchPath(`/${route.path}`, rest);
    if (found)
      return (
        <Shell current={route.section}>
          <route.page key={pathname} params={found} />
        </Shell>
      );
  }
  return <NotFound />;
}

function Shell({ current, children }: { current: Section; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="console">
      <nav className="console-nav" aria-label={t('console.nav.label')}>
        <ul className="console-nav__list">
          {sections.map((s) => (
            <li key={s.section} className="console-nav__item">
              <Link
                href={s.href}
                className={s.section === current ? 'console-nav__link console-nav__link--current' : 'console-nav__link'}
                aria-current={s.section === current ? 'page' : undefined}
              >
                {t(s.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="console__page">{children}</div>
    </div>
  );
}

function SignIn() {
  const { t } = useI18n();
  const { signIn } = useSession();
  usePageTitle(t('console.title'));
  return (
    <>
      <h1 className="heading-l">{t('console.title')}</h1>
      <p className="body">{t('console.signIn.body')}</p>
      <Button onClick={() => signIn()}>{t('console.signIn.button')}</Button>
    </>
  );
}

function OperatorsOnly() {
  const { t } = useI18n();
  usePageTitle(t('console.refused.title'));
  return (
    <>
      <h1 className="heading-l">{t('console.refused.title')}</h1>
      <p className="body">{t('console.refused.body')}</p>
      <p className="body">
        <Link href="/">{t('console.refused.home')}</Link>
      </p>
    </>
  );
}
