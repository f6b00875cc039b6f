// The security pages' forms: each asks a reason (kept in the ledger by the API), checks what it
// can before sending, and shows the API's refusals at their inputs and in the error summary.
import { useState, type FormEvent, type ReactNode } from 'react';
import type { ResponseView } from '@tongban/contracts';
import { Button } from '../components/Button.tsx';
import { Radios } from '../components/Choices.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { fieldErrors, none, one, useFieldWords, type Errors } from '../console/bits.tsx';
import { enc, useSend } from '../console/data.ts';
import { useSecurityWords } from './words.tsx';

/** A form's state: its errors (with a round, so the summary takes focus again), busy, and sending. */
export function useForm(fallbackInput: string, toInput: (field: string) => string) {
  const { t } = useI18n();
  const send = useSend();
  const words = useFieldWords();
  const [errors, setErrors] = useState<Errors>(none);
  const [round, setRound] = useState(0);
  const [busy, setBusy] = useState(false);
  const refuse = (e: Errors) => {
    setErrors(e);
    setRound((r) => r + 1);
  };
  /** Sends; true when the API took it, else its refusal is shown. */
  const submit = async (path: string, body: unknown): Promise<boolean> => {
    setBusy(true);
    const result = await send(path, 'POST', body);
    setBusy(false);
    if (result.ok) {
      setErrors(none);
      return true;
    }
    const mapped = fieldErrors(result.problem, toInput, words, fallbackInput);
    refuse(mapped.summary.length > 0 ? mapped : one(fallbackInput, words(result.problem.code, t('errors.generic'))));
    return false;
  };
  const summary = errors.summary.length > 0 ? <ErrorSummary key={round} errors={errors.summary} /> : null;
  return { errors, refuse, submit, busy, summary };
}

/** A reason, required: the text area of every form here. */
export function Reason(props: {
  id: string;
  label: MessageKey;
  hint?: MessageKey;
  value: string;
  error?: string;
  onChange(v: string): void;
}) {
  const { t } = useI18n();
  return (
    <Textarea
      id={props.id}
      label={t(props.label)}
      {...(props.hint ? { hint: t(props.hint) } : {})}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      {...(props.error ? { error: props.error } : {})}
      rows={3}
      maxLength={500}
    />
  );
}

/** Lifts one of the responses in force, with a reason (POST sentinel/responses/:id/lift). */
export function LiftForm({
  responses,
  onDone,
  heading,
}: {
  responses: ResponseView[];
  onDone(): void;
  heading: ReactNode;
}) {
  const { t } = useI18n();
  const words = useSecurityWords();
  const [which, setWhich] = useState('');
  const [reason, setReason] = useState('');
  const form = useForm('lift-reason', (field) => (field.endsWith('reason') ? 'lift-reason' : 'lift-which'));
  const active = responses.filter((r) => r.state === 'active');
  if (active.length === 0) return null;
  const go = async (event: FormEvent) => {
    event.preventDefault();
    const missing: Errors = { byInput: {}, summary: [] };
    if (!which) missing.summary.push({ field: 'lift-which', text: t('security.required.choice') });
    if (!reason.trim()) missing.summary.push({ field: 'lift-reason', text: t('security.required.reason') });
    for (const e of missing.summary) missing.byInput[e.field] = e.text;
    if (missing.summary.length > 0) return form.refuse(missing);
    if (await form.submit(`sentinel/responses/${enc(which)}/lift`, { reason: reason.trim() })) {
      setWhich('');
      setReason('');
      onDone();
    }
  };
  return (
    <form onSubmit={go} noValidate>
      {form.summary}
      {heading}
      <Radios
        id="lift-which"
        name="lift-which"
        legend={t('security.lift.which')}
        items={active.map((r) => ({
          value: r.id,
          label: `${words.action(r.action)} · ${words.target(r.target)}`,
          hint: words.until(r),
        }))}
        value={which}
        onChange={setWhich}
        {...(form.errors.byInput['lift-which'] ? { error: form.errors.byInput['lift-which'] } : {})}
      />
      <Reason
        id="lift-reason"
        label="security.lift.reason"
        hint="security.lift.reasonHint"
        value={reason}
        onChange={setReason}
        {...(form.errors.byInput['lift-reason'] ? { error: form.errors.byInput['lift-reason'] } : {})}
      />
      <Button type="submit" variant="warning" disabled={form.busy}>
        {t('security.lift.button')}
      </Button>
    </form>
  );
}
