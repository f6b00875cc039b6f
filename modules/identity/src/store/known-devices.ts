// Known devices (service/known-devices.ts): rows by the hash of their cookie's token.
import type { Db } from './tables.ts';

export interface KnownDevice {
  readonly id: string;
  readonly accountId: string;
  readonly expiresAt: Date;
}

/** The device whose token hashes to this, if it is the account's, unrevoked and unexpired at `now`. */
export async function findKnownDevice(
  db: Db,
  accountId: string,
  tokenHash: string,
  now: Date,
): Promise<KnownDevice | undefined> {
  const row = await db
    .selectFrom('identity.known_device')
    .select(['id', 'account_id', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? { id: row.id, accountId: row.account_id, expiresAt: new Date(row.expires_at) } : undefined;
}

export async function insertKnownDevice(
  db: Db,
  device: { id: string; accountId: string; tokenHash: string; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('identity.known_device')
    .values({
      id: device.id,
      account_id: device.accountId,
      token_hash: device.tokenHash,
      created_at: device.now,
      last_used_at: device.now,
      expires_at: device.expiresAt,
    })
    .execute();
}

/** A device signed in again with every factor: it stays known for another full period. */
export async function touchKnownDevice(db: Db, id: string, now: Date, expiresAt: Date): Promise<void> {
  await db
    .updateTable('identity.known_device')
    .set({ last_used_at: now, expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}

/** Revokes the account's devices (or only the one given); how many were still live. */
export async function revokeKnownDevices(db: Db, accountId: string, now: Date, only?: string): Promise<number> {
  let query = db
    .updateTable('identity.known_device')
    .set({ revoked_at: now })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null);
  if (only) query = query.where('id', '=', only);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function knownDevicesOf(
  db: Db,
  accountId: string,
  now: Date,
): Promise<{ id: string; createdAt: Date; lastUsedAt: Date; expiresAt: Date }[]> {
  const rows = await db
    .selectFrom('identity.known_device')
    .select(['id', 'created_at', 'last_used_at', 'expires_at'])
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_used_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: new Date(r.created_at),
    lastUsedAt: new Date(r.last_used_at),
    expiresAt: new Date(r.expires_at),
  }));
}
