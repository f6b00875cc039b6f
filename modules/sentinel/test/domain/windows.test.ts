// The windows' algebra: state survives a restart (JSON) and a sweeper (expiresAt) without changing
// a decision, a fired rule stays quiet until its window empties or its cooldown passes, and the
// state stays small however long the attack.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { keysFor, step, type Finding } from '../../src/domain/engine.ts';
import { DEFAULT_RULES, loadRules } from '../../src/domain/rules.ts';
import { SIGNAL_TYPES, type Signal } from '../../src/domain/signals.ts';
import { readTrace, replay } from './replay.ts';

const rules = loadRules(DEFAULT_RULES);
const T0 = Date.parse('2026-12-08T01:00:00Z'); // Tuesday 09:00 in Beijing
const summary = (findings: readonly Finding[]) => findings.map((f) => JSON.stringify(f));

function failures(from: number, n: number, everyMs: number, ip = '198.51.100.23', prefix = 'f'): Signal[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    at: new Date(from + i * everyMs).toISOString(),
    type: 'sign-in.failed' as const,
    ip,
    accountId: 'c-victim',
    factor: 'password' as const,
  }));
}

const TRACES = [
  'attack-brute-force.jsonl',
  'attack-credential-stuffing.jsonl',
  'attack-impossible-travel.jsonl',
  'attack-mass-export.jsonl',
  'attack-privileged-off-hours.jsonl',
  'attack-probing.jsonl',
  'attack-refresh-token-reuse.jsonl',
  'attack-reveal-rate.jsonl',
];

test('state through JSON mid-trace (a restart) gives the same findings', () => {
  for (const name of [...TRACES, 'normal-day.jsonl']) {
    const signals = readTrace(name);
    const straight = replay(rules, signals);
    const middle = new Set([Math.floor(signals.length / 2)]);
    assert.deepEqual(summary(replay(rules, signals, { restartAt: middle }).findings), summary(straight.findings), name);
    if (name !== 'normal-day.jsonl')
      assert.deepEqual(
        summary(replay(rules, signals, { restartAt: 'every' }).findings),
        summary(straight.findings),
        name,
      );
  }
});

test('deleting states past their expiresAt changes no decision', () => {
  for (const name of [...TRACES, 'normal-day.jsonl']) {
    const signals = readTrace(name);
    assert.deepEqual(
      summary(replay(rules, signals, { sweep: name === 'normal-day.jsonl' ? 25 : true }).findings),
      summary(replay(rules, signals).findings),
      name,
    );
  }
});

const arbitrarySignal = fc.record(
  {
    gapMs: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 3_600_000 })),
    type: fc.constantFrom(...SIGNAL_TYPES),
    ip: fc.constantFrom('203.0.113.5', '198.51.100.5', '192.0.2.5', '2001:db8:10::1', '10.0.0.1', '::ffff:192.0.2.9'),
    accountId: fc.constantFrom('c-1', 'c-2', 'c-3', undefined),
    actorId: fc.constantFrom('o-1', 'op-1', undefined),
    actorKind: fc.constantFrom('officer', 'operator', 'security', 'citizen'),
    sessionId: fc.constantFrom('s-1', 's-2', undefined),
    factor: fc.constantFrom('password' as const, 'code' as const),
    login: fc.constantFrom('13800138000', '13900139000', undefined),
    count: fc.integer({ min: 1, max: 40 }),
  },
  { requiredKeys: ['gapMs', 'type'] },
);

function materialize(drafts: readonly { gapMs: number }[]): Signal[] {
  let t = T0;
  return drafts.map((d, i) => {
    t += d.gapMs;
    const { gapMs: _, ...rest } = d as Record<string, unknown>;
    const clean = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    return { ...clean, id: `p-${i}`, at: new Date(t).toISOString() } as unknown as Signal;
  });
}

test('property: a restart before any signal, and a sweeper, never change the findings', () => {
  fc.assert(
    fc.property(
      fc.array(arbitrarySignal, { minLength: 1, maxLength: 120, size: 'max' }),
      fc.integer({ min: 0, max: 119 }),
      (drafts, cut) => {
        const signals = materialize(drafts);
        const straight = summary(replay(rules, signals).findings);
        assert.deepEqual(summary(replay(rules, signals, { restartAt: new Set([cut]) }).findings), straight);
        assert.deepEqual(summary(replay(rules, signals, { restartAt: 'every', sweep: true }).findings), straight);
      },
    ),
    { seed: 1407, numRuns: 150 },
  );
});

