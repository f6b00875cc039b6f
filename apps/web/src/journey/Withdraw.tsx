import { useState, type FormEvent } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { Button } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Loading } from '../components/Loading.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useRouter } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import type { PageProps } from '../app/table.tsx';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { useFresh } from './data.ts';
import { journeyPaths, type ApplicationView } from './model.ts';
import './journey.css';

/** /applications/<id>/withdraw: are you sure, and why (撤回) — the reason goes to every department. */
export default function Withdraw({ params }: PageProps) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const { navigate } = useRouter();
  const id = params['id'] ?? '';
  const app = useFresh<ApplicationView>(`workflow/applications/${encodeURIComponent(id)}`);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const title = t('journey.withdraw.title');
  usePageTitle(title, Boolean(error));
  if (app.state === 'error') return <ErrorPage problem={app.problem} />;
  if (app.state === 'loading') return <Loading />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (session.state !== 'signedIn') return;
    if (reason.trim() === '') {
      setError(t('journey.withdraw.error.reason'));
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      await api(`workflow/applications/${id}/withdraw`, {
        locale,
        method: 'POST',
        body: { reason: reason.trim() },
        csrf: session.csrf,
      });
      navigate(journeyPaths.application(id));
    } catch (e) {
      const problem = problemFrom(e);
      setError(
        problem.errors?.some((x) => x.field === 'body.reason')
          ? t('journey.withdraw.error.invalid')
          : t(problemMessageKey(problem.code)),
      );
      setAttempt((n) => n + 1);
      setBusy(false);
    }
  };

  return (
    <>
      <BackLink href={journeyPaths.application(id)}>{t('journey.back')}</BackLink>
      {error && <ErrorSummary key={attempt} errors={[{ field: 'reason', text: error }]} />}
      <span className="caption">
        {app.data.caseNumber ? t('journey.case.number', { number: app.data.caseNumber }) : ''}
      </span>
      <h1 className="heading-l">{title}</h1>
      <p className="body">{t('journey.withdraw.body')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Textarea
          id="reason"
          label={t('journey.withdraw.reason')}
          hint={t('journey.withdraw.reason.hint')}
          error={error}
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <Button type="submit" variant="warning" disabled={busy}>
          {t('journey.withdraw.confirm')}
        </Button>
      </form>
    </>
  );
}
