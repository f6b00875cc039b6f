// Unified payments (统一支付, issue 15) as other modules rely on them: the events the payments
// module publishes, what the workflow answers it about a task to be paid for, and the views the
// web app reads. Amounts are integers in fen (分), never floating yuan.
import Type, { type Static } from 'typebox';
import { LocalizedText } from './catalog.ts';

/** An order's life: one order per task that must be paid for. */
export const PAYMENT_ORDER_STATUSES = [
  /** Assessed, waiting for the payer. */
  'pending',
  /** Paid in full (the channel's notify or our active query confirmed it). */
  'paid',
  /** Nothing to pay: an exemption applied (减免), or every fee assessed at 0. */
  'waived',
  /** Not paid before `expiresAt`; a new checkout makes a new order only through the workflow. */
  'expired',
  /** Paid, then refunded in part. */
  'partially_refunded',
  /** Paid, then refunded in full. */
  'refunded',
] as const;
export type PaymentOrderStatus = (typeof PAYMENT_ORDER_STATUSES)[number];

/** Why a channel's callback (asynchronous notify) was refused; each is also a security event. */
export const CALLBACK_REFUSAL_REASONS = [
  'malformed',
  'bad_signature',
  'replayed',
  'unknown_order',
  'amount_mismatch',
  'order_mismatch',
  'stale',
] as const;
export type CallbackRefusalReason = (typeof CALLBACK_REFUSAL_REASONS)[number];

const Fen = Type.Integer({ minimum: 0 });

