import { Button } from '../components/Button.tsx';
import { useI18n } from '../i18n/context.tsx';
import { problemMessageKey, type Problem } from '../lib/problem.ts';
import { usePageTitle } from '../lib/title.ts';
import { NotFound } from './NotFound.tsx';

/** What a page shows when its data could not be read: not found for a 404, otherwise the problem's message. */
export function ErrorPage({ problem }: { problem: Problem }) {
  const { t } = useI18n();
  usePageTitle(problem.status === 404 ? undefined : t('error.title'));
  if (problem.status === 404) return <NotFound message={t(problemMessageKey(problem.code))} />;
  return (
    <>
      <h1 className="heading-l">{t('error.title')}</h1>
      <p className="body">{t(problemMessageKey(problem.code))}</p>
      <p className="body">{t('error.later')}</p>
      <p className="body secondary-text">{t('error.code', { code: problem.code })}</p>
      <Button variant="secondary" onClick={() => location.reload()}>
        {t('error.retry')}
      </Button>
    </>
  );
}
