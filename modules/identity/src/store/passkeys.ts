// Passkeys (WebAuthn credentials) and the challenges handed out for them. A challenge is taken
// out of the table when it is answered, right or wrong, so an answer can never be replayed.
import { sql, type Selectable } from 'kysely';
import type { Db, WebauthnCredentialTable } from './tables.ts';

/** How long a challenge may be answered. */
export const CHALLENGE_SECONDS = 300;

export type ChallengePurpose = 'register' | 'sign-in';

export interface StoredPasskey {
  readonly id: string;
  readonly accountId: string;
  readonly publicKey: Uint8Array<ArrayBuffer>;
  readonly counter: number;
  readonly transports: string[];
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/** Keeps the newest challenge for (subject, purpose); an older one stops working. */
export async function saveChallenge(
  db: Db,
  subject: string,
  purpose: ChallengePurpose,
  challenge: string,
  seconds: number,
): Promise<void> {
  const expires = sql<Date>`now() + make_interval(secs => ${seconds})`;
  await db
    .insertInto('identity.webauthn_challenge')
    .values({ subject, purpose, challenge, expires_at: expires })
    .onConflict((oc) => oc.columns(['subject', 'purpose']).doUpdateSet({ challenge, expires_at: expires }))
    .execute();
}

/** Takes the challenge out (single use); undefined when there is none or it has expired. */
export async function takeChallenge(db: Db, subject: string, purpose: ChallengePurpose): Promise<string | undefined> {
  const row = await db
    .deleteFrom('identity.webauthn_challenge')
    .where('subject', '=', subject)
    .where('purpose', '=', purpose)
    .returning(['challenge', sql<boolean>`expires_at > now()`.as('live')])
    .executeTakeFirst();
  if (!row || !row.live) return undefined;
  return row.challenge;
}

const toPasskey = (r: Selectable<WebauthnCredentialTable>): StoredPasskey => ({
  id: r.id,
  accountId: r.account_id,
  publicKey: new Uint8Array(r.public_key),
  counter: Number(r.counter),
  transports: r.transports,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

export async function passkeysOf(db: Db, accountId: string): Promise<StoredPasskey[]> {
  const rows = await db
    .selectFrom('identity.webauthn_credential')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
  return rows.map(toPasskey);
}

export async function hasPasskey(db: Db, accountId: string): Promise<boolean> {
  return Boolean(
    await db
      .selectFrom('identity.webauthn_credential')
      .select('id')
      .where('account_id', '=', accountId)
      .limit(1)
      .executeTakeFirst(),
  );
}

export async function findPasskey(db: Db, accountId: string, id: string): Promise<StoredPasskey | undefined> {
  const row = await db
    .selectFrom('identity.webauthn_credential')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toPasskey(row) : undefined;
}

export async function insertPasskey(
  db: Db,
  p: { id: string; accountId: string; publicKey: Uint8Array; counter: number; transports: string[] },
): Promise<void> {
  await db
    .insertInto('identity.webauthn_credential')
    .values({
      id: p.id,
      account_id: p.accountId,
      public_key: Buffer.from(p.publicKey),
      counter: p.counter,
      transports: p.transports,
    })
    .execute();
}

/**
 * Records a use. The counter only moves forward: the update is conditional on the stored value,
 * so two racing uses of the same count cannot both succeed. False when it did not move.
 */
export async function recordPasskeyUse(db: Db, id: string, before: number, after: number): Promise<boolean> {
  const result = await db
    .updateTable('identity.webauthn_credential')
    .set({ counter: after, last_used_at: sql`now()` })
    .where('id', '=', id)
    .where('counter', '=', before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deletePasskey(db: Db, accountId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('identity.webauthn_credential')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Whether any account has a passkey with this credential id. */
export async function passkeyExists(db: Db, id: string): Promise<boolean> {
  const taken = await db
    .selectFrom('identity.webauthn_credential')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  return Boolean(taken);
}

/** Every passkey of the account and every challenge handed out to it; how many passkeys there were. */
export async function deletePasskeysOf(db: Db, accountId: string): Promise<number> {
  const passkeys = await db
    .deleteFrom('identity.webauthn_credential')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  await db.deleteFrom('identity.webauthn_challenge').where('subject', '=', accountId).execute();
  return Number(passkeys.numDeletedRows);
}
