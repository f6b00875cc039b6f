import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RULES, loadRules, RulesInvalid, type RuleFieldError } from '../../src/domain/rules.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test rewrites any part of the JSON document
type Loose = any;

/** DEFAULT_RULES with one change made by `edit` on a deep copy. */
function variant(edit: (doc: Loose) => void): unknown {
  const doc = structuredClone(DEFAULT_RULES) as Loose;
  edit(doc);
  return doc;
}

function refusal(input: unknown): readonly RuleFieldError[] {
  try {
    loadRules(input);
  } catch (error) {
    assert.ok(error instanceof RulesInvalid, String(error));
    assert.equal(error.code, 'SENTINEL_RULES_INVALID');
    assert.equal(error.path, error.errors[0]?.field);
    // The message names every field, for a refusal to start that says what to fix.
    for (const e of error.errors) assert.ok(error.message.includes(e.field), error.message);
    return error.errors;
  }
  assert.fail('the rules were accepted');
}

const fields = (errors: readonly RuleFieldError[]) => errors.map((e) => `${e.field} ${e.code}`);

test('the shipped rules load: version 1, the eight rules of the issue and two for refusals, all enabled', () => {
  const rules = loadRules(DEFAULT_RULES);
  assert.equal(rules.version, 1);
  assert.deepEqual(
    rules.rules.map((r) => r.id),
    [
      'brute-force',
      'credential-stuffing',
      'impossible-travel',
      'mass-export',
      'privileged-off-hours',
      'probing',
      'refresh-token-reuse',
      'reveal-rate',
      'witness-refused',
      'callback-refused',
    ],
  );
  assert.ok(rules.rules.every((r) => r.enabled));
  assert.equal(rules.workingHours.startMinute, 8 * 60 + 30);
  assert.equal(rules.workingHours.endMinute, 18 * 60);
  // JSON-able as shipped: what an operator copies into TONGBAN_SENTINEL_RULES loads the same.
  assert.deepEqual(loadRules(JSON.parse(JSON.stringify(DEFAULT_RULES))), rules);
});

test('an unknown field is refused with its path', () => {
  assert.deepEqual(fields(refusal(variant((d) => (d.rules[0].treshold = 8)))), ['rules.0.treshold unknown_field']);
  assert.deepEqual(fields(refusal(variant((d) => (d.extra = true)))), ['extra unknown_field']);
  assert.deepEqual(fields(refusal(variant((d) => (d.rules[3].responses[0].until = 'x')))), [
    'rules.3.responses.0.until unknown_field',
  ]);
});

test('a negative or zero window is refused with its path', () => {
  assert.deepEqual(fields(refusal(variant((d) => (d.rules[1].windowSeconds = -120)))), [
    'rules.1.windowSeconds minimum',
  ]);
  assert.deepEqual(fields(refusal(variant((d) => (d.rules[2].windowSeconds = 0)))), ['rules.2.windowSeconds minimum']);
});

test('an unknown action, kind, signal type or severity is refused with its path', () => {
  assert.deepEqual(fields(refusal(variant((d) => (d.rules[0].responses[0].action = 'ban-address')))), [
    'rules.0.responses.0.action enum',
  ]);
  assert.deepEqual(fields(refusal(variant((d) => (d.rules[0].kind = 'regex')))), ['rules.0.kind enum']);
  assert.deepEqual(fields(refusal(variant((d) => (d.rules[5].match.types = ['access.denyed'])))), [
    'rules.5.match.types.0 enum',
  ]);
  assert.deepEqual(fields(refusal(variant((d) => (d.rules[6].severity = 'urgent')))), ['rules.6.severity enum']);
});

test('a bad CIDR is refused with its path: not an address, a prefix too long, host bits set', () => {
  for (const cidr of [
    '203.0.113/24',
    '203.0.113.0/33',
    '203.0.113.1/24',
    '2001:db8::/129',
    '2001:db8::1/32',
    'beijing',
  ])
    assert.deepEqual(fields(refusal(variant((d) => (d.geo[1].cidr = cidr)))), ['geo.1.cidr bad_cidr'], cidr);
});

test('a missing field is refused with its path', () => {
  assert.deepEqual(fields(refusal(variant((d) => delete d.rules[0].threshold))), ['rules.0.threshold required']);
  assert.deepEqual(fields(refusal(variant((d) => delete d.version))), ['version required']);
});

test('responses that act on an account only on rules that count by account or actor (no lockout by address)', () => {
  assert.deepEqual(
    fields(refusal(variant((d) => d.rules[0].responses.push({ action: 'lock-account', durationSeconds: 600 })))),
    ['rules.0.responses.2.action needs_account_subject'],
  );
  assert.deepEqual(fields(refusal(variant((d) => delete d.rules[0].responses[0].durationSeconds))), [
    'rules.0.responses.0.durationSeconds required',
  ]);
  assert.deepEqual(fields(refusal(variant((d) => (d.rules[0].responses[1].durationSeconds = 60)))), [
    'rules.0.responses.1.durationSeconds not_allowed',
  ]);
});

test('duplicate rule ids, an unknown time zone and hours that end before they start are refused', () => {
  assert.deepEqual(fields(refusal(variant((d) => (d.rules[1].id = 'brute-force')))), ['rules.1.id duplicate']);
  assert.deepEqual(fields(refusal(variant((d) => (d.workingHours.timeZone = 'Asia/Beijing')))), [
    'workingHours.timeZone unknown_time_zone',
  ]);
  assert.deepEqual(fields(refusal(variant((d) => (d.workingHours.end = '07:00')))), ['workingHours.end minimum']);
});

test('every bad field is named at once, not only the first', () => {
  const errors = refusal(
    variant((d) => {
      d.rules[0].windowSeconds = -1;
      d.rules[4].bogus = 1;
      d.geo[0].cidr = '300.0.0.0/8';
    }),
  );
  assert.deepEqual(fields(errors).sort(), [
    'geo.0.cidr bad_cidr',
    'rules.0.windowSeconds minimum',
    'rules.4.bogus unknown_field',
  ]);
});

test('not an object at all is refused', () => {
  assert.deepEqual(fields(refusal(null)), ['(document) wrong_type']);
  assert.deepEqual(fields(refusal(variant((d) => (d.rules[2] = 'travel')))), ['rules.2 wrong_type']);
});
