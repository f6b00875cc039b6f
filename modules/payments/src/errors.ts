import { defineErrors, moduleErrors } from '@tongban/kernel';

export const PaymentsErrors = defineErrors({
  PAYMENTS_ORDER_NOT_FOUND: { status: 404, zh: '缴费订单 {id} 不存在', en: 'Payment order {id} does not exist' },
  PAYMENTS_CHECKOUT_NOT_FOUND: { status: 404, zh: '支付记录不存在或已失效', en: 'There is no such payment' },
  PAYMENTS_ORDER_NOT_PAYABLE: {
    status: 409,
    zh: '订单当前状态为“{status}”，不能支付',
    en: 'The order is {status}: it cannot be paid',
  },
  PAYMENTS_ORDER_EXPIRED: { status: 409, zh: '订单已过缴费期限', en: 'The order is past its payment deadline' },
  PAYMENTS_CHANNEL_UNKNOWN: {
    status: 404,
    zh: '没有名为 {channel} 的支付通道',
    en: 'There is no payment channel {channel}',
  },
  PAYMENTS_CHANNEL_UNAVAILABLE: {
    status: 502,
    zh: '支付通道暂时不可用，请稍后再试',
    en: 'The payment channel is not available; try again later',
  },
  PAYMENTS_REFUND_NOT_ALLOWED: {
    status: 409,
    zh: '订单当前状态为“{status}”，不能退款',
    en: 'The order is {status}: it cannot be refunded',
  },
  PAYMENTS_REFUND_EXCEEDS_PAID: {
    status: 422,
    zh: '退款金额超过可退金额（{refundableFen} 分）',
    en: 'The refund is more than can be refunded ({refundableFen} fen)',
  },
  PAYMENTS_IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    zh: '该幂等键已用于另一笔退款',
    en: 'This Idempotency-Key was used for another refund',
  },
  PAYMENTS_IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    zh: '请提供 Idempotency-Key 请求头',
    en: 'Give an Idempotency-Key header',
  },
  PAYMENTS_REFUND_FAILED: {
    status: 502,
    zh: '支付通道未能完成退款，请稍后用同一幂等键重试',
    en: 'The channel did not complete the refund; retry later with the same Idempotency-Key',
  },
  PAYMENTS_RECONCILIATION_NOT_FOUND: {
    status: 404,
    zh: '对账记录 {id} 不存在',
    en: 'Reconciliation {id} does not exist',
  },
  PAYMENTS_UNKNOWN_CHANNEL: {
    status: 404,
    zh: '支付通道 {channel} 不存在',
    en: 'There is no payment channel {channel}',
  },
  PAYMENTS_STATEMENT_INVALID: {
    status: 502,
    zh: '支付通道的对账单无法识别（第 {line} 行）',
    en: "The channel's statement file could not be read (line {line})",
  },
});

/** Raise the payments module's errors through this: a code outside its table and the kernel's does not compile. */
export const PaymentsError = moduleErrors(PaymentsErrors);
