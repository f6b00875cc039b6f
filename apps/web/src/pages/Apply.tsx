import { useState } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { Button, ButtonLink } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Loading } from '../components/Loading.tsx';
import { useI18n } from '../i18n/context.tsx';
import { useFresh, useSubject } from '../journey/data.ts';
import {
  consentItems,
  journeyPaths,
  materialsNeeded,
  type ApplicationSummary,
  type ApplicationView,
} from '../journey/model.ts';
import { api, problemFrom } from '../lib/api.ts';
import { loginUrl, problemMessageKey, type Problem } from '../lib/problem.ts';
import { useLocation, useRouter } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import type { PageProps } from '../app/table.tsx';
import { ErrorPage } from './ErrorPage.tsx';
import { Materials } from './guide.tsx';
import '../journey/journey.css';

/**
 * /apply/<code>, a bundle's or a matter's: the start of the application journey. Signed out: sign
 * in and come back here. Signed in: continue a saved draft of this service (saved on any device),
 * or start one — then consent to prefill, when the data hub needs it, or the task list.
 */
export default function Apply({ params }: PageProps) {
  const code = params['code'] ?? '';
  const subject = useSubject(code);
  if (subject.state === 'error') return <ErrorPage problem={subject.problem} />;
  if (subject.state === 'loading') return <Loading />;
  const s = subject.data;
  return (
    <Start
      code={code}
      kind={s.kind}
      guide={`/${s.kind === 'bundle' ? 'bundles' : 'matters'}/${encodeURIComponent(s.code)}`}
      name={s.name}
      promisedDays={s.promisedDays}
      materials={materialsNeeded(s)}
    />
  );
}

function Start({
  code,
  kind,
  guide,
  name,
  promisedDays,
  materials,
}: {
  code: string;
  kind: 'matter' | 'bundle';
  guide: string;
  name: { zh: string; en: string };
  promisedDays: number | undefined;
  materials: ReturnType<typeof materialsNeeded>;
}) {
  const { t, n, text } = useI18n();
  const { session } = useSession();
  const { pathname } = useLocation();
  const title = t('apply.title', { name: text(name) });
  usePageTitle(title);
  return (
    <>
      <BackLink href={guide}>{t('apply.backToGuide')}</BackLink>
      <h1 className="heading-l">{title}</h1>
      <p className="body">{t('journey.start.lead')}</p>
      <ul className="list list--bullet">
        <li>{t('journey.start.step.prefill')}</li>
        <li>{t('journey.start.step.questions')}</li>
        <li>{t('journey.start.step.check')}</li>
      </ul>
      {materials.length > 0 && (
        <>
          <h2 className="heading-m">{t('journey.start.materials')}</h2>
          <Materials materials={materials.map((m) => ({ ...m, required: true }))} />
        </>
      )}
      {promisedDays !== undefined && (
        <p className="body">{t('apply.next.promised', { days: n('guide.days', promisedDays) })}</p>
      )}
      <p className="body">{t('journey.start.save')}</p>
      {session.state === 'unknown' && <Loading />}
      {session.state === 'signedOut' && (
        <section aria-labelledby="sign-in-heading">
          <h2 className="heading-m" id="sign-in-heading">
            {t('apply.signIn.heading')}
          </h2>
          <p className="body">{t('apply.signIn.body')}</p>
          <ButtonLink href={loginUrl(pathname)} start>
            {t('apply.signIn.button')}
          </ButtonLink>
        </section>
      )}
      {session.state === 'signedIn' && <StartOrResume code={code} kind={kind} csrf={session.csrf} />}
    </>
  );
}

function StartOrResume({ code, kind, csrf }: { code: string; kind: 'matter' | 'bundle'; csrf: string }) {
  const { t, locale, date } = useI18n();
  const { navigate } = useRouter();
  const drafts = useFresh<ApplicationSummary[]>('workflow/applications?status=draft&limit=100');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  if (drafts.state === 'loading') return <Loading />;
  const saved = drafts.state === 'ok' ? drafts.data.find((d) => d.subject.code === code) : undefined;

  const start = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const draft = await api<ApplicationView>('workflow/drafts', {
        locale,
        method: 'POST',
        body: { subject: { kind, code } },
        csrf,
      });
      navigate(
        consentItems(draft.prefill).length > 0
          ? journeyPaths.consent(code, draft.id)
          : journeyPaths.tasks(code, draft.id),
      );
    } catch (error) {
      setProblem(problemFrom(error));
      setBusy(false);
    }
  };

  return (
    <>
      {problem && <ErrorSummary errors={[{ field: 'start-button', text: t(problemMessageKey(problem.code)) }]} />}
      {saved ? (
        <section className="inset" aria-labelledby="resume-heading">
          <h2 className="heading-m" id="resume-heading">
            {t('journey.start.resume.heading')}
          </h2>
          <p className="body">
            {t('journey.start.resume.body', { date: saved.createdAt ? date(saved.createdAt) : '' })}
          </p>
          <ButtonLink href={journeyPaths.tasks(code, saved.id)}>{t('journey.start.resume.button')}</ButtonLink>
        </section>
      ) : (
        <Button id="start-button" className="button--start" onClick={() => void start()} disabled={busy}>
          {t('journey.start.button')}
        </Button>
      )}
    </>
  );
}
