// The OpenID provider's sessions and grants, as its adapter stores them (store/oidc-adapter.ts),
// read and deleted here on the person's or an operator's behalf.
import type { Db } from './tables.ts';

/** The stored sessions of an account, expired ones included; the payload as read (JSON text or parsed). */
export async function sessionRowsOf(
  db: Db,
  accountId: string,
): Promise<{ payload: unknown; expiresAt: Date | null }[]> {
  const rows = await db
    .selectFrom('identity.oidc_model')
    .select(['payload', 'expires_at'])
    .where('model', '=', 'Session')
    .where('account_id', '=', accountId)
    .execute();
  return rows.map((r) => ({ payload: r.payload, expiresAt: r.expires_at }));
}

/** Every model of these grants (their tokens, codes and the grants themselves). */
export async function deleteGrants(db: Db, grantIds: readonly string[]): Promise<void> {
  await db.deleteFrom('identity.oidc_model').where('grant_id', 'in', grantIds).execute();
}

export async function deleteSession(db: Db, uid: string): Promise<void> {
  await db.deleteFrom('identity.oidc_model').where('model', '=', 'Session').where('uid', '=', uid).execute();
}
