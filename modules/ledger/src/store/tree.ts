// Reads of a log's tree: nodes by (level, index) in one query, entries by range, checkpoints.
import { sql } from 'kysely';
import { hasher, withNodes, type Hasher, type NodeLookup } from '../domain/merkle.ts';
import type { CheckpointRow, Db, LogRow } from './tables.ts';

export async function findLog(db: Db, id: string): Promise<LogRow | undefined> {
  return db.selectFrom('ledger.log').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Stored subtree hashes for the keys asked, in one round trip. */
export async function fetchNodes(
  db: Db,
  logId: string,
  keys: readonly (readonly [number, number])[],
): Promise<Map<string, Uint8Array>> {
  const found = new Map<string, Uint8Array>();
  if (keys.length === 0) return found;
  const pairs = sql.join(keys.map(([l, i]) => sql`(${l}::smallint, ${i}::bigint)`));
  const { rows } = await sql<{ level: number; idx: number; hash: Uint8Array }>`select level, idx, hash from ledger.node
    where log_id = ${logId} and (level, idx) in (${pairs})`.execute(db);
  for (const r of rows) found.set(`${r.level}/${Number(r.idx)}`, r.hash);
  return found;
}

/** Runs a root or proof computation over the log's stored nodes (merkle.ts, withNodes). */
export function overNodes<T>(db: Db, log: Pick<LogRow, 'id'>, compute: (node: NodeLookup) => T): Promise<T> {
  return withNodes(compute, (keys) => fetchNodes(db, log.id, keys));
}

export const hasherOf = (log: Pick<LogRow, 'hash_algorithm'>): Hasher => hasher(log.hash_algorithm);

export async function latestCheckpoint(db: Db, logId: string): Promise<CheckpointRow | undefined> {
  return db
    .selectFrom('ledger.checkpoint')
    .selectAll()
    .where('log_id', '=', logId)
    .orderBy('size', 'desc')
    .limit(1)
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

export async function listLogs(db: Db): Promise<LogRow[]> {
  return db.selectFrom('ledger.log').selectAll().orderBy('id').execute();
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

/** Entries [start, end) with their leaf hashes (null where the tree has not stored one yet). */
export async function entriesInRange(db: Db, logId: string, start: number, end: number) {
  return db
    .selectFrom('ledger.entry as e')
    .leftJoin('ledger.node as n', (j) =>
      j.onRef('n.log_id', '=', 'e.log_id').on('n.level', '=', 0).onRef('n.idx', '=', 'e.idx'),
    )
    .select(['e.idx', 'e.body', 'n.hash'])
    .where('e.log_id', '=', logId)
    .where('e.idx', '>=', start)
    .where('e.idx', '<', end)
    .orderBy('e.idx')
    .execute();
}

/** A subject's entries before index `before` (all when undefined), newest first, at most `limit`. */
export async function entriesOfSubject(
  db: Db,
  logId: string,
  subjectId: string,
  before: number | undefined,
  limit: number,
) {
  let q = db
    .selectFrom('ledger.entry')
    .select(['idx', 'body'])
    .where('log_id', '=', logId)
    .where('subject_id', '=', subjectId);
  if (before !== undefined) q = q.where('idx', '<', before);
  return q.orderBy('idx', 'desc').limit(limit).execute();
}

/** The witnesses the logs here ask, by name. */
export async function listWitnesses(db: Db) {
  return db.selectFrom('ledger.witness').selectAll().orderBy('name').execute();
}
