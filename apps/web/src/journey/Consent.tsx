import { useState, type FormEvent } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { Button } from '../components/Button.tsx';
import { Radios } from '../components/Choices.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useRouter } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import type { PageProps } from '../app/table.tsx';
import { WithDraft, type DraftPageProps } from './draft.tsx';
import { consentItems, journeyPaths, questionGroups, type ApplicationView } from './model.ts';
import { hasMessage } from './words.ts';
import './journey.css';

/** /apply/<code>/<draft>/consent: may the data hub fill in what government already holds (一次告知)? */
export default function ConsentPage({ params }: PageProps) {
  return (
    <WithDraft code={params['code'] ?? ''} id={params['id'] ?? ''}>
      {(props) => <Consent {...props} />}
    </WithDraft>
  );
}

function Consent({ code, subject, draft }: DraftPageProps) {
  const { t, text, locale } = useI18n();
  const { session } = useSession();
  const { navigate } = useRouter();
  const [answer, setAnswer] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const title = t('journey.consent.title');
  usePageTitle(title, Boolean(error));
  const items = consentItems(draft.prefill);
  const labels = new Map(questionGroups(subject).flatMap((g) => g.questions.map((q) => [q.element, q.label])));
  const byResource = new Map<string, string[]>();
  for (const c of draft.prefill?.consentNeeded ?? []) {
    const label = labels.get(c.element);
    byResource.set(c.resource, [...(byResource.get(c.resource) ?? []), label ? text(label) : c.element]);
  }
  const tasks = journeyPaths.tasks(code, draft.id);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!answer) {
      setError(t('journey.consent.error.choose'));
      return;
    }
    if (answer === 'no' || items.length === 0 || session.state !== 'signedIn') {
      navigate(tasks);
      return;
    }
    setBusy(true);
    try {
      await api('datahub/me/consents', {
        locale,
        method: 'POST',
        body: { purpose: subject.code, items },
        csrf: session.csrf,
      });
      await api<ApplicationView>(`workflow/drafts/${draft.id}/prefill`, { locale, method: 'POST', csrf: session.csrf });
      navigate(tasks);
    } catch (e) {
      setError(t(problemMessageKey(problemFrom(e).code)));
      setBusy(false);
    }
  };

  return (
    <>
      <BackLink href={journeyPaths.start(code)}>{t('journey.back')}</BackLink>
      {error && <ErrorSummary key={error} errors={[{ field: 'consent', text: error }]} />}
      <h1 className="heading-l">{title}</h1>
      <p className="body">{t('journey.consent.lead', { service: text(subject.name) })}</p>
      <dl className="summary-list">
        {[...byResource.entries()].map(([resource, names]) => {
          const key = `journey.source.${resource}`;
          return (
            <div className="summary-list__row" key={resource}>
              <dt className="summary-list__key">{hasMessage(key) ? t(key) : resource}</dt>
              <dd className="summary-list__value">{[...new Set(names)].join(t('journey.listSeparator'))}</dd>
            </div>
          );
        })}
      </dl>
      <p className="body">{t('journey.consent.use')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Radios
          id="consent"
          name="consent"
          legend={t('journey.consent.question')}
          error={error}
          value={answer}
          onChange={(v) => {
            setAnswer(v);
          }}
          items={[
            { value: 'yes', label: t('journey.consent.yes') },
            { value: 'no', label: t('journey.consent.no'), hint: t('journey.consent.no.hint') },
          ]}
        />
        <Button type="submit" disabled={busy}>
          {t('journey.continue')}
        </Button>
      </form>
    </>
  );
}
