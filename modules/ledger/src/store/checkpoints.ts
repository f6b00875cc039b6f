// Checkpoints (signed tree heads) and the witnesses' co-signatures of them.
import type { CheckpointRow, CosignatureRow, Db } from './tables.ts';

export async function latestCheckpoint(db: Db, logId: string): Promise<CheckpointRow | undefined> {
  return db
    .selectFrom('ledger.checkpoint')
    .selectAll()
    .where('log_id', '=', logId)
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The log's checkpoints larger than `after`, oldest first, at most `limit`. */
export async function checkpointsAfter(db: Db, logId: string, after: number, limit: number) {
  return db
    .selectFrom('ledger.checkpoint')
    .selectAll()
    .where('log_id', '=', logId)
    .where('size', '>', after)
    .orderBy('size')
    .limit(limit)
    .execute();
}

/** All of the log's checkpoints, oldest first (the offline verifier). */
export async function checkpointsOf(db: Db, logId: string): Promise<CheckpointRow[]> {
  return db.selectFrom('ledger.checkpoint').selectAll().where('log_id', '=', logId).orderBy('size').execute();
}

/** The new checkpoint, or undefined when one of its size exists (another replica signed it). */
export async function insertCheckpoint(db: Db, row: CheckpointRow): Promise<CheckpointRow | undefined> {
  return db
    .insertInto('ledger.checkpoint')
    .values(row)
    .onConflict((oc) => oc.columns(['log_id', 'size']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function cosignaturesOf(db: Db, logId: string, sizes: readonly number[]) {
  if (sizes.length === 0) return [];
  return db
    .selectFrom('ledger.cosignature')
    .selectAll()
    .where('log_id', '=', logId)
    .where('size', 'in', sizes)
    .orderBy('witness')
    .execute();
}

/** Every co-signature of the log's checkpoints, in no particular order (the offline verifier). */
export async function allCosignaturesOf(db: Db, logId: string): Promise<CosignatureRow[]> {
  return db.selectFrom('ledger.cosignature').selectAll().where('log_id', '=', logId).execute();
}

/** The size of the last checkpoint of the log the witness co-signed here; undefined if none. */
export async function lastCosignedSize(db: Db, logId: string, witness: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('ledger.cosignature')
    .select('size')
    .where('log_id', '=', logId)
    .where('witness', '=', witness)
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.size;
}

/** Records a co-signature (once per checkpoint and witness). */
export async function insertCosignature(db: Db, row: CosignatureRow): Promise<void> {
  await db
    .insertInto('ledger.cosignature')
    .values(row)
    .onConflict((oc) => oc.columns(['log_id', 'size', 'witness']).doNothing())
    .execute();
}
