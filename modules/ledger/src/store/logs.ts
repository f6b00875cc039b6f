// The logs' rows: created once with their key and algorithms; the sequencer moves a log's size
// and root on under the row's lock, so replicas take turns.
import type { Insertable } from 'kysely';
import type { Db, LedgerTrx, LogRow, LogTable } from './tables.ts';

export async function findLog(db: Db, id: string): Promise<LogRow | undefined> {
  return db.selectFrom('ledger.log').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The log a witness is asked about, by the origin its checkpoints name. */
export async function findLogByOrigin(db: Db, origin: string): Promise<LogRow | undefined> {
  return db.selectFrom('ledger.log').selectAll().where('origin', '=', origin).executeTakeFirst();
}

export async function listLogs(db: Db): Promise<LogRow[]> {
  return db.selectFrom('ledger.log').selectAll().orderBy('id').execute();
}

/** Every log, in no particular order (the start-up check of their keys). */
export async function allLogs(db: Db): Promise<LogRow[]> {
  return db.selectFrom('ledger.log').selectAll().execute();
}

export async function logIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('ledger.log').select('id').execute()).map((l) => l.id);
}

/** The new log, or undefined when one with its id (or origin) exists. */
export async function insertLog(db: Db, row: Insertable<LogTable>): Promise<LogRow | undefined> {
  return db
    .insertInto('ledger.log')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The log's row, locked until the transaction ends: one batch of the log at a time. */
export async function lockLog(trx: LedgerTrx, id: string): Promise<LogRow | undefined> {
  return trx.selectFrom('ledger.log').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The log's new size and root, once a batch's entries and nodes are written. */
export async function setLogHead(trx: LedgerTrx, id: string, size: number, root: Uint8Array): Promise<void> {
  await trx.updateTable('ledger.log').set({ size, root }).where('id', '=', id).execute();
}
