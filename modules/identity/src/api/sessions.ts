// Sign-in sessions: a person lists theirs and ends any of them (a lost phone, a shared
// computer); an operator ends all of an account's sessions. Ending a session ends its refresh
// tokens (every token expires with its session) and revokes its grants; access tokens already
// issued are refused by each process's guard once it hears identity.session.revoked (kernel
// auth/token-cache.ts), and live out their ≤ 10 minutes in a guard that has not heard it.
import { IdentityError } from '../errors.ts';
import { Policies, type HttpApp, type ModuleContext } from '@tongban/kernel';
import Type from 'typebox';
import { endSessions, sessionsOf } from '../service/sessions.ts';

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
      if (ended === 0) throw new IdentityError('IDENTITY_SESSION_NOT_FOUND');
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
