// The wallet credential's queries. A single-use secret is taken by one conditional update that
// answers the row only to the caller that used it first; a DPoP jti is remembered by an insert
// that adds nothing when it was there.
import { createHash } from 'node:crypto';
import type { WalletDb, WalletTokenTable } from './tables.ts';

/** Secrets are stored as SHA-256 hex: what the table holds cannot be sent back to us. */
export const secretHash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

export async function insertOffer(
  db: WalletDb,
  offer: { code: string; licenceId: string; holderId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('licenses.wallet_offer')
    .values({
      code_hash: secretHash(offer.code),
      licence_id: offer.licenceId,
      holder_id: offer.holderId,
      created_at: offer.createdAt,
      expires_at: offer.expiresAt,
      used_at: null,
    })
    .execute();
}

/** The offer's licence, once: a used, expired or unknown code answers undefined. */
export async function takeOffer(db: WalletDb, code: string, now: Date): Promise<{ licenceId: string } | undefined> {
  const row = await db
    .updateTable('licenses.wallet_offer')
    .set({ used_at: now })
    .where('code_hash', '=', secretHash(code))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('licence_id')
    .executeTakeFirst();
  return row && { licenceId: row.licence_id };
}

export async function insertToken(
  db: WalletDb,
  token: string,
  row: Omit<WalletTokenTable, 'token_hash'>,
): Promise<void> {
  await db
    .insertInto('licenses.wallet_token')
    .values({ token_hash: secretHash(token), ...row })
    .execute();
}

export async function findToken(db: WalletDb, token: string, now: Date) {
  return db
    .selectFrom('licenses.wallet_token')
    .selectAll()
    .where('token_hash', '=', secretHash(token))
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function insertNonce(db: WalletDb, nonce: string, expiresAt: Date): Promise<void> {
  await db
    .insertInto('licenses.wallet_nonce')
    .values({ nonce_hash: secretHash(nonce), expires_at: expiresAt, used_at: null })
    .execute();
}

/** Whether the nonce was ours, unused and fresh; it is used from now on either way. */
export async function takeNonce(db: WalletDb, nonce: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('licenses.wallet_nonce')
    .set({ used_at: now })
    .where('nonce_hash', '=', secretHash(nonce))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('nonce_hash')
    .executeTakeFirst();
  return row !== undefined;
}

/** Remembers a DPoP proof's jti for its key; false when it was seen before (a replay). */
export async function rememberJti(db: WalletDb, jkt: string, jti: string, expiresAt: Date): Promise<boolean> {
  const row = await db
    .insertInto('licenses.wallet_dpop_jti')
    .values({ jkt, jti, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['jkt', 'jti']).doNothing())
    .returning('jti')
    .executeTakeFirst();
  return row !== undefined;
}

/** What no request can use any more: expired offers, tokens, nonces and the jtis whose window has passed. */
export async function pruneWallet(db: WalletDb, now: Date): Promise<void> {
  await db.deleteFrom('licenses.wallet_offer').where('expires_at', '<', now).execute();
  await db.deleteFrom('licenses.wallet_token').where('expires_at', '<', now).execute();
  await db.deleteFrom('licenses.wallet_nonce').where('expires_at', '<', now).execute();
  await db.deleteFrom('licenses.wallet_dpop_jti').where('expires_at', '<', now).execute();
}
