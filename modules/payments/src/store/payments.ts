// Every query of the payments module.
import type { PaymentOrderStatus } from '@tongban/contracts';
import type {
  CallbackLogTable,
  CheckoutRow,
  DiscrepancyTable,
  OrderRow,
  OrderTable,
  PaymentsDb,
  PaymentTable,
  ReconciliationTable,
  RefundRow,
  RefundTable,
} from './tables.ts';
import type { Insertable } from 'kysely';

// --- the assessment queue -------------------------------------------------------------------

/** Queued once per task: a redelivered start finds the row there and adds nothing. */
export async function queueAssessment(db: PaymentsDb, taskId: string, event: unknown): Promise<void> {
  await db
    .insertInto('payments.pending_assessment')
    .values({ task_id: taskId, event: JSON.stringify(event), last_error: null })
    .onConflict((oc) => oc.column('task_id').doNothing())
    .execute();
}

export function pendingAssessments(db: PaymentsDb, limit: number, maxAttempts: number) {
  return db
    .selectFrom('payments.pending_assessment')
    .selectAll()
    .where('attempts', '<', maxAttempts)
    .orderBy('received_at')
    .limit(limit)
    .execute();
}

export async function dropAssessment(db: PaymentsDb, taskId: string): Promise<void> {
  await db.deleteFrom('payments.pending_assessment').where('task_id', '=', taskId).execute();
}

export async function noteAssessmentFailure(db: PaymentsDb, taskId: string, error: string): Promise<void> {
  await db
    .updateTable('payments.pending_assessment')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500) }))
    .where('task_id', '=', taskId)
    .execute();
}

// --- orders -----------------------------------------------------------------------------------

export async function insertOrder(db: PaymentsDb, row: Insertable<OrderTable>): Promise<void> {
  await db.insertInto('payments.payment_order').values(row).execute();
}

