// A payment counted once, however we hear of it: the channel's asynchronous notify (its
// signature is the authority) or our active query (主动查询) when the notify is late or lost. Both
// end in `settle`: in one transaction the order row is locked, the payment inserted (unique per
// order and per channel trade number) and the order's status changed only from pending or
// expired, with `payments.order.paid` — so two notifies, a notify and a query, or two replicas
// racing make one payment and one event. Every callback is logged; a refused one also commits
// `payments.callback.refused` for security operations.
import { createHash } from 'node:crypto';
import { RECEIPT_LICENCE_TYPE, type CallbackRefusalReason, type EventData } from '@tongban/contracts';
import { isUniqueViolation, type ModuleTrx, type TransactionEvents } from '@tongban/kernel';
import { isStale, parseNotify } from '../domain/notify.ts';
import {
  expireDue,
  findAcceptedNotify,
  findOrderForUpdate,
  findPayment,
  insertPayment,
  logCallback,
  markPaid,
  ordersToQuery,
  setReceipt,
} from '../store/payments.ts';
import { typed } from '../store/tables.ts';
import type { Payments } from './payments.ts';

export interface ChannelPaid {
  tradeNo: string;
  amountFen: number;
  paidAt: Date;
}

export type Settled =
  | { outcome: 'recorded' | 'duplicate'; orderId: string }
  | { outcome: 'refused'; reason: CallbackRefusalReason; orderId?: string };

/** Counts a payment the channel reports, inside the caller's transaction; never twice. */
export async function settle(
  payments: Payments,
  trx: ModuleTrx,
  events: TransactionEvents,
  orderId: string,
  paid: ChannelPaid,
  via: 'notify' | 'query',
): Promise<Settled> {
  const db = typed(trx);
  const order = await findOrderForUpdate(db, orderId);
  if (!order) return { outcome: 'refused', reason: 'unknown_order' };
  const existing = await findPayment(db, order.id);
  if (existing) {
    if (existing.channel_trade_no === paid.tradeNo) return { outcome: 'duplicate', orderId: order.id };
    // A second trade for a paid order: the channel took money twice. Not counted; refunded by hand.
    payments.ctx.log.error({ orderId, tradeNo: paid.tradeNo }, 'a second channel trade for a paid order');
    return { outcome: 'refused', reason: 'order_mismatch', orderId: order.id };
  }
  if (paid.amountFen !== Number(order.amount_fen))
    return { outcome: 'refused', reason: 'amount_mismatch', orderId: order.id };
  if (order.status !== 'pending' && order.status !== 'expired')
    return { outcome: 'refused', reason: 'order_mismatch', orderId: order.id };
  const now = payments.now();
  await insertPayment(db, {
    order_id: order.id,
    channel: payments.channel.name,
    channel_trade_no: paid.tradeNo,
    amount_fen: paid.amountFen,
    via,
    paid_at: paid.paidAt,
    recorded_at: now,
  });
  // Paid after its expiry (the channel took the money at the last minute): counted, and said so.
  if (order.status === 'expired') payments.ctx.log.warn({ orderId }, 'payment for an expired order recorded');
  if (!(await markPaid(db, order.id, { channel: payments.channel.name, tradeNo: paid.tradeNo, via, at: paid.paidAt })))
    throw new Error(`order ${order.id} changed under its lock`);
  payments.hooks.beforePaymentCommit?.(order.id, via);
  await payments.publishPaid(events, order, payments.channel.name, paid.tradeNo, via, paid.paidAt);
  return { outcome: 'recorded', orderId: order.id };
}

export interface NotifyInput {
  channel: string;
  form: Readonly<Record<string, string>>;
  rawBody: string;
  ip: string;
}

