import { useState, type FormEvent } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { Button } from '../components/Button.tsx';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { Fieldset } from '../components/Fieldset.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useRouter } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import type { PageProps } from '../app/table.tsx';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { NotFound } from '../pages/NotFound.tsx';
import { useFresh, useSubject } from './data.ts';
import { MaterialUpload } from './MaterialUpload.tsx';
import { materialId } from './MaterialsPage.tsx';
import { fileInputId, useUploads } from './useUploads.ts';
import { fieldId, formKeyOf, isEmpty, journeyPaths, questionGroups, toValue, type ApplicationView } from './model.ts';
import { QuestionField, useFieldErrorText } from './Questions.tsx';
import './journey.css';

/** /applications/<id>/tasks/<taskId>/correction: answer a correction (补正) — only what the officer asked for. */
export default function CorrectionPage({ params }: PageProps) {
  const id = params['id'] ?? '';
  const app = useFresh<ApplicationView>(`workflow/applications/${encodeURIComponent(id)}`);
  const subject = useSubject(
    app.state === 'ok' ? app.data.subject.code : '',
    app.state === 'ok' ? app.data.subject.kind : 'matter',
  );
  if (app.state === 'error') return <ErrorPage problem={app.problem} />;
  if (subject.state === 'error') return <ErrorPage problem={subject.problem} />;
  if (app.state === 'loading' || subject.state === 'loading') return <Loading />;
  const task = app.data.tasks.find((x) => x.id === params['taskId']);
  if (!task?.correction) return <NotFound />;
  return <Correction app={app.data} taskId={task.id} subject={subject.data} />;
}

function Correction({
  app,
  taskId,
  subject,
}: {
  app: ApplicationView;
  taskId: string;
  subject: Parameters<typeof questionGroups>[0];
}) {
  const { t, text, locale } = useI18n();
  const { session } = useSession();
  const { navigate } = useRouter();
  const errorText = useFieldErrorText();
  const task = app.tasks.find((x) => x.id === taskId)!;
  const correction = task.correction!;
  const all = new Map(questionGroups(subject).flatMap((g) => g.questions.map((q) => [q.key, q])));
  const questions = correction.fields.flatMap((k) => {
    const q = all.get(k);
    return q ? [q] : [];
  });
  const materialNames = new Map(subject.matters.flatMap((m) => m.materials.map((x) => [x.code, x.name])));
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(questions.map((q) => [q.key, isEmpty(app.form[q.key]) ? '' : String(app.form[q.key])])),
  );
  const [refs, setRefs] = useState<Record<string, string>>({});
  // A correction asks for the material anew: nothing is attached at first.
  const uploads = useUploads(correction.materials, () => '');
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const title = t('journey.correction.title');
  const nameOf = (c: string) => {
    const name = materialNames.get(c);
    return name ? text(name) : c;
  };
  const uploadErrors = uploads.summary(
    correction.materials.map((c) => ({ code: c, name: nameOf(c), id: materialId(c) })),
  );
  const shownErrors = [...uploadErrors, ...errors.filter((e) => !uploadErrors.some((u) => u.field === e.field))];
  usePageTitle(title, shownErrors.length > 0);
  const refFor = (c: string) => uploads.refOf(c) ?? (refs[c] ?? '').trim();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (session.state !== 'signedIn') return;
    const shown: SummaryError[] = [
      ...questions
        .filter((q) => (values[q.key] ?? '').trim() === '')
        .map((q) => ({ field: fieldId(q.key), text: errorText(q, { code: 'required', message: '' }) })),
      ...correction.materials
        .filter((c) => uploads.isUploading(c))
        .map((c) => ({
          field: `${materialId(c)}-progress`,
          text: t('journey.upload.error.inProgress', { name: nameOf(c) }),
        })),
      ...correction.materials
        .filter((c) => !uploads.isUploading(c) && refFor(c) === '')
        .map((c) => ({
          field: fileInputId(materialId(c)),
          text: t('journey.materials.error.required', { name: nameOf(c) }),
        })),
    ];
    if (shown.length) {
      setErrors(shown);
      setAttempt((n) => n + 1);
      return;
    }
    const form = Object.fromEntries(questions.map((q) => [q.key, toValue(q, values[q.key] ?? '') ?? null]));
    const materials = correction.materials.map((code) => ({ code, ref: refFor(code) }));
    setBusy(true);
    try {
      await api(`workflow/applications/${app.id}/tasks/${taskId}/correction`, {
        locale,
        method: 'POST',
        body: { version: task.version, form, materials },
        csrf: session.csrf,
      });
      navigate(journeyPaths.application(app.id));
    } catch (error) {
      const problem = problemFrom(error);
      const mine = (problem.errors ?? []).flatMap((e) => {
        const q = all.get(formKeyOf(e.field) ?? '');
        return q ? [{ field: fieldId(q.key), text: errorText(q, e) }] : [];
      });
      setErrors(mine.length ? mine : [{ field: 'correction-submit', text: t(problemMessageKey(problem.code)) }]);
      setAttempt((n) => n + 1);
      setBusy(false);
    }
  };

  return (
    <>
      <BackLink href={journeyPaths.application(app.id)}>{t('journey.back')}</BackLink>
      {shownErrors.length > 0 && <ErrorSummary key={`${attempt}-${uploadErrors.length}`} errors={shownErrors} />}
      <span className="caption">{app.caseNumber ? t('journey.case.number', { number: app.caseNumber }) : ''}</span>
      <h1 className="heading-l">{title}</h1>
      <NotificationBanner title={t('journey.correction.reason')}>
        <p className="notification-banner__heading">{correction.reason}</p>
      </NotificationBanner>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {questions.map((q) => (
          <QuestionField
            key={q.key}
            q={q}
            value={values[q.key] ?? ''}
            error={errors.find((e) => e.field === fieldId(q.key))?.text}
            onChange={(v) => setValues((s) => ({ ...s, [q.key]: v }))}
          />
        ))}
        {correction.materials.map((code) => {
          const id = materialId(code);
          const upload = uploads.attachedOf(code);
          const fieldError = (f: string) => errors.find((e) => e.field === f)?.text;
          return (
            <Fieldset key={code} id={`${id}-group`} legend={<span className="heading-m">{nameOf(code)}</span>}>
              <MaterialUpload
                id={id}
                name={nameOf(code)}
                attached={upload}
                error={uploads.problemText(code) ?? fieldError(fileInputId(id)) ?? fieldError(`${id}-progress`)}
                {...uploads.handlers(code)}
                onAttach={(doc) => {
                  uploads.handlers(code).onAttach(doc);
                  setErrors((es) => es.filter((e) => e.field !== fileInputId(id)));
                }}
              />
              {!upload && (
                <TextInput
                  id={id}
                  label={t('journey.materials.or', { name: nameOf(code) })}
                  hint={t('journey.materials.hint.licence')}
                  error={fieldError(id)}
                  value={refs[code] ?? ''}
                  maxLength={200}
                  autoComplete="off"
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setRefs((s) => ({ ...s, [code]: v }));
                  }}
                />
              )}
            </Fieldset>
          );
        })}
        <Button id="correction-submit" type="submit" disabled={busy}>
          {t('journey.correction.send')}
        </Button>
      </form>
    </>
  );
}
