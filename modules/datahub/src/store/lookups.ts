// A batch of lookups at once (service/loaders.ts): the active grants of every consumer asked as,
// on every resource asked, and for each probe — a key's blind index (one row at most) or a lookup
// entry `<item>=<blind index>` (at most `limit` rows) — the rows it finds: one query for the
// grants and one per kind of probe, whatever the batch's size.
import { sql } from 'kysely';
import { toGrant, type GrantView } from './grants.ts';
import type { RecordRow } from './records.ts';
import type { Db } from './tables.ts';

/** What a lookup reads of a row: what opens it, whom it is about, where it came from. */
export type ProbedRow = Pick<
  RecordRow,
  'resource_code' | 'record_key' | 'subjects' | 'data' | 'source' | 'collected_at'
>;

export interface Probe {
  readonly resource: string;
  readonly by: 'key' | 'lookup';
  readonly probe: string;
}

export interface LookupReads {
  readonly grants: GrantView[];
  /** `rows[i]` answers `probes[i]`. */
  readonly rows: ProbedRow[][];
}

export async function readForLookups(
  db: Db,
  consumers: readonly string[],
  probes: readonly Probe[],
  limit: number,
): Promise<LookupReads> {
  const resources = [...new Set(probes.map((p) => p.resource))];
  const part = async (by: 'key' | 'lookup') => {
    const mine = probes.map((p, i) => ({ ...p, i })).filter((p) => p.by === by);
    if (mine.length === 0) return [];
    const match = by === 'key' ? sql`r.record_key = q.probe` : sql`r.lookup && array[q.probe]`;
    const found = await sql<ProbedRow & { i: number }>`
      select q.i, r.resource_code, r.record_key, r.subjects, r.data, r.source, r.collected_at
        from unnest(${mine.map((p) => p.resource)}::text[], ${mine.map((p) => p.probe)}::text[], ${mine.map((p) => p.i)}::int[])
             as q(resource, probe, i)
       cross join lateral (
         select * from datahub.record r where r.resource_code = q.resource and ${match} limit ${by === 'key' ? 1 : limit}
       ) r`.execute(db);
    return found.rows;
  };
  // On PostgreSQL three statements on three connections at once: one round trip's wait for the batch.
  const [grants, keyed, looked] = await Promise.all([
    consumers.length === 0 || resources.length === 0
      ? []
      : db
          .selectFrom('datahub.access_grant')
          .selectAll()
          .where('consumer', 'in', [...consumers])
          .where('resource_code', 'in', resources)
          .where('revoked_at', 'is', null)
          .execute(),
    part('key'),
    part('lookup'),
  ]);
  const rows: ProbedRow[][] = probes.map(() => []);
  for (const { i, ...row } of [...keyed, ...looked]) rows[Number(i)]!.push(row);
  return { grants: grants.map(toGrant), rows };
}
