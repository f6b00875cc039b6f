// Each rule fires on its replayed attack trace — with the subject and responses the guard needs —
// and on nothing beside it; the benign traffic in the same trace stays quiet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, ResponsePlan } from '../../src/domain/engine.ts';
import { DEFAULT_RULES, loadRules } from '../../src/domain/rules.ts';
import { readTrace, replay } from './replay.ts';

const rules = loadRules(DEFAULT_RULES);

interface Expected {
  readonly subject: Finding['subject'];
  readonly responses: readonly ResponsePlan[];
  /** The signal id the finding was raised at (1-based position in the trace). */
  readonly firedAt?: string;
  readonly evidence?: number;
}

function expectFindings(rule: string, expected: readonly Expected[]) {
  const signals = readTrace(`attack-${rule}.jsonl`);
  const { findings } = replay(rules, signals);
  assert.deepEqual(
    findings.map((f) => ({ ruleId: f.ruleId, subject: f.subject, responses: f.responses })),
    expected.map((e) => ({ ruleId: rule, subject: e.subject, responses: e.responses })),
  );
  findings.forEach((f, i) => {
    const e = expected[i]!;
    assert.equal(f.ruleVersion, 1);
    assert.ok(f.evidence.length >= 1 && f.evidence.length <= 20);
    if (e.evidence !== undefined) assert.equal(f.evidence.length, e.evidence);
    // The evidence is signals of the trace, the triggering one last.
    const trigger = signals.find((s) => s.id === f.evidence.at(-1));
    assert.equal(trigger?.at, f.at);
    if (e.firedAt) assert.equal(f.evidence.at(-1), e.firedAt);
    assert.ok(f.title.zh && f.title.en);
  });
  return findings;
}

test('brute force: the 8th wrong password in 120 s from one address throttles the address, once', () => {
  const [f] = expectFindings('brute-force', [
    {
      subject: { kind: 'address', value: '198.51.100.23' },
      responses: [
        { action: 'throttle-address', target: { ip: '198.51.100.23' }, durationSeconds: 900 },
        { action: 'alert', target: { ip: '198.51.100.23' } },
      ],
      firedAt: 'brute-force-000008',
      evidence: 8,
    },
  ]);
  assert.equal(f!.severity, 'medium');
  // Never an account response on an address's evidence: the victim keeps signing in.
  assert.ok(f!.responses.every((r) => r.target.accountId === undefined));
});

test('credential stuffing: 25 attempts against 15+ accounts in 15 min from one address blocks it for an hour', () => {
  expectFindings('credential-stuffing', [
    {
      subject: { kind: 'address', value: '192.0.2.77' },
      responses: [
        { action: 'block-address', target: { ip: '192.0.2.77' }, durationSeconds: 3600 },
        { action: 'alert', target: { ip: '192.0.2.77' } },
      ],
      firedAt: 'credential-stuffing-000025',
      evidence: 20,
    },
  ]);
});

test('impossible travel: two regions within 30 min step up the new session; unknown addresses and slow trips do not', () => {
  const findings = expectFindings('impossible-travel', [
    {
      subject: { kind: 'account', value: 'c-1001' },
      responses: [
        { action: 'step-up-session', target: { sessionId: 's-1001-b', accountId: 'c-1001' }, durationSeconds: 43200 },
        { action: 'alert', target: { ip: '198.51.100.40', accountId: 'c-1001', sessionId: 's-1001-b' } },
      ],
      evidence: 2,
    },
    {
      subject: { kind: 'account', value: 'c-1003' },
      responses: [
        { action: 'step-up-session', target: { sessionId: 's-1003-b', accountId: 'c-1003' }, durationSeconds: 43200 },
        { action: 'alert', target: { ip: '2001:db8:33::9', accountId: 'c-1003', sessionId: 's-1003-b' } },
      ],
      evidence: 2,
    },
  ]);
  assert.equal(findings[0]!.severity, 'high');
});

test('mass export: more than 50 records in a minute by one officer alerts and steps up the session; exactly 50 does not', () => {
  expectFindings('mass-export', [
    {
      subject: { kind: 'actor', value: 'o-77' },
      responses: [
        { action: 'alert', target: { ip: '203.0.113.200', accountId: 'o-77', sessionId: 's-o77' } },
        { action: 'step-up-session', target: { sessionId: 's-o77', accountId: 'o-77' }, durationSeconds: 43200 },
      ],
      firedAt: 'mass-export-000011',
      evidence: 11,
    },
  ]);
});

