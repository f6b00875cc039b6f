// One alert's triage (GET sentinel/alerts/:id): what fired, on what, the events behind it, the
// responses taken, its history; assign it (to me or someone), close it with a resolution and a
// reason, reopen it, or lift one of its responses. Every change is appended by the API.
import { useState, type FormEvent } from 'react';
import type { AlertDetailView, AlertResolution } from '@tongban/contracts';
import { ALERT_RESOLUTIONS } from '@tongban/contracts';
import { Button } from '../components/Button.tsx';
import { Radios } from '../components/Choices.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import { ProblemNote } from '../console/bits.tsx';
import { enc, useFresh } from '../console/data.ts';
import { LiftForm, Reason, useForm } from './forms.tsx';
import { ResponseTable } from './ResponseTable.tsx';
import { SeverityTag, StatusTag, useSecurityWords } from './words.tsx';

export function Alert({ params }: { params: Record<string, string> }) {
  const { t, text } = useI18n();
  const id = params.id ?? '';
  const detail = useFresh<AlertDetailView>(`sentinel/alerts/${enc(id)}`);
  usePageTitle(detail.state === 'ok' ? text(detail.data.alert.title) : t('security.alerts.title'));
  const words = useSecurityWords();
  const [done, setDone] = useState<string | undefined>();
  const changed = (message: string) => {
    setDone(message);
    detail.reload();
  };

  if (detail.state === 'loading') return <Loading />;
  if (detail.state === 'error')
    return (
      <>
        <h1 className="heading-l">{t('security.alerts.title')}</h1>
        <ProblemNote problem={detail.problem} />
      </>
    );
  const { alert, evidence, responses, history } = detail.data;
  return (
    <>
      <p className="body">
        <Link href="/security" className="back-link">
          {t('security.alert.back')}
        </Link>
      </p>
      {done && (
        <NotificationBanner type="success" title={t('console.saved')}>
          <p className="body">{done}</p>
        </NotificationBanner>
      )}
      <h1 className="heading-l">{text(alert.title)}</h1>
      <SummaryList
        rows={[
          { key: t('security.col.severity'), value: <SeverityTag severity={alert.severity} /> },
          { key: t('security.col.status'), value: <StatusTag status={alert.status} /> },
          {
            key: t('security.col.subject'),
            value: <span className="break-anywhere">{words.subject(alert.subject)}</span>,
          },
          { key: t('security.alert.rule'), value: alert.ruleId },
          { key: t('security.alert.rulesVersion'), value: String(alert.rulesVersion) },
          { key: t('security.col.raised'), value: words.when(alert.raisedAt) },
          { key: t('security.alert.updated'), value: words.when(alert.updatedAt) },
          { key: t('security.col.assignee'), value: alert.assignee ?? t('security.none') },
          {
            key: t('security.alert.resolution'),
            value: alert.resolution ? t(`security.resolution.${alert.resolution}` as MessageKey) : t('security.none'),
          },
        ]}
      />

      {alert.status === 'closed' ? (
        <Reopen id={alert.id} onDone={() => changed(t('security.reopen.done'))} />
      ) : (
        <>
          <Assign id={alert.id} onDone={(who) => changed(t('security.assign.done', { assignee: who }))} />
          <Close id={alert.id} onDone={() => changed(t('security.close.done'))} />
        </>
      )}

      <h2 className="heading-m">{t('security.alert.responses')}</h2>
      {responses.length === 0 ? (
        <p className="body">{t('security.alert.responsesEmpty')}</p>
      ) : (
        <ResponseTable responses={responses} caption={t('security.alert.responses')} />
      )}
      <LiftForm
        responses={responses}
        onDone={() => changed(t('security.lift.done'))}
        heading={<h2 className="heading-m">{t('security.lift.title')}</h2>}
      />

      <h2 className="heading-m">{t('security.alert.evidence')}</h2>
      {evidence.length === 0 ? (
        <p className="body">{t('security.alert.evidenceEmpty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('security.alert.evidence')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('security.col.time')}</th>
                <th scope="col">{t('security.col.signal')}</th>
                <th scope="col">{t('security.col.address')}</th>
                <th scope="col">{t('security.col.account')}</th>
                <th scope="col">{t('security.col.actor')}</th>
                <th scope="col">{t('security.col.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {evidence.map((e) => (
                <tr key={e.eventId}>
                  <td>{words.when(e.at)}</td>
                  <th scope="row">
                    {e.signal}
                    <span className="secondary-text break-anywhere"> ({e.eventType})</span>
                  </th>
                  <td className="break-anywhere">{e.ip ?? '—'}</td>
                  <td className="break-anywhere">{e.accountId ?? '—'}</td>
                  <td className="break-anywhere">{e.actorId ?? '—'}</td>
                  <td className="break-anywhere">{e.detail ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 className="heading-m">{t('security.alert.history')}</h2>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">{t('security.alert.history')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('security.col.time')}</th>
              <th scope="col">{t('security.col.action')}</th>
              <th scope="col">{t('security.col.by')}</th>
              <th scope="col">{t('security.col.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.seq}>
                <td>{words.when(h.at)}</td>
                <th scope="row">
                  {t(`security.history.${h.action}` as MessageKey)}
                  {h.assignee ? ` → ${h.assignee}` : ''}
                  {h.resolution ? ` (${t(`security.resolution.${h.resolution}` as MessageKey)})` : ''}
                </th>
                <td className="break-anywhere">{h.by.id}</td>
                <td>{h.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Assign({ id, onDone }: { id: string; onDone(assignee: string): void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const me = session.state === 'signedIn' ? session.user.id : '';
  const [who, setWho] = useState('');
  const form = useForm('assign-who', () => 'assign-who');
  const assign = async (assignee: string) => {
    if (await form.submit(`sentinel/alerts/${enc(id)}/assign`, { assignee })) {
      setWho('');
      onDone(assignee);
    }
  };
  const go = async (event: FormEvent) => {
    event.preventDefault();
    if (!who.trim())
      return form.refuse({
        byInput: { 'assign-who': t('security.required.assignee') },
        summary: [{ field: 'assign-who', text: t('security.required.assignee') }],
      });
    await assign(who.trim());
  };
  return (
    <form onSubmit={go} noValidate>
      {form.summary}
      <h2 className="heading-m">{t('security.assign.title')}</h2>
      <p className="body">
        <Button variant="secondary" disabled={form.busy || !me} onClick={() => void assign(me)}>
          {t('security.assign.me')}
        </Button>
      </p>
      <TextInput
        id="assign-who"
        label={t('security.assign.who')}
        value={who}
        onChange={(e) => setWho(e.currentTarget.value)}
        autoComplete="off"
        spellCheck={false}
        {...(form.errors.byInput['assign-who'] ? { error: form.errors.byInput['assign-who'] } : {})}
      />
      <Button type="submit" variant="secondary" disabled={form.busy}>
        {t('security.assign.button')}
      </Button>
    </form>
  );
}

function Close({ id, onDone }: { id: string; onDone(): void }) {
  const { t } = useI18n();
  const [resolution, setResolution] = useState<AlertResolution | ''>('');
  const [reason, setReason] = useState('');
  const form = useForm('close-reason', (field) => (field.endsWith('resolution') ? 'close-resolution' : 'close-reason'));
  const go = async (event: FormEvent) => {
    event.preventDefault();
    const summary = [
      ...(resolution ? [] : [{ field: 'close-resolution', text: t('security.required.choice') }]),
      ...(reason.trim() ? [] : [{ field: 'close-reason', text: t('security.required.reason') }]),
    ];
    if (summary.length > 0)
      return form.refuse({ byInput: Object.fromEntries(summary.map((e) => [e.field, e.text])), summary });
    if (await form.submit(`sentinel/alerts/${enc(id)}/close`, { resolution, reason: reason.trim() })) onDone();
  };
  return (
    <form onSubmit={go} noValidate>
      {form.summary}
      <h2 className="heading-m">{t('security.close.title')}</h2>
      <Radios
        id="close-resolution"
        name="close-resolution"
        legend={t('security.close.resolution')}
        items={ALERT_RESOLUTIONS.map((r) => ({ value: r, label: t(`security.resolution.${r}` as MessageKey) }))}
        value={resolution}
        onChange={(v) => setResolution(v as AlertResolution)}
        {...(form.errors.byInput['close-resolution'] ? { error: form.errors.byInput['close-resolution'] } : {})}
      />
      <Reason
        id="close-reason"
        label="security.close.reason"
        hint="security.close.reasonHint"
        value={reason}
        onChange={setReason}
        {...(form.errors.byInput['close-reason'] ? { error: form.errors.byInput['close-reason'] } : {})}
      />
      <Button type="submit" disabled={form.busy}>
        {t('security.close.button')}
      </Button>
    </form>
  );
}

function Reopen({ id, onDone }: { id: string; onDone(): void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const form = useForm('reopen-reason', () => 'reopen-reason');
  const go = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim())
      return form.refuse({
        byInput: { 'reopen-reason': t('security.required.reason') },
        summary: [{ field: 'reopen-reason', text: t('security.required.reason') }],
      });
    if (await form.submit(`sentinel/alerts/${enc(id)}/reopen`, { reason: reason.trim() })) onDone();
  };
  return (
    <form onSubmit={go} noValidate>
      {form.summary}
      <h2 className="heading-m">{t('security.reopen.title')}</h2>
      <Reason
        id="reopen-reason"
        label="security.reopen.reason"
        value={reason}
        onChange={setReason}
        {...(form.errors.byInput['reopen-reason'] ? { error: form.errors.byInput['reopen-reason'] } : {})}
      />
      <Button type="submit" variant="secondary" disabled={form.busy}>
        {t('security.reopen.button')}
      </Button>
    </form>
  );
}
