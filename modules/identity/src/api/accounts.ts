// Accounts: citizens register themselves (registration.ts: ID number, password policy, SMS code),
// a citizen registers the business they legally represent (credit code checked by GB 32100) and
// names agents for it, operators set staff roles, and anyone enrols an authenticator app.
import { IdentityError } from '../errors.ts';
import { ServiceRoles, StaffRoles } from '@tongban/contracts';
import { randomUUID } from 'node:crypto';
import type { DomainError } from '@tongban/kernel';
import {
  isUniqueViolation,
  isValidCreditCode,
  negotiateLang,
  Policies,
  type HttpApp,
  type ModuleContext,
} from '@tongban/kernel';
import QRCode from 'qrcode';
import Type from 'typebox';
import { regionOfIdentifier } from '../domain/identifiers.ts';
import { PASSWORD_PROBLEM_TEXT, passwordProblems, type PasswordProblem } from '../domain/passwords.ts';
import { newTotpSecret, totpUri, verifyTotp } from '../domain/totp.ts';
import {
  authoriseAgent,
  changeStaffAccess,
  enrolAuthenticator,
  registerBusiness,
  removeAuthenticator,
} from '../service/accounts.ts';
import {
  findAccountById,
  findAccountByLogin,
  isActive,
  pendingTotpSecret,
  setPendingTotp,
  type Account,
} from '../store/accounts.ts';
import { lookUpResident } from '../service/counter-lookup.ts';
import { hashOrBusy } from '../service/registration.ts';
import { registrationRoutes } from './registration.ts';
import { sendFactorNotice } from '../service/sms.ts';
import { typed } from '../store/tables.ts';

const tags = ['identity: accounts'];
const BusinessBody = Type.Object(
  {
    creditCode: Type.String({ minLength: 18, maxLength: 18 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ maxLength: 256 }),
  },
  { additionalProperties: false },
);
const Roles = Type.Object(
  {
    roles: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9.:-]{1,63}$' }), { maxItems: 50 }),
    departments: Type.Array(Type.String({ pattern: '^[0-9A-Za-z-]{2,40}$' }), { maxItems: 50 }),
    regions: Type.Array(Type.String({ pattern: '^[0-9]{6}$' }), { maxItems: 50 }),
  },
  { additionalProperties: false },
);
const Id = Type.Object({ accountId: Type.String({ format: 'uuid' }) });
const ResidentIdParam = Type.Object({ idNumber: Type.String({ pattern: '^[0-9]{17}[0-9Xx]$' }) });
/** What a counter sees of the resident in front of it before filing for them: masked, nothing more. */
const CounterSummary = Type.Object({
  idNumber: Type.String({ description: '330106********123X' }),
  account: Type.Boolean({ description: 'Whether the ID number has a citizen account' }),
  active: Type.Boolean({ description: 'Whether that account can be filed for (registered and not disabled)' }),
  name: Type.Union([Type.String(), Type.Null()], { description: 'The account holder, masked (张*)' }),
  mobile: Type.Union([Type.String(), Type.Null()], { description: 'The bound mobile, masked (138****5678)' }),
});
/** The role a system needs to look accounts up (workflow's counter filing). */
export const ACCOUNTS_READ_ROLE = ServiceRoles.accountsRead;
/** What another module may learn of an account: that it exists, its kind, region and state. */
export const AccountSummary = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    kind: Type.Union([
      Type.Literal('citizen'),
      Type.Literal('business'),
      Type.Literal('officer'),
      Type.Literal('operator'),
      Type.Literal('security'),
    ]),
    /** GB/T 2260, from the resident ID or credit code; null for staff. */
    region: Type.Union([Type.String({ pattern: '^[0-9]{6}$' }), Type.Null()]),
    /** Can sign in and act: not disabled, not a registration awaiting its SMS code. */
    active: Type.Boolean(),
    /** A citizen's resident ID number (their login, GB 11643); null for every other kind. */
    idNumber: Type.Union([Type.String({ pattern: '^[0-9]{17}[0-9X]$' }), Type.Null()]),
  },
  { additionalProperties: false },
);
/**
 * Adding or removing a sign-in factor needs the assurance the factor would grant: otherwise a
 * stolen password alone becomes multi-factor. An account with no second factor steps up with the
 * SMS code to its registered mobile (service/sign-in.ts), so it can still get its first.
 */
