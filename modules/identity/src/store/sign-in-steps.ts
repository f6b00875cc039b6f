// A sign-in between its password and its second factor: which account, which factor is asked
// for, for ten minutes, keyed by the OpenID provider's interaction uid.
import { sql } from 'kysely';
import type { Db, SecondFactor } from './tables.ts';

export interface SignInStep {
  readonly accountId: string;
  readonly secondFactor: SecondFactor;
}

/** Starts (or restarts) the interaction's second step. */
export async function saveSignInStep(
  db: Db,
  step: { uid: string; accountId: string; factors: string[]; secondFactor: SecondFactor },
): Promise<void> {
  const row = {
    uid: step.uid,
    account_id: step.accountId,
    factors: step.factors,
    second_factor: step.secondFactor,
    expires_at: sql<Date>`now() + interval '10 minutes'`,
  };
  await db
    .insertInto('identity.sign_in_step')
    .values(row)
    .onConflict((oc) =>
      oc.column('uid').doUpdateSet({
        account_id: row.account_id,
        factors: row.factors,
        second_factor: row.second_factor,
        expires_at: row.expires_at,
      }),
    )
    .execute();
}

/** The interaction's second step while it has not expired. */
export async function openSignInStep(db: Db, uid: string): Promise<SignInStep | undefined> {
  const row = await db
    .selectFrom('identity.sign_in_step')
    .select(['account_id', 'second_factor'])
    .where('uid', '=', uid)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ? { accountId: row.account_id, secondFactor: row.second_factor } : undefined;
}

/** The factor the interaction's second step asks for (which page to show), expired or not. */
export async function signInStepFactor(db: Db, uid: string): Promise<SecondFactor | undefined> {
  const row = await db
    .selectFrom('identity.sign_in_step')
    .select('second_factor')
    .where('uid', '=', uid)
    .executeTakeFirst();
  return row?.second_factor;
}

export async function deleteSignInStep(db: Db, uid: string): Promise<void> {
  await db.deleteFrom('identity.sign_in_step').where('uid', '=', uid).execute();
}

/** Every unfinished sign-in of an account (it is being recovered or suspended). */
export async function deleteSignInStepsOf(db: Db, accountId: string): Promise<void> {
  await db.deleteFrom('identity.sign_in_step').where('account_id', '=', accountId).execute();
}
