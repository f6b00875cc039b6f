// Sign-in sessions: a person lists theirs and ends any of them (a lost phone, a shared
// computer); an operator ends all of an account's sessions. Ending a session ends its refresh
// tokens (every token expires with its session) and revokes its grants; access tokens already
// issued are refused by each process's guard once it hears identity.session.revoked (kernel
// auth/token-cache.ts), and live out their ≤ 10 minutes in a guard that has not heard it.
import { DomainError, Policies, type AnyTransaction, type HttpApp, type ModuleContext } from '@tongban/kernel';
import Type from 'typebox';

const PEOPLE = ['citizen', 'business', 'officer', 'operator', 'security'] as const;
const SessionId = Type.Object({ sessionId: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }) });
const AccountId = Type.Object({ accountId: Type.String({ format: 'uuid' }) });
const SessionView = Type.Object({
  id: Type.String(),
  signedInAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  acr: Type.Union([Type.String(), Type.Null()]),
  clients: Type.Array(Type.String()),
  current: Type.Boolean(),
});

interface SessionPayload {
  uid: string;
  loginTs?: number;
  acr?: string;
  authorizations?: Record<string, { grantId?: string }>;
}

const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as SessionPayload;

async function sessionsOf(ctx: ModuleContext, accountId: string) {
  const rows = await ctx.db
    .selectFrom('identity.oidc_model')
    .select(['payload', 'expires_at'])
    .where('model', '=', 'Session')
    .where('account_id', '=', accountId)
    .execute();
  return rows
    .map((r) => ({ payload: parse(r.payload), expiresAt: r.expires_at as Date | null }))
    .filter((s) => !s.expiresAt || s.expiresAt.getTime() > ctx.clock.now().getTime());
}

async function endSessions(ctx: ModuleContext, accountId: string, only?: string): Promise<number> {
  return ctx.db.transaction().execute((trx) => endSessionsIn(trx, ctx, accountId, only));
}

/** Ends sessions inside the caller's transaction (a counter recovery ends them with the rest of its change). */
export async function endSessionsIn(
  trx: AnyTransaction,
  ctx: ModuleContext,
  accountId: string,
  only?: string,
): Promise<number> {
  const sessions = (await sessionsOf({ ...ctx, db: trx }, accountId)).filter((s) => !only || s.payload.uid === only);
  for (const { payload } of sessions) {
    const grants = Object.values(payload.authorizations ?? {})
      .map((a) => a.grantId)
      .filter((g): g is string => Boolean(g));
    if (grants.length > 0) await trx.deleteFrom('identity.oidc_model').where('grant_id', 'in', grants).execute();
    await trx.deleteFrom('identity.oidc_model').where('model', '=', 'Session').where('uid', '=', payload.uid).execute();
    await ctx.events.publish(trx, 'identity.session.revoked', { accountId, sessionId: payload.uid });
  }
  return sessions.length;
}

export function sessionRoutes(app: HttpApp, ctx: ModuleContext): void {
  app.get(
    '/me/sessions',
    {
      config: { policy: { kinds: PEOPLE } },
      schema: {
        tags: ['identity: sessions'],
        summary: 'My sign-in sessions',
        response: { 200: Type.Array(SessionView) },
      },
    },
    async (request) => {
      const me = request.principal!;
      return (await sessionsOf(ctx, me.id)).map(({ payload, expiresAt }) => ({
        id: payload.uid,
        signedInAt: new Date((payload.loginTs ?? 0) * 1000).toISOString(),
        expiresAt: expiresAt ? expiresAt.toISOString() : null,
        acr: payload.acr ?? null,
        clients: Object.keys(payload.authorizations ?? {}),
        current: payload.uid === me.sessionId,
      }));
    },
  );

  app.delete(
    '/me/sessions/:sessionId',
    {
      config: { policy: { kinds: PEOPLE } },
      schema: { tags: ['identity: sessions'], summary: 'End one of my sessions', params: SessionId },
    },
    async (request, reply) => {
      const ended = await endSessions(ctx, request.principal!.id, request.params.sessionId);
      if (ended === 0) throw new DomainError('IDENTITY_SESSION_NOT_FOUND');
      return reply.code(204).send();
    },
  );

  app.post(
    '/accounts/:accountId/sessions/revoke',
    {
      config: { policy: Policies.operator },
      schema: {
        tags: ['identity: sessions'],
        summary: "End all of an account's sessions",
        params: AccountId,
        response: { 200: Type.Object({ ended: Type.Integer() }) },
      },
    },
    async (request) => ({ ended: await endSessions(ctx, request.params.accountId) }),
  );
}
