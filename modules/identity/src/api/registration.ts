// Registration and counter recovery. The check digit proves an ID number is well formed, not that
// the person typing it holds it, and until the data hub can check a person against the population
// registry: a registration is pending until the SMS code sent to its mobile is confirmed (a pending
// account cannot sign in, and lapses after 30 minutes so that another registration may replace
// it); an ID registered by someone else is returned to its holder at a service counter, where an
// officer with the recovery role checks the person and their ID card in person, re-binds the
// account to the holder's mobile, and the holder sets a new password with a code sent there.
import { IdentityError } from '../errors.ts';
import { StaffRoles } from '@tongban/contracts';
import { randomUUID } from 'node:crypto';
import {
  DomainError,
  isUniqueViolation,
  negotiateLang,
  Policies,
  regionCovers,
  type AnyTransaction,
  type HttpApp,
  type ModuleContext,
  type Principal,
} from '@tongban/kernel';
import { sql } from 'kysely';
import Type from 'typebox';
import { isValidMobile, isValidResidentId, normaliseResidentId, regionOfIdentifier } from '../domain/identifiers.ts';
import type { CodeOutcome } from '../domain/one-time-codes.ts';
import { hashPassword, HashesBusy, passwordProblems } from '../domain/passwords.ts';
import { secondsLeft } from '../domain/throttle.ts';
import { findAccountByLogin, insertAccount } from '../store/accounts.ts';
import { chargeCounter, refundCounter } from '../store/throttle.ts';
import { weak } from './accounts.ts';
import { endSessionsIn } from './sessions.ts';
import { throttleKey } from '../service/sign-in-throttle.ts';
import { checkPurposeCode, devSmsSender, RECOVERY_NOTICE, sendCode, type SmsSender } from '../service/sms.ts';

const tags = ['identity: accounts'];
/** How long an unconfirmed registration holds its ID, and how long its code (and a recovery code) works. */
export const PENDING_SECONDS = 30 * 60;
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

/** A hash, or 503 when the process has too many in progress (domain/passwords.ts). */
export async function hashOrBusy(password: string): Promise<string> {
  try {
    return await hashPassword(password);
  } catch (error) {
    if (error instanceof HashesBusy) throw new IdentityError('IDENTITY_BUSY');
    throw error;
  }
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

/**
 * Registration codes one mobile may receive per hour: anyone can type valid ID numbers (the check
 * digit is public), so without this the form would text a stranger's phone without end.
 */
export const REGISTRATION_CODES_PER_MOBILE_HOUR = 3;

/** Registration codes one address may have sent per hour: else one address texts strangers' mobiles, three each, without end. */
export const REGISTRATION_CODES_PER_ADDRESS_HOUR = 10;
/**
 * Registrations one ID number may start per day: each holds the ID for 30 minutes, so without
 * this a squatter re-registers it as it lapses and keeps it from its holder for ever. The holder
 * goes to a counter then, where the recovery re-binds the (pending or lapsed) account to them.
 */
export const REGISTRATIONS_PER_ID_DAY = 3;

interface Charge {
  readonly key: string;
}

/**
 * Charges every limit a registration code passes, in order; the first one over refuses (429) and
 * gives back what this attempt charged, since no code goes out.
 */
async function chargeRegistration(
  ctx: ModuleContext,
  charges: { ip: string; residentId: string; mobile: string },
  now: Date,
): Promise<Charge[]> {
  const limits = [
    {
      key: throttleKey(ctx, 'registration-address', charges.ip),
      limit: REGISTRATION_CODES_PER_ADDRESS_HOUR,
      window: 3600,
      error: 'RATE_LIMITED',
      field: 'body',
      code: 'too_many_registrations_from_address',
    },
    {
      key: throttleKey(ctx, 'registration-id', charges.residentId),
      limit: REGISTRATIONS_PER_ID_DAY,
      window: 86_400,
      error: 'IDENTITY_TOO_MANY_REGISTRATIONS',
      field: 'body.residentId',
      code: 'too_many_registrations',
    },
    {
      key: throttleKey(ctx, 'registration-sms', charges.mobile),
      limit: REGISTRATION_CODES_PER_MOBILE_HOUR,
      window: 3600,
      error: 'IDENTITY_TOO_MANY_CODES',
      field: 'body.mobile',
      code: 'too_many_codes',
    },
  ] as const;
  const charged: Charge[] = [];
  for (const l of limits) {
    const { failures: count, windowStart } = await chargeCounter(ctx.db, l.key, 'code', now, l.window);
    charged.push({ key: l.key });
    if (count > l.limit) {
      await giveBackCharges(ctx, charged);
      throw new IdentityError(
        l.error,
        {},
        [{ field: l.field, code: l.code, message: `at most ${l.limit} per ${l.window / 3600} h` }],
        { retryAfterSeconds: secondsLeft(windowStart, now, l.window) },
      );
    }
  }
  return charged;
}

async function giveBackCharges(ctx: ModuleContext, charged: readonly Charge[]): Promise<void> {
  for (const c of charged) await refundCounter(ctx.db, c.key, 'code');
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

/** Takes back a registration whose code never went out (still pending: nothing else can refer to it). */
async function withdrawRegistration(ctx: ModuleContext, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('identity.one_time_code').where('account_id', '=', id).execute();
    const gone = await trx
      .deleteFrom('identity.account')
      .where('id', '=', id)
      .where('pending_until', 'is not', null)
      .executeTakeFirst();
    if (Number(gone.numDeletedRows) === 1)
      await ctx.events.publish(trx, 'identity.registration.lapsed', { accountId: id, reason: 'code-not-sent' });
  });
}

