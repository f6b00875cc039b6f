// A log's tree: its entries and the subtree hashes (nodes) stored with them — written by the
// sequencer's batches, read by (level, index) in one query, by range, by subject, and page by page
// for the offline verifier.
import { sql } from 'kysely';
import { hasher, withNodes, type Hasher, type NodeLookup } from '../domain/merkle.ts';
import type { Db, EntryRow, LedgerTrx, LogRow, NodeRow } from './tables.ts';

/** Rows per insert statement: a batch of any size stays under the driver's parameter limit. */
const INSERT_CHUNK = 1000;

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

/** A batch's entries, in statements of at most INSERT_CHUNK rows. */
export async function insertEntries(trx: LedgerTrx, entries: readonly EntryRow[]): Promise<void> {
  for (let i = 0; i < entries.length; i += INSERT_CHUNK)
    await trx
      .insertInto('ledger.entry')
      .values(entries.slice(i, i + INSERT_CHUNK))
      .execute();
}

/** A batch's new subtree hashes, in statements of at most INSERT_CHUNK rows. */
export async function insertNodes(trx: LedgerTrx, nodes: readonly NodeRow[]): Promise<void> {
  for (let i = 0; i < nodes.length; i += INSERT_CHUNK)
    await trx
      .insertInto('ledger.node')
      .values(nodes.slice(i, i + INSERT_CHUNK))
      .execute();
}

/**
 * Every stored entry row after index `after`, in index order, at most `limit`, with the leaf
 * stored at that index (if any): a gap, a duplicate or a moved row shows up as such.
 */
export async function entryRowsAfter(db: Db, logId: string, after: number, limit: number) {
  const { rows } = await sql<{
    idx: number;
    body: string;
    hash: Uint8Array | null;
  }>`select e.idx, e.body, n.hash from ledger.entry e
    left join ledger.node n on n.log_id = e.log_id and n.level = 0 and n.idx = e.idx
    where e.log_id = ${logId} and e.idx > ${after} order by e.idx limit ${limit}`.execute(db);
  return rows;
}

/** The stored nodes of one level after index `after`, in index order, at most `limit`. */
export async function nodesAfter(db: Db, logId: string, level: number, after: number, limit: number) {
  return db
    .selectFrom('ledger.node')
    .select(['idx', 'hash'])
    .where('log_id', '=', logId)
    .where('level', '=', level)
    .where('idx', '>', after)
    .orderBy('idx')
    .limit(limit)
    .execute();
}

/** How many leaves (level-0 nodes) the log has stored. */
export async function leafCount(db: Db, logId: string): Promise<number> {
  const row = await db
    .selectFrom('ledger.node')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('log_id', '=', logId)
    .where('level', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
