// Admission of a sign-in attempt through the throttles of domain/throttle.ts, before any hash or
// code comparison: the address, then the login, then the login-and-address lockout. A refused
// attempt costs a few indexed writes and no argon2. Everything an attempt charged is given back
// when it succeeds (or was never tried), so the counters count failures only.
import { createHmac } from 'node:crypto';
import type { ModuleContext } from '@tongban/kernel';
import { DEFAULT_LOCKOUT, recordSuccess, type LockState } from '../domain/lockout.ts';
import { DEFAULT_THROTTLE, secondsLeft, type ThrottleFactor, type ThrottlePolicy } from '../domain/throttle.ts';
import { chargeCounter, chargeLock, claimSlot, isKnownAddress, refundCounter, rememberAddress, settleLock } from '../store/throttle.ts';

export interface Admitted {
  readonly outcome: 'admitted';
  readonly keys: ThrottleKeys;
  readonly factor: ThrottleFactor;
  readonly lockBefore: LockState;
  /** This attempt, if it fails, locks the pair: the caller records identity.account.locked. */
  readonly lock: { readonly until?: string; readonly lockCount: number; readonly started: boolean };
}

export type Refused = { readonly outcome: 'throttled'; readonly retryAfterSeconds: number } | { readonly outcome: 'locked' };

interface ThrottleKeys { readonly address: string; readonly login: string; readonly pair: string; readonly known: string }

const policy: ThrottlePolicy = DEFAULT_THROTTLE;

/** A throttle row's key: an HMAC, so the table holds no identifier, mobile or address in clear. */
export function throttleKey(ctx: ModuleContext, ...parts: string[]): string {
  return createHmac('sha256', ctx.secret('identity-otp-pepper')).update(parts.join('\u0000')).digest('hex');
}

function keysOf(ctx: ModuleContext, login: string, ip: string): ThrottleKeys {
  const key = (...parts: string[]) => throttleKey(ctx, ...parts);
  return { address: key('address', ip), login: key('login', login), pair: key('pair', login, ip), known: key('known', login, ip) };
}

async function crossed(ctx: ModuleContext, scope: 'address' | 'login', factor: ThrottleFactor, ip: string, retryAfterSeconds: number): Promise<void> {
  await ctx.db.transaction().execute((trx) => ctx.events.publish(trx, 'identity.sign-in.throttled', { scope, factor, ip, retryAfterSeconds }));
}

/** Lets an attempt at `login` (as typed and normalised, known account or not) from `ip` go on, or refuses it. */
export async function admit(ctx: ModuleContext, login: string, ip: string, factor: ThrottleFactor, now: Date): Promise<Admitted | Refused> {
  const keys = keysOf(ctx, login, ip);
  const address = await chargeCounter(ctx.db, keys.address, factor, now, policy.windowSeconds);
  if (address.failures > policy.addressFailures) {
    const retryAfterSeconds = secondsLeft(address.windowStart, now, policy.windowSeconds);
    if (address.failures === policy.addressFailures + 1) await crossed(ctx, 'address', factor, ip, retryAfterSeconds);
    return { outcome: 'throttled', retryAfterSeconds };
  }
  const perLogin = await chargeCounter(ctx.db, keys.login, factor, now, policy.windowSeconds);
  if (perLogin.failures > policy.loginFailures
    && !(await isKnownAddress(ctx.db, keys.known, now, policy.knownAddressSeconds))
    && !(await claimSlot(ctx.db, keys.login, factor, now, policy.slowedIntervalSeconds))) {
    await refundCounter(ctx.db, keys.address, factor); // not tried: no failure of this address
    const retryAfterSeconds = Math.min(policy.slowedIntervalSeconds, secondsLeft(perLogin.windowStart, now, policy.windowSeconds));
    if (perLogin.failures === policy.loginFailures + 1) await crossed(ctx, 'login', factor, ip, retryAfterSeconds);
    return { outcome: 'throttled', retryAfterSeconds };
  }
  const charged = await ctx.db.transaction().execute((trx) => chargeLock(trx, keys.pair, factor, now, DEFAULT_LOCKOUT));
  if (!charged) {
    await giveBack(ctx, keys, factor);
    return { outcome: 'locked' };
  }
  return {
    outcome: 'admitted', keys, factor, lockBefore: charged.before,
    lock: { ...(charged.charged.lockedUntil ? { until: charged.charged.lockedUntil } : {}), lockCount: charged.charged.lockCount, started: charged.charged.lockCount > charged.before.lockCount },
  };
}

async function giveBack(ctx: ModuleContext, keys: ThrottleKeys, factor: ThrottleFactor): Promise<void> {
  await refundCounter(ctx.db, keys.address, factor);
  await refundCounter(ctx.db, keys.login, factor);
}

/** The secret matched: the failures charged are given back; a finished sign-in makes the address known to the login. */
export async function settleSuccess(ctx: ModuleContext, admitted: Admitted, now: Date, options: { finished: boolean }): Promise<void> {
  await giveBack(ctx, admitted.keys, admitted.factor);
  await settleLock(ctx.db, admitted.keys.pair, admitted.factor, recordSuccess(admitted.lockBefore));
  if (options.finished) await rememberAddress(ctx.db, admitted.keys.known, now);
}

/** The attempt was never compared (the hashes were busy): as if it had not been made. */
export async function undo(ctx: ModuleContext, admitted: Admitted): Promise<void> {
  await giveBack(ctx, admitted.keys, admitted.factor);
  await settleLock(ctx.db, admitted.keys.pair, admitted.factor, admitted.lockBefore);
}

/** Makes an address known to a login, as a finished sign-in from it does. */
export async function rememberSignIn(ctx: ModuleContext, login: string, ip: string, now: Date): Promise<void> {
  await rememberAddress(ctx.db, keysOf(ctx, login, ip).known, now);
}