/**
 * What the squatter built on the ID goes with their factors. Agent links (经办人: acting for
 * businesses) are deleted — they were granted to the squatter, not to the holder. A business
 * naming the account as legal representative was registered by the squatter in the holder's
 * name, unchecked against the registry, and the squatter knows its password: detaching is not
 * possible (a business must have a legal representative, and the link names the right ID) and
 * would leave it usable, so it is suspended (disabled, its sessions and its agents gone) for the
 * holder to claim at the counter, not deleted (its applications refer to it).
 */
async function unlinkSquatterBusinesses(
  trx: AnyTransaction,
  ctx: ModuleContext,
  accountId: string,
  now: Date,
): Promise<{ agentLinksRemoved: number; businessesSuspended: string[] }> {
  const agentLinks = await trx.deleteFrom('identity.agent').where('citizen_id', '=', accountId).executeTakeFirst();
  const suspended = await trx
    .updateTable('identity.account')
    .set({ disabled_at: now.toISOString() })
    .where('kind', '=', 'business')
    .where('legal_representative', '=', accountId)
    .where('disabled_at', 'is', null)
    .returning('id')
    .execute();
  for (const { id } of suspended) {
    await trx.deleteFrom('identity.agent').where('business_id', '=', id).execute();
    await trx.deleteFrom('identity.sign_in_step').where('account_id', '=', id).execute();
    await endSessionsIn(trx, ctx, id);
  }
  return {
    agentLinksRemoved: Number(agentLinks.numDeletedRows),
    businessesSuspended: suspended.map((b) => b.id as string),
  };
}

