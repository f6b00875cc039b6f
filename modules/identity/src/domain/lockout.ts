// Brute-force lockout (登录失败锁定) as a small state machine over a stored value. The caller
// charges a failure before it compares a secret and settles with recordSuccess when it matched,
// so parallel guesses cannot outrun the count.

export interface LockState {
  /** Consecutive failures since the last success or lock. */
  readonly failures: number;
  /** Locks so far; each lock lasts twice the one before. Only an operator's resetLock clears it. */
  readonly lockCount: number;
  /** ISO 8601 instant; absent when the account has never been locked or the lock is spent. */
  readonly lockedUntil?: string;
}

export interface LockoutPolicy {
  readonly maxFailures: number;
  readonly baseLockSeconds: number;
  readonly maxLockSeconds: number;
}

export interface LockVerdict {
  readonly locked: boolean;
  /** Whole seconds until the lock ends (rounded up); only while locked. */
  readonly retryAfterSeconds?: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = {
  maxFailures: 5,
  baseLockSeconds: 15 * 60,
  maxLockSeconds: 24 * 60 * 60,
};

/** An account nobody has failed to sign in to, and what an operator's unlock returns to. */
export function resetLock(): LockState {
  return { failures: 0, lockCount: 0 };
}

/** Whether the account refuses attempts at `now`. An unreadable lockedUntil counts as locked, with no end. */
export function evaluateLock(state: LockState, now: Date): LockVerdict {
  const remainingMs = lockRemainingMs(state, now);
  if (remainingMs <= 0) return { locked: false };
  return Number.isFinite(remainingMs)
    ? { locked: true, retryAfterSeconds: Math.ceil(remainingMs / 1000) }
    : { locked: true };
}

/** How long the next lock will last after `lockCount` earlier ones: base × 2^lockCount, capped. */
export function lockSeconds(lockCount: number, policy: LockoutPolicy = DEFAULT_LOCKOUT): number {
  return Math.min(policy.baseLockSeconds * 2 ** lockCount, policy.maxLockSeconds);
}

/**
 * One more failure. The `maxFailures`-th consecutive one locks the account for
 * lockSeconds(lockCount) and starts the count again. Failures while locked are not counted: a
 * locked account refuses the attempt without comparing anything, so it learns nothing.
 */
export function recordFailure(state: LockState, now: Date, policy: LockoutPolicy = DEFAULT_LOCKOUT): LockState {
  if (lockRemainingMs(state, now) > 0) return state;
  const failures = state.failures + 1;
  if (failures < policy.maxFailures) return { failures, lockCount: state.lockCount };
  const until = new Date(now.getTime() + lockSeconds(state.lockCount, policy) * 1000);
  return { failures: 0, lockCount: state.lockCount + 1, lockedUntil: until.toISOString() };
}

/**
 * A correct secret: consecutive failures start again from 0. lockCount is kept on purpose: an
 * attacker who knows one factor, or who waits out each lock between guessing runs, keeps doubling
 * the lock instead of starting again at 15 minutes. Only an operator's resetLock() forgets it.
 */
export function recordSuccess(state: LockState): LockState {
  return { failures: 0, lockCount: state.lockCount };
}

function lockRemainingMs(state: LockState, now: Date): number {
  if (state.lockedUntil === undefined) return 0;
  const until = Date.parse(state.lockedUntil);
  // Fail closed: a corrupted lockedUntil keeps the account locked until an operator resets it.
  if (Number.isNaN(until)) return Number.POSITIVE_INFINITY;
  return until - now.getTime();
}