test('property: step names only keys keysFor named, and at most one finding per rule', () => {
  fc.assert(
    fc.property(fc.array(arbitrarySignal, { minLength: 1, maxLength: 60, size: 'max' }), (drafts) => {
      const store = new Map<string, unknown>();
      for (const signal of materialize(drafts)) {
        const keys = keysFor(signal, rules);
        const { states, findings } = step(rules, signal, new Map(keys.map((k) => [k, store.get(k)])));
        for (const [k, s] of states) {
          assert.ok(keys.includes(k));
          if (s === null) store.delete(k);
          else store.set(k, s);
        }
        assert.equal(new Set(findings.map((f) => f.ruleId)).size, findings.length);
      }
    }),
    { seed: 2026, numRuns: 200 },
  );
});

test('dedupe: 500 failures in 100 s from one address are one finding, not 500', () => {
  const { findings } = replay(rules, failures(T0, 500, 200));
  assert.deepEqual(
    findings.map((f) => f.ruleId),
    ['brute-force'],
  );
});

test('dedupe: an attack that keeps going is answered again when the cooldown (the throttle’s 15 min) runs out', () => {
  // One failure every 10 s for 40 minutes: the window never empties.
  const { findings } = replay(rules, failures(T0, 240, 10_000));
  assert.deepEqual(
    findings.filter((f) => f.ruleId === 'brute-force').map((f) => f.at),
    [
      new Date(T0 + 7 * 10_000).toISOString(),
      new Date(T0 + 7 * 10_000 + 900_000).toISOString(),
      new Date(T0 + 7 * 10_000 + 1_800_000).toISOString(),
    ],
  );
});

test('dedupe: once the window has emptied the rule is armed again', () => {
  const first = failures(T0, 8, 1000, '198.51.100.23', 'a');
  // 121 s after the last one: the window is empty, so a new burst is a new incident.
  const second = failures(T0 + 7000 + 121_000, 8, 1000, '198.51.100.23', 'b');
  const { findings } = replay(rules, [...first, ...second]);
  assert.deepEqual(
    findings.map((f) => f.evidence.at(-1)),
    ['a-7', 'b-7'],
  );
});

test('seven failures do not fire, nor eight spread over more than 120 s', () => {
  assert.deepEqual(replay(rules, failures(T0, 7, 1000)).findings, []);
  assert.deepEqual(replay(rules, failures(T0, 8, 17_200)).findings, []);
});

test('password and one-time-code failures count apart', () => {
  const mixed = failures(T0, 8, 1000).map((s, i) => (i % 2 ? { ...s, factor: 'code' as const } : s));
  assert.deepEqual(replay(rules, mixed).findings, []);
});

test('the state stays small however long the attack: 5,000 failures leave under 2 KB per key', () => {
  const { store } = replay(rules, failures(T0, 5000, 50));
  for (const [key, state] of store)
    assert.ok(JSON.stringify(state).length < 2048, `${key}: ${JSON.stringify(state).length} bytes`);
});

test('a signal arriving after its window passed changes nothing', () => {
  const { store } = replay(rules, failures(T0, 3, 1000));
  const late = failures(T0 - 600_000, 1, 1000, '198.51.100.23', 'late')[0]!;
  const keys = keysFor(late, rules);
  const { states, findings } = step(rules, late, new Map(keys.map((k) => [k, store.get(k)])));
  assert.equal(states.has('brute-force:address:198.51.100.23'), false);
  assert.deepEqual(findings, []);
});

test('keys name the rule, the subject kind and the value; a disabled rule and an unreadable instant touch nothing', () => {
  const [signal] = failures(T0, 1, 0);
  assert.deepEqual(keysFor(signal!, rules), [
    'brute-force:address:198.51.100.23',
    'credential-stuffing:address:198.51.100.23',
  ]);
  const disabled = loadRules({
    ...DEFAULT_RULES,
    rules: DEFAULT_RULES.rules.map((r) => (r.id === 'brute-force' ? { ...r, enabled: false } : r)),
  });
  assert.deepEqual(keysFor(signal!, disabled), ['credential-stuffing:address:198.51.100.23']);
  assert.deepEqual(keysFor({ ...signal!, at: 'yesterday' }, rules), []);
  assert.deepEqual(step(rules, { ...signal!, at: 'yesterday' }, new Map()), { states: new Map(), findings: [] });
});

