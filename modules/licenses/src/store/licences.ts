// Every query of the licences module.
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { findFreeIndex } from '../domain/status-list/allocation.ts';
import { MIN_STATUS_LIST_BITS } from '../domain/status-list/bitstring.ts';
import type { LicenceStatus } from '@tongban/contracts';
import type { LicenceRow, LicenceTable, LicensesDb } from './tables.ts';

/** Queued once per task: a redelivered approval finds the row there and adds nothing. */
export async function queueIssue(db: LicensesDb, taskId: string, event: unknown): Promise<void> {
  await db
    .insertInto('licenses.pending_issue')
    .values({ task_id: taskId, event: JSON.stringify(event), last_error: null })
    .onConflict((oc) => oc.column('task_id').doNothing())
    .execute();
}

export async function pendingIssues(db: LicensesDb, limit: number) {
  return db.selectFrom('licenses.pending_issue').selectAll().orderBy('received_at').limit(limit).execute();
}

export async function dropPending(db: LicensesDb, taskId: string): Promise<void> {
  await db.deleteFrom('licenses.pending_issue').where('task_id', '=', taskId).execute();
}

export async function notePendingFailure(db: LicensesDb, taskId: string, error: string): Promise<void> {
  await db
    .updateTable('licenses.pending_issue')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500) }))
    .where('task_id', '=', taskId)
    .execute();
}

/** The next serial of a type at an issuer, counted in the issuing transaction (the row lock orders issuers). */
export async function nextSerial(db: LicensesDb, typeCode: string, issuerCode: string): Promise<number> {
  const row = await db
    .insertInto('licenses.serial')
    .values({ type_code: typeCode, issuer_code: issuerCode, last: 1 })
    .onConflict((oc) =>
      oc.columns(['type_code', 'issuer_code']).doUpdateSet({ last: sql<number>`licenses.serial.last + 1` }),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return Number(row.last);
}

/** Random draws checked in one query before the whole taken set is read (a nearly full list). */
const CANDIDATES = 32;

/**
 * A free index of a status list drawn at random (domain/status-list/allocation.ts: indexes in
 * issuance order would tell a verifier when a licence was issued and whose came next), the list
 * made on first use. The upsert takes the list's row lock for the rest of the issuing
 * transaction, so two issuers on one list take turns and the second sees the first's slot;
 * UNIQUE (status_list_id, status_index) stays the guard. `next_index` counts slots taken.
 */
export async function allocateStatusIndex(
  db: LicensesDb,
  listId: string,
  size: number = MIN_STATUS_LIST_BITS,
): Promise<number> {
  const row = await db
    .insertInto('licenses.status_list')
    .values({ id: listId, next_index: 1 })
    .onConflict((oc) => oc.column('id').doUpdateSet({ next_index: sql<number>`licenses.status_list.next_index + 1` }))
    .returning('next_index')
    .executeTakeFirstOrThrow();
  if (Number(row.next_index) > size) throw new RangeError(`status list ${listId} is full (${size} slots)`);
  const candidates = Array.from({ length: CANDIDATES }, () => randomInt(size));
  const takenOf = async (indexes?: number[]) => {
    let query = db.selectFrom('licenses.licence').select('status_index').where('status_list_id', '=', listId);
    if (indexes) query = query.where('status_index', 'in', indexes);
    return new Set((await query.execute()).map((r) => Number(r.status_index)));
  };
  const taken = await takenOf(candidates);
  const free = candidates.find((index) => !taken.has(index));
  if (free !== undefined) return free;
  const all = await takenOf();
  const index = findFreeIndex(size, (i) => all.has(i));
  if (index === undefined) throw new RangeError(`status list ${listId} is full (${size} slots)`);
  return index;
}

export async function insertLicence(db: LicensesDb, row: LicenceTable) {
  await db.insertInto('licenses.licence').values(row).execute();
}

/** The licence a task's matter produced (not a receipt for the task's fee). */
export async function findLicenceByTask(db: LicensesDb, taskId: string): Promise<LicenceRow | undefined> {
  return db
    .selectFrom('licenses.licence')
    .selectAll()
    .where('task_id', '=', taskId)
    .where('order_id', 'is', null)
    .executeTakeFirst();
}

/** The receipt (非税收入票据) of a paid order, once issued. */
export async function findReceiptByOrder(db: LicensesDb, orderId: string): Promise<LicenceRow | undefined> {
  return db.selectFrom('licenses.licence').selectAll().where('order_id', '=', orderId).executeTakeFirst();
}

export async function queueReceipt(db: LicensesDb, orderId: string, event: unknown): Promise<void> {
  await db
    .insertInto('licenses.pending_receipt')
    .values({ order_id: orderId, event: JSON.stringify(event), last_error: null })
    .onConflict((oc) => oc.column('order_id').doNothing())
    .execute();
}

export async function pendingReceipts(db: LicensesDb, limit: number) {
  return db.selectFrom('licenses.pending_receipt').selectAll().orderBy('received_at').limit(limit).execute();
}

export async function dropPendingReceipt(db: LicensesDb, orderId: string): Promise<void> {
  await db.deleteFrom('licenses.pending_receipt').where('order_id', '=', orderId).execute();
}

export async function notePendingReceiptFailure(db: LicensesDb, orderId: string, error: string): Promise<void> {
  await db
    .updateTable('licenses.pending_receipt')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500) }))
    .where('order_id', '=', orderId)
    .execute();
}

