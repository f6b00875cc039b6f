// Each field against its data element (pure): types, real dates, bounds relative to today,
// value domains, check characters; a draft may be incomplete; messages follow the language.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { creditCodeCheckChar, residentIdCheckChar } from '@tongban/kernel';
import { checkForm, dateBound, elementProblem } from '../src/domain/form-check.ts';
import type { DataElement } from '../src/service/catalog.ts';

const text = (zh: string, en: string) => ({ zh, en });
const el = (e: Partial<DataElement> & Pick<DataElement, 'type'>): DataElement => ({
  id: 'x.y',
  name: text('字段', 'Field'),
  ...e,
});
const birthDate = el({ type: 'date', minDate: '1900-01-01', maxDate: 'today' });
const weight = el({ type: 'integer', minimum: 300, maximum: 8000 });
const idNumber = el({ type: 'string', pattern: '^[0-9]{17}[0-9X]$', maxLength: 18, check: 'gb11643' });
const gender = el({
  type: 'code',
  values: [
    { code: '1', name: text('男', 'Male') },
    { code: '2', name: text('女', 'Female') },
  ],
});

describe('a value against its data element', () => {
  it('dates must exist and lie within the bounds, today counted in China', () => {
    const today = '2026-12-01';
    assert.deepEqual(elementProblem(birthDate, '2026-13-45', today), { code: 'format', params: { format: 'date' } });
    assert.equal(elementProblem(birthDate, '2026-02-30', today)?.code, 'format');
    assert.deepEqual(elementProblem(birthDate, '2026-12-02', today), {
      code: 'maxDate',
      params: { limit: '2026-12-01' },
    });
    assert.equal(elementProblem(birthDate, '1899-12-31', today)?.code, 'minDate');
    assert.equal(elementProblem(birthDate, '2026-12-01', today), undefined);
  });

  it('relative bounds count days, months and years from today', () => {
    assert.equal(dateBound('today', '2026-12-01'), '2026-12-01');
    assert.equal(dateBound('today-18y', '2026-12-01'), '2008-12-01');
    assert.equal(dateBound('today+30d', '2026-12-01'), '2026-12-31');
    assert.equal(dateBound('today-1m', '2026-03-01'), '2026-02-01');
    assert.equal(dateBound('2000-01-01', '2026-12-01'), '2000-01-01');
  });

  it('numbers stay within their bounds, inclusive', () => {
    assert.equal(elementProblem(weight, -5)?.code, 'minimum');
    assert.equal(elementProblem(weight, 999999)?.code, 'maximum');
    assert.equal(elementProblem(weight, 300), undefined);
    assert.equal(elementProblem(weight, 8000), undefined);
    assert.equal(elementProblem(weight, 3400.5)?.code, 'type');
    assert.equal(elementProblem(weight, '3400')?.code, 'type');
  });

  it('codes come from the value domain; identifiers carry the right check character', () => {
    assert.equal(elementProblem(gender, '9')?.code, 'enum');
    assert.equal(elementProblem(idNumber, 'not-an-id-number')?.code, 'pattern');
    assert.equal(elementProblem(idNumber, '330106199201011228')?.code, 'check_digit');
    assert.equal(elementProblem(idNumber, '000000000000000000')?.code, 'check_digit');
    assert.equal(elementProblem(idNumber, '330106199201011226'), undefined);
  });

  it('a valid resident ID number with any one digit changed is refused', () => {
    fc.assert(
      fc.property(fc.nat(16), fc.integer({ min: 1, max: 9 }), (at, delta) => {
        const id = '330106199201011226';
        const changed = id.slice(0, at) + String((Number(id[at]) + delta) % 10) + id.slice(at + 1);
        return elementProblem(idNumber, changed) !== undefined;
      }),
    );
  });
});

describe('a form against its schema and elements', () => {
  const schema = {
    type: 'object' as const,
    properties: { born: { 'x-data-element': 'child.birthDate' }, weight: { 'x-data-element': 'child.birthWeight' } },
    required: ['born', 'weight'],
  };
  const elements = new Map([
    ['born', birthDate],
    ['weight', weight],
  ]);

  it('a draft may miss required fields, a submission may not; both check what is there', () => {
    assert.deepEqual(
      checkForm('unit-1', schema, { weight: 3400 }, { elements, today: '2026-12-01', partial: true }),
      [],
    );
    assert.deepEqual(
      checkForm('unit-1', schema, { weight: 3400 }, { elements, today: '2026-12-01' }).map((e) => e.field),
      ['form.born'],
    );
    assert.deepEqual(
      checkForm('unit-1', schema, { weight: -5 }, { elements, partial: true }).map((e) => `${e.field} ${e.code}`),
      ['form.weight minimum'],
    );
  });

  it('messages are zh-CN unless English is asked for', () => {
    const form = { born: '2030-01-01', weight: 3400 };
    assert.equal(
      checkForm('unit-1', schema, form, { elements, today: '2026-12-01' })[0]!.message,
      '不能晚于 2026-12-01',
    );
    assert.equal(
      checkForm('unit-1', schema, form, { elements, today: '2026-12-01', lang: 'en' })[0]!.message,
      'must not be after 2026-12-01',
    );
  });

  it('a field the schema refused is reported once', () => {
    const typed = {
      ...schema,
      properties: { ...schema.properties, weight: { 'x-data-element': 'child.birthWeight', type: 'integer' } },
    };
    assert.deepEqual(
      checkForm('unit-2', typed, { born: '2026-11-20', weight: 'heavy' }, { elements }).map(
        (e) => `${e.field} ${e.code}`,
      ),
      ['form.weight type'],
    );
  });

  it('a version pinned before RE2 with a pattern RE2 cannot compile refuses the value instead of failing', () => {
    const lookahead = {
      type: 'object' as const,
      properties: { code: { 'x-data-element': 'test.code', type: 'string', pattern: '^(?=a)a+$' } },
      required: ['code'],
    };
    assert.deepEqual(
      checkForm('unit-3', lookahead, { code: 'aaa' }).map((e) => `${e.field} ${e.code}`),
      ['form.code pattern'],
    );
    const element: DataElement = {
      id: 'test.code',
      name: { zh: '代码', en: 'Code' },
      type: 'string',
      pattern: '(a)\\1',
    } as DataElement;
    assert.deepEqual(elementProblem(element, 'aa'), { code: 'pattern' });
  });
});

