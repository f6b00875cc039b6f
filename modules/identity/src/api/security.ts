// The routes security operations respond through (service/security.ts): sentinel's service client
// with identity.respond calls them for its automatic responses; a security operator at
// multi-factor may too (sentinel down, an incident by phone), usually through sentinel's own
// routes so the response is its record. Every change is an identity event, which the ledger records.
import { ServiceRoles } from '@tongban/contracts';
import type { HttpApp, ModuleContext, PrincipalPolicy } from '@tongban/kernel';
import Type from 'typebox';
import { IdentityError } from '../errors.ts';
import { securityLock, securityRevokeSessions, securityUnlock } from '../service/security.ts';

const tags = ['identity: security'];
const policy = {
  kinds: ['service', 'security'],
  roles: { service: [ServiceRoles.identityRespond] },
  assurance: { security: 'mfa' },
} as const satisfies PrincipalPolicy;
/** The longest a lock may be asked for at once: a longer one is renewed, with a reason, by whoever keeps it. */
const MAX_LOCK_DAYS = 366;

const AccountRef = Type.Object({ accountId: Type.String({ format: 'uuid' }) });
const Reason = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'Why (kept with the action and on its event)',
});
const LockBody = Type.Object(
  {
    until: Type.String({ format: 'date-time', description: 'When the lock ends by itself (ISO 8601)' }),
    reason: Reason,
    alertId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,100}$', description: "Sentinel's alert" })),
  },
  { additionalProperties: false },
);
const UnlockBody = Type.Object({ reason: Reason }, { additionalProperties: false });
const RevokeBody = Type.Object(
  { reason: Reason, sessionId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' })) },
  { additionalProperties: false },
);
const LockView = Type.Object({
  accountId: Type.String(),
  lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const unknownAccount = () =>
  new IdentityError('NOT_FOUND', {}, [{ field: 'params.accountId', code: 'not_found', message: 'no such account' }]);

export function securityRoutes(app: HttpApp, ctx: ModuleContext): void {
  app.post(
    '/security/accounts/:accountId/lock',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'Lock an account against every sign-in until a time, and end its sessions',
        params: AccountRef,
        body: LockBody,
        response: { 200: LockView },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const until = new Date(request.body.until);
      const now = ctx.clock.now().getTime();
      if (!(until.getTime() > now) || until.getTime() > now + MAX_LOCK_DAYS * 86_400_000)
        throw new IdentityError('IDENTITY_LOCK_UNTIL_OUT_OF_RANGE', { days: MAX_LOCK_DAYS }, [
          { field: 'body.until', code: 'out_of_range', message: `after now and within ${MAX_LOCK_DAYS} days` },
        ]);
      const locked = await securityLock(
        ctx,
        accountId,
        { until, reason: request.body.reason, alertId: request.body.alertId },
        request.principal!.id,
      );
      if (!locked) throw unknownAccount();
      return { accountId, lockedUntil: locked.lockedUntil.toISOString() };
    },
  );

  app.post(
    '/security/accounts/:accountId/unlock',
    {
      config: { policy },
      schema: {
        tags,
        summary: "Lift an account's security lock (the sign-in counters' locks are not touched)",
        params: AccountRef,
        body: UnlockBody,
        response: { 200: LockView },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      if (!(await securityUnlock(ctx, accountId, request.body.reason, request.principal!.id))) throw unknownAccount();
      return { accountId, lockedUntil: null };
    },
  );

  app.post(
    '/security/accounts/:accountId/sessions/revoke',
    {
      config: { policy },
      schema: {
        tags,
        summary: "End an account's sign-in sessions (or one of them), with their refresh tokens",
        params: AccountRef,
        body: RevokeBody,
        response: { 200: Type.Object({ revoked: Type.Integer({ minimum: 0 }) }) },
      },
    },
    async (request) => {
      const revoked = await securityRevokeSessions(ctx, request.params.accountId, request.body, request.principal!.id);
      if (revoked === undefined) throw unknownAccount();
      return { revoked };
    },
  );
}
