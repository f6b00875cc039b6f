// 退款: full or partial, never beyond what was paid, idempotent by the officer's Idempotency-Key
// (the same key → the same refund; the same key for another amount → 422). Three steps, the
// channel called between two transactions: the refund is reserved (pending: its amount counts
// against what is left, so two officers cannot overdraw), asked of the channel under our refund
// id (its out_request_no: a retry refunds nothing more), then recorded with the order's new
// status and `payments.refund.succeeded`. A channel failure leaves it failed: the same key retries.
import { randomUUID } from 'node:crypto';
import { checkRefund, statusAfterRefund } from '../domain/refunds.ts';
import { PaymentsError } from '../errors.ts';
import {
  findOrderForUpdate,
  findRefundByKey,
  findRefundForUpdate,
  insertRefund,
  refundsOf,
  setRefunded,
  setRefundStatus,
} from '../store/payments.ts';
import { typed, type RefundRow } from '../store/tables.ts';
import type { Payments } from './payments.ts';

export interface RefundView {
  id: string;
  orderId: string;
  amountFen: number;
  reason: string;
  status: RefundRow['status'];
  createdAt: string;
  succeededAt: string | null;
}

const refundView = (r: RefundRow): RefundView => ({
  id: r.id,
  orderId: r.order_id,
  amountFen: Number(r.amount_fen),
  reason: r.reason,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  succeededAt: r.succeeded_at?.toISOString() ?? null,
});

export async function refund(
  payments: Payments,
  orderId: string,
  request: { amountFen: number; reason: string; idempotencyKey: string },
  actor: { kind: string; id: string },
): Promise<RefundView> {
  const reason = request.reason.trim();
  // 1. Reserve (or find the refund this key made).
  const reserved = await payments.ctx.transaction(async (trx) => {
    const db = typed(trx);
    const order = await findOrderForUpdate(db, orderId);
    if (!order) throw new PaymentsError('PAYMENTS_ORDER_NOT_FOUND', { id: orderId });
    const same = await findRefundByKey(db, orderId, request.idempotencyKey);
    if (same) {
      if (Number(same.amount_fen) !== request.amountFen || same.reason !== reason)
        throw new PaymentsError('PAYMENTS_IDEMPOTENCY_KEY_REUSED');
      if (same.status !== 'failed') return same;
    }
    const others = (await refundsOf(db, orderId)).filter((r) => r.status !== 'failed' && r.id !== same?.id);
    const taken = others.reduce((s, r) => s + Number(r.amount_fen), 0);
    const check = checkRefund(order.status, Number(order.amount_fen), taken, request.amountFen);
    if (!check.ok)
      throw check.problem === 'not_refundable'
        ? new PaymentsError('PAYMENTS_REFUND_NOT_ALLOWED', { status: order.status })
        : new PaymentsError('PAYMENTS_REFUND_EXCEEDS_PAID', { refundableFen: check.refundableFen }, [
            { field: 'body.amountFen', code: 'maximum', message: `at most ${check.refundableFen}` },
          ]);
    if (same) {
      await setRefundStatus(db, same.id, 'pending', null, null);
      return { ...same, status: 'pending' as const };
    }
    const row: RefundRow = {
      id: randomUUID(),
      order_id: orderId,
      amount_fen: request.amountFen,
      reason,
      idempotency_key: request.idempotencyKey,
      status: 'pending',
      requested_by: `${actor.kind}:${actor.id}`,
      created_at: payments.now(),
      succeeded_at: null,
      last_error: null,
    };
    await insertRefund(db, row);
    return row;
  });
  if (reserved.status === 'succeeded') return refundView(reserved);
  // 2. The channel, outside any transaction.
  try {
    await payments.channel.refund({ orderId, refundId: reserved.id, amountFen: Number(reserved.amount_fen), reason });
  } catch (error) {
    payments.ctx.log.warn({ err: error, orderId, refundId: reserved.id }, 'the channel did not refund');
    await payments.ctx.transaction((trx) =>
      setRefundStatus(typed(trx), reserved.id, 'failed', null, String((error as Error).message)),
    );
    throw new PaymentsError('PAYMENTS_REFUND_FAILED');
  }
  // 3. Recorded once, with the order's new total and status.
  return payments.ctx.transaction(async (trx, events) => {
    const db = typed(trx);
    const order = (await findOrderForUpdate(db, orderId))!;
    const current = (await findRefundForUpdate(db, reserved.id))!;
    if (current.status === 'succeeded') return refundView(current);
    const now = payments.now();
    const refundedFen = Number(order.refunded_fen) + Number(current.amount_fen);
    await setRefundStatus(db, current.id, 'succeeded', now, null);
    await setRefunded(db, order.id, refundedFen, statusAfterRefund(Number(order.amount_fen), refundedFen));
    await events.publish('payments.refund.succeeded', {
      refundId: current.id,
      orderId: order.id,
      applicationId: order.application_id,
      payerId: order.payer_id,
      amountFen: Number(current.amount_fen),
      refundedTotalFen: refundedFen,
      reason,
      at: now.toISOString(),
    });
    return refundView({ ...current, status: 'succeeded', succeeded_at: now });
  });
}

export async function refundsOfOrder(payments: Payments, orderId: string): Promise<RefundView[]> {
  return (await refundsOf(payments.db, orderId)).map(refundView);
}
