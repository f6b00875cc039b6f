// The threshold windows keep only what can still decide. This checks that against the plain
// definition — every matching signal kept, the window counted afresh — on random traffic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_RULES, loadRules, type ThresholdRule } from '../../src/domain/rules.ts';
import type { Signal } from '../../src/domain/signals.ts';
import { replay } from './replay.ts';

const T0 = Date.parse('2026-12-08T01:00:00Z');

/** When each threshold rule fires, by the definition: ≥ threshold (and ≥ atLeast targets) in the window, quiet until the window empties or the cooldown passes. */
function reference(rule: ThresholdRule, signals: readonly Signal[]): string[] {
  const fired: string[] = [];
  let window: Signal[] = [];
  let last: number | undefined;
  for (const s of signals) {
    if (rule.weight === 'count' && (s.count ?? 1) <= 0) continue; // no records, nothing counted
    const t = Date.parse(s.at);
    window = window.filter((x) => Date.parse(x.at) > t - rule.windowSeconds * 1000);
    if (window.length === 0) last = undefined;
    window.push(s);
    const sum = window.reduce((n, x) => n + (rule.weight === 'count' ? (x.count ?? 1) : 1), 0);
    const targets = new Set(
      window.flatMap((x) => (x.accountId ? [`a:${x.accountId}`] : x.login ? [`l:${x.login}`] : [])),
    );
    const met = sum >= rule.threshold && targets.size >= (rule.distinct?.atLeast ?? 0);
    const cooldown = (rule.cooldownSeconds ?? rule.windowSeconds) * 1000;
    if (met && (last === undefined || t - last >= cooldown)) {
      last = t;
      fired.push(s.id);
    }
  }
  return fired;
}

const failure = fc.record({
  gapMs: fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 8_000 }), weight: 40 },
    { arbitrary: fc.integer({ min: 0, max: 1_200_000 }), weight: 1 },
  ),
  // One account tried over and over among many: the newest entries alone do not hold the distinct ones.
  target: fc.oneof(
    { arbitrary: fc.constant({ accountId: 'c-main' }), weight: 6 },
    fc.integer({ min: 0, max: 30 }).map((n) => ({ accountId: `c-${n}` })),
    fc.integer({ min: 0, max: 30 }).map((n) => ({ login: `1380000${1000 + n}` })),
    fc.constant({}),
  ),
});

test('property: brute force and credential stuffing fire exactly when the plain definition does', () => {
  const rules = loadRules(DEFAULT_RULES);
  const byId = (id: string) => rules.rules.find((r) => r.id === id) as ThresholdRule;
  fc.assert(
    fc.property(fc.array(failure, { minLength: 1, maxLength: 250, size: 'max' }), (drafts) => {
      let t = T0;
      const signals: Signal[] = drafts.map((d, i) => {
        t += d.gapMs;
        return {
          id: `s-${i}`,
          at: new Date(t).toISOString(),
          type: 'sign-in.failed',
          ip: '192.0.2.1',
          factor: 'password',
          ...d.target,
        };
      });
      const { findings } = replay(rules, signals);
      for (const id of ['brute-force', 'credential-stuffing'])
        assert.deepEqual(
          findings.filter((f) => f.ruleId === id).map((f) => f.evidence.at(-1)),
          reference(byId(id), signals),
          id,
        );
    }),
    { seed: 5765, numRuns: 150 },
  );
});

test('property: mass export sums the records exactly as the plain definition does', () => {
  const rules = loadRules(DEFAULT_RULES);
  const rule = rules.rules.find((r) => r.id === 'mass-export') as ThresholdRule;
  const read = fc.record({ gapMs: fc.integer({ min: 0, max: 20_000 }), count: fc.integer({ min: 0, max: 30 }) });
  fc.assert(
    fc.property(fc.array(read, { minLength: 1, maxLength: 200, size: 'max' }), (drafts) => {
      let t = T0;
      const signals: Signal[] = drafts.map((d, i) => {
        t += d.gapMs;
        return {
          id: `r-${i}`,
          at: new Date(t).toISOString(),
          type: 'data.read',
          actorId: 'o-1',
          actorKind: 'officer',
          count: d.count,
        };
      });
      const { findings } = replay(rules, signals);
      assert.deepEqual(
        findings.map((f) => f.evidence.at(-1)),
        reference(rule, signals),
      );
    }),
    { seed: 51, numRuns: 300 },
  );
});
