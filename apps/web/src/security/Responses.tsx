// The responses in force (GET sentinel/responses?active=true), lifting one with a reason, and a
// manual response (POST sentinel/responses): block or throttle an address, demand step-up of a
// session, end an account's sessions, lock an account — for a time, with a reason, ledgered.
import { useState, type FormEvent } from 'react';
import type { ResponseAction, ResponseList } from '@tongban/contracts';
import { RESPONSE_ACTIONS } from '@tongban/contracts';
import { Button } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { Select } from '../components/Select.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { usePageTitle } from '../lib/title.ts';
import { ProblemNote } from '../console/bits.tsx';
import { useFresh } from '../console/data.ts';
import { LiftForm, Reason, useForm } from './forms.tsx';
import { ResponseTable } from './ResponseTable.tsx';

/** Which target field each action acts on. */
const TARGET_OF: Record<ResponseAction, 'ip' | 'accountId' | 'sessionId'> = {
  'block-address': 'ip',
  'throttle-address': 'ip',
  'step-up-session': 'sessionId',
  'revoke-sessions': 'accountId',
  'lock-account': 'accountId',
};

export function Responses() {
  const { t } = useI18n();
  usePageTitle(t('security.responses.title'));
  const list = useFresh<ResponseList>('sentinel/responses?active=true');
  const [done, setDone] = useState<string | undefined>();
  const changed = (message: string) => {
    setDone(message);
    list.reload();
  };
  return (
    <>
      {done && (
        <NotificationBanner type="success" title={t('console.saved')}>
          <p className="body">{done}</p>
        </NotificationBanner>
      )}
      <h1 className="heading-l">{t('security.responses.title')}</h1>
      <p className="body">{t('security.responses.lead')}</p>
      {list.state === 'loading' ? (
        <Loading />
      ) : list.state === 'error' ? (
        <ProblemNote problem={list.problem} />
      ) : list.data.items.length === 0 ? (
        <p className="body">{t('security.responses.empty')}</p>
      ) : (
        <>
          <ResponseTable responses={list.data.items} caption={t('security.responses.caption')} />
          <LiftForm
            responses={list.data.items}
            onDone={() => changed(t('security.lift.done'))}
            heading={<h2 className="heading-m">{t('security.lift.title')}</h2>}
          />
        </>
      )}
      <Manual onDone={() => changed(t('security.manual.done'))} />
    </>
  );
}

function Manual({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const [action, setAction] = useState<ResponseAction>('block-address');
  const [target, setTarget] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [reason, setReason] = useState('');
  const targetInput = `manual-${TARGET_OF[action]}`;
  const form = useForm('manual-reason', (field) =>
    field.includes('target')
      ? targetInput
      : field.endsWith('durationSeconds')
        ? 'manual-minutes'
        : field.endsWith('action')
          ? 'manual-action'
          : 'manual-reason',
  );
  const go = async (event: FormEvent) => {
    event.preventDefault();
    const n = Number(minutes);
    const summary = [
      ...(target.trim() ? [] : [{ field: targetInput, text: t('security.required.choice') }]),
      ...(Number.isInteger(n) && n >= 1 && n <= 43_200
        ? []
        : [{ field: 'manual-minutes', text: t('security.manual.minutesInvalid') }]),
      ...(reason.trim() ? [] : [{ field: 'manual-reason', text: t('security.required.reason') }]),
    ];
    if (summary.length > 0)
      return form.refuse({ byInput: Object.fromEntries(summary.map((e) => [e.field, e.text])), summary });
    const body = {
      action,
      target: { [TARGET_OF[action]]: target.trim() },
      durationSeconds: Math.max(60, n * 60),
      reason: reason.trim(),
    };
    if (await form.submit('sentinel/responses', body)) {
      setTarget('');
      setReason('');
      onDone();
    }
  };
  const targetLabel: MessageKey = `security.manual.${TARGET_OF[action]}`;
  return (
    <form onSubmit={go} noValidate>
      {form.summary}
      <h2 className="heading-m">{t('security.manual.title')}</h2>
      <Select
        id="manual-action"
        label={t('security.manual.action')}
        options={RESPONSE_ACTIONS.map((a) => ({ value: a, label: t(`security.action.${a}` as MessageKey) }))}
        value={action}
        onChange={(e) => setAction(e.currentTarget.value as ResponseAction)}
      />
      <TextInput
        key={targetInput}
        id={targetInput}
        label={t(targetLabel)}
        value={target}
        onChange={(e) => setTarget(e.currentTarget.value)}
        autoComplete="off"
        spellCheck={false}
        {...(form.errors.byInput[targetInput] ? { error: form.errors.byInput[targetInput] } : {})}
      />
      <TextInput
        id="manual-minutes"
        label={t('security.manual.minutes')}
        hint={t('security.manual.minutesHint')}
        inputMode="numeric"
        className="input--width-10"
        value={minutes}
        onChange={(e) => setMinutes(e.currentTarget.value)}
        {...(form.errors.byInput['manual-minutes'] ? { error: form.errors.byInput['manual-minutes'] } : {})}
      />
      <Reason
        id="manual-reason"
        label="security.manual.reason"
        value={reason}
        onChange={setReason}
        {...(form.errors.byInput['manual-reason'] ? { error: form.errors.byInput['manual-reason'] } : {})}
      />
      <Button type="submit" variant="warning" disabled={form.busy}>
        {t('security.manual.button')}
      </Button>
    </form>
  );
}
