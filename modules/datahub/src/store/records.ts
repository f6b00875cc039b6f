// A resource's rows (see service/rows.ts for how one is sealed): written by upsert on the blind
// index of the key item — the same row again changes nothing — and found by that key or by the
// blind index of an indexed item (the GIN index on `lookup`).
import type { SealedRow } from '../service/rows.ts';
import type { Db, RecordTable } from './tables.ts';
import { sql, type Selectable } from 'kysely';

export type RecordRow = Selectable<RecordTable>;

export interface RowToStore extends SealedRow {
  readonly resourceCode: string;
  readonly source: string;
  readonly collectedAt: Date | string;
  readonly tags?: readonly string[];
  readonly batchId?: string | null;
}

/** Inserts or replaces rows by (resource, key): the same row written twice is still one row. */
export async function upsertRecords(db: Db, rows: readonly RowToStore[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('datahub.record')
    .values(
      rows.map((r) => ({
        resource_code: r.resourceCode,
        record_key: r.record_key,
        lookup: [...r.lookup],
        subjects: [...r.subjects],
        data: r.data,
        source: r.source,
        collected_at: r.collectedAt,
        tags: [...(r.tags ?? [])],
        batch_id: r.batchId ?? null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['resource_code', 'record_key']).doUpdateSet((eb) => ({
        lookup: eb.ref('excluded.lookup'),
        subjects: eb.ref('excluded.subjects'),
        data: eb.ref('excluded.data'),
        source: eb.ref('excluded.source'),
        collected_at: eb.ref('excluded.collected_at'),
        tags: eb.ref('excluded.tags'),
        batch_id: eb.ref('excluded.batch_id'),
      })),
    )
    .execute();
}

/** The row whose key item has this blind index. */
export async function findRecordByKey(db: Db, resource: string, recordKey: string): Promise<RecordRow | undefined> {
  return db
    .selectFrom('datahub.record')
    .selectAll()
    .where('resource_code', '=', resource)
    .where('record_key', '=', recordKey)
    .executeTakeFirst();
}

/** The rows holding any of these lookup entries (`<item>=<blind index>`), at most `limit`. */
export async function findRecordsByLookup(
  db: Db,
  resource: string,
  entries: readonly string[],
  limit = 100,
): Promise<RecordRow[]> {
  if (entries.length === 0) return [];
  return db
    .selectFrom('datahub.record')
    .selectAll()
    .where('resource_code', '=', resource)
    .where(sql<boolean>`lookup && ${[...entries]}::text[]`)
    .limit(limit)
    .execute();
}

/** The most recently collected row holding any of these lookup entries. */
export async function findNewestByLookup(
  db: Db,
  resource: string,
  entries: readonly string[],
): Promise<RecordRow | undefined> {
  if (entries.length === 0) return undefined;
  return db
    .selectFrom('datahub.record')
    .selectAll()
    .where('resource_code', '=', resource)
    .where(sql<boolean>`lookup && ${[...entries]}::text[]`)
    .orderBy('collected_at', 'desc')
    .orderBy('record_key')
    .limit(1)
    .executeTakeFirst();
}
