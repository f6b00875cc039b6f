// Security locks (安全锁定): an appended log per account; the newest row is the state.
import type { Db } from './tables.ts';

export interface SecurityLockAction {
  readonly accountId: string;
  readonly action: 'lock' | 'unlock';
  readonly until?: Date;
  readonly reason: string;
  readonly alertId?: string;
  readonly actor: string;
  readonly at: Date;
}

/** Until when the account is security-locked at `now`; undefined when it is not. */
export async function findSecurityLock(db: Db, accountId: string, now: Date): Promise<Date | undefined> {
  const row = await db
    .selectFrom('identity.security_lock')
    .select(['action', 'until'])
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row?.action !== 'lock' || !row.until) return undefined;
  const until = new Date(row.until);
  return until.getTime() > now.getTime() ? until : undefined;
}

export async function appendSecurityLock(db: Db, a: SecurityLockAction): Promise<void> {
  await db
    .insertInto('identity.security_lock')
    .values({
      account_id: a.accountId,
      action: a.action,
      until: a.until ?? null,
      reason: a.reason,
      alert_id: a.alertId ?? null,
      actor: a.actor,
      at: a.at,
    })
    .execute();
}
