// The words of notify's codes (a kind, a channel, a delivery status, a failure), from the notify
// catalog; an unknown code shows itself rather than nothing. Pure.
import type { DeliveryStatus } from '@tongban/contracts';
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
