// Sign-ins in progress and signed-in sessions, by the hash of their cookie.
import type { Db, LoginRow, SessionRow, SessionTable } from './tables.ts';
import type { Insertable, Updateable } from 'kysely';

export async function insertLogin(db: Db, row: Omit<LoginRow, 'created_at'>): Promise<void> {
  await db.insertInto('portal.login').values(row).execute();
}

/** Takes the sign-in (once: a replayed callback finds nothing). */
export async function takeLogin(db: Db, idHash: string, notBefore: Date): Promise<LoginRow | undefined> {
  const row = await db.deleteFrom('portal.login').where('id_hash', '=', idHash).returningAll().executeTakeFirst();
  return row && row.created_at >= notBefore ? row : undefined;
}

export async function forgetLoginsBefore(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('portal.login').where('created_at', '<', before).execute();
}

export async function insertSession(db: Db, row: Insertable<SessionTable>): Promise<void> {
  await db.insertInto('portal.session').values(row).execute();
}

export async function findSession(db: Db, idHash: string, now: Date): Promise<SessionRow | undefined> {
  return db
    .selectFrom('portal.session')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function updateSession(db: Db, idHash: string, change: Updateable<SessionTable>): Promise<void> {
  await db.updateTable('portal.session').set(change).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<SessionRow | undefined> {
  return db.deleteFrom('portal.session').where('id_hash', '=', idHash).returningAll().executeTakeFirst();
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('portal.session').where('expires_at', '<=', now).execute();
}
