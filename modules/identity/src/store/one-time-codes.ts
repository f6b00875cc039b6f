// The one-time codes sent by SMS (domain/one-time-codes.ts): one per account and purpose, its
// record (hash, expiry, attempts, when it was issued) as JSON.
import type { Db, IdentityTrx } from './tables.ts';

/** The stored record of the account's code for a purpose, as read (JSON text or parsed). */
export async function findCodeRecord(db: Db, accountId: string, purpose: string): Promise<unknown> {
  const row = await db
    .selectFrom('identity.one_time_code')
    .select('record')
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  return row?.record;
}

/** The same, with the row locked until the transaction ends, so that two checks of one code take turns. */
export async function lockCodeRecord(trx: IdentityTrx, accountId: string, purpose: string): Promise<unknown> {
  const row = await trx
    .selectFrom('identity.one_time_code')
    .select('record')
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .forUpdate()
    .executeTakeFirst();
  return row?.record;
}

/** A new code replaces the one before it. */
export async function saveCodeRecord(db: Db, accountId: string, purpose: string, record: string): Promise<void> {
  await db
    .insertInto('identity.one_time_code')
    .values({ account_id: accountId, purpose, record })
    .onConflict((oc) => oc.columns(['account_id', 'purpose']).doUpdateSet({ record }))
    .execute();
}

/** Writes back a code's record after an attempt. */
export async function updateCodeRecord(db: Db, accountId: string, purpose: string, record: string): Promise<void> {
  await db
    .updateTable('identity.one_time_code')
    .set({ record })
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .execute();
}

/** The account's code for a purpose, or all its codes. */
export async function deleteCodes(db: Db, accountId: string, purpose?: string): Promise<void> {
  let query = db.deleteFrom('identity.one_time_code').where('account_id', '=', accountId);
  if (purpose !== undefined) query = query.where('purpose', '=', purpose);
  await query.execute();
}