export async function findLicence(db: LicensesDb, id: string): Promise<LicenceRow | undefined> {
  return db.selectFrom('licenses.licence').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findLicenceForUpdate(db: LicensesDb, id: string): Promise<LicenceRow | undefined> {
  return db.selectFrom('licenses.licence').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findLicenceByIdentifier(db: LicensesDb, identifier: string): Promise<LicenceRow | undefined> {
  return db.selectFrom('licenses.licence').selectAll().where('identifier', '=', identifier).executeTakeFirst();
}

export async function licencesOfHolder(db: LicensesDb, holderId: string): Promise<LicenceRow[]> {
  return db
    .selectFrom('licenses.licence')
    .selectAll()
    .where('holder_id', '=', holderId)
    .orderBy('issued_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
}

export async function setStatus(
  db: LicensesDb,
  licence: LicenceRow,
  to: LicenceStatus,
  action: { action: string; reason: string | null; actorKind: string; actorId: string; at: Date },
): Promise<void> {
  await db.updateTable('licenses.licence').set({ status: to }).where('id', '=', licence.id).execute();
  await db
    .insertInto('licenses.status_action')
    .values({
      licence_id: licence.id,
      action: action.action,
      from_status: licence.status,
      to_status: to,
      reason: action.reason,
      actor_kind: action.actorKind,
      actor_id: action.actorId,
      at: action.at,
    })
    .execute();
}

/** Licences whose validity has ended and whose status does not say so yet. */
export async function dueToExpire(db: LicensesDb, now: Date, limit: number): Promise<LicenceRow[]> {
  return db
    .selectFrom('licenses.licence')
    .selectAll()
    .where('status', 'in', ['valid', 'suspended'])
    .where('valid_until', '<=', now)
    .orderBy('valid_until')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** What the status-list builder needs: every slot of a list with its licence's status. */
/** The status of one slot of a list (a verification's look-up, by the list's unique index); undefined: no licence there. */
export async function statusAt(db: LicensesDb, listId: string, index: number): Promise<LicenceStatus | undefined> {
  const row = await db
    .selectFrom('licenses.licence')
    .select('status')
    .where('status_list_id', '=', listId)
    .where('status_index', '=', index)
    .executeTakeFirst();
  return row?.status;
}

export async function statusEntries(
  db: LicensesDb,
  listId: string,
): Promise<{ index: number; status: LicenceStatus }[]> {
  const rows = await db
    .selectFrom('licenses.licence')
    .select(['status_index', 'status'])
    .where('status_list_id', '=', listId)
    .orderBy('status_index')
    .execute();
  return rows.map((r) => ({ index: Number(r.status_index), status: r.status }));
}
