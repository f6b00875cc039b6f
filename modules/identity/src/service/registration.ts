// Registration and counter recovery (api/registration.ts): the limits a registration code passes,
// the pending account and its code, the activation, and the recovery that returns an account to
// the holder of its ID — each change committing with its events.
import { randomUUID } from 'node:crypto';
import { isUniqueViolation, type Lang, type ModuleContext } from '@tongban/kernel';
import { IdentityError } from '../errors.ts';
import { hashPassword, HashesBusy } from '../domain/passwords.ts';
import { secondsLeft } from '../domain/throttle.ts';
import {
  activatePendingAccount,
  deleteLapsedAccount,
  deletePendingAccount,
  findAccountByLogin,
  insertAccount,
  lockCitizenByLogin,
  rebindForRecovery,
  setPasswordHash,
  suspendBusinessesOf,
  type Account,
} from '../store/accounts.ts';
import { removeAgentLinksOf, removeAgentsOfBusiness } from '../store/agents.ts';
import { deleteCodes } from '../store/one-time-codes.ts';
import { deletePasskeysOf } from '../store/passkeys.ts';
import { deleteSignInStepsOf } from '../store/sign-in-steps.ts';
import { chargeCounter, refundCounter } from '../store/throttle.ts';
import { endSessionsIn } from './sessions.ts';
import { revokeKnownDevices } from '../store/known-devices.ts';
import { throttleKey } from './sign-in-throttle.ts';
import { RECOVERY_NOTICE, sendCode, type SmsSender } from './sms.ts';
import { typed, type IdentityTrx } from '../store/tables.ts';

/** Where a failure after the fact is logged (the request's logger). */
export interface ErrorLog {
  error(obj: object, msg: string): void;
}

