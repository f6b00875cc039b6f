// 发送记录 (/console/messages): every SMS and e-mail the platform sent or is trying to send, newest
// first, by delivery status and channel — what the operator answers a citizen's "I got nothing" with
// (held for quiet hours, failed with a reason, sent and waiting for the gateway's receipt).
import type { DeliveryStatus, MessageView } from '@tongban/contracts';
import { useState, type FormEvent } from 'react';
import { Button } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { Select } from '../components/Select.tsx';
import { useI18n } from '../i18n/context.tsx';
import { usePageTitle } from '../lib/title.ts';
import { ProblemNote } from '../console/bits.tsx';
import { useFresh } from '../console/data.ts';
import { MessageTable } from './MessageTable.tsx';
import { STATUS_COLOUR } from './words.ts';
import './notify.css';

const STATUSES = Object.keys(STATUS_COLOUR) as DeliveryStatus[];
const CHANNELS = ['sms', 'email'] as const;
const LIMIT = 100;

interface Filter {
  status: string;
  channel: string;
}

export function Deliveries() {
  const { t, number } = useI18n();
  usePageTitle(t('notify.deliveries.title'));
  const [choice, setChoice] = useState<Filter>({ status: '', channel: '' });
  const [applied, setApplied] = useState<Filter>(choice);
  const query = new URLSearchParams({ limit: String(LIMIT) });
  if (applied.status) query.set('status', applied.status);
  if (applied.channel) query.set('channel', applied.channel);
  const list = useFresh<MessageView[]>(`notify/messages?${query.toString()}`);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(choice);
  };
  return (
    <>
      <h1 className="heading-l">{t('notify.deliveries.title')}</h1>
      <p className="body">{t('notify.deliveries.lead')}</p>
      <form className="inline-form" onSubmit={apply}>
        <Select
          id="status"
          label={t('notify.col.status')}
          value={choice.status}
          onChange={(e) => setChoice({ ...choice, status: e.currentTarget.value })}
          options={[
            { value: '', label: t('notify.deliveries.all') },
            ...STATUSES.map((s) => ({ value: s, label: t(`notify.status.${s}`) })),
          ]}
        />
        <Select
          id="channel"
          label={t('notify.col.channel')}
          value={choice.channel}
          onChange={(e) => setChoice({ ...choice, channel: e.currentTarget.value })}
          options={[
            { value: '', label: t('notify.deliveries.all') },
            ...CHANNELS.map((c) => ({ value: c, label: t(`notify.channel.${c}`) })),
          ]}
        />
        <Button type="submit" variant="secondary">
          {t('notify.deliveries.show')}
        </Button>
      </form>
      {list.state === 'loading' ? (
        <Loading />
      ) : list.state === 'error' ? (
        <ProblemNote problem={list.problem} />
      ) : list.data.length === 0 ? (
        <p className="body">{t('notify.deliveries.none')}</p>
      ) : (
        <>
          <p className="body secondary-text">
            {list.data.length === LIMIT
              ? t('notify.deliveries.newest', { count: number(LIMIT) })
              : t('notify.deliveries.count', { count: number(list.data.length) })}
          </p>
          <MessageTable messages={list.data} linkCases={false} />
        </>
      )}
    </>
  );
}
