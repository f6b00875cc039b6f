// Ending sign-in sessions: each ends with its grants (so its refresh tokens) and a security event,
// in one transaction; a counter recovery ends them inside its own.
import type { ModuleContext } from '@tongban/kernel';
import { deleteGrants, deleteSession, sessionRowsOf } from '../store/sessions.ts';
import { typed, type Db, type IdentityTrx } from '../store/tables.ts';

interface SessionPayload {
  uid: string;
  loginTs?: number;
  acr?: string;
  authorizations?: Record<string, { grantId?: string }>;
}

const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as SessionPayload;

/** The account's sessions that have not expired. */
export async function sessionsOf(ctx: ModuleContext, accountId: string) {
  return liveSessions(typed(ctx.db), ctx, accountId);
}

async function liveSessions(db: Db, ctx: ModuleContext, accountId: string) {
  const rows = await sessionRowsOf(db, accountId);
  return rows
    .map((r) => ({ payload: parse(r.payload), expiresAt: r.expiresAt }))
    .filter((s) => !s.expiresAt || s.expiresAt.getTime() > ctx.clock.now().getTime());
}

/** Who ended sessions and why, on their events (security operations' revocations). */
export interface Attribution {
  readonly by: string;
  readonly reason: string;
}

/** Ends the account's sessions (or only the one given), each with its grants and an identity.session.revoked event. */
export async function endSessions(
  ctx: ModuleContext,
  accountId: string,
  only?: string,
  attribution?: Attribution,
): Promise<number> {
  return typed(ctx.db)
    .transaction()
    .execute((trx) => endSessionsIn(trx, ctx, accountId, only, attribution));
}

/** Ends sessions inside the caller's transaction (a counter recovery ends them with the rest of its change). */
export async function endSessionsIn(
  trx: IdentityTrx,
  ctx: ModuleContext,
  accountId: string,
  only?: string,
  attribution?: Attribution,
): Promise<number> {
  const sessions = (await liveSessions(trx, ctx, accountId)).filter((s) => !only || s.payload.uid === only);
  for (const { payload } of sessions) {
    const grants = Object.values(payload.authorizations ?? {})
      .map((a) => a.grantId)
      .filter((g): g is string => Boolean(g));
    if (grants.length > 0) await deleteGrants(trx, grants);
    await deleteSession(trx, payload.uid);
    await ctx.events.publish(trx, 'identity.session.revoked', {
      accountId,
      sessionId: payload.uid,
      ...(attribution ? { by: attribution.by, reason: attribution.reason } : {}),
    });
  }
  return sessions.length;
}
