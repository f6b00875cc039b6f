// Brute-force lockout: five consecutive failures lock an account, each repeat lock lasts twice
// the one before, up to a day.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DEFAULT_LOCKOUT,
  evaluateLock,
  lockSeconds,
  recordFailure,
  recordSuccess,
  resetLock,
  type LockState,
  type LockoutPolicy,
} from '../src/domain/lockout.ts';

const T0 = new Date('2026-03-02T01:00:00Z');
const later = (seconds: number, from: Date = T0) => new Date(from.getTime() + seconds * 1000);

function fail(state: LockState, times: number, now: Date = T0, policy: LockoutPolicy = DEFAULT_LOCKOUT): LockState {
  for (let i = 0; i < times; i++) state = recordFailure(state, now, policy);
  return state;
}

/** Seconds from `now` until the account's lock ends, 0 when it is not locked. */
const lockedFor = (state: LockState, now: Date) => evaluateLock(state, now).retryAfterSeconds ?? 0;

describe('brute-force lockout', () => {
  it('the defaults are 5 failures, 15 minutes, at most 24 hours', () => {
    assert.deepEqual(DEFAULT_LOCKOUT, { maxFailures: 5, baseLockSeconds: 900, maxLockSeconds: 86_400 });
  });

  it('a new account is not locked', () => {
    assert.deepEqual(evaluateLock(resetLock(), T0), { locked: false });
  });

  it('four failures do not lock; the fifth locks for 15 minutes and starts the count again', () => {
    const four = fail(resetLock(), 4);
    assert.equal(evaluateLock(four, T0).locked, false);
    assert.equal(four.failures, 4);
    const five = recordFailure(four, T0);
    assert.deepEqual(evaluateLock(five, T0), { locked: true, retryAfterSeconds: 900 });
    assert.deepEqual(five, { failures: 0, lockCount: 1, lockedUntil: '2026-03-02T01:15:00.000Z' });
  });

  it('the lock expires', () => {
    const locked = fail(resetLock(), 5);
    assert.deepEqual(evaluateLock(locked, later(899)), { locked: true, retryAfterSeconds: 1 });
    assert.deepEqual(evaluateLock(locked, later(900)), { locked: false });
  });

  it('retry-after is rounded up to whole seconds', () => {
    const locked = fail(resetLock(), 5);
    assert.equal(lockedFor(locked, new Date(T0.getTime() + 500)), 900);
  });

  it('the second lock lasts twice the first, the third four times', () => {
    const first = fail(resetLock(), 5);
    const second = fail(first, 5, later(900));
    assert.equal(lockedFor(second, later(900)), 1800);
    const third = fail(second, 5, later(2700));
    assert.equal(lockedFor(third, later(2700)), 3600);
  });

  it('failures while locked are not counted', () => {
    const locked = fail(resetLock(), 5);
    assert.deepEqual(fail(locked, 20, later(60)), locked);
  });

  it('a success resets the failures but remembers earlier locks', () => {
    assert.deepEqual(recordSuccess(fail(resetLock(), 4)), { failures: 0, lockCount: 0 });
    const afterLock = recordSuccess(recordFailure(fail(resetLock(), 5), later(900)));
    assert.deepEqual(afterLock, { failures: 0, lockCount: 1 });
    assert.equal(
      evaluateLock(fail(afterLock, 4, later(1000)), later(1000)).locked,
      false,
      'four more failures after a success do not lock',
    );
    assert.equal(lockedFor(fail(afterLock, 5, later(1000)), later(1000)), 1800, 'a repeat offender still doubles');
  });

  it("an operator's reset forgets earlier locks", () => {
    const offender = fail(fail(fail(resetLock(), 5), 5, later(900)), 5, later(2700));
    assert.equal(lockedFor(offender, later(2700)), 3600);
    const unlocked = resetLock();
    assert.deepEqual(unlocked, { failures: 0, lockCount: 0 });
    assert.equal(evaluateLock(unlocked, later(2700)).locked, false);
    assert.equal(lockedFor(fail(unlocked, 5, later(2700)), later(2700)), 900, 'the next lock is a first lock again');
  });

  it('the policy is configurable', () => {
    const strict: LockoutPolicy = { maxFailures: 3, baseLockSeconds: 60, maxLockSeconds: 100 };
    const first = fail(resetLock(), 3, T0, strict);
    assert.equal(lockedFor(first, T0), 60);
    assert.equal(lockedFor(fail(first, 3, later(60), strict), later(60)), 100, 'capped at maxLockSeconds');
  });

  it('an unreadable lock time keeps the account locked', () => {
    assert.deepEqual(evaluateLock({ failures: 0, lockCount: 1, lockedUntil: 'not a date' }, T0), { locked: true });
  });

  it('no lock ever lasts longer than the cap, and each lasts at least as long as the one before', () => {
    const policy = fc.record({
      maxFailures: fc.integer({ min: 1, max: 10 }),
      baseLockSeconds: fc.integer({ min: 1, max: 86_400 }),
      maxLockSeconds: fc.integer({ min: 1, max: 7 * 86_400 }),
    });
    fc.assert(
      fc.property(policy, fc.array(fc.integer({ min: 0, max: 200_000 }), { maxLength: 200 }), (p, gaps) => {
        let state = resetLock();
        let now = T0;
        let previous = 0;
        for (const gap of gaps) {
          now = later(gap, now);
          const wasLocked = evaluateLock(state, now).locked;
          state = recordFailure(state, now, p);
          const duration = lockedFor(state, now);
          if (duration > p.maxLockSeconds) return false;
          if (!wasLocked && duration > 0) {
            if (duration < previous) return false;
            previous = duration;
          }
        }
        return true;
      }),
    );
  });

  it('lock durations double from the base up to the cap', () => {
    fc.assert(
      fc.property(fc.nat(2000), (lockCount) => {
        const seconds = lockSeconds(lockCount);
        return seconds <= 86_400 && seconds === Math.min(900 * 2 ** lockCount, 86_400);
      }),
    );
  });
});
