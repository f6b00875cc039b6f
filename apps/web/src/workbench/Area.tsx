// The officer workbench (/workbench/*): its own lazy chunk, routing the rest of the path
// (params['*']) itself, so none of its code weighs on the portal's initial JavaScript. Who may see
// it is the API's decision (the guard); the area only says so in words: a signed-out visitor gets
// a sign-in button, someone who is not an officer a page saying the workbench is for officers.
import './messages.ts';
import './workbench.css';
import type { PageProps } from '../app/table.tsx';
import { ButtonLink } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { useI18n } from '../i18n/context.tsx';
import { matchPath } from '../lib/paths.ts';
import { loginUrl } from '../lib/problem.ts';
import { useLocation } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import { NotFound } from '../pages/NotFound.tsx';
import { CaseView } from './Case.tsx';
import { Counter } from './Counter.tsx';
import { Queue } from './Queue.tsx';

export default function Area({ params }: PageProps) {
  const { session } = useSession();
  const rest = `/${params['*'] ?? ''}`.replace(/\/+$/, '') || '/';
  if (session.state === 'unknown') return <Loading />;
  if (session.state === 'signedOut') return <SignIn />;
  if (session.user.kind !== 'officer') return <OfficersOnly />;
  if (rest === '/') return <Queue />;
  if (rest === '/counter') return <Counter />;
  const task = matchPath('/tasks/:id', rest);
  if (task) return <CaseView key={task['id']} id={task['id'] ?? ''} />;
  return <NotFound />;
}

function SignIn() {
  const { t } = useI18n();
  const { pathname, search } = useLocation();
  usePageTitle(t('workbench.title'));
  return (
    <>
      <h1 className="heading-l">{t('workbench.title')}</h1>
      <p className="body">{t('workbench.signIn.body')}</p>
      <ButtonLink href={loginUrl(pathname + search)}>{t('workbench.signIn.button')}</ButtonLink>
    </>
  );
}

function OfficersOnly() {
  const { t } = useI18n();
  usePageTitle(t('workbench.officersOnly.title'));
  return (
    <>
      <h1 className="heading-l">{t('workbench.officersOnly.title')}</h1>
      <p className="body">{t('workbench.officersOnly.body')}</p>
      <p className="body">
        <a className="link" href="/">
          {t('workbench.officersOnly.home')}
        </a>
      </p>
    </>
  );
}
