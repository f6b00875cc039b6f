// Catalog patterns are data and run on citizens' input: the workflow matches them with RE2, whose
// time is linear in the input. Each check of this corpus of catastrophic-backtracking patterns
// returns its answer (a backtracking engine would not return within the test run); no timing is
// asserted, only the answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDataPattern } from '@tongban/kernel';
import { checkForm } from '../src/domain/form-check.ts';
import { firstRuleThatHolds } from '../src/domain/rules.ts';

const EMAIL =
  '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$';
const CORPUS: readonly { pattern: string; evil: string; good: string }[] = [
  { pattern: '^(a+)+$', evil: `${'a'.repeat(5000)}!`, good: 'aaaa' },
  { pattern: '^(a|a)*$', evil: `${'a'.repeat(30)}!`, good: 'aaaa' },
  { pattern: '^(a|a)*$', evil: `${'a'.repeat(5000)}!`, good: 'a'.repeat(5000) },
  { pattern: '^(a|aa)+$', evil: `${'a'.repeat(5000)}!`, good: 'aaa' },
  { pattern: '^(.*a){12}$', evil: `${'a'.repeat(3000)}!`, good: 'a'.repeat(12) },
  { pattern: EMAIL, evil: `${'a'.repeat(5000)}!`, good: 'zhang.san@example.com' },
  { pattern: '(\\w+\\s?)+$', evil: `${'a '.repeat(2500)}!`, good: 'hello world' },
];

describe('a ReDoS corpus answers in linear time', () => {
  it('each pattern gives the right answer on adversarial input of 30 to 5,000 characters', () => {
    for (const { pattern, evil, good } of CORPUS) {
      const re = compileDataPattern(pattern);
      assert.equal(re.test(good), true, `${pattern} matches ${good.slice(0, 20)}`);
      // (\w+\s?)+$ is unanchored at the start: it finds nothing after the final '!'.
      assert.equal(re.test(evil), false, `${pattern} refuses the adversarial input`);
    }
  });

  it('a pinned form with such a pattern answers a field error for the evil input, and accepts the good one', () => {
    CORPUS.forEach(({ pattern, evil, good }, i) => {
      const schema = {
        type: 'object' as const,
        properties: { value: { type: 'string', pattern, 'x-data-element': 'test.value' } },
      };
      assert.deepEqual(
        checkForm(`redos-${i}`, schema, { value: evil }).map((e) => `${e.field} ${e.code}`),
        ['form.value pattern'],
      );
      assert.deepEqual(checkForm(`redos-${i}`, schema, { value: good }), []);
    });
  });
});

describe('CEL rules cannot run a backtracking regular expression', () => {
  it('a rule calling matches() never holds, whatever the input', () => {
    const rule = { id: 'evil', name: { zh: '规则', en: 'Rule' }, when: 'form.name.matches("^(a|a)*$")' };
    const inputs = {
      form: { name: `${'a'.repeat(40)}!` },
      applicant: { id: 'c', kind: 'citizen', channel: 'online' },
      prerequisites: {},
      verified: {},
    };
    const verdict = firstRuleThatHolds([rule], inputs);
    assert.equal(verdict.fired, undefined);
    assert.deepEqual(!verdict.fired && verdict.failures.map((f) => f.rule), ['evil']);
    assert.equal(
      firstRuleThatHolds([{ ...rule, when: 'form.name.matches("^a+$")' }], { ...inputs, form: { name: 'aaa' } }).fired,
      undefined,
      'not even a harmless one',
    );
  });
});
