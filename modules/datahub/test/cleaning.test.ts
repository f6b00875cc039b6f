// Cleaning rules as tables: each step's input → output or reject reason, and configs that name
// a step or an item that does not exist are refused when loaded.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { creditCodeCheckChar, residentIdCheckChar } from '@tongban/kernel';
import {
  CleaningConfigError,
  KeyTracker,
  cleanRow,
  defaultCleaning,
  loadCleaning,
  normalizeDate,
  toHalfWidth,
  type CleaningStep,
} from '../src/domain/cleaning.ts';
import { ENTERPRISE, POPULATION } from '../src/domain/registries.ts';

const id17 = '33010619900307123';
const VALID_ID = id17 + residentIdCheckChar(id17);
const WRONG_ID = id17 + (residentIdCheckChar(id17) === '0' ? '1' : '0');
const code17 = '91330106MA27XL0Q5';
const VALID_CODE = code17 + creditCodeCheckChar(code17);
const WRONG_CODE = code17 + (creditCodeCheckChar(code17) === '0' ? '1' : '0');

/** One item `name` of the population resource through `steps`. */
function through(steps: readonly CleaningStep[], value: string | number | null) {
  const rules = loadCleaning(POPULATION, {
    resource: 'population',
    items: { idNumber: [{ step: 'trim' }], name: steps },
  });
  const r = cleanRow(rules, { idNumber: VALID_ID, name: value });
  return r.ok ? r.values.name : r.rejection.code;
}

describe('cleaning steps', () => {
  const cases: [string, CleaningStep[], string | number | null, string | number | null][] = [
    ['trim removes spaces and the ideographic space', [{ step: 'trim' }], ' \u3000张三\t ', '张三'],
    [
      'full-width letters, digits and punctuation become half-width',
      [{ step: 'halfWidth' }],
      'ＡＢＣ１２３，（）',
      'ABC123,()',
    ],
    ['the ideographic space becomes a space', [{ step: 'halfWidth' }], '杭州\u3000西湖', '杭州 西湖'],
    ['full-width then trim', [{ step: 'halfWidth' }, { step: 'trim' }], '\u3000３３０\u3000', '330'],
    ['2026/1/5', [{ step: 'date' }], '2026/1/5', '2026-01-05'],
    ['2026年1月5日', [{ step: 'date' }], '2026年1月5日', '2026-01-05'],
    ['20260105', [{ step: 'date' }], '20260105', '2026-01-05'],
    ['2026.01.05', [{ step: 'date' }], '2026.01.05', '2026-01-05'],
    ['full-width digits of a date', [{ step: 'halfWidth' }, { step: 'date' }], '２０２６年１月５日', '2026-01-05'],
    ['2026-02-30 does not exist', [{ step: 'date' }], '2026-02-30', 'NO_SUCH_DATE'],
    ['20250229 does not exist (not a leap year)', [{ step: 'date' }], '20250229', 'NO_SUCH_DATE'],
    ['2024-02-29 exists', [{ step: 'date' }], '2024-02-29', '2024-02-29'],
    ['a month 13', [{ step: 'date' }], '2026/13/1', 'NO_SUCH_DATE'],
    ['not a date', [{ step: 'date' }], 'yesterday', 'BAD_DATE'],
    ['男 → 1', [{ step: 'codeList', map: { 男: '1', 女: '2' } }], '男', '1'],
    ['a value outside the code list', [{ step: 'codeList', map: { 男: '1', 女: '2' } }], '未知', 'NOT_IN_CODE_LIST'],
    ['a prototype key is not a code', [{ step: 'codeList', map: { 男: '1' } }], 'constructor', 'NOT_IN_CODE_LIST'],
    ['a valid GB 11643 number', [{ step: 'checkDigit', scheme: 'gb11643' }], VALID_ID, VALID_ID],
    [
      'a lower-case x check character is upper-cased',
      [{ step: 'checkDigit', scheme: 'gb11643' }],
      '11010519491231002x',
      '11010519491231002X',
    ],
    ['a wrong check digit', [{ step: 'checkDigit', scheme: 'gb11643' }], WRONG_ID, 'BAD_CHECK_DIGIT'],
    ['a valid GB 32100 code', [{ step: 'checkDigit', scheme: 'gb32100' }], VALID_CODE, VALID_CODE],
    ['a wrong GB 32100 code', [{ step: 'checkDigit', scheme: 'gb32100' }], WRONG_CODE, 'BAD_CHECK_DIGIT'],
    ['an integer', [{ step: 'integer' }], '3200', 3200],
    ['not an integer', [{ step: 'integer' }], '32.5', 'NOT_AN_INTEGER'],
    ['a number', [{ step: 'number' }], '89.5', 89.5],
    ['not a number', [{ step: 'number' }], '八十', 'NOT_A_NUMBER'],
    ['an empty value is null and skips the steps', [{ step: 'trim' }, { step: 'date' }], '  ', null],
    ['required rejects an empty value', [{ step: 'trim' }, { step: 'required' }], '  ', 'REQUIRED'],
    ['a missing value is null', [{ step: 'trim' }], null, null],
  ];
  for (const [rule, steps, input, output] of cases) test(rule, () => assert.equal(through(steps, input), output));

  test('a nested value is not a scalar', () => {
    const rules = defaultCleaning(POPULATION);
    const r = cleanRow(rules, { idNumber: VALID_ID, name: { first: '三' } as unknown as string });
    assert.equal(r.ok ? 'ok' : r.rejection.code, 'NOT_A_SCALAR');
  });
});

