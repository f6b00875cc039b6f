// The trust list's versions and the cache of other regions' status lists.
import type { TrustEntry } from '@tongban/contracts';
import type { StatusListCacheRow, TrustDb, TrustListVersionRow } from './tables.ts';

export async function findLatestTrustVersion(db: TrustDb): Promise<TrustListVersionRow | undefined> {
  return db
    .selectFrom('licenses.trust_list_version')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The current version's number (0: none yet): cheap enough to ask on every verification. */
export async function latestTrustVersionNumber(db: TrustDb): Promise<number> {
  const row = await db
    .selectFrom('licenses.trust_list_version')
    .select((eb) => eb.fn.max('version').as('version'))
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

/** Newest first; the entries of each are left out (the current list carries them). */
export async function trustVersions(db: TrustDb, limit: number) {
  return db
    .selectFrom('licenses.trust_list_version')
    .select(['version', 'change', 'changed', 'entries', 'actor_kind', 'actor_id', 'at'])
    .orderBy('version', 'desc')
    .limit(limit)
    .execute();
}

/** A new version; the primary key refuses a second writer of the same number (the caller retries). */
export async function insertTrustVersion(
  db: TrustDb,
  row: {
    version: number;
    entries: readonly TrustEntry[];
    jws: string;
    change: 'added' | 'removed';
    changed: readonly { region: string; issuer: string }[];
    actorKind: string;
    actorId: string;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('licenses.trust_list_version')
    .values({
      version: row.version,
      entries: JSON.stringify(row.entries),
      jws: row.jws,
      change: row.change,
      changed: JSON.stringify(row.changed),
      actor_kind: row.actorKind,
      actor_id: row.actorId,
      at: row.at,
    })
    .execute();
}

export async function findCachedStatusList(db: TrustDb, url: string): Promise<StatusListCacheRow | undefined> {
  return db.selectFrom('licenses.status_list_cache').selectAll().where('url', '=', url).executeTakeFirst();
}

/** The copy just fetched and verified replaces the one held. */
export async function saveCachedStatusList(db: TrustDb, row: StatusListCacheRow): Promise<void> {
  await db
    .insertInto('licenses.status_list_cache')
    .values(row)
    .onConflict((oc) =>
      oc.column('url').doUpdateSet({ jwt: row.jwt, fetched_at: row.fetched_at, valid_until: row.valid_until }),
    )
    .execute();
}
