import { useState, type FormEvent } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { Button } from '../components/Button.tsx';
import { Checkboxes } from '../components/Choices.tsx';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary.tsx';
import { Link } from '../components/Link.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useRouter } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import type { PageProps } from '../app/table.tsx';
import { newIdempotencyKey } from './data.ts';
import { SourceTag, useSourceDepartments, WithDraft, type DraftPageProps } from './draft.tsx';
import { materialId } from './MaterialsPage.tsx';
import { fieldId, formKeyOf, journeyPaths, materialsNeeded, type ApplicationView } from './model.ts';
import { displayValue, useFieldErrorText } from './Questions.tsx';
import { groupKey } from './words.ts';
import './journey.css';

/** /apply/<code>/<draft>/check: check your answers (Change links), the legal declaration, submit. */
export default function CheckPage({ params }: PageProps) {
  return (
    <WithDraft code={params['code'] ?? ''} id={params['id'] ?? ''}>
      {(props) => <Check {...props} />}
    </WithDraft>
  );
}

function Check({ code, subject, groups, draft }: DraftPageProps) {
  const { t, text, locale } = useI18n();
  const { session } = useSession();
  const { navigate } = useRouter();
  const errorText = useFieldErrorText();
  const departments = useSourceDepartments(draft.prefill?.fields ?? {});
  const [declared, setDeclared] = useState<string[]>([]);
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  // One key for this submission, reused if it is retried (a lost answer must not file it twice).
  const [key] = useState(newIdempotencyKey);
  const title = t('journey.check.title');
  usePageTitle(title, errors.length > 0);
  const needed = materialsNeeded(subject);
  const yesNo = (v: boolean) => t(v ? 'journey.yes' : 'journey.no');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (session.state !== 'signedIn') return;
    if (!declared.includes('yes')) {
      setErrors([{ field: 'declaration', text: t('journey.declaration.error') }]);
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      const app = await api<ApplicationView>('workflow/applications', {
        locale,
        method: 'POST',
        body: { draftId: draft.id },
        csrf: session.csrf,
        headers: { 'idempotency-key': key },
      });
      navigate(journeyPaths.done(app.id));
    } catch (error) {
      const problem = problemFrom(error);
      const questions = new Map(groups.flatMap((g) => g.questions.map((q) => [q.key, q])));
      const shown = (problem.errors ?? []).flatMap((e): SummaryError[] => {
        const q = questions.get(formKeyOf(e.field) ?? '');
        if (q) return [{ field: fieldId(q.key), text: errorText(q, e) }];
        const m = /^materials/.test(e.field) ? needed[0] : undefined;
        return m ? [{ field: materialId(m.code), text: t('journey.materials.error.check') }] : [];
      });
      setErrors(shown.length ? shown : [{ field: 'declaration', text: t(problemMessageKey(problem.code)) }]);
      setAttempt((n) => n + 1);
      setBusy(false);
    }
  };

  return (
    <>
      <BackLink href={journeyPaths.tasks(code, draft.id)}>{t('journey.backToTasks')}</BackLink>
      {errors.length > 0 && <ErrorSummary key={attempt} errors={errors} />}
      <span className="caption">{text(subject.name)}</span>
      <h1 className="heading-l">{title}</h1>
      {groups.map((g) => (
        <section key={g.id} aria-labelledby={`check-${g.id}`}>
          <h2 className="heading-m" id={`check-${g.id}`}>
            {t(groupKey(g.id))}
          </h2>
          <SummaryList
            rows={g.questions.map((q) => {
              const prefilled = draft.prefill?.fields[q.key];
              const locked = prefilled?.locked === true;
              return {
                key: text(q.label),
                value: (
                  <>
                    {displayValue(q, draft.form[q.key], text, yesNo) || (
                      <span className="secondary-text">{t('journey.check.notGiven')}</span>
                    )}
                    {prefilled && (
                      <>
                        {' '}
                        <SourceTag field={prefilled} departments={departments} />
                      </>
                    )}
                  </>
                ),
                action: locked ? (
                  <span className="secondary-text">{t('journey.check.locked')}</span>
                ) : (
                  <Link id={fieldId(q.key)} href={journeyPaths.group(code, draft.id, g.id, 'check')}>
                    {t('journey.check.change')}
                    <span className="visually-hidden"> {text(q.label)}</span>
                  </Link>
                ),
              };
            })}
          />
        </section>
      ))}
      {needed.length > 0 && (
        <section aria-labelledby="check-materials">
          <h2 className="heading-m" id="check-materials">
            {t('journey.materials.title')}
          </h2>
          <SummaryList
            rows={needed.map((m) => ({
              key: text(m.name),
              value: draft.materials.find((x) => x.code === m.code)?.ref ?? (
                <span className="secondary-text">{t('journey.check.notGiven')}</span>
              ),
              action: (
                <Link id={materialId(m.code)} href={journeyPaths.materials(code, draft.id, 'check')}>
                  {t('journey.check.change')}
                  <span className="visually-hidden"> {text(m.name)}</span>
                </Link>
              ),
            }))}
          />
        </section>
      )}
      <h2 className="heading-m">{t('journey.declaration.heading')}</h2>
      <p className="body">{t('journey.declaration.body')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Checkboxes
          id="declaration"
          name="declaration"
          legend={<span className="visually-hidden">{t('journey.declaration.heading')}</span>}
          error={errors.find((e) => e.field === 'declaration')?.text}
          values={declared}
          onChange={setDeclared}
          items={[{ value: 'yes', label: t('journey.declaration.label') }]}
        />
        <Button type="submit" disabled={busy}>
          {t('journey.submit')}
        </Button>
      </form>
    </>
  );
}
