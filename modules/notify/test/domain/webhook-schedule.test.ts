// The webhook retry schedule: 8 attempts over about a day, jittered, increasing, then a dead letter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { nextAttemptDelayMs, WEBHOOK_MAX_ATTEMPTS } from '../../src/domain/webhook-schedule.ts';

const HOUR = 3_600_000;

test('with random = 0.5 the waits are exactly 5 s, 5 min, 30 min, 2 h, 5 h, 7.5 h, 10 h, then dead letter', () => {
  const waits = Array.from({ length: 8 }, (_, i) => nextAttemptDelayMs(i + 1, () => 0.5));
  assert.deepEqual(waits, [5_000, 300_000, 1_800_000, 2 * HOUR, 5 * HOUR, 7.5 * HOUR, 10 * HOUR, null]);
  assert.equal(WEBHOOK_MAX_ATTEMPTS, 8);
  assert.equal(
    nextAttemptDelayMs(100, () => 0.5),
    null,
  );
});

test('for any random the whole schedule lasts between 23 and 27 hours and every wait is longer than the last', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 7, maxLength: 7 }), (rs) => {
      const waits = rs.map((r, i) => nextAttemptDelayMs(i + 1, () => r) as number);
      const total = waits.reduce((a, b) => a + b, 0);
      assert.ok(total >= 23 * HOUR && total <= 27 * HOUR, `total ${total / HOUR} h`);
      for (let i = 1; i < waits.length; i++) assert.ok((waits[i] as number) > (waits[i - 1] as number));
      assert.equal(
        nextAttemptDelayMs(8, () => rs[0] as number),
        null,
      );
    }),
  );
});

test('jitter stays within ±5 % even for a random outside [0, 1]', () => {
  assert.equal(
    nextAttemptDelayMs(7, () => 0),
    9.5 * HOUR,
  );
  assert.equal(
    nextAttemptDelayMs(7, () => 1),
    10.5 * HOUR,
  );
  assert.equal(
    nextAttemptDelayMs(7, () => 7),
    10.5 * HOUR,
  );
  assert.equal(
    nextAttemptDelayMs(1, () => -1),
    4_750,
  );
});

test('attempt numbers start at 1', () => {
  assert.throws(() => nextAttemptDelayMs(0, Math.random), RangeError);
  assert.throws(() => nextAttemptDelayMs(1.5, Math.random), RangeError);
});
