// The payer's model (pure: no DOM, no React): the payments module's answers as the portal reads
// them (the contracts' own types, type-only), the words and colours of each order status, where
// each page is, and what a task awaiting payment says about its order. Tested by node --test.
import type { CheckoutView, NeededView, PaymentOrderView, TaskView } from '@tongban/contracts';
import type { MessageKey } from '../i18n/messages.ts';

export type Order = PaymentOrderView;
export type Checkout = CheckoutView;

const enc = encodeURIComponent;

export const paymentsPaths = {
  list: () => '/payments',
  order: (id: string) => `/payments/${enc(id)}`,
  /** Where the payment channel sends the browser back (the payments module builds it; no order id in it). */
  return: (token: string) => `/payments/return/${enc(token)}`,
  /** The receipt (非税收入票据) is a licence: 我的证照, scrolled to it. */
  receipt: (licenceId: string) => `/licences#licence-${enc(licenceId)}`,
};

export const paymentsApi = {
  orders: () => 'payments/me/orders',
  order: (id: string) => `payments/me/orders/${enc(id)}`,
  checkout: (id: string) => `payments/me/orders/${enc(id)}/checkout`,
  checkoutResult: (token: string) => `payments/me/checkouts/${enc(token)}`,
};

export type StatusColour = 'blue' | 'grey' | 'green' | 'yellow' | 'red';

/** Each order status's words (a key of payments.zh-CN.ts) and tag colour; an unknown status says so. */
export function orderStatus(status: string): { key: MessageKey; colour: StatusColour } {
  switch (status) {
    case 'pending':
      return { key: 'payments.status.pending', colour: 'yellow' };
    case 'paid':
      return { key: 'payments.status.paid', colour: 'green' };
    case 'waived':
      return { key: 'payments.status.waived', colour: 'green' };
    case 'expired':
      return { key: 'payments.status.expired', colour: 'grey' };
    case 'partially_refunded':
      return { key: 'payments.status.partially_refunded', colour: 'blue' };
    case 'refunded':
      return { key: 'payments.status.refunded', colour: 'grey' };
    default:
      return { key: 'payments.status.other', colour: 'grey' };
  }
}

/** Settled: the money was taken (or nothing was due); a receipt follows a paid one. */
export const isSettled = (o: Pick<Order, 'status'>) =>
  o.status === 'paid' || o.status === 'waived' || o.status === 'partially_refunded' || o.status === 'refunded';

/**
 * The workflow's task and `needed` as they will be once payment is part of it (helper payflow adds
 * optional fields to the contract): read defensively, every payment field optional.
 */
export type PayableTask = Omit<TaskView, 'state'> & {
  state: string;
  orderId?: string | null;
  amountFen?: number | null;
};
export type PayableNeed = Omit<NeededView, 'kind'> & {
  kind: string;
  orderId?: string | null;
  amountFen?: number | null;
};

/** The state a task awaiting payment is in (WORKFLOW_TASK_STATES once payflow adds it). */
export const AWAITING_PAYMENT = 'awaiting_payment';

export interface PaymentDue {
  taskId: string;
  matterCode: string;
  orderId: string | null;
  amountFen: number | null;
}

const wholeFen = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null);
const id = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * What is to be paid on an application: each task awaiting payment, with its order and amount from
 * the task or from its `needed` item (whichever names them). An order id missing means the order is
 * being made: the page then links to 我的缴费 instead.
 */
export function paymentsDue(tasks: readonly PayableTask[], needed: readonly PayableNeed[]): PaymentDue[] {
  const dues: PaymentDue[] = [];
  for (const task of tasks) {
    const need = needed.find((n) => n.taskId === task.id && (n.kind === 'payment' || n.orderId != null));
    if (task.state !== AWAITING_PAYMENT && need?.kind !== 'payment') continue;
    dues.push({
      taskId: task.id,
      matterCode: task.matterCode,
      orderId: id(task.orderId) ?? id(need?.orderId),
      amountFen: wholeFen(task.amountFen) ?? wholeFen(need?.amountFen),
    });
  }
  return dues;
}

/** Where `去缴费` goes for a due payment: its order, or the list while the order is being made. */
export const payHref = (due: Pick<PaymentDue, 'orderId'>) =>
  due.orderId ? paymentsPaths.order(due.orderId) : paymentsPaths.list();

/**
 * The channel's cashier page the browser goes to (CheckoutView.nextUrl): only an http(s) address —
 * never `javascript:` or `data:`, whatever the answer said. Relative addresses resolve against the
 * portal (the bundled simulator's `/paysim/cashier/…`).
 */
export function safeNextUrl(nextUrl: string, base: string): string | null {
  let url: URL;
  try {
    url = new URL(nextUrl, base);
  } catch {
    return null;
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
}

/** How many times the return page asks for a pending order's result before it says "not confirmed yet". */
export const RETURN_CHECKS = 6;
/** The pause between two of those asks (the server runs an active query at the channel on each). */
export const RETURN_CHECK_DELAY_MS = 2000;

/**
 * What the return page shows: paid (or waived, refunded…), still confirming (a check is due),
 * not confirmed after its checks, or failed (expired).
 */
export function returnState(
  order: Pick<Order, 'status'>,
  checks: number,
  limit: number = RETURN_CHECKS,
): 'settled' | 'confirming' | 'unconfirmed' | 'failed' {
  if (isSettled(order)) return 'settled';
  if (order.status === 'expired') return 'failed';
  return checks < limit ? 'confirming' : 'unconfirmed';
}