export function registrationRoutes(app: HttpApp, ctx: ModuleContext): void {
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
      const existing = await findAccountByLogin(ctx.db, residentId);
      if (existing && existing.pendingUntil === null) throw new IdentityError('IDENTITY_ACCOUNT_EXISTS');
      if (existing && existing.pendingUntil!.getTime() > now.getTime())
        throw new IdentityError('IDENTITY_REGISTRATION_PENDING');
      const sender = smsSender(ctx);
      const charged = await chargeRegistration(ctx, { ip: request.ip, residentId, mobile }, now);
      let passwordHash: string;
      try {
        passwordHash = await hashOrBusy(b.password);
      } catch (error) {
        await giveBackCharges(ctx, charged);
        throw error;
      }
      const id = randomUUID();
      const pendingUntil = new Date(now.getTime() + PENDING_SECONDS * 1000);
      try {
        await ctx.db.transaction().execute(async (trx) => {
          if (existing) {
            // Lapsed: it held the ID long enough; nothing else can refer to an account that never signed in.
            await trx.deleteFrom('identity.one_time_code').where('account_id', '=', existing.id).execute();
            const gone = await trx
              .deleteFrom('identity.account')
              .where('id', '=', existing.id)
              .where(sql<boolean>`pending_until <= ${now.toISOString()}::timestamptz`)
              .executeTakeFirst();
            if (Number(gone.numDeletedRows) !== 1) throw new IdentityError('IDENTITY_REGISTRATION_PENDING');
            await ctx.events.publish(trx, 'identity.registration.lapsed', { accountId: existing.id, replacedBy: id });
          }
          await insertAccount(trx, {
            id,
            kind: 'citizen',
            login: residentId,
            displayName: b.name,
            mobile,
            passwordHash,
            lang: negotiateLang(request.headers['accept-language']),
            pendingUntil,
          });
          await ctx.events.publish(trx, 'identity.account.registered', {
            accountId: id,
            kind: 'citizen',
            pendingUntil: pendingUntil.toISOString(),
          });
        });
      } catch (error) {
        await giveBackCharges(ctx, charged);
        // Two registrations of one ID at once: the database's unique login lets one through.
        if (isUniqueViolation(error)) throw new IdentityError('IDENTITY_REGISTRATION_PENDING');
        throw error;
      }
      try {
        await sendCode(ctx, sender, id, mobile, now, 'registration', PENDING_SECONDS);
      } catch (error) {
        // No code reached the mobile: a pending row would hold the ID for 30 minutes with nothing to confirm it by.
        request.log.error(
          { err: error, accountId: id },
          'registration code could not be sent; the registration is withdrawn',
        );
        await withdrawRegistration(ctx, id);
        await giveBackCharges(ctx, charged);
        throw new IdentityError('IDENTITY_SMS_UNAVAILABLE');
      }
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
      const account = await findAccountByLogin(ctx.db, residentId);
      if (!account || account.pendingUntil === null) throw wrongCode('none', request.headers['accept-language']);
      if (account.pendingUntil.getTime() <= now.getTime())
        throw wrongCode('expired', request.headers['accept-language']);
      const outcome = await checkPurposeCode(ctx, account.id, 'registration', request.body.code, now);
      if (outcome !== 'ok') throw wrongCode(outcome, request.headers['accept-language']);
      await ctx.db.transaction().execute(async (trx) => {
        // Only if it is still this pending registration: it may have lapsed and been replaced since it was read.
        const activated = await trx
          .updateTable('identity.account')
          .set({ pending_until: null })
          .where('id', '=', account.id)
          .where(sql<boolean>`pending_until > ${now.toISOString()}::timestamptz`)
          .executeTakeFirst();
        if (Number(activated.numUpdatedRows) !== 1) throw wrongCode('expired', request.headers['accept-language']);
        await trx
          .deleteFrom('identity.one_time_code')
          .where('account_id', '=', account.id)
          .where('purpose', '=', 'registration')
          .execute();
        await ctx.events.publish(trx, 'identity.account.activated', { accountId: account.id, via: 'sms-code' });
      });
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
      const result = await ctx.db.transaction().execute(async (trx) => {
        // The row lock serialises a recovery with sign-ins' and registrations' writes to the account.
        const locked = await trx
          .selectFrom('identity.account')
          .select('id')
          .where('login', '=', residentId)
          .where('kind', '=', 'citizen')
          .forUpdate()
          .executeTakeFirst();
        const account = locked ? await findAccountByLogin(trx, residentId) : undefined;
        if (!account) throw new IdentityError('NOT_FOUND');
        // Whatever the squatter set up goes: password, authenticator, passkeys, codes, sessions.
        await trx
          .updateTable('identity.account')
          .set({
            display_name: b.name,
            mobile,
            password_hash: null,
            totp_secret: null,
            totp_pending_secret: null,
            totp_last_step: null,
            pending_until: null,
          })
          .where('id', '=', account.id)
          .execute();
        const passkeys = await trx
          .deleteFrom('identity.webauthn_credential')
          .where('account_id', '=', account.id)
          .executeTakeFirst();
        await trx.deleteFrom('identity.webauthn_challenge').where('subject', '=', account.id).execute();
        await trx.deleteFrom('identity.one_time_code').where('account_id', '=', account.id).execute();
        await trx.deleteFrom('identity.sign_in_step').where('account_id', '=', account.id).execute();
        const sessionsEnded = await endSessionsIn(trx, ctx, account.id);
        const links = await unlinkSquatterBusinesses(trx, ctx, account.id, now);
        await ctx.events.publish(trx, 'identity.account.recovered', {
          accountId: account.id,
          by: officer.id,
          verified: b.verified,
          sessionsEnded,
          ...links,
          factorsRemoved: { totp: account.totpSecret !== null, passkeys: Number(passkeys.numDeletedRows) },
          mobileChanged: account.mobile !== mobile,
        });
        return { account, sessionsEnded };
      });
      const { account, sessionsEnded } = result;
      if (account.mobile && account.mobile !== mobile) {
        try {
          await sender.send(account.mobile, RECOVERY_NOTICE[account.lang]);
        } catch (error) {
          request.log.error(
            { err: error, accountId: account.id },
            'could not tell the old mobile of a counter recovery',
          );
        }
      }
      await sendCode(ctx, sender, account.id, mobile, now, 'recovery', PENDING_SECONDS);
      return { accountId: account.id, sessionsEnded };
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
      const account = await findAccountByLogin(ctx.db, residentId);
      // The password is checked first, so a weak one does not use up a try of the code.
      const problems = passwordProblems(b.password, { identifier: residentId, mobile: account?.mobile ?? null });
      if (problems.length > 0) throw weak(problems, request.headers['accept-language']);
      if (!account) throw wrongCode('none', request.headers['accept-language']);
      const outcome = await checkPurposeCode(ctx, account.id, 'recovery', b.code, ctx.clock.now());
      if (outcome !== 'ok') throw wrongCode(outcome, request.headers['accept-language']);
      const passwordHash = await hashOrBusy(b.password);
      await ctx.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('identity.account')
          .set({ password_hash: passwordHash })
          .where('id', '=', account.id)
          .execute();
        await trx
          .deleteFrom('identity.one_time_code')
          .where('account_id', '=', account.id)
          .where('purpose', '=', 'recovery')
          .execute();
        await ctx.events.publish(trx, 'identity.account.password-set', {
          accountId: account.id,
          via: 'counter-recovery',
        });
      });
      return reply.code(204).send();
    },
  );
}