export function findOrder(db: PaymentsDb, id: string): Promise<OrderRow | undefined> {
  return db.selectFrom('payments.payment_order').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOrderForUpdate(db: PaymentsDb, id: string): Promise<OrderRow | undefined> {
  return db.selectFrom('payments.payment_order').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findOrderByTask(db: PaymentsDb, taskId: string): Promise<OrderRow | undefined> {
  return db.selectFrom('payments.payment_order').selectAll().where('task_id', '=', taskId).executeTakeFirst();
}

export function ordersOfPayer(db: PaymentsDb, payerId: string, limit = 200): Promise<OrderRow[]> {
  return db
    .selectFrom('payments.payment_order')
    .selectAll()
    .where('payer_id', '=', payerId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export function ordersOfDepartments(
  db: PaymentsDb,
  departments: readonly string[],
  status: PaymentOrderStatus | undefined,
  limit = 200,
): Promise<OrderRow[]> {
  if (departments.length === 0) return Promise.resolve([]);
  let q = db.selectFrom('payments.payment_order').selectAll().where('department_code', 'in', departments);
  if (status) q = q.where('status', '=', status);
  return q.orderBy('created_at', 'desc').limit(limit).execute();
}

/** The order paid, only from pending or expired (money taken after expiry is still counted): true when this call did it. */
export async function markPaid(
  db: PaymentsDb,
  id: string,
  paid: {
    channel: string;
    tradeNo: string | null;
    via: 'notify' | 'query' | 'exempt';
    at: Date;
    status?: 'paid' | 'waived';
  },
): Promise<boolean> {
  const r = await db
    .updateTable('payments.payment_order')
    .set({
      status: paid.status ?? 'paid',
      channel: paid.channel,
      channel_trade_no: paid.tradeNo,
      paid_via: paid.via,
      paid_at: paid.at,
    })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'expired'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Pending orders past their expiry, expired now (conditional on pending: a payment that won the race stays paid). */
export function expireDue(db: PaymentsDb, now: Date, limit: number): Promise<OrderRow[]> {
  return db
    .updateTable('payments.payment_order')
    .set({ status: 'expired' })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('payments.payment_order')
        .select('id')
        .where('status', '=', 'pending')
        .where('expires_at', '<=', now)
        .orderBy('expires_at')
        .limit(limit),
    )
    .where('status', '=', 'pending')
    .returningAll()
    .execute();
}

/**
 * Orders to ask the channel about: pending (or expired within a day: the channel may have taken
 * the money at the last minute) with a checkout made before `startedBefore` — the notify is late.
 */
export function ordersToQuery(db: PaymentsDb, startedBefore: Date, expiredSince: Date, limit: number) {
  return db
    .selectFrom('payments.payment_order as o')
    .select(['o.id'])
    .where((eb) =>
      eb.or([
        eb('o.status', '=', 'pending'),
        eb.and([eb('o.status', '=', 'expired'), eb('o.expires_at', '>', expiredSince)]),
      ]),
    )
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('payments.checkout as c')
          .select('c.token')
          .whereRef('c.order_id', '=', 'o.id')
          .where('c.created_at', '<=', startedBefore),
      ),
    )
    .orderBy('o.created_at')
    .limit(limit)
    .execute();
}

export async function setReceipt(db: PaymentsDb, taskId: string, licenceId: string, identifier: string): Promise<void> {
  await db
    .updateTable('payments.payment_order')
    .set({ receipt_licence_id: licenceId, receipt_identifier: identifier })
    .where('task_id', '=', taskId)
    .execute();
}

export async function setRefunded(
  db: PaymentsDb,
  id: string,
  refundedFen: number,
  status: PaymentOrderStatus,
): Promise<void> {
  await db
    .updateTable('payments.payment_order')
    .set({ refunded_fen: refundedFen, status })
    .where('id', '=', id)
    .execute();
}

// --- payments ---------------------------------------------------------------------------------

export async function insertPayment(db: PaymentsDb, row: PaymentTable): Promise<void> {
  await db.insertInto('payments.payment').values(row).execute();
}

export function findPayment(db: PaymentsDb, orderId: string) {
  return db.selectFrom('payments.payment').selectAll().where('order_id', '=', orderId).executeTakeFirst();
}

export function findPaymentByTrade(db: PaymentsDb, channel: string, tradeNo: string) {
  return db
    .selectFrom('payments.payment')
    .selectAll()
    .where('channel', '=', channel)
    .where('channel_trade_no', '=', tradeNo)
    .executeTakeFirst();
}

/** Payments recorded as paid within [from, to): the day's side of a reconciliation. */
export function paymentsBetween(db: PaymentsDb, channel: string, from: Date, to: Date) {
  return db
    .selectFrom('payments.payment')
    .selectAll()
    .where('channel', '=', channel)
    .where('paid_at', '>=', from)
    .where('paid_at', '<', to)
    .execute();
}

// --- checkouts --------------------------------------------------------------------------------

export async function insertCheckout(db: PaymentsDb, row: CheckoutRow): Promise<void> {
  await db.insertInto('payments.checkout').values(row).execute();
}

export function findCheckout(db: PaymentsDb, token: string): Promise<CheckoutRow | undefined> {
  return db.selectFrom('payments.checkout').selectAll().where('token', '=', token).executeTakeFirst();
}

export function findCheckoutByKey(db: PaymentsDb, orderId: string, key: string): Promise<CheckoutRow | undefined> {
  return db
    .selectFrom('payments.checkout')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

// --- refunds ----------------------------------------------------------------------------------

export function findRefundByKey(db: PaymentsDb, orderId: string, key: string): Promise<RefundRow | undefined> {
  return db
    .selectFrom('payments.refund')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export function findRefundForUpdate(db: PaymentsDb, id: string): Promise<RefundRow | undefined> {
  return db.selectFrom('payments.refund').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function refundsOf(db: PaymentsDb, orderId: string): Promise<RefundRow[]> {
  return db.selectFrom('payments.refund').selectAll().where('order_id', '=', orderId).orderBy('created_at').execute();
}

export async function insertRefund(db: PaymentsDb, row: RefundTable): Promise<void> {
  await db.insertInto('payments.refund').values(row).execute();
}

export async function setRefundStatus(
  db: PaymentsDb,
  id: string,
  status: RefundRow['status'],
  at: Date | null,
  error: string | null,
): Promise<void> {
  await db
    .updateTable('payments.refund')
    .set({ status, succeeded_at: at, last_error: error?.slice(0, 500) ?? null })
    .where('id', '=', id)
    .execute();
}

/** Refunds that succeeded within [from, to) on orders paid through `channel`. */
export function refundsBetween(db: PaymentsDb, channel: string, from: Date, to: Date) {
  return db
    .selectFrom('payments.refund as r')
    .innerJoin('payments.payment_order as o', 'o.id', 'r.order_id')
    .select(['r.id', 'r.order_id', 'r.amount_fen', 'o.channel_trade_no'])
    .where('o.channel', '=', channel)
    .where('r.status', '=', 'succeeded')
    .where('r.succeeded_at', '>=', from)
    .where('r.succeeded_at', '<', to)
    .execute();
}

// --- callbacks --------------------------------------------------------------------------------

export function findAcceptedNotify(db: PaymentsDb, channel: string, notifyId: string) {
  return db
    .selectFrom('payments.callback_log')
    .select(['id', 'order_id'])
    .where('channel', '=', channel)
    .where('notify_id', '=', notifyId)
    .where('outcome', '=', 'accepted')
    .executeTakeFirst();
}

export async function logCallback(db: PaymentsDb, row: Insertable<CallbackLogTable>): Promise<void> {
  await db.insertInto('payments.callback_log').values(row).execute();
}

export function callbackLog(db: PaymentsDb, limit = 100) {
  return db.selectFrom('payments.callback_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

// --- reconciliations --------------------------------------------------------------------------

export async function insertReconciliation(
  db: PaymentsDb,
  row: ReconciliationTable,
  discrepancies: readonly Insertable<DiscrepancyTable>[],
): Promise<void> {
  await db.insertInto('payments.reconciliation').values(row).execute();
  if (discrepancies.length > 0)
    await db
      .insertInto('payments.discrepancy')
      .values([...discrepancies])
      .execute();
}

export function findReconciliation(db: PaymentsDb, id: string) {
  return db.selectFrom('payments.reconciliation').selectAll().where('id', '=', id).executeTakeFirst();
}

export function latestReconciliation(db: PaymentsDb, channel: string, day: string) {
  return db
    .selectFrom('payments.reconciliation')
    .selectAll()
    .where('channel', '=', channel)
    .where('day', '=', day)
    .orderBy('completed_at', 'desc')
    .executeTakeFirst();
}

export function discrepanciesOf(db: PaymentsDb, reconciliationId: string) {
  return db
    .selectFrom('payments.discrepancy')
    .selectAll()
    .where('reconciliation_id', '=', reconciliationId)
    .orderBy('id')
    .execute();
}
