// The workflow's side of payments (issue 15): the order named on a task, and the settlements
// (paid, expired) queued for the payment worker.
import type { Selectable } from 'kysely';
import type { PaymentPendingRow, Trx, WorkflowDb } from './tables.ts';

export type PendingSettlement = Selectable<PaymentPendingRow>;

/** payments.order.created: the order and its amount on the task; false when it already names one (a redelivery). */
export async function recordOrder(trx: Trx, taskId: string, orderId: string, amountFen: number): Promise<boolean> {
  const changed = await trx
    .updateTable('workflow.task')
    .set({ payment_order_id: orderId, payment_amount_fen: amountFen })
    .where('id', '=', taskId)
    .where('payment_order_id', 'is', null)
    .executeTakeFirst();
  return Number(changed.numUpdatedRows) > 0;
}

/**
 * A settlement heard for a task, once: a redelivery adds nothing. Paid wins over an expiry still
 * waiting for the worker (the channel took the money after all); once applied, neither changes.
 */
export async function queueSettlement(
  trx: Trx,
  row: Omit<PaymentPendingRow, 'attempts' | 'last_error'>,
): Promise<void> {
  const values = { ...row, event: JSON.stringify(row.event) as never };
  await trx
    .insertInto('workflow.payment_pending')
    .values(values)
    .onConflict((oc) =>
      row.outcome === 'paid'
        ? oc
            .column('task_id')
            .doUpdateSet({ outcome: 'paid', order_id: row.order_id, event: values.event, last_error: null })
            .where('workflow.payment_pending.outcome', '=', 'expired')
        : oc.column('task_id').doNothing(),
    )
    .execute();
}

export async function pendingSettlements(db: WorkflowDb, limit: number): Promise<PendingSettlement[]> {
  return db.selectFrom('workflow.payment_pending').selectAll().orderBy('queued_at').limit(limit).execute();
}

export async function dropSettlement(db: WorkflowDb | Trx, taskId: string): Promise<void> {
  await db.deleteFrom('workflow.payment_pending').where('task_id', '=', taskId).execute();
}

export async function noteSettlementFailure(db: WorkflowDb, taskId: string, error: string): Promise<void> {
  await db
    .updateTable('workflow.payment_pending')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500) }))
    .where('task_id', '=', taskId)
    .execute();
}
