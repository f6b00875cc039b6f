import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstRuleThatHolds, type RuleInputs } from '../src/domain/rules.ts';

const inputs = (form: Record<string, unknown>, prerequisites: Record<string, string> = {}): RuleInputs => ({
  form,
  applicant: { id: 'c-1', kind: 'citizen', channel: 'online' },
  prerequisites,
  verified: {},
});
const rule = (id: string, when: string) => ({ id, name: { zh: id, en: id }, when });

test('the first rule that holds approves, and is named', () => {
  const rules = [rule('parent', 'form.relation in ["1", "2"]'), rule('anyone', 'true')];
  assert.equal(firstRuleThatHolds(rules, inputs({ relation: '2' })).fired?.id, 'parent');
  assert.equal(firstRuleThatHolds(rules, inputs({ relation: '9' })).fired?.id, 'anyone');
});

test('rules read prerequisite outcomes and numbers from the form', () => {
  const rules = [rule('registered', 'prerequisites["GA-001"] == "approved" && form.weight >= 2500')];
  assert.equal(firstRuleThatHolds(rules, inputs({ weight: 3400 }, { 'GA-001': 'approved' })).fired?.id, 'registered');
  assert.equal(firstRuleThatHolds(rules, inputs({ weight: 3400 }, { 'GA-001': 'rejected' })).fired, undefined);
});

test('a rule that cannot be evaluated or gives no boolean true does not approve', () => {
  const verdict = firstRuleThatHolds(
    [rule('missing', 'form.nosuch == "1"'), rule('string', 'form.relation')],
    inputs({ relation: 'true' }),
  );
  assert.equal(verdict.fired, undefined);
  assert.ok(!verdict.fired && verdict.failures.some((f) => f.rule === 'missing'), JSON.stringify(verdict));
});
