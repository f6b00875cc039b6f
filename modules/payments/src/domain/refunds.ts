// Refunds (退款): what an order may still give back, and the status a refund leaves it in. Pure.
import type { PaymentOrderStatus } from '@tongban/contracts';

export type RefundCheck =
  { ok: true } | { ok: false; problem: 'not_refundable' | 'exceeds_paid'; refundableFen: number };

/** A refund of `amountFen` on an order: only a paid one, never beyond what was paid less what is refunded or in flight. */
export function checkRefund(
  status: PaymentOrderStatus,
  paidFen: number,
  refundedOrInFlightFen: number,
  amountFen: number,
): RefundCheck {
  const refundableFen = Math.max(0, paidFen - refundedOrInFlightFen);
  if (status !== 'paid' && status !== 'partially_refunded')
    return { ok: false, problem: 'not_refundable', refundableFen };
  if (amountFen > refundableFen) return { ok: false, problem: 'exceeds_paid', refundableFen };
  return { ok: true };
}

/** The order's status once `refundedFen` of `paidFen` is refunded. */
export function statusAfterRefund(paidFen: number, refundedFen: number): PaymentOrderStatus {
  if (refundedFen <= 0) return 'paid';
  return refundedFen >= paidFen ? 'refunded' : 'partially_refunded';
}