/** One line of an assessment: a fee of the matter, what it came to, and why (tier, exemption). */
export const AssessedFeeView = Type.Object({
  code: Type.String(),
  name: LocalizedText,
  amountFen: Fen,
  /** The exemption that brought it to 0 (or lowered it), by its code in the catalog. */
  exemption: Type.Optional(Type.Object({ code: Type.String(), name: LocalizedText })),
  /** The tier of a tiered fee that applied, by its index in the catalog's list. */
  tier: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type AssessedFeeView = Static<typeof AssessedFeeView>;

export const PaymentsEvents = {
  /** An order was assessed for a task that must be paid for (amount may be 0: then it is waived at once). */
  'payments.order.created': Type.Object({
    orderId: Type.String(),
    applicationId: Type.String(),
    taskId: Type.String(),
    matterCode: Type.String(),
    payerId: Type.String(),
    amountFen: Fen,
    status: Type.Union([Type.Literal('pending'), Type.Literal('waived')]),
    expiresAt: Type.String(),
    at: Type.String(),
  }),
  /**
   * The order is settled: paid through a channel, or waived. The workflow moves the task on; the
   * licences module issues the receipt (非税收入票据) for a paid one. Published once per order,
   * whatever the number of notifies or queries that confirmed it.
   */
  'payments.order.paid': Type.Object({
    orderId: Type.String(),
    applicationId: Type.String(),
    taskId: Type.String(),
    matterCode: Type.String(),
    departmentCode: Type.String(),
    payerId: Type.String(),
    amountFen: Fen,
    /** `exempt` for a waived order. */
    channel: Type.String(),
    /** The channel's own trade number; absent for a waived order. */
    channelTradeNo: Type.Optional(Type.String()),
    /** How we learned it: the channel's notify, our active query, or an exemption. */
    via: Type.Union([Type.Literal('notify'), Type.Literal('query'), Type.Literal('exempt')]),
    items: Type.Array(AssessedFeeView),
    paidAt: Type.String(),
    /** The case number (办件编号) the receipt names: PaymentFactsView's `caseNumber` (payflow, add-only). */
    caseNumber: Type.Optional(Type.String()),
    /** The payer's name (交款人) for the receipt, already masked (张*): PaymentFactsView's `payerName`, masked by payments when it made the order. */
    payerName: Type.Optional(Type.String()),
  }),
  'payments.order.expired': Type.Object({
    orderId: Type.String(),
    applicationId: Type.String(),
    taskId: Type.String(),
    payerId: Type.String(),
    at: Type.String(),
  }),
  /** A refund the channel confirmed (full or partial). */
  'payments.refund.succeeded': Type.Object({
    refundId: Type.String(),
    orderId: Type.String(),
    applicationId: Type.String(),
    payerId: Type.String(),
    amountFen: Type.Integer({ minimum: 1 }),
    refundedTotalFen: Fen,
    reason: Type.String(),
    at: Type.String(),
  }),
  /** A channel callback refused: forged, replayed, for an unknown order or another amount. Security operations watch it. */
  'payments.callback.refused': Type.Object({
    channel: Type.String(),
    reason: Type.Enum(CALLBACK_REFUSAL_REASONS),
    orderId: Type.Optional(Type.String()),
    ip: Type.String(),
    at: Type.String(),
  }),
  /** The daily reconciliation against the channel's statement file (对账). */
  'payments.reconciliation.completed': Type.Object({
    channel: Type.String(),
    /** The statement's day, YYYY-MM-DD in China Standard Time. */
    day: Type.String(),
    matched: Type.Integer({ minimum: 0 }),
    discrepancies: Type.Integer({ minimum: 0 }),
    at: Type.String(),
  }),
} as const;
export type OrderCreated = Static<(typeof PaymentsEvents)['payments.order.created']>;
export type OrderPaid = Static<(typeof PaymentsEvents)['payments.order.paid']>;

/**
 * `GET /api/workflow/services/tasks/:id/payment-facts` (service role `workflow.payment-facts.read`,
 * the payments client only): what payments needs to assess a task's fees — who pays, the pinned
 * matter version, and the application's verified values by data element (only those the matter's
 * exemptions name), so an exemption is checked against registry data, not the applicant's word.
 */
export const PaymentFactsView = Type.Object({
  taskId: Type.String(),
  applicationId: Type.String(),
  caseNumber: Type.String(),
  matterCode: Type.String(),
  matterVersion: Type.Integer({ minimum: 1 }),
  departmentCode: Type.String(),
  payer: Type.Object({ id: Type.String(), kind: Type.String() }),
  /**
   * The payer's name (交款人) as the receipt (非税收入票据) carries it: the registry-verified name
   * (company name for a business), else the form's answer; absent when the application has none.
   */
  payerName: Type.Optional(Type.String()),
  /** Verified (registry) values by data element code; empty when the application had no prefill. */
  verified: Type.Record(Type.String(), Type.Unknown()),
  /** The task is in `awaiting_payment` now. */
  awaitingPayment: Type.Boolean(),
});
export type PaymentFactsView = Static<typeof PaymentFactsView>;

/** An order as its payer (and an officer of its department) sees it. */
export const PaymentOrderView = Type.Object({
  id: Type.String(),
  applicationId: Type.String(),
  caseNumber: Type.String(),
  taskId: Type.String(),
  matterCode: Type.String(),
  matterName: LocalizedText,
  departmentCode: Type.String(),
  status: Type.Enum(PAYMENT_ORDER_STATUSES),
  amountFen: Fen,
  refundedFen: Fen,
  items: Type.Array(AssessedFeeView),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  paidAt: Type.Union([Type.String(), Type.Null()]),
  channel: Type.Union([Type.String(), Type.Null()]),
  /** The receipt (非税收入票据) once the licences module issued it: its licence id and identifier. */
  receipt: Type.Union([Type.Object({ licenceId: Type.String(), identifier: Type.String() }), Type.Null()]),
});
export type PaymentOrderView = Static<typeof PaymentOrderView>;
export const PaymentOrderListView = Type.Array(PaymentOrderView);

/** `POST /api/payments/me/orders/:id/checkout` answers where to send the browser (GOV.UK Pay's next_url). */
export const CheckoutView = Type.Object({
  orderId: Type.String(),
  nextUrl: Type.String(),
  expiresAt: Type.String(),
});
export type CheckoutView = Static<typeof CheckoutView>;

/** The licence type code of an electronic receipt (非税收入票据) the licences module issues for a paid order. */
export const RECEIPT_LICENCE_TYPE = 'non-tax-receipt';