test('privileged action off hours: an operator at night and security on a Saturday, once each; office hours and officers quiet', () => {
  const findings = expectFindings('privileged-off-hours', [
    {
      subject: { kind: 'actor', value: 'op-3' },
      responses: [{ action: 'alert', target: { ip: '203.0.113.221', accountId: 'op-3', sessionId: 's-op3' } }],
      evidence: 1,
    },
    {
      subject: { kind: 'actor', value: 'sec-1' },
      responses: [{ action: 'alert', target: { ip: '203.0.113.223', accountId: 'sec-1', sessionId: 's-sec1' } }],
      evidence: 1,
    },
  ]);
  assert.deepEqual(
    findings.map((f) => f.severity),
    ['medium', 'medium'],
  );
});

test('probing: 20 denials in 5 min from one address, or by one actor across addresses, throttle the address', () => {
  expectFindings('probing', [
    {
      subject: { kind: 'address', value: '192.0.2.66' },
      responses: [
        { action: 'throttle-address', target: { ip: '192.0.2.66' }, durationSeconds: 600 },
        { action: 'alert', target: { ip: '192.0.2.66' } },
      ],
      evidence: 20,
    },
    {
      subject: { kind: 'actor', value: 'c-667' },
      responses: [
        { action: 'throttle-address', target: { ip: '198.51.100.119' }, durationSeconds: 600 },
        { action: 'alert', target: { ip: '198.51.100.119', accountId: 'c-667', sessionId: 's-667-19' } },
      ],
      evidence: 20,
    },
  ]);
});

test('refresh-token reuse: the first reuse revokes every session of the account; the second is the same incident', () => {
  expectFindings('refresh-token-reuse', [
    {
      subject: { kind: 'account', value: 'c-2001' },
      responses: [
        { action: 'revoke-sessions', target: { accountId: 'c-2001' } },
        { action: 'alert', target: { ip: '198.51.100.5', accountId: 'c-2001' } },
      ],
      firedAt: 'refresh-token-reuse-000001',
    },
  ]);
});

test('reveal rate: far above the officer’s own hourly norm alerts and steps up; a new officer without history does not', () => {
  const [f] = expectFindings('reveal-rate', [
    {
      subject: { kind: 'actor', value: 'o-9' },
      responses: [
        { action: 'alert', target: { ip: '203.0.113.150', accountId: 'o-9', sessionId: 's-o9-tue' } },
        { action: 'step-up-session', target: { sessionId: 's-o9-tue', accountId: 'o-9' }, durationSeconds: 43200 },
      ],
    },
  ]);
  // The norm is ~3 an hour, so the bar is max(10, 5 × ~3) ≈ 15: the 16th reveal in the hour, at 10:17.
  assert.equal(f!.at, '2026-12-08T02:17:00.000Z');
});

test('a witness refusing a checkpoint is critical; a refused payment callback is high', () => {
  const [w] = expectFindings('witness-refused', [
    {
      subject: { kind: 'actor', value: 'witness-hangzhou' },
      responses: [{ action: 'alert', target: { accountId: 'witness-hangzhou' } }],
    },
  ]);
  assert.equal(w!.severity, 'critical');
  const [c] = expectFindings('callback-refused', [
    {
      subject: { kind: 'address', value: '192.0.2.200' },
      responses: [{ action: 'alert', target: { ip: '192.0.2.200' } }],
    },
  ]);
  assert.equal(c!.severity, 'high');
});

test('a normal day of the city fires nothing', () => {
  const signals = readTrace('normal-day.jsonl');
  assert.ok(signals.length > 5000);
  const { findings } = replay(rules, signals);
  assert.deepEqual(
    findings.map((f) => `${f.ruleId} ${f.subject.kind}:${f.subject.value} at ${f.at}`),
    [],
  );
});

test('every attack trace fires its own rule: none of them is quiet on a normal day by accident', () => {
  // The normal day has each kind of signal the attacks use, so quiet there means the thresholds held.
  const normal = new Set(readTrace('normal-day.jsonl').map((s) => s.type));
  for (const type of [
    'sign-in.failed',
    'sign-in.succeeded',
    'data.read',
    'data.exported',
    'data.revealed',
    'access.denied',
    'roles.changed',
    'grant.changed',
    'privileged.action',
  ])
    assert.ok(normal.has(type as never), type);
});
