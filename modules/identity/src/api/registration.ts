// Registration and counter recovery. The check digit proves an ID number is well formed, not that
// the person typing it holds it, and until the data hub can check a person against the population
// registry: a registration is pending until the SMS code sent to its mobile is confirmed (a pending
// account cannot sign in, and lapses after 30 minutes so that another registration may replace
// it); an ID registered by someone else is returned to its holder at a service counter, where an
// officer with the recovery role checks the person and their ID card in person, re-binds the
// account to the holder's mobile, and the holder sets a new password with a code sent there.
import { IdentityError } from '../errors.ts';
import { StaffRoles } from '@tongban/contracts';
import {
  DomainError,
  negotiateLang,
  Policies,
  regionCovers,
  type HttpApp,
  type ModuleContext,
  type Principal,
} from '@tongban/kernel';
import Type from 'typebox';
import { isValidMobile, isValidResidentId, normaliseResidentId, regionOfIdentifier } from '../domain/identifiers.ts';
import type { CodeOutcome } from '../domain/one-time-codes.ts';
import { passwordProblems } from '../domain/passwords.ts';
import {
  activateRegistration,
  hashOrBusy,
  recoverAccount,
  registerCitizen,
  setRecoveredPassword,
} from '../service/registration.ts';
import { checkPurposeCode, devSmsSender, type SmsSender } from '../service/sms.ts';
import { findAccountByLogin } from '../store/accounts.ts';
import { devSmsTo } from '../store/dev-sms.ts';
import { weak } from './accounts.ts';
import { typed } from '../store/tables.ts';

const tags = ['identity: accounts'];
/** The role of counter staff who return an account to the holder of its ID (MFA required). */
export const RECOVERY_ROLE = StaffRoles.recovery;

const ResidentId = Type.String({ minLength: 18, maxLength: 18 });
const Password = Type.String({ maxLength: 256 });
const Code = Type.String({ maxLength: 16 });
const Registration = Type.Object(
  {
    residentId: ResidentId,
    name: Type.String({ minLength: 1, maxLength: 50 }),
    mobile: Type.String({ maxLength: 11 }),
    password: Password,
  },
  { additionalProperties: false },
);
const Confirmation = Type.Object({ residentId: ResidentId, code: Code }, { additionalProperties: false });
const Recovery = Type.Object(
  {
    residentId: ResidentId,
    /** As printed on the ID card the officer has in hand. */
    name: Type.String({ minLength: 1, maxLength: 50 }),
    /** The holder's own mobile, to which the account is re-bound. */
    mobile: Type.String({ maxLength: 11 }),
    /** What the officer did: seen the person with their ID card at the counter. */
    verified: Type.Literal('in_person'),
  },
  { additionalProperties: false },
);
const NewPassword = Type.Object(
  { residentId: ResidentId, code: Code, password: Password },
  { additionalProperties: false },
);

/** Why a code was refused, for the person (catalog, zh-CN first). */
const CODE_PROBLEM_TEXT = {
  wrong: {
    zh: '验证码不正确。每个验证码最多可尝试 5 次。',
    en: 'The code is not correct. Each code can be tried 5 times at most.',
  },
  expired: { zh: '验证码已过期。', en: 'The code has expired.' },
  exhausted: {
    zh: '此验证码已失效（已使用或尝试次数过多）。',
    en: 'This code no longer works (it was used or tried too often).',
  },
  none: {
    zh: '没有待确认的验证码：注册可能已过期，请重新注册。',
    en: 'There is no code waiting: the registration may have lapsed; register again.',
  },
} as const satisfies Record<Exclude<CodeOutcome, 'ok'> | 'none', { zh: string; en: string }>;

function wrongCode(outcome: Exclude<CodeOutcome, 'ok'> | 'none', acceptLanguage: string | undefined): DomainError {
  return new IdentityError('IDENTITY_WRONG_CODE', {}, [
    { field: 'body.code', code: outcome, message: CODE_PROBLEM_TEXT[outcome][negotiateLang(acceptLanguage)] },
  ]);
}

function smsSender(ctx: ModuleContext): SmsSender {
  const sender = devSmsSender(ctx);
  if (!sender) throw new IdentityError('IDENTITY_SMS_UNAVAILABLE');
  return sender;
}

function residentIdOf(value: string): string {
  const id = normaliseResidentId(value);
  if (!isValidResidentId(id))
    throw new IdentityError('IDENTITY_INVALID_RESIDENT_ID', {}, [
      { field: 'body.residentId', code: 'checksum', message: 'GB 11643' },
    ]);
  return id;
}

function mobileOf(value: string): string {
  if (!isValidMobile(value))
    throw new IdentityError('VALIDATION_FAILED', {}, [
      { field: 'body.mobile', code: 'pattern', message: 'mainland mobile number' },
    ]);
  return value;
}

/** The Retry-After header of the module's own 429s, which carry the wait in the problem body (retryAfterSeconds). */
export async function retryAfterHeader(
  _request: unknown,
  reply: { header(name: string, value: string): unknown },
  error: Error,
): Promise<void> {
  const seconds = error instanceof DomainError ? error.extensions.retryAfterSeconds : undefined;
  if (typeof seconds === 'number' && Number.isFinite(seconds))
    void reply.header('retry-after', String(Math.max(1, Math.ceil(seconds))));
}

/**
 * A counter officer returns IDs of their own jurisdiction only: the recovery re-binds a whole
 * account, so an officer anywhere must not be able to take over any citizen's account in the
 * country. An officer with no regions covers none (deny by default).
 */