/** How long an unconfirmed registration holds its ID, and how long its code (and a recovery code) works. */
export const PENDING_SECONDS = 30 * 60;
/** A hash, or 503 when the process has too many in progress (domain/passwords.ts). */
export async function hashOrBusy(password: string): Promise<string> {
  try {
    return await hashPassword(password);
  } catch (error) {
    if (error instanceof HashesBusy) throw new IdentityError('IDENTITY_BUSY');
    throw error;
  }
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
    const { failures: count, windowStart } = await chargeCounter(typed(ctx.db), l.key, 'code', now, l.window);
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

export async function giveBackCharges(ctx: ModuleContext, charged: readonly Charge[]): Promise<void> {
  for (const c of charged) await refundCounter(typed(ctx.db), c.key, 'code');
}

/** Takes back a registration whose code never went out (still pending: nothing else can refer to it). */
async function withdrawRegistration(ctx: ModuleContext, id: string): Promise<void> {
  await typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      await deleteCodes(trx, id);
      if (await deletePendingAccount(trx, id))
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
  trx: IdentityTrx,
  ctx: ModuleContext,
  accountId: string,
  now: Date,
): Promise<{ agentLinksRemoved: number; businessesSuspended: string[] }> {
  const agentLinksRemoved = await removeAgentLinksOf(trx, accountId);
  const suspended = await suspendBusinessesOf(trx, accountId, now);
  for (const id of suspended) {
    await removeAgentsOfBusiness(trx, id);
    await deleteSignInStepsOf(trx, id);
    await endSessionsIn(trx, ctx, id);
  }
  return { agentLinksRemoved, businessesSuspended: suspended };
}

/** A pending citizen account for the ID, replacing a lapsed one, and the code that confirms it sent to the mobile. */
export async function registerCitizen(
  ctx: ModuleContext,
  input: {
    existing: Account | undefined;
    residentId: string;
    name: string;
    mobile: string;
    password: string;
    lang: Lang;
    ip: string;
    now: Date;
    sender: SmsSender;
    log: ErrorLog;
  },
): Promise<{ id: string; pendingUntil: Date }> {
  const { existing, residentId, mobile, now, sender } = input;
  const charged = await chargeRegistration(ctx, { ip: input.ip, residentId, mobile }, now);
  let passwordHash: string;
  try {
    passwordHash = await hashOrBusy(input.password);
  } catch (error) {
    await giveBackCharges(ctx, charged);
    throw error;
  }
  const id = randomUUID();
  const pendingUntil = new Date(now.getTime() + PENDING_SECONDS * 1000);
  try {
    await typed(ctx.db)
      .transaction()
      .execute(async (trx) => {
        if (existing) {
          // Lapsed: it held the ID long enough; nothing else can refer to an account that never signed in.
          await deleteCodes(trx, existing.id);
          if (!(await deleteLapsedAccount(trx, existing.id, now)))
            throw new IdentityError('IDENTITY_REGISTRATION_PENDING');
          await ctx.events.publish(trx, 'identity.registration.lapsed', { accountId: existing.id, replacedBy: id });
        }
        await insertAccount(trx, {
          id,
          kind: 'citizen',
          login: residentId,
          displayName: input.name,
          mobile,
          passwordHash,
          lang: input.lang,
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
    input.log.error(
      { err: error, accountId: id },
      'registration code could not be sent; the registration is withdrawn',
    );
    await withdrawRegistration(ctx, id);
    await giveBackCharges(ctx, charged);
    throw new IdentityError('IDENTITY_SMS_UNAVAILABLE');
  }
  return { id, pendingUntil };
}

/** Activates the pending registration and spends its code; false when it lapsed meanwhile. */
export async function activateRegistration(ctx: ModuleContext, accountId: string, now: Date): Promise<boolean> {
  return typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      if (!(await activatePendingAccount(trx, accountId, now))) return false;
      await deleteCodes(trx, accountId, 'registration');
      await ctx.events.publish(trx, 'identity.account.activated', { accountId, via: 'sms-code' });
      return true;
    });
}

/**
 * Returns the account of the ID to its holder, checked in person by the officer: the squatter's
 * factors, codes, sessions and links go, the account is re-bound to the holder's mobile, the old
 * mobile is told, and a code to set a new password is sent to the new one.
 */
export async function recoverAccount(
  ctx: ModuleContext,
  input: {
    residentId: string;
    name: string;
    mobile: string;
    verified: 'in_person';
    officerId: string;
    now: Date;
    sender: SmsSender;
    log: ErrorLog;
  },
): Promise<{ accountId: string; sessionsEnded: number }> {
  const { residentId, mobile, now, sender } = input;
  const result = await typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      // The row lock serialises a recovery with sign-ins' and registrations' writes to the account.
      const locked = await lockCitizenByLogin(trx, residentId);
      const account = locked ? await findAccountByLogin(trx, residentId) : undefined;
      if (!account) throw new IdentityError('NOT_FOUND');
      // Whatever the squatter set up goes: password, authenticator, passkeys, codes, sessions.
      await rebindForRecovery(trx, account.id, { displayName: input.name, mobile });
      const passkeys = await deletePasskeysOf(trx, account.id);
      await deleteCodes(trx, account.id);
      await deleteSignInStepsOf(trx, account.id);
      // The squatter's browsers were known devices of the account: no longer.
      await revokeKnownDevices(trx, account.id, now);
      const sessionsEnded = await endSessionsIn(trx, ctx, account.id);
      const links = await unlinkSquatterBusinesses(trx, ctx, account.id, now);
      await ctx.events.publish(trx, 'identity.account.recovered', {
        accountId: account.id,
        by: input.officerId,
        verified: input.verified,
        sessionsEnded,
        ...links,
        factorsRemoved: { totp: account.totpSealed !== null, passkeys },
        mobileChanged: account.mobile !== mobile,
      });
      return { account, sessionsEnded };
    });
  const { account, sessionsEnded } = result;
  if (account.mobile && account.mobile !== mobile) {
    try {
      await sender.send(account.mobile, RECOVERY_NOTICE[account.lang]);
    } catch (error) {
      input.log.error({ err: error, accountId: account.id }, 'could not tell the old mobile of a counter recovery');
    }
  }
  await sendCode(ctx, sender, account.id, mobile, now, 'recovery', PENDING_SECONDS);
  return { accountId: account.id, sessionsEnded };
}

/** The new password after a counter recovery, with the code that allowed it spent. */
export async function setRecoveredPassword(ctx: ModuleContext, accountId: string, passwordHash: string): Promise<void> {
  await typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      await setPasswordHash(trx, accountId, passwordHash);
      await deleteCodes(trx, accountId, 'recovery');
      await ctx.events.publish(trx, 'identity.account.password-set', { accountId, via: 'counter-recovery' });
    });
}
