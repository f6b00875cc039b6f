// Acting on a task (POST workflow/tasks/:id/actions): one of the actions the officer's roles allow
// in the task's state (the API lists them), with a reason where the API asks one (reject, request
// a correction), what the applicant may correct, or the materials that may follow (容缺受理).
// Errors — ours before sending, the API's after — go in an error summary linked to the fields.
import { useState, type FormEvent } from 'react';
import { Button } from '../components/Button.tsx';
import { Checkboxes, Radios } from '../components/Choices.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';
import { summaryOf, type Err } from './words.ts';
import { ACTIONS, NEEDS_REASON, paths, type Task } from './types.ts';

export interface Done {
  kind: string;
  /** The task's state after, in the page's language. */
  state: string;
}

const actionKey = (a: string) => `workbench.action.${a}` as MessageKey;

export function ActionForm({
  task,
  actions,
  fields,
  materials,
  label,
  onDone,
}: {
  task: Task;
  actions: string[];
  fields: string[];
  materials: { code: string; name: string }[];
  label: (key: string) => string;
  onDone: (done: Done) => void;
}) {
  const { t, text, locale } = useI18n();
  const { session } = useSession();
  const offered = ACTIONS.filter((a) => actions.includes(a));
  const [action, setAction] = useState<string>('');
  const [reason, setReason] = useState('');
  const [correctFields, setCorrectFields] = useState<string[]>([]);
  const [correctMaterials, setCorrectMaterials] = useState<string[]>([]);
  const [pending, setPending] = useState<string[]>([]);
  const [errors, setErrors] = useState<Err[]>([]);
  const [round, setRound] = useState(0);
  const [sending, setSending] = useState(false);
  const shown = summaryOf(errors, t);
  const errorOf = (field: string) => shown.find((e) => e.field === field)?.text;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Err[] = [];
    if (!action) found.push({ field: 'action', key: 'workbench.actions.error.action' });
    if (NEEDS_REASON.includes(action) && !reason.trim())
      found.push({ field: 'reason', key: 'workbench.actions.error.reason' });
    if (action === 'requestCorrection' && correctFields.length + correctMaterials.length === 0)
      found.push({ field: 'correct-fields', key: 'workbench.actions.error.correction' });
    if (action === 'acceptPending' && pending.length === 0)
      found.push({ field: 'pending', key: 'workbench.actions.error.pending' });
    setRound((r) => r + 1);
    setErrors(found);
    if (found.length > 0 || session.state !== 'signedIn') return;
    setSending(true);
    try {
      const result = await api<Task>(paths.actions(task.id), {
        locale,
        method: 'POST',
        csrf: session.csrf,
        body: {
          action,
          version: task.version,
          ...(reason.trim() ? { reason: reason.trim() } : {}),
          ...(action === 'requestCorrection'
            ? { correction: { fields: correctFields, materials: correctMaterials } }
            : {}),
          ...(action === 'acceptPending' ? { pendingMaterials: pending } : {}),
        },
      });
      onDone({ kind: action, state: text(result.stateName) });
    } catch (e) {
      const problem = problemFrom(e);
      const message = problemMessageKey(problem.code, 'workbench');
      const fieldOf = (f: string) =>
        f === 'body.reason'
          ? 'reason'
          : f.startsWith('body.correction')
            ? 'correct-fields'
            : f === 'body.pendingMaterials'
              ? 'pending'
              : 'action';
      const mapped = (problem.errors ?? []).map((fe) => ({ field: fieldOf(fe.field), key: message }));
      const unique = [
        ...new Map((mapped.length ? mapped : [{ field: 'action', key: message }]).map((x) => [x.field, x])).values(),
      ];
      setRound((r) => r + 1);
      setErrors(unique);
    } finally {
      setSending(false);
    }
  };

  return (
    <section aria-labelledby="act-heading" className="wb-act">
      <h2 className="heading-m" id="act-heading">
        {t('workbench.actions.heading')}
      </h2>
      {errors.length > 0 && <ErrorSummary key={round} errors={shown} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Radios
          id="action"
          name="action"
          legend={t('workbench.actions.legend')}
          value={action}
          onChange={setAction}
          error={errorOf('action')}
          items={offered.map((a) => ({
            value: a,
            label: t(actionKey(a)),
            hint: t(`${actionKey(a)}.hint` as MessageKey),
          }))}
        />
        {action === 'requestCorrection' && (
          <>
            <Checkboxes
              id="correct-fields"
              name="correctFields"
              legend={t('workbench.actions.correctFields')}
              hint={t('workbench.actions.correctFields.hint')}
              error={errorOf('correct-fields')}
              values={correctFields}
              onChange={setCorrectFields}
              items={fields.map((f) => ({ value: f, label: label(f) }))}
            />
            {materials.length > 0 && (
              <Checkboxes
                id="correct-materials"
                name="correctMaterials"
                legend={t('workbench.actions.correctMaterials')}
                values={correctMaterials}
                onChange={setCorrectMaterials}
                items={materials.map((m) => ({ value: m.code, label: m.name }))}
              />
            )}
          </>
        )}
        {action === 'acceptPending' && (
          <Checkboxes
            id="pending"
            name="pending"
            legend={t('workbench.actions.pending')}
            error={errorOf('pending')}
            values={pending}
            onChange={setPending}
            items={materials.map((m) => ({ value: m.code, label: m.name }))}
          />
        )}
        <Textarea
          id="reason"
          name="reason"
          label={t(NEEDS_REASON.includes(action) ? 'workbench.actions.reason' : 'workbench.actions.reasonOptional')}
          hint={t('workbench.actions.reason.hint')}
          error={errorOf('reason')}
          value={reason}
          maxLength={2000}
          rows={4}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <Button type="submit" disabled={sending}>
          {t('workbench.actions.submit')}
        </Button>
      </form>
    </section>
  );
}