function assertWithinJurisdiction(officer: Principal, residentId: string): void {
  const region = regionOfIdentifier('citizen', residentId);
  if (region === undefined || !officer.regions.some((r) => regionCovers(r, region))) {
    throw new IdentityError('FORBIDDEN_RESOURCE', {}, [
      {
        field: 'body.residentId',
        code: 'outside_jurisdiction',
        message: 'the ID number is registered outside your jurisdiction',
      },
    ]);
  }
}

/** How far back the development sink's page reaches: a registration's code lives 10 minutes. */
const DEV_SMS_MINUTES = 30;

export function registrationRoutes(app: HttpApp, ctx: ModuleContext): void {
  // The development SMS sink, readable where there is one (never in production): with no phone to
  // text, the person trying the platform reads the code here. Anyone may, for any mobile — which is
  // what a development shape is (its demo accounts' passwords are printed at start too).
  if (devSmsSender(ctx))
    app.get(
      '/dev/sms',
      {
        config: { policy: Policies.public },
        schema: {
          tags,
          summary: `Development only: the latest text messages to a mobile (last ${DEV_SMS_MINUTES} minutes)`,
          querystring: Type.Object(
            { mobile: Type.String({ pattern: '^1[3-9][0-9]{9}$' }) },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const since = new Date(ctx.clock.now().getTime() - DEV_SMS_MINUTES * 60_000);
        const items = await devSmsTo(typed(ctx.db), request.query.mobile, since, 3);
        void reply.header('cache-control', 'no-store');
        return { development: true, items: items.map((m) => ({ text: m.text, sentAt: m.sentAt.toISOString() })) };
      },
    );

  app.post(
    '/register',
    {
      config: { policy: Policies.public },
      onError: retryAfterHeader,
      schema: {
        tags,
        summary: 'Register a citizen account: pending until the SMS code sent to the mobile is confirmed',
        body: Registration,
      },
    },
    async (request, reply) => {
      const b = request.body;
      const residentId = residentIdOf(b.residentId);
      const mobile = mobileOf(b.mobile);
      const problems = passwordProblems(b.password, { identifier: residentId, mobile });
      if (problems.length > 0) throw weak(problems, request.headers['accept-language']);
      const now = ctx.clock.now();
      const existing = await findAccountByLogin(typed(ctx.db), residentId);
      if (existing && existing.pendingUntil === null) throw new IdentityError('IDENTITY_ACCOUNT_EXISTS');
      if (existing && existing.pendingUntil!.getTime() > now.getTime())
        throw new IdentityError('IDENTITY_REGISTRATION_PENDING');
      const sender = smsSender(ctx);
      const { id, pendingUntil } = await registerCitizen(ctx, {
        existing,
        residentId,
        name: b.name,
        mobile,
        password: b.password,
        lang: negotiateLang(request.headers['accept-language']),
        ip: request.ip,
        now,
        sender,
        log: request.log,
      });
      return reply.code(201).send({ id, active: false, confirmBy: pendingUntil.toISOString() });
    },
  );

  app.post(
    '/register/confirm',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'Confirm a registration with the code sent to its mobile; the account becomes active',
        body: Confirmation,
      },
    },
    async (request) => {
      const residentId = residentIdOf(request.body.residentId);
      const now = ctx.clock.now();
      const account = await findAccountByLogin(typed(ctx.db), residentId);
      if (!account || account.pendingUntil === null) throw wrongCode('none', request.headers['accept-language']);
      if (account.pendingUntil.getTime() <= now.getTime())
        throw wrongCode('expired', request.headers['accept-language']);
      const outcome = await checkPurposeCode(ctx, account.id, 'registration', request.body.code, now);
      if (outcome !== 'ok') throw wrongCode(outcome, request.headers['accept-language']);
      // Only if it is still this pending registration: it may have lapsed and been replaced since it was read.
      if (!(await activateRegistration(ctx, account.id, now)))
        throw wrongCode('expired', request.headers['accept-language']);
      return { id: account.id, active: true };
    },
  );

  app.post(
    '/recoveries',
    {
      config: { policy: { kinds: ['officer'], roles: [RECOVERY_ROLE], assurance: 'mfa' } },
      schema: {
        tags,
        summary: 'Return an account to the holder of its ID, checked in person at the counter (账号找回)',
        body: Recovery,
      },
    },
    async (request) => {
      const b = request.body;
      const residentId = residentIdOf(b.residentId);
      const mobile = mobileOf(b.mobile);
      const sender = smsSender(ctx);
      const officer = request.principal!;
      assertWithinJurisdiction(officer, residentId);
      const now = ctx.clock.now();
      return recoverAccount(ctx, {
        residentId,
        name: b.name,
        mobile,
        verified: b.verified,
        officerId: officer.id,
        now,
        sender,
        log: request.log,
      });
    },
  );

  app.post(
    '/recoveries/password',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'After a counter recovery: set a new password with the code sent to the new mobile',
        body: NewPassword,
      },
    },
    async (request, reply) => {
      const b = request.body;
      const residentId = residentIdOf(b.residentId);
      const account = await findAccountByLogin(typed(ctx.db), residentId);
      // The password is checked first, so a weak one does not use up a try of the code.
      const problems = passwordProblems(b.password, { identifier: residentId, mobile: account?.mobile ?? null });
      if (problems.length > 0) throw weak(problems, request.headers['accept-language']);
      if (!account) throw wrongCode('none', request.headers['accept-language']);
      const outcome = await checkPurposeCode(ctx, account.id, 'recovery', b.code, ctx.clock.now());
      if (outcome !== 'ok') throw wrongCode(outcome, request.headers['accept-language']);
      const passwordHash = await hashOrBusy(b.password);
      await setRecoveredPassword(ctx, account.id, passwordHash);
      return reply.code(204).send();
    },
  );
}