describe('the cases issue 11 lists, each in both languages', () => {
  const creditCode = el({ type: 'string', pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$', maxLength: 18, check: 'gb32100' });
  const adultBirthDate = el({ type: 'date', maxDate: 'today-18y' });
  const schema = {
    type: 'object' as const,
    properties: {
      company: { 'x-data-element': 'company.creditCode' },
      mother: { 'x-data-element': 'mother.idNumber' },
      born: { 'x-data-element': 'child.birthDate' },
      weight: { 'x-data-element': 'child.birthWeight' },
      gender: { 'x-data-element': 'child.gender' },
      adult: { 'x-data-element': 'person.birthDate' },
    },
  };
  const elements = new Map([
    ['company', creditCode],
    ['mother', idNumber],
    ['born', birthDate],
    ['weight', weight],
    ['gender', gender],
    ['adult', adultBirthDate],
  ]);
  const check = (form: Record<string, unknown>, lang: 'zh' | 'en') =>
    checkForm('unit-issue-11', schema, form, { elements, today: '2026-12-01', lang, partial: true }).map(
      (e) => `${e.field} ${e.code} ${e.message}`,
    );

  it('unified social credit codes carry their GB 32100 check character', () => {
    const first17 = '91330100MA2H00001';
    const good = first17 + creditCodeCheckChar(first17);
    assert.equal(elementProblem(creditCode, good), undefined);
    const wrong = first17 + (good.endsWith('0') ? '1' : '0');
    assert.deepEqual(check({ company: wrong }, 'zh'), [
      'form.company check_digit 校验码不正确，不是有效的统一社会信用代码（GB 32100）',
    ]);
    assert.deepEqual(check({ company: wrong }, 'en'), [
      'form.company check_digit is not a valid unified social credit code (GB 32100): its check character is wrong',
    ]);
  });

  it('a resident ID number whose check character is X is valid; a wrong one is refused in both languages', () => {
    const first17 = '33010619900101123';
    assert.equal(residentIdCheckChar(first17), 'X');
    assert.equal(elementProblem(idNumber, `${first17}X`), undefined);
    assert.deepEqual(check({ mother: `${first17}0` }, 'zh'), [
      'form.mother check_digit 校验码不正确，不是有效的公民身份号码（GB 11643）',
    ]);
    assert.deepEqual(check({ mother: `${first17}0` }, 'en'), [
      'form.mother check_digit is not a valid resident ID number (GB 11643): its check character is wrong',
    ]);
  });

  it('29 February exists only in leap years; a date past today or past a relative bound is refused', () => {
    assert.equal(elementProblem(birthDate, '2024-02-29', '2026-12-01'), undefined);
    assert.equal(elementProblem(birthDate, '2026-02-29', '2026-12-01')?.code, 'format');
    assert.equal(elementProblem(birthDate, '2100-02-29', '2200-01-01')?.code, 'format', 'centuries are not leap');
    assert.equal(elementProblem(birthDate, '2000-02-29', '2026-12-01'), undefined, 'unless divisible by 400');
    assert.deepEqual(check({ born: '2026-02-29' }, 'en'), [
      'form.born format must be a valid calendar date (YYYY-MM-DD)',
    ]);
    assert.deepEqual(check({ born: '2026-02-29' }, 'zh'), ['form.born format 不是有效的日期'], 'not 不是有效的date');
    // An adult: born on or before 2008-12-01.
    assert.equal(elementProblem(adultBirthDate, '2008-12-01', '2026-12-01'), undefined);
    assert.deepEqual(check({ adult: '2008-12-02' }, 'en'), ['form.adult maxDate must not be after 2008-12-01']);
  });

  it('ranges and value domains name their limits, zh-CN first', () => {
    assert.deepEqual(check({ weight: 299, gender: '3' }, 'en'), [
      'form.weight minimum must be at least 300',
      'form.gender enum must be one of the allowed values',
    ]);
    const zh = check({ weight: 8001 }, 'zh');
    assert.equal(zh.length, 1);
    assert.match(zh[0]!, /^form\.weight maximum .*8000/);
  });
});
