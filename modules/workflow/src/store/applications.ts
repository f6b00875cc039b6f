// Reads, locks and writes of applications for the services that act on them (service/act.ts,
// service/withdraw.ts, service/deadlines.ts). Every writer locks an application before its tasks.
import type { ApplicationRow, MaterialRef, Trx, WorkflowDb } from './tables.ts';

export async function getApplication(db: WorkflowDb, id: string): Promise<ApplicationRow> {
  return db.selectFrom('workflow.application').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The application, locked until the transaction ends: taken before any of its tasks. */
export async function lockApplication(trx: Trx, id: string): Promise<ApplicationRow> {
  return trx.selectFrom('workflow.application').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

/** The application locked, or undefined when someone else holds it (or it is gone): the sweep does not wait. */
export async function lockApplicationUnlessBusy(trx: Trx, id: string): Promise<ApplicationRow | undefined> {
  return trx
    .selectFrom('workflow.application')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** The applicant's answer: a corrected form (when given) and materials, as a new version of the application. */
export async function saveAnswer(
  trx: Trx,
  id: string,
  answer: { form?: Record<string, unknown>; materials: readonly MaterialRef[]; version: number; at: Date },
): Promise<ApplicationRow> {
  return trx
    .updateTable('workflow.application')
    .set({
      ...(answer.form ? { form: JSON.stringify(answer.form) as never } : {}),
      materials: JSON.stringify(answer.materials) as never,
      version: answer.version,
      updated_at: answer.at,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** 撤回: the application ends 'withdrawn' with the applicant's reason, as a new version. */
export async function markWithdrawn(
  trx: Trx,
  id: string,
  withdrawal: { reason: string; version: number; at: Date },
): Promise<ApplicationRow> {
  return trx
    .updateTable('workflow.application')
    .set({
      status: 'withdrawn',
      withdrawal_reason: withdrawal.reason,
      finished_at: withdrawal.at,
      updated_at: withdrawal.at,
      version: withdrawal.version,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Whose application it is (the guard's ownership check), or undefined when there is none. */
export async function findApplicationOwner(db: WorkflowDb, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('workflow.application')
    .select(['applicant_id', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.applicant_id;
}
