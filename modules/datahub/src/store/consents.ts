// 授权同意 rows: given, listed, revoked (stamped, never deleted). Read on every prefill: a revoked
// consent stops the next one, since nothing is cached.
import type { Selectable } from 'kysely';
import type { Consent } from '../domain/consent.ts';
import type { ConsentTable, Db } from './tables.ts';

export interface ConsentView extends Consent {
  readonly items: string[];
  readonly givenAt: string;
  readonly revokedAt: string | null;
}

const toConsent = (r: Selectable<ConsentTable>): ConsentView => ({
  id: r.id,
  accountId: r.account_id,
  purpose: r.purpose,
  items: r.items,
  givenAt: r.given_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

export async function activeConsents(db: Db, accountId: string, purpose?: string): Promise<ConsentView[]> {
  let q = db
    .selectFrom('datahub.consent')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null);
  if (purpose !== undefined) q = q.where('purpose', '=', purpose);
  return (await q.orderBy('given_at').execute()).map(toConsent);
}

export async function listConsents(db: Db, accountId: string): Promise<ConsentView[]> {
  const rows = await db
    .selectFrom('datahub.consent')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('given_at', 'desc')
    .orderBy('id')
    .limit(500)
    .execute();
  return rows.map(toConsent);
}

export async function insertConsent(
  db: Db,
  consent: { id: string; accountId: string; purpose: string; items: readonly string[] },
): Promise<ConsentView> {
  const row = await db
    .insertInto('datahub.consent')
    .values({ id: consent.id, account_id: consent.accountId, purpose: consent.purpose, items: [...consent.items] })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toConsent(row);
}

/** Revokes the person's own active consent; undefined when they have none of that id (another's is "none"). */
export async function revokeConsent(db: Db, id: string, accountId: string, at: Date): Promise<ConsentView | undefined> {
  const row = await db
    .updateTable('datahub.consent')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row && toConsent(row);
}
