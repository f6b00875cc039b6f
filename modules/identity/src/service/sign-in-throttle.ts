// Admission of a sign-in attempt through the throttles of domain/throttle.ts, before any hash or
// code comparison: the address, then the login, then the lockout — per login and address for
// passwords, per login for one-time codes (only someone who has the password reaches the code
// step, so locking it cannot be turned against the owner, while a pair lock there would let
// rotating addresses guess codes without end). An address this login signed in from before
// passes the address and login throttles (shared NAT, office, campus), not the lockout. A refused
// attempt costs a few indexed writes and no argon2. Everything an attempt charged is given back
// when it succeeds (or was never tried), so the counters count failures only.
// A password attempt from a known device of the account (service/known-devices.ts) skips the
// address and login throttles and is locked per login and device instead of per login and
// address: strangers' failures, from anywhere, never reach it.
import { createHmac } from 'node:crypto';
import type { ModuleContext } from '@tongban/kernel';
import { DEFAULT_LOCKOUT, recordSuccess, type LockState } from '../domain/lockout.ts';
import { DEFAULT_THROTTLE, secondsLeft, type ThrottleFactor, type ThrottlePolicy } from '../domain/throttle.ts';
import {
  chargeCounter,
  chargeLock,
  claimSlot,
  isKnownAddress,
  refundCounter,
  rememberAddress,
  settleLock,
} from '../store/throttle.ts';
import { typed } from '../store/tables.ts';

export interface Admitted {
  readonly outcome: 'admitted';
  readonly keys: ThrottleKeys;
  readonly factor: ThrottleFactor;
  readonly lockBefore: LockState;
  /** The account behind the login, if any: its lock events name it. */
  readonly accountId: string | null;
  readonly ip: string;
  /** Came from a known device: the address and login counters were not charged. */
  readonly device: boolean;
  /**
   * This attempt started a lock (identity.account.locked is already written, with the charge):
   * if it then succeeds or is never compared, the lock is given back with identity.account.unlocked.
   */
  readonly lock: { readonly until?: string; readonly lockCount: number; readonly started: boolean };
}

export type Refused =
  { readonly outcome: 'throttled'; readonly retryAfterSeconds: number } | { readonly outcome: 'locked' };

interface ThrottleKeys {
  readonly address: string;
  readonly login: string;
  readonly lock: string;
  readonly known: string;
}

const policy: ThrottlePolicy = DEFAULT_THROTTLE;

/** A throttle row's key: an HMAC, so the table holds no identifier, mobile or address in clear. */
export function throttleKey(ctx: ModuleContext, ...parts: string[]): string {
  return createHmac('sha256', ctx.secret('identity-otp-pepper')).update(parts.join('\u0000')).digest('hex');
}

/**
 * What sign-in events name a login by (identity.sign-in.failed's `loginKey`): an HMAC under the
 * pepper, under a label of its own so it matches no throttle row's key.
 */
export const loginKeyOf = (ctx: ModuleContext, login: string): string => throttleKey(ctx, 'event-login', login);

function keysOf(ctx: ModuleContext, login: string, ip: string, factor: ThrottleFactor, device?: string): ThrottleKeys {
  const key = (...parts: string[]) => throttleKey(ctx, ...parts);
  const lock =
    factor === 'code' ? key('code-lock', login) : device ? key('device-lock', login, device) : key('pair', login, ip);
  return { address: key('address', ip), login: key('login', login), lock, known: key('known', login, ip) };
}

async function crossed(
  ctx: ModuleContext,
  scope: 'address' | 'login',
  factor: ThrottleFactor,
  ip: string,
  retryAfterSeconds: number,
): Promise<void> {
  await ctx.db
    .transaction()
    .execute((trx) => ctx.events.publish(trx, 'identity.sign-in.throttled', { scope, factor, ip, retryAfterSeconds }));
}

/**
 * Lets an attempt at `login` (as typed and normalised, known account or not) from `ip` go on, or
 * refuses it. `accountId` is the account behind the login (null for none): a lock this attempt
 * starts is published in the transaction that charges it.
 */