test('a stored state of another shape (a rule that changed kind, a corrupt row) counts as none', () => {
  const [signal] = failures(T0, 1, 0);
  const keys = keysFor(signal!, rules);
  for (const junk of [{ k: 't', s: [], x: 1 }, 'text', 42, { k: 'c', e: 'no', x: 1 }]) {
    const { states } = step(rules, signal!, new Map(keys.map((k) => [k, junk])));
    const state = states.get(keys[0]!) as unknown as { e: readonly unknown[] };
    assert.equal(state.e.length, 1);
  }
});

test('an off-hours rule in office hours names no key, so the service loads nothing', () => {
  const inHours: Signal = {
    id: 'x',
    at: '2026-12-08T02:00:00Z',
    type: 'roles.changed',
    actorId: 'op-1',
    actorKind: 'operator',
  };
  assert.deepEqual(keysFor(inHours, rules), []);
  const atNight: Signal = { ...inHours, at: '2026-12-08T15:00:00Z' };
  assert.deepEqual(keysFor(atNight, rules), ['privileged-off-hours:actor:op-1']);
});

test('credential stuffing counts targets tried before a run at one account, still in the window', () => {
  // 10 accounts, 30 tries at one, then 4 more accounts: 15 distinct in 44 attempts within 15 min.
  const accounts = [
    ...Array.from({ length: 10 }, (_, k) => `c-${k}`),
    ...Array<string>(30).fill('c-main'),
    ...Array.from({ length: 4 }, (_, k) => `c-x${k}`),
  ];
  const signals: Signal[] = accounts.map((accountId, i) => ({
    id: `s-${i}`,
    at: new Date(T0 + i * 20_000).toISOString(),
    type: 'sign-in.failed',
    ip: '192.0.2.1',
    factor: 'password',
    accountId,
  }));
  assert.deepEqual(
    replay(rules, signals).findings.map((f) => `${f.ruleId} ${f.evidence.at(-1)}`),
    ['credential-stuffing s-43'],
  );
});

/** An officer's reveals: three in each hour from Monday 09:00 for `hours` hours, then `burst`, one a minute, from `burstAt`. */
function reveals(hours: number, burstAt: string, burst: number): Signal[] {
  const monday9 = Date.parse('2026-12-07T01:00:00Z');
  const times = [
    ...Array.from({ length: hours }, (_, h) => [7, 26, 48].map((m) => monday9 + h * 3_600_000 + m * 60_000)).flat(),
    ...Array.from({ length: burst }, (_, i) => Date.parse(burstAt) + i * 60_000),
  ];
  return times.map((t, i) => ({
    id: `v-${i}`,
    at: new Date(t).toISOString(),
    type: 'data.revealed',
    actorId: 'o-1',
    actorKind: 'officer',
    sessionId: 's-o1',
  }));
}

const revealFindings = (signals: readonly Signal[]) =>
  replay(rules, signals).findings.map((f) => `${f.ruleId} ${f.evidence.at(-1)}`);

test('reveal rate: no verdict before 8 hours of baseline; then more than max(10, 5 × norm) in an hour fires', () => {
  // 09:00–16:00, then 16 at 16:00: 7 hours folded, no verdict yet.
  assert.deepEqual(revealFindings(reveals(7, '2026-12-07T08:00:00Z', 16)), []);
  // 09:00–17:00, then at 18:00 (17:00–18:00 was a quiet working hour: the norm 3 × (1 − α) ≈ 2.91,
  // the bar ≈ 14.6, and the last hour holds only the burst): the 15th fires and 14 do not.
  assert.deepEqual(revealFindings(reveals(8, '2026-12-07T10:00:00Z', 15)), [`reveal-rate v-${8 * 3 + 14}`]);
  assert.deepEqual(revealFindings(reveals(8, '2026-12-07T10:00:00Z', 14)), []);
});

test('reveal rate: a quiet working hour lowers the norm, a quiet night does not', () => {
  // Monday 09:00–17:00, then Tuesday 09:00. Folded since: 17:00–18:00 and 08:00–09:00 (their middles
  // are working time), not the 14 hours between — the norm is 3 × (1 − α)² ≈ 2.83, the bar ≈ 14.2, so
  // the 15th fires. Were the night folded the norm would be ≈ 1.9 and the 11th would.
  assert.deepEqual(revealFindings(reveals(8, '2026-12-08T01:00:00Z', 20)), [`reveal-rate v-${8 * 3 + 14}`]);
});
