// Sign-in throttles ahead of the password hash (cheap refusals first). Three counters, each per
// factor (password, one-time code), in fixed windows:
// - per address: failures from one address across every login — password spraying across many
//   accounts stops at `addressFailures` without a single further hash;
// - per login (the typed identifier, known account or not, so the answer tells nothing about
//   which accounts exist): failures from every address — past `loginFailures` the login is
//   slowed, not locked: an address this login signed in from before still gets through at once,
//   any other address gets one attempt per `slowedIntervalSeconds` for the whole login;
// - per login and address: the 5-failure lockout (domain/lockout.ts), so an attacker locks out
//   only their own address, never the owner at home.

export interface ThrottlePolicy {
  readonly windowSeconds: number;
  readonly addressFailures: number;
  readonly loginFailures: number;
  readonly slowedIntervalSeconds: number;
  /** How long a successful sign-in makes an address known for its login. */
  readonly knownAddressSeconds: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  windowSeconds: 15 * 60,
  addressFailures: 20,
  loginFailures: 10,
  slowedIntervalSeconds: 60,
  knownAddressSeconds: 90 * 24 * 3600,
};

export type ThrottleFactor = 'password' | 'code';

/** Whole seconds until a window that started at `windowStart` ends, at least 1. */
export function secondsLeft(windowStart: Date, now: Date, seconds: number): number {
  return Math.max(1, Math.ceil((windowStart.getTime() + seconds * 1000 - now.getTime()) / 1000));
}
