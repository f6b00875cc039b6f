// Security operations' responses (安全运营处置) on an account: sentinel, with its service client,
// locks and unlocks it and ends its sessions. A security lock is not one of the sign-in counters'
// locks (sign-in-throttle.ts): it stops every factor for every address and device, only its
// `until` or an unlock lifts it, and it ends the account's sessions as it begins. Each change and
// its events commit in one transaction; the locks are an appended log (store/security-locks.ts).
import type { ModuleContext } from '@tongban/kernel';
import { findAccountById } from '../store/accounts.ts';
import { appendSecurityLock, findSecurityLock } from '../store/security-locks.ts';
import { typed } from '../store/tables.ts';
import { endSessions, endSessionsIn } from './sessions.ts';

export interface LockRequest {
  readonly until: Date;
  readonly reason: string;
  readonly alertId?: string | undefined;
}

/** Locks the account until `until` and ends its sessions; undefined for an unknown account. */
export async function securityLock(
  ctx: ModuleContext,
  accountId: string,
  lock: LockRequest,
  by: string,
): Promise<{ lockedUntil: Date; sessionsEnded: number } | undefined> {
  if (!(await findAccountById(typed(ctx.db), accountId))) return undefined;
  const now = ctx.clock.now();
  return typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      await appendSecurityLock(trx, {
        accountId,
        action: 'lock',
        until: lock.until,
        reason: lock.reason,
        ...(lock.alertId ? { alertId: lock.alertId } : {}),
        actor: by,
        at: now,
      });
      const sessionsEnded = await endSessionsIn(trx, ctx, accountId, undefined, { by, reason: lock.reason });
      await ctx.events.publish(trx, 'identity.account.security-locked', {
        accountId,
        until: lock.until.toISOString(),
        reason: lock.reason,
        by,
        ...(lock.alertId ? { alertId: lock.alertId } : {}),
        sessionsEnded,
      });
      return { lockedUntil: lock.until, sessionsEnded };
    });
}

/** Lifts a security lock; `unlocked` false when none held (nothing is written). Undefined for an unknown account. */
export async function securityUnlock(
  ctx: ModuleContext,
  accountId: string,
  reason: string,
  by: string,
): Promise<{ unlocked: boolean } | undefined> {
  if (!(await findAccountById(typed(ctx.db), accountId))) return undefined;
  const now = ctx.clock.now();
  return typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      if (!(await findSecurityLock(trx, accountId, now))) return { unlocked: false };
      await appendSecurityLock(trx, { accountId, action: 'unlock', reason, actor: by, at: now });
      await ctx.events.publish(trx, 'identity.account.security-unlocked', { accountId, reason, by });
      return { unlocked: true };
    });
}

/** Ends the account's sessions (or one of them); undefined for an unknown account. */
export async function securityRevokeSessions(
  ctx: ModuleContext,
  accountId: string,
  revoke: { reason: string; sessionId?: string | undefined },
  by: string,
): Promise<number | undefined> {
  if (!(await findAccountById(typed(ctx.db), accountId))) return undefined;
  return endSessions(ctx, accountId, revoke.sessionId, { by, reason: revoke.reason });
}
