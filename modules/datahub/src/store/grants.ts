// 共享授权 rows: at most one active grant per (consumer, resource, purpose) (a partial unique
// index); revoking stamps it, so what a consumer could read at any time stays on record.
import type { Selectable } from 'kysely';
import type { Grant } from '../domain/grants.ts';
import type { AccessGrantTable, Db } from './tables.ts';

export type GrantRow = Selectable<AccessGrantTable>;

export interface GrantView extends Grant {
  readonly items: string[];
  readonly grantedBy: string;
  readonly grantedAt: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

export const toGrant = (r: GrantRow): GrantView => ({
  id: r.id,
  consumer: r.consumer,
  resource: r.resource_code,
  purpose: r.purpose,
  items: r.items,
  grantedBy: r.granted_by,
  grantedAt: r.granted_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
  revokedBy: r.revoked_by,
});

/** The consumer's active grants, on these resources when named. */
export async function activeGrants(db: Db, consumer: string, resources?: readonly string[]): Promise<GrantView[]> {
  let q = db
    .selectFrom('datahub.access_grant')
    .selectAll()
    .where('consumer', '=', consumer)
    .where('revoked_at', 'is', null);
  if (resources) {
    if (resources.length === 0) return [];
    q = q.where('resource_code', 'in', [...resources]);
  }
  return (await q.execute()).map(toGrant);
}

export async function insertGrant(
  db: Db,
  grant: { id: string; consumer: string; resource: string; purpose: string; items: readonly string[]; by: string },
): Promise<GrantView> {
  const row = await db
    .insertInto('datahub.access_grant')
    .values({
      id: grant.id,
      consumer: grant.consumer,
      resource_code: grant.resource,
      purpose: grant.purpose,
      items: [...grant.items],
      granted_by: grant.by,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toGrant(row);
}

/** Revokes an active grant; undefined when there is no active grant of that id. */
export async function revokeGrant(db: Db, id: string, by: string, at: Date): Promise<GrantView | undefined> {
  const row = await db
    .updateTable('datahub.access_grant')
    .set({ revoked_at: at, revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row && toGrant(row);
}

export async function listGrants(
  db: Db,
  filter: { consumer?: string; resource?: string; includeRevoked?: boolean },
): Promise<GrantView[]> {
  let q = db.selectFrom('datahub.access_grant').selectAll();
  if (filter.consumer) q = q.where('consumer', '=', filter.consumer);
  if (filter.resource) q = q.where('resource_code', '=', filter.resource);
  if (!filter.includeRevoked) q = q.where('revoked_at', 'is', null);
  return (await q.orderBy('granted_at').orderBy('id').limit(1000).execute()).map(toGrant);
}
