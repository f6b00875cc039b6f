// GOV.UK Notify's failover rule: a provider is demoted only after 50 failures within 60 s, and
// comes back after the cool-down.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_FAILOVER_RULE,
  initialFailoverState,
  isDemoted,
  providerOrder,
  recordFailure,
  type FailoverState,
} from '../../src/domain/failover.ts';

const rule = DEFAULT_FAILOVER_RULE;
const failTimes = (state: FailoverState, index: number, times: number[]) =>
  times.reduce((s, t) => recordFailure(s, index, t, rule), state);

test('49 failures in a minute do not demote; the 50th does', () => {
  const times = Array.from({ length: 49 }, (_, i) => 1_000 + i * 1_000);
  const s49 = failTimes(initialFailoverState(2), 0, times);
  assert.equal(isDemoted(s49, 0, 50_000), false);
  assert.deepEqual(providerOrder(s49, 50_000), [0, 1]);
  const s50 = recordFailure(s49, 0, 50_000, rule);
  assert.equal(isDemoted(s50, 0, 50_000), true);
  assert.deepEqual(providerOrder(s50, 50_000), [1, 0]);
});

test('failures older than the window do not count: the window slides', () => {
  const early = Array.from({ length: 49 }, (_, i) => i);
  const s = failTimes(initialFailoverState(2), 0, early);
  // 60 s after the first failures they have left the window: one more is 1 in the window, not 50.
  const later = recordFailure(s, 0, 60_000 + 49, rule);
  assert.equal(isDemoted(later, 0, 60_049), false);
  assert.equal(later[0]?.failures.length, 1);
  // Just inside the window all 50 count.
  const inside = recordFailure(s, 0, 59_999, rule);
  assert.equal(isDemoted(inside, 0, 59_999), true);
});

test('a demoted provider takes its place again after the cool-down, with a clean slate', () => {
  const s = failTimes(
    initialFailoverState(2),
    0,
    Array.from({ length: 50 }, () => 0),
  );
  assert.deepEqual(providerOrder(s, rule.cooldownMs - 1), [1, 0]);
  assert.deepEqual(providerOrder(s, rule.cooldownMs), [0, 1]);
  const again = recordFailure(s, 0, rule.cooldownMs, rule);
  assert.equal(isDemoted(again, 0, rule.cooldownMs), false);
  assert.equal(again[0]?.failures.length, 1);
});

test('the next provider can be demoted too; the soonest back comes first', () => {
  let s = failTimes(
    initialFailoverState(3),
    0,
    Array.from({ length: 50 }, () => 0),
  );
  s = failTimes(
    s,
    1,
    Array.from({ length: 50 }, () => 10),
  );
  assert.deepEqual(providerOrder(s, 20), [2, 0, 1]);
  s = failTimes(
    s,
    2,
    Array.from({ length: 50 }, () => 20),
  );
  assert.deepEqual(providerOrder(s, 30), [0, 1, 2]);
});

test('one provider failing does not touch the others', () => {
  const s = failTimes(
    initialFailoverState(2),
    1,
    Array.from({ length: 50 }, () => 5),
  );
  assert.equal(isDemoted(s, 0, 5), false);
  assert.deepEqual(s[0], { failures: [], demotedUntil: null });
});