describe('the default rules of a resource', () => {
  const rules = defaultCleaning(POPULATION);
  test('gender 男/女/M/F map to 1/2, an ID number with a wrong check digit is rejected', () => {
    const table: [Record<string, string>, string][] = [
      [{ idNumber: VALID_ID, gender: '男' }, 'gender=1'],
      [{ idNumber: VALID_ID, gender: '女' }, 'gender=2'],
      [{ idNumber: VALID_ID, gender: 'm' }, 'gender=1'],
      [{ idNumber: VALID_ID, gender: 'F' }, 'gender=2'],
      [{ idNumber: VALID_ID, gender: '？' }, 'NOT_IN_CODE_LIST gender'],
      [{ idNumber: WRONG_ID }, 'BAD_CHECK_DIGIT idNumber'],
      [{ idNumber: '' }, 'REQUIRED idNumber'],
      [{ idNumber: VALID_ID, motherIdNumber: WRONG_ID }, 'BAD_CHECK_DIGIT motherIdNumber'],
    ];
    for (const [raw, expected] of table) {
      const r = cleanRow(rules, raw);
      assert.equal(
        r.ok ? `gender=${r.values.gender}` : `${r.rejection.code} ${r.rejection.item}`,
        expected,
        JSON.stringify(raw),
      );
    }
  });
  test('a full-width ID number with spaces is cleaned to the canonical form and is the key', () => {
    const fullWidth = [...VALID_ID].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('');
    const r = cleanRow(rules, { idNumber: `\u3000${fullWidth} `, birthDate: '1990年3月7日' });
    assert.ok(r.ok);
    assert.equal(r.key, VALID_ID);
    assert.equal(r.values.birthDate, '1990-03-07');
  });
  test('an enterprise credit code is checked with GB 32100', () => {
    const rules = defaultCleaning(ENTERPRISE);
    const codes = [VALID_CODE, WRONG_CODE].map((creditCode) => {
      const r = cleanRow(rules, { creditCode });
      return r.ok ? 'ok' : r.rejection.code;
    });
    assert.deepEqual(codes, ['ok', 'BAD_CHECK_DIGIT']);
  });
});

describe('loading a config', () => {
  const refusals: [string, unknown, RegExp][] = [
    ['an unknown step', { resource: 'population', items: { name: [{ step: 'soundex' }] } }, /unknown step "soundex"/],
    [
      'an unknown step as a string',
      { resource: 'population', items: { name: ['trim', 'titlecase'] } },
      /unknown step "titlecase"/,
    ],
    ['an unknown item', { resource: 'population', items: { nickname: ['trim'] } }, /unknown item 'nickname'/],
    ['another resource', { resource: 'enterprise', items: {} }, /not 'population'/],
    [
      'a code list without a map',
      { resource: 'population', items: { gender: [{ step: 'codeList' }] } },
      /codeList needs/,
    ],
    [
      'a check digit of an unknown scheme',
      { resource: 'population', items: { idNumber: [{ step: 'checkDigit', scheme: 'luhn' }] } },
      /gb11643/,
    ],
    ['a dedupe policy not known', { resource: 'population', dedupe: 'merge', items: {} }, /dedupe/],
    ['not an object', ['trim'], /is an object/],
  ];
  for (const [what, config, message] of refusals)
    test(`refuses ${what}`, () => {
      assert.throws(
        () => loadCleaning(POPULATION, config),
        (e: Error) => e instanceof CleaningConfigError && message.test(e.message),
      );
    });
  test('names every problem at once', () => {
    assert.throws(
      () => loadCleaning(POPULATION, { resource: 'population', items: { a: [], name: ['nope'] } }),
      /unknown item 'a'.*unknown step "nope"/,
    );
  });
  test('steps written as strings are accepted', () => {
    const rules = loadCleaning(POPULATION, { resource: 'population', items: { idNumber: ['trim', 'upper'] } });
    assert.deepEqual(rules.items.get('idNumber'), [{ step: 'trim' }, { step: 'upper' }]);
  });
});

describe('de-duplication by key', () => {
  test('last wins: a later row is kept and names the earlier', () => {
    const t = new KeyTracker('last');
    assert.deepEqual(t.see('A', 1), { keep: true });
    assert.deepEqual(t.see('A', 5), { keep: true, earlier: 1 });
    assert.deepEqual(t.see('A', 9), { keep: true, earlier: 5 });
  });
  test('first wins: a later row is dropped and names the kept one', () => {
    const t = new KeyTracker('first');
    assert.deepEqual(t.see('A', 1), { keep: true });
    assert.deepEqual(t.see('A', 5), { keep: false, earlier: 1 });
  });
});

test('helpers', () => {
  assert.equal(toHalfWidth('ＴＯＮＧＢＡＮ！'), 'TONGBAN!');
  assert.equal(normalizeDate('1999/12/31'), '1999-12-31');
});