/** The answer the channel's protocol expects: `success` stops its retries, anything else asks for one. */
export async function handleNotify(payments: Payments, input: NotifyInput): Promise<'success' | 'fail'> {
  const sha = createHash('sha256').update(input.rawBody).digest('hex');
  const now = payments.now();
  const refuse = (reason: CallbackRefusalReason, notifyId?: string, orderId?: string) =>
    payments.ctx.transaction(async (trx, events) => {
      await recordRefusal(trx, events, input, sha, now, reason, notifyId, orderId);
    });
  const notify = parseNotify(input.form);
  if (!notify) {
    await refuse('malformed');
    return 'fail';
  }
  if (!(await payments.channel.verifyNotify(input.form))) {
    await refuse('bad_signature', notify.notifyId, notify.orderId);
    return 'fail';
  }
  if (notify.appId !== payments.channel.appId) {
    await refuse('order_mismatch', notify.notifyId, notify.orderId);
    return 'fail';
  }
  if (isStale(notify.notifyTime, now, payments.ctx.config.payments.notifyMaxAgeHours * 3_600_000)) {
    await refuse('stale', notify.notifyId, notify.orderId);
    return 'fail';
  }
  try {
    return await payments.ctx.transaction(async (trx, events) => {
      const db = typed(trx);
      if (await findAcceptedNotify(db, input.channel, notify.notifyId)) {
        // Seen and counted before: refused as a replay; `success` all the same, so a channel whose
        // first answer was lost stops retrying — the state already reflects it.
        await recordRefusal(trx, events, input, sha, now, 'replayed', notify.notifyId, notify.orderId);
        return 'success';
      }
      if (notify.tradeStatus !== 'TRADE_SUCCESS' && notify.tradeStatus !== 'TRADE_FINISHED') {
        await logCallback(db, {
          channel: input.channel,
          notify_id: notify.notifyId,
          order_id: notify.orderId,
          outcome: 'accepted',
          reason: `status:${notify.tradeStatus}`.slice(0, 64),
          ip: input.ip,
          body_sha256: sha,
          received_at: now,
        });
        return 'success';
      }
      const result = await settle(payments, trx, events, notify.orderId, notify, 'notify');
      if (result.outcome === 'refused') {
        await recordRefusal(trx, events, input, sha, now, result.reason, notify.notifyId, result.orderId);
        return 'fail';
      }
      await logCallback(db, {
        channel: input.channel,
        notify_id: notify.notifyId,
        order_id: notify.orderId,
        outcome: result.outcome === 'recorded' ? 'accepted' : 'duplicate',
        reason: null,
        ip: input.ip,
        body_sha256: sha,
        received_at: now,
      });
      return 'success';
    });
  } catch (error) {
    // The same notify twice at once: the second lost the race on the accepted-notify index.
    if (!isUniqueViolation(error)) throw error;
    await refuse('replayed', notify.notifyId, notify.orderId);
    return 'success';
  }
}

async function recordRefusal(
  trx: ModuleTrx,
  events: TransactionEvents,
  input: NotifyInput,
  sha: string,
  at: Date,
  reason: CallbackRefusalReason,
  notifyId: string | undefined,
  orderId: string | undefined,
): Promise<void> {
  await logCallback(typed(trx), {
    channel: input.channel,
    notify_id: notifyId?.slice(0, 128) ?? null,
    order_id: orderId?.slice(0, 128) ?? null,
    outcome: 'refused',
    reason,
    ip: input.ip,
    body_sha256: sha,
    received_at: at,
  });
  await events.publish('payments.callback.refused', {
    channel: input.channel,
    reason,
    ...(orderId === undefined ? {} : { orderId: orderId.slice(0, 128) }),
    ip: input.ip,
    at: at.toISOString(),
  });
}

/** The active query of one order: paid at the channel → counted exactly as a notify would be (via `query`). */
export async function queryOrder(payments: Payments, orderId: string): Promise<Settled | undefined> {
  const trade = await payments.channel.query(orderId);
  if (trade.state !== 'paid' || !trade.tradeNo || trade.amountFen === undefined) return undefined;
  const paid = { tradeNo: trade.tradeNo, amountFen: trade.amountFen, paidAt: trade.paidAt ?? payments.now() };
  const result = await payments.ctx.transaction((trx, events) => settle(payments, trx, events, orderId, paid, 'query'));
  if (result.outcome === 'refused')
    payments.ctx.log.error({ orderId, reason: result.reason }, "the channel's own answer does not match the order");
  return result;
}

/** Pending orders whose checkout is older than the notify should take, asked of the channel. */
export async function queryDue(payments: Payments): Promise<void> {
  const now = payments.now();
  const rows = await ordersToQuery(
    payments.db,
    new Date(now.getTime() - payments.ctx.config.payments.queryAfterSeconds * 1000),
    new Date(now.getTime() - 86_400_000),
    50,
  );
  for (const { id } of rows) {
    try {
      await queryOrder(payments, id);
    } catch (error) {
      payments.ctx.log.warn({ err: error, orderId: id }, 'active query failed; asked again next round');
    }
  }
}

/** The expiry job: each pending order past its expiry becomes expired, with its event. */
export async function expireOrders(payments: Payments, trx: ModuleTrx): Promise<number> {
  const expired = await expireDue(typed(trx), payments.now(), 200);
  const at = payments.now().toISOString();
  for (const o of expired)
    await payments.ctx.events.publish(trx, 'payments.order.expired', {
      orderId: o.id,
      applicationId: o.application_id,
      taskId: o.task_id,
      payerId: o.payer_id,
      at,
    });
  return expired.length;
}

/** The receipt (非税收入票据) the licences module issued for a paid order, matched by task id. */
export async function noteReceipt(trx: ModuleTrx, event: EventData<'licenses.licence.issued'>): Promise<void> {
  if (event.typeCode !== RECEIPT_LICENCE_TYPE) return;
  await setReceipt(typed(trx), event.taskId, event.licenceId, event.identifier);
}
