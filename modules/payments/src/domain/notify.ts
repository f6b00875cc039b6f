// The channel's asynchronous notify (异步通知) as a form: what makes one well formed and fresh.
// The signature and the order are the service's checks; this is the shape and the clock. Pure.
import { yuanToFen } from './amounts.ts';

export interface TradeNotify {
  notifyId: string;
  notifyTime: Date;
  appId: string;
  tradeNo: string;
  orderId: string;
  amountFen: number;
  tradeStatus: string;
  paidAt: Date;
}

const REQUIRED = [
  'notify_id',
  'notify_time',
  'app_id',
  'trade_no',
  'out_trade_no',
  'total_amount',
  'trade_status',
  'sign',
] as const;

/** The notify's fields, or undefined when one is missing or not of its form. */
export function parseNotify(form: Readonly<Record<string, string>>): TradeNotify | undefined {
  for (const k of REQUIRED) {
    const v = form[k];
    if (typeof v !== 'string' || v === '' || v.length > (k === 'sign' ? 1024 : 256)) return undefined;
  }
  const amountFen = yuanToFen(form.total_amount!);
  const notifyTime = new Date(form.notify_time!);
  const paidAt = form.gmt_payment ? new Date(form.gmt_payment) : notifyTime;
  if (amountFen === undefined || Number.isNaN(notifyTime.getTime()) || Number.isNaN(paidAt.getTime())) return undefined;
  return {
    notifyId: form.notify_id!,
    notifyTime,
    appId: form.app_id!,
    tradeNo: form.trade_no!,
    orderId: form.out_trade_no!,
    amountFen,
    tradeStatus: form.trade_status!,
    paidAt,
  };
}

/**
 * Stale: older than `maxAgeMs` (the channel's retries span about 25 hours, Alipay's 4 m … 15 h
 * schedule, so the default window is 26 h) or more than five minutes in the future (clock skew).
 */
export function isStale(notifyTime: Date, now: Date, maxAgeMs: number): boolean {
  const age = now.getTime() - notifyTime.getTime();
  return age > maxAgeMs || age < -5 * 60_000;
}
