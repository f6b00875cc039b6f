// 安全运营 (/security/*): the security operators' alert queue, an alert's triage, and the
// responses in force — one lazy chunk of its own, like the console. Who may use it is the API's to
// decide (sentinel's routes: security principals at multi-factor); this only spares other people
// pages that would answer 403 to everything. A step-up the API asks for is the portal's to handle.
import './messages.ts';
import '../console/console.css';
import './security.css';
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
import { Alert } from './Alert.tsx';
import { Alerts } from './Alerts.tsx';
import { Responses } from './Responses.tsx';

type Section = 'alerts' | 'responses';
const routes: { path: string; page: (props: { params: Record<string, string> }) => ReactNode; section: Section }[] = [
  { path: '', page: Alerts, section: 'alerts' },
  { path: 'alerts/:id', page: Alert, section: 'alerts' },
  { path: 'responses', page: Responses, section: 'responses' },
];
const sections: { section: Section; href: string; label: MessageKey }[] = [
  { section: 'alerts', href: '/security', label: 'security.nav.alerts' },
  { section: 'responses', href: '/security/responses', label: 'security.nav.responses' },
];

export default function Area({ params }: PageProps) {
  const { session } = useSession();
  const { pathname } = useLocation();
  if (session.state === 'unknown') return <Loading />;
  if (session.state === 'signedOut') return <SignIn />;
  if (session.user.kind !== 'security') return <SecurityOnly />;
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
      <nav className="console-nav" aria-label={t('security.nav.label')}>
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
  usePageTitle(t('security.title'));
  return (
    <>
      <h1 className="heading-l">{t('security.title')}</h1>
      <p className="body">{t('security.signIn.body')}</p>
      <Button onClick={() => signIn()}>{t('security.signIn.button')}</Button>
    </>
  );
}

function SecurityOnly() {
  const { t } = useI18n();
  usePageTitle(t('security.refused.title'));
  return (
    <>
      <h1 className="heading-l">{t('security.refused.title')}</h1>
      <p className="body">{t('security.refused.body')}</p>
      <p className="body">
        <Link href="/">{t('security.refused.home')}</Link>
      </p>
    </>
  );
}