export async function admit(
  ctx: ModuleContext,
  login: string,
  ip: string,
  factor: ThrottleFactor,
  now: Date,
  accountId: string | null,
  /** A known device of the account (password attempts only). */
  device?: string,
): Promise<Admitted | Refused> {
  const keys = keysOf(ctx, login, ip, factor, device);
  const exempt = device !== undefined && factor === 'password';
  if (!exempt) {
    const refused = await throttle(ctx, keys, ip, factor, now);
    if (refused) return refused;
  }
  const scope = factor === 'code' ? 'account' : exempt ? 'device' : 'address';
  const charged = await typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const result = await chargeLock(trx, keys.lock, factor, now, DEFAULT_LOCKOUT);
      // The lock and its event commit together: whatever happens to the attempt after (argon2 throws, the process dies), neither is without the other.
      if (result && result.charged.lockCount > result.before.lockCount && accountId) {
        await ctx.events.publish(trx, 'identity.account.locked', {
          accountId,
          until: result.charged.lockedUntil ?? '',
          lockCount: result.charged.lockCount,
          ip,
          factor,
          scope,
        });
      }
      return result;
    });
  if (!charged) {
    if (!exempt) await giveBack(ctx, keys, factor);
    return { outcome: 'locked' };
  }
  return {
    outcome: 'admitted',
    keys,
    factor,
    lockBefore: charged.before,
    accountId,
    ip,
    device: exempt,
    lock: {
      ...(charged.charged.lockedUntil ? { until: charged.charged.lockedUntil } : {}),
      lockCount: charged.charged.lockCount,
      started: charged.charged.lockCount > charged.before.lockCount,
    },
  };
}

/** The address and login throttles: a refusal, or undefined with both charged. */
async function throttle(
  ctx: ModuleContext,
  keys: ThrottleKeys,
  ip: string,
  factor: ThrottleFactor,
  now: Date,
): Promise<Refused | undefined> {
  let knownAnswer: boolean | undefined;
  const known = async () =>
    (knownAnswer ??= await isKnownAddress(typed(ctx.db), keys.known, now, policy.knownAddressSeconds));
  const address = await chargeCounter(typed(ctx.db), keys.address, factor, now, policy.windowSeconds);
  // A shared address (NAT, office, campus) full of other people's failures still lets in a login that signed in from it before.
  if (address.failures > policy.addressFailures && !(await known())) {
    const retryAfterSeconds = secondsLeft(address.windowStart, now, policy.windowSeconds);
    if (address.failures === policy.addressFailures + 1) await crossed(ctx, 'address', factor, ip, retryAfterSeconds);
    return { outcome: 'throttled', retryAfterSeconds };
  }
  const perLogin = await chargeCounter(typed(ctx.db), keys.login, factor, now, policy.windowSeconds);
  if (
    perLogin.failures > policy.loginFailures &&
    !(await known()) &&
    !(await claimSlot(typed(ctx.db), keys.login, factor, now, policy.slowedIntervalSeconds))
  ) {
    await refundCounter(typed(ctx.db), keys.address, factor); // not tried: no failure of this address
    const retryAfterSeconds = Math.min(
      policy.slowedIntervalSeconds,
      secondsLeft(perLogin.windowStart, now, policy.windowSeconds),
    );
    if (perLogin.failures === policy.loginFailures + 1) await crossed(ctx, 'login', factor, ip, retryAfterSeconds);
    return { outcome: 'throttled', retryAfterSeconds };
  }
  return undefined;
}

/** Puts the lock back as it was before this attempt; a lock the attempt started is withdrawn, with its event, in one transaction. */
async function restoreLock(
  ctx: ModuleContext,
  admitted: Admitted,
  state: LockState,
  reason: 'signed-in' | 'not-compared',
): Promise<void> {
  await typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      await settleLock(trx, admitted.keys.lock, admitted.factor, state);
      if (admitted.lock.started && admitted.accountId) {
        await ctx.events.publish(trx, 'identity.account.unlocked', {
          accountId: admitted.accountId,
          lockCount: admitted.lockBefore.lockCount,
          ip: admitted.ip,
          factor: admitted.factor,
          reason,
        });
      }
    });
}

async function giveBack(ctx: ModuleContext, keys: ThrottleKeys, factor: ThrottleFactor, device = false): Promise<void> {
  if (device) return; // a known device's attempt charged neither counter
  await refundCounter(typed(ctx.db), keys.address, factor);
  await refundCounter(typed(ctx.db), keys.login, factor);
}

/** The secret matched: the failures charged are given back; a finished sign-in makes the address known to the login. */
export async function settleSuccess(
  ctx: ModuleContext,
  admitted: Admitted,
  now: Date,
  options: { finished: boolean },
): Promise<void> {
  await giveBack(ctx, admitted.keys, admitted.factor, admitted.device);
  await restoreLock(ctx, admitted, recordSuccess(admitted.lockBefore), 'signed-in');
  if (options.finished) await rememberAddress(typed(ctx.db), admitted.keys.known, now);
}

/** The attempt was never compared (the hashes were busy): as if it had not been made. */
export async function undo(ctx: ModuleContext, admitted: Admitted): Promise<void> {
  await giveBack(ctx, admitted.keys, admitted.factor, admitted.device);
  await restoreLock(ctx, admitted, admitted.lockBefore, 'not-compared');
}

/** Makes an address known to a login, as a finished sign-in from it does. */
export async function rememberSignIn(ctx: ModuleContext, login: string, ip: string, now: Date): Promise<void> {
  await rememberAddress(typed(ctx.db), keysOf(ctx, login, ip, 'password').known, now);
}