const FACTOR_CHANGE = { kinds: ['citizen', 'business', 'officer', 'operator', 'security'], assurance: 'mfa' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AgentParams = Type.Object({
  businessId: Type.String({ format: 'uuid' }),
  citizenId: Type.String({ format: 'uuid' }),
});

export function weak(
  problems: readonly PasswordProblem[],
  acceptLanguage: string | undefined,
  field = 'body.password',
): DomainError {
  const lang = negotiateLang(acceptLanguage);
  return new IdentityError(
    'IDENTITY_WEAK_PASSWORD',
    {},
    problems.map((code) => ({ field, code, message: PASSWORD_PROBLEM_TEXT[code][lang] })),
  );
}

/**
 * `/me/*` acts on the caller's own account. The operator token and systems pass the routes' kind
 * checks or reach them by mistake without being one, and their ids are no account id: refused
 * here once for every `/me/` route of the module (hooks apply to the whole module's routes),
 * before a handler would look a non-uuid up in the database.
 */
function meNeedsAnAccount(app: HttpApp, ctx: ModuleContext): void {
  const me = `${app.prefix}/me/`;
  app.addHook('preHandler', async (request) => {
    const principal = request.principal;
    if (!principal || !request.routeOptions.url?.startsWith(me)) return;
    const account =
      principal.kind !== 'service' && UUID.test(principal.id)
        ? await findAccountById(typed(ctx.db), principal.id)
        : undefined;
    if (!account || account.kind !== principal.kind) throw new IdentityError('IDENTITY_NOT_AN_ACCOUNT');
  });
}

function accountSummary(account: Account) {
  return {
    id: account.id,
    kind: account.kind,
    region: regionOfIdentifier(account.kind, account.login) ?? null,
    active: isActive(account),
    idNumber: account.kind === 'citizen' ? account.login : null,
  };
}

export function accountRoutes(app: HttpApp, ctx: ModuleContext): void {
  meNeedsAnAccount(app, ctx);
  registrationRoutes(app, ctx);

  app.get(
    '/accounts/:accountId/summary',
    {
      config: { policy: { kinds: ['service', 'operator'], roles: { service: [ACCOUNTS_READ_ROLE] } } },
      schema: {
        tags,
        summary: 'Whether an account exists, its kind, region and state (for other modules)',
        params: Id,
        response: { 200: AccountSummary },
      },
    },
    async (request) => {
      const account = await findAccountById(typed(ctx.db), request.params.accountId);
      if (!account) throw new IdentityError('NOT_FOUND');
      return accountSummary(account);
    },
  );

  // 窗口: a counter resolves the person in front of it by the ID card they show, not by an account id.
  app.get(
    '/accounts/by-resident-id/:idNumber/summary',
    {
      config: { policy: { kinds: ['service', 'operator'], roles: { service: [ACCOUNTS_READ_ROLE] } } },
      schema: {
        tags,
        summary: 'The citizen account whose login is this resident ID number (404 when there is none)',
        params: ResidentIdParam,
        response: { 200: AccountSummary },
      },
    },
    async (request) => {
      const account = await findAccountByLogin(typed(ctx.db), request.params.idNumber.toUpperCase());
      if (!account || account.kind !== 'citizen') throw new IdentityError('NOT_FOUND');
      return accountSummary(account);
    },
  );

  // 窗口核验: a counter officer, before filing for the person in front of them (service/counter-lookup.ts).
  app.get(
    '/accounts/by-resident-id/:idNumber/counter-summary',
    {
      config: { policy: { kinds: ['officer'], roles: [StaffRoles.counter], assurance: 'mfa' } },
      schema: {
        tags,
        summary:
          "A counter's look-up of a resident by ID number: whether they have an account, and if it is active, masked (张*, 138****5678)",
        params: ResidentIdParam,
        response: { 200: CounterSummary },
      },
    },
    async (request) => lookUpResident(ctx, request.principal!, request.params.idNumber),
  );

  app.post(
    '/businesses',
    {
      config: { policy: { kinds: ['citizen'], assurance: 'mfa' } },
      schema: { tags, summary: 'Register the business I legally represent', body: BusinessBody },
    },
    async (request, reply) => {
      const b = request.body;
      if (!isValidCreditCode(b.creditCode))
        throw new IdentityError('IDENTITY_INVALID_CREDIT_CODE', {}, [
          { field: 'body.creditCode', code: 'checksum', message: 'GB 32100' },
        ]);
      const problems = passwordProblems(b.password, { identifier: b.creditCode });
      if (problems.length > 0) throw weak(problems, request.headers['accept-language']);
      if (await findAccountByLogin(typed(ctx.db), b.creditCode)) throw new IdentityError('IDENTITY_ACCOUNT_EXISTS');
      const id = randomUUID();
      const passwordHash = await hashOrBusy(b.password);
      try {
        await registerBusiness(ctx, {
          id,
          creditCode: b.creditCode,
          name: b.name,
          passwordHash,
          legalRepresentative: request.principal!.id,
        });
      } catch (error) {
        // Registered meanwhile by another request (the unique login let one through): as if found above.
        if (isUniqueViolation(error)) throw new IdentityError('IDENTITY_ACCOUNT_EXISTS');
        throw error;
      }
      return reply.code(201).send({ id });
    },
  );

  app.put(
    '/businesses/:businessId/agents/:citizenId',
    {
      config: {
        policy: {
          kinds: ['citizen'],
          assurance: 'mfa',
          // The business is its legal representative's to delegate; an unknown one is refused the
          // same way (no owner), so the answer says nothing of which ids exist.
          resource: async (request) => {
            const { businessId } = request.params as { businessId: string };
            const business = await findAccountById(typed(ctx.db), businessId);
            const owner = business?.kind === 'business' ? business.legalRepresentative : undefined;
            return owner ? { ownerId: owner } : {};
          },
        },
      },
      schema: { tags, summary: 'Authorise a citizen to act for my business (经办人)', params: AgentParams },
    },
    async (request, reply) => {
      const { businessId, citizenId } = request.params;
      const agent = await findAccountById(typed(ctx.db), citizenId);
      if (!agent || agent.kind !== 'citizen' || !isActive(agent)) throw new IdentityError('NOT_FOUND');
      await authoriseAgent(ctx, businessId, citizenId, request.principal!.id);
      return reply.code(204).send();
    },
  );

  app.put(
    '/accounts/:accountId/roles',
    {
      config: { policy: { ...Policies.operator, assurance: 'mfa' } },
      schema: { tags, summary: "Set a staff account's roles, departments and jurisdiction", params: Id, body: Roles },
    },
    async (request) => {
      const account = await findAccountById(typed(ctx.db), request.params.accountId);
      if (!account) throw new IdentityError('NOT_FOUND');
      await changeStaffAccess(ctx, account, request.body, request.principal!.id);
      return { accountId: account.id, ...request.body };
    },
  );

  app.post(
    '/me/totp',
    {
      config: { policy: FACTOR_CHANGE },
      schema: {
        tags,
        summary:
          'Start enrolling an authenticator app: a secret and its QR code (needs multi-factor: step up by SMS first)',
      },
    },
    async (request) => {
      const me = await findAccountById(typed(ctx.db), request.principal!.id);
      if (!me) throw new IdentityError('UNAUTHENTICATED');
      const secret = newTotpSecret();
      await setPendingTotp(typed(ctx.db), ctx.fields, me.id, secret);
      const uri = totpUri({ secret, account: me.login });
      return { secret, uri, qrSvg: await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M' }) };
    },
  );

  app.post(
    '/me/totp/confirm',
    {
      config: { policy: FACTOR_CHANGE },
      schema: {
        tags,
        summary: 'Finish enrolling: prove the app shows the right code',
        body: Type.Object({ code: Type.String({ maxLength: 16 }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const secret = await pendingTotpSecret(typed(ctx.db), ctx.fields, request.principal!.id);
      const check = secret
        ? await verifyTotp(secret, request.body.code, { now: ctx.clock.now() })
        : { ok: false as const };
      if (!secret || !check.ok)
        throw new IdentityError('IDENTITY_WRONG_CODE', {}, [
          { field: 'body.code', code: 'wrong_code', message: 'wrong code' },
        ]);
      await enrolAuthenticator(ctx, request.principal!.id, secret, check.step);
      await sendFactorNotice(ctx, request.principal!.id, { factor: 'totp', change: 'enrolled' });
      return reply.code(204).send();
    },
  );

  app.delete(
    '/me/totp',
    {
      config: { policy: FACTOR_CHANGE },
      schema: { tags, summary: 'Remove my authenticator app' },
    },
    async (request, reply) => {
      const accountId = request.principal!.id;
      await removeAuthenticator(ctx, accountId);
      await sendFactorNotice(ctx, accountId, { factor: 'totp', change: 'removed' });
      return reply.code(204).send();
    },
  );
}
