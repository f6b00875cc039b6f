// The words of notify's codes (a kind, a channel, a delivery status, a failure), from the notify
// catalog; an unknown code shows itself rather than nothing. Pure.
import type { DeliveryStatus, NoticeKind, NotifyChannel } from '@tongban/contracts';
import { catalogs, type Locale, type MessageKey } from '../i18n/messages.ts';

const has = (key: string): key is MessageKey => Object.hasOwn(catalogs['zh-CN'], key);

export function kindKey(kind: string): MessageKey | null {
  const key = `notify.kind.${kind}`;
  return has(key) ? key : null;
}

export function channelKey(channel: string): MessageKey | null {
  const key = `notify.channel.${channel}`;
  return has(key) ? key : null;
}

export const STATUS_COLOUR: Record<DeliveryStatus, 'grey' | 'blue' | 'green' | 'red'> = {
  queued: 'grey',
  sent: 'blue',
  delivered: 'green',
  failed: 'red',
};

/** A failure's words: ours for the codes we know, else "not sent (code)". */
export function reasonText(locale: Locale, code: string): string {
  const key = `notify.reason.${code}`;
  const text = catalogs[locale][(has(key) ? key : 'notify.reason.other') as MessageKey] ?? code;
  return text.replace('{code}', code);
}

/** NOTICE_KINDS' order (the contract's value is not imported: typebox stays out of the bundle). */
export const KIND_ORDER = [
  'submitted',
  'counter_filed',
  'correction_requested',
  'materials_to_follow',
  'approved',
  'rejected',
  'withdrawn',
  'completed',
  'closed',
  'payment_due',
  'payment_received',
  'refund_succeeded',
  'licence_issued',
  'account_locked',
] as const satisfies readonly NoticeKind[];
const CHANNEL_ORDER = ['inbox', 'sms', 'email', 'webhook'] as const satisfies readonly NotifyChannel[];

/** Templates (or anything with a kind and a channel) in the contract's order of kinds, then channels. */
export function byKindAndChannel<T extends { kind: string; channel: string }>(list: readonly T[]): T[] {
  const rank = (order: readonly string[], v: string) => {
    const i = order.indexOf(v);
    return i < 0 ? order.length : i;
  };
  return [...list].sort(
    (a, b) =>
      rank(KIND_ORDER, a.kind) - rank(KIND_ORDER, b.kind) ||
      rank(CHANNEL_ORDER, a.channel) - rank(CHANNEL_ORDER, b.channel),
  );
}

/** SMS sandbox messages newest first, whatever order they came in. */
export function newestFirst<T extends { at: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
