// Fees (收费): fixed, tiered by a verified numeric value, and exemptions (减免) in the declarative
// shape payments evaluates without CEL. Publishing refuses a fee payments could not assess; the
// contracts' assessFee is what payments computes, so its rules are pinned here too.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assessFee, ageOn, birthDateOf, exemptionHolds, feeElements, type MatterFeeView } from '@tongban/contracts';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import type { FieldError } from '@tongban/kernel';
import type { DataElement, Fee, Matter } from '../src/domain/model.ts';
import { checkMatter } from '../src/domain/publish.ts';
import catalog from '../src/index.ts';

const text = (zh: string, en: string) => ({ zh, en });
const dictionary: readonly DataElement[] = [
  { id: 'person.name', name: text('姓名', 'Name'), type: 'string' },
  { id: 'person.idNumber', name: text('公民身份号码', 'ID number'), type: 'string', check: 'gb11643' },
  { id: 'property.area', name: text('建筑面积', 'Floor area'), type: 'number' },
  { id: 'person.birthDate', name: text('出生日期', 'Date of birth'), type: 'date' },
  { id: 'person.unbound', name: text('未绑定', 'Unbound'), type: 'number' },
  {
    id: 'person.gender',
    name: text('性别', 'Gender'),
    type: 'code',
    values: [
      { code: '1', name: text('男', 'Male') },
      { code: '2', name: text('女', 'Female') },
    ],
  },
];
const refs = { elements: new Map(dictionary.map((e) => [e.id, e])), departments: new Set(['330100-BDC']) };
const fee = (overrides: Partial<Fee> = {}): Fee => ({
  code: 'f',
  name: text('登记费', 'Registration fee'),
  amountFen: 8000,
  ...overrides,
});
const matter = (fees: Fee[]): Matter => ({
  code: 'M-FEE',
  name: text('收费事项', 'A matter with a fee'),
  description: text('说明', 'About'),
  departmentCode: '330100-BDC',
  legalDays: 5,
  promisedDays: 1,
  fees,
  materials: [],
  form: {
    type: 'object',
    properties: {
      name: { 'x-data-element': 'person.name' },
      id: { 'x-data-element': 'person.idNumber' },
      area: { 'x-data-element': 'property.area' },
      born: { 'x-data-element': 'person.birthDate', type: 'string', format: 'date' },
      gender: { 'x-data-element': 'person.gender', type: 'string' },
    },
  },
  lifeEvents: ['property'],
});
const found = (errors: readonly FieldError[]) => errors.map((e) => `${e.field} ${e.code}`);
const tiered = fee({
  basis: 'property.area',
  tiers: [{ upTo: 90, amountFen: 5000 }, { upTo: 144, amountFen: 8000 }, { amountFen: 12000 }],
});

describe('publishing checks a fee payments will assess', () => {
  it('a fixed fee, a tiered fee and exemptions of every kind are accepted', () => {
    const exemptions: Fee['exemptions'] = [
      { code: 'senior', name: text('老年人', 'Seniors'), when: { element: 'person.idNumber', ageAtLeast: 60 } },
      {
        code: 'born',
        name: text('按出生日期', 'By birth date'),
        when: { element: 'person.birthDate', ageAtLeast: 70 },
      },
      { code: 'small', name: text('小户型', 'Small home'), when: { element: 'property.area', atMost: 40 } },
      { code: 'women', name: text('女性', 'Women'), when: { element: 'person.gender', equals: '2' } },
    ];
    assert.deepEqual(checkMatter(matter([fee({ code: 'a' }), { ...tiered, code: 'b', exemptions }]), refs), []);
  });

  it('tiers without a basis, a basis without tiers, a non-numeric basis and an unbound one are refused', () => {
    const errors = checkMatter(
      matter([
        fee({ code: 'a', tiers: [{ amountFen: 1 }] }),
        fee({ code: 'b', basis: 'property.area' }),
        fee({ code: 'c', basis: 'person.name', tiers: [{ amountFen: 1 }] }),
        fee({ code: 'd', basis: 'person.unbound', tiers: [{ amountFen: 1 }] }),
        fee({ code: 'e', basis: 'person.nothing', tiers: [{ amountFen: 1 }] }),
      ]),
      refs,
    );
    assert.deepEqual(found(errors), [
      'fees.0.basis required',
      'fees.1.tiers required',
      'fees.2.basis not_numeric',
      'fees.3.basis element_not_in_form',
      'fees.4.basis unknown_data_element',
    ]);
  });

  it('tiers must ascend and end open-ended', () => {
    const errors = checkMatter(
      matter([
        fee({
          basis: 'property.area',
          tiers: [{ upTo: 90, amountFen: 1 }, { upTo: 90, amountFen: 2 }, { amountFen: 3 }],
        }),
        fee({ code: 'g', basis: 'property.area', tiers: [{ amountFen: 1 }, { upTo: 90, amountFen: 2 }] }),
      ]),
      refs,
    );
    assert.deepEqual(found(errors), [
      'fees.0.tiers.1.upTo tiers_not_ascending',
      'fees.1.tiers.0.upTo required',
      'fees.1.tiers.1.upTo last_tier_bounded',
    ]);
  });

  it('an exemption that cannot apply, or does not fit its element, is refused by field', () => {
    const bad: Fee['exemptions'] = [
      { code: 'x', name: text('空', 'Empty'), when: { element: 'person.name' } },
      { code: 'y', name: text('非数值', 'Not numeric'), when: { element: 'person.name', atLeast: 1 } },
      { code: 'z', name: text('非出生日期', 'Not a birth date'), when: { element: 'property.area', ageAtLeast: 60 } },
      { code: 'w', name: text('值域外', 'Outside the domain'), when: { element: 'person.gender', equals: '9' } },
      { code: 'v', name: text('空区间', 'Empty range'), when: { element: 'property.area', atLeast: 10, atMost: 5 } },
      { code: 'u', name: text('未绑定', 'Unbound'), when: { element: 'person.unbound', atLeast: 1 } },
      { code: 'u', name: text('重复', 'Twice'), when: { element: 'property.area', atLeast: 1 } },
    ];
    assert.deepEqual(found(checkMatter(matter([fee({ exemptions: bad })]), refs)), [
      'fees.0.exemptions.6.code duplicate_code',
      'fees.0.exemptions.0.when empty_condition',
      'fees.0.exemptions.1.when.atLeast not_numeric',
      'fees.0.exemptions.2.when.ageAtLeast not_a_birth_date',
      'fees.0.exemptions.3.when.equals contradicts_data_element',
      'fees.0.exemptions.4.when.atMost empty_range',
      'fees.0.exemptions.5.when.element element_not_in_form',
    ]);
  });
});

describe('assessing a fee (what payments computes)', () => {
  const now = new Date('2026-12-07T16:30:00Z'); // 2026-12-08 00:30 in China
  it('a fixed fee is its amount; an old version without the new fields reads the same', () => {
    const old: MatterFeeView = { code: 'f', name: text('费', 'Fee'), amountFen: 2000 };
    assert.deepEqual(assessFee(old, {}, now), { code: 'f', name: old.name, amountFen: 2000 });
  });

  it('a tiered fee takes the first band the verified value fits, bounds inclusive; unverified → its amount', () => {
    assert.equal(assessFee(tiered, { 'property.area': 89.5 }, now).amountFen, 5000);
    assert.deepEqual([assessFee(tiered, { 'property.area': 90 }, now).tier], [0]);
    assert.equal(assessFee(tiered, { 'property.area': '90.01' }, now).tier, 1);
    assert.equal(assessFee(tiered, { 'property.area': 200 }, now).amountFen, 12000);
    const unverified = assessFee(tiered, {}, now);
    assert.equal(unverified.amountFen, 8000);
    assert.equal(unverified.tier, undefined);
  });

  it('an exemption makes the fee 0 and names itself; a missing value never satisfies it', () => {
    const senior = fee({
      amountFen: 2000,
      exemptions: [
        { code: 'senior-60', name: text('老年人', 'Seniors'), when: { element: 'person.idNumber', ageAtLeast: 60 } },
      ],
    });
    // Born 1962-03-12: 64 on the day; 张三, born 1990-01-01, pays.
    const exempt = assessFee(senior, { 'person.idNumber': '330106196203121014' }, now);
    assert.deepEqual([exempt.amountFen, exempt.exemption?.code], [0, 'senior-60']);
    assert.equal(assessFee(senior, { 'person.idNumber': '330106199001011234' }, now).amountFen, 2000);
    assert.equal(assessFee(senior, {}, now).amountFen, 2000);
    assert.deepEqual(feeElements([senior, tiered]), ['person.idNumber', 'property.area']);
  });

  it('ages count full years on the day in China Standard Time; equals compares as strings', () => {
    assert.equal(birthDateOf('33010619620312101X'), '1962-03-12');
    assert.equal(birthDateOf('330106196202301014'), undefined, '30 February is no date');
    assert.equal(ageOn('1966-12-08', now), 60, 'the birthday has begun in China');
    assert.equal(ageOn('1966-12-08', new Date('2026-12-07T15:59:59Z')), 59);
    assert.equal(exemptionHolds({ element: 'g', equals: 2 }, { g: '2' }, now), true);
    assert.equal(exemptionHolds({ element: 'g', equals: true }, { g: true }, now), true);
    assert.equal(exemptionHolds({ element: 'a', atLeast: 1, atMost: 2 }, { a: 'x' }, now), false);
  });
});

describe('the operator API refuses a bad fee at publish (422, by field)', () => {
  let platform: TestPlatform;
  before(async () => {
    platform = await startTestPlatform([catalog], { seed: true });
  });
  after(async () => {
    await platform?.dispose();
  });

  it('a tier on a text element and an empty exemption come back as field errors', async () => {
    const draft = {
      name: text('测试收费事项', 'Test matter with a fee'),
      description: text('用于测试', 'For tests'),
      departmentCode: '330100-BDC',
      legalDays: 10,
      promisedDays: 3,
      fees: [
        {
          code: 'reg',
          name: text('登记费', 'Registration fee'),
          amountFen: 8000,
          basis: 'person.name',
          tiers: [{ upTo: 90, amountFen: 5000 }, { amountFen: 8000 }],
          exemptions: [{ code: 'none', name: text('空', 'Empty'), when: { element: 'person.name' } }],
        },
      ],
      materials: [],
      form: { type: 'object', properties: { applicantName: { 'x-data-element': 'person.name' } } },
      lifeEvents: ['property'],
    };
    const headers = operatorHeaders();
    const put = await platform.app.inject({
      method: 'PUT',
      url: '/api/catalog/matters/T-FEE/draft',
      headers,
      payload: draft,
    });
    assert.equal(put.statusCode, 200, put.body);
    const published = await platform.app.inject({ method: 'POST', url: '/api/catalog/matters/T-FEE/publish', headers });
    assert.equal(published.statusCode, 422, published.body);
    const fields = published
      .json<{ errors: { field: string; code: string }[] }>()
      .errors.map((e) => `${e.field} ${e.code}`);
    assert.deepEqual(fields, ['draft.fees.0.basis not_numeric', 'draft.fees.0.exemptions.0.when empty_condition']);
  });

  it('a fee amount that is not whole fen is refused when the draft is saved', async () => {
    const response = await platform.app.inject({
      method: 'PUT',
      url: '/api/catalog/matters/T-FEE2/draft',
      headers: operatorHeaders(),
      payload: {
        name: text('测试', 'Test'),
        description: text('测试', 'Test'),
        departmentCode: '330100-BDC',
        legalDays: 1,
        promisedDays: 1,
        fees: [{ code: 'reg', name: text('费', 'Fee'), amountFen: 12.5 }],
        materials: [],
        form: { type: 'object', properties: {} },
        lifeEvents: [],
      },
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.match(response.body, /fees/);
  });

  it('the demo ID-card renewal is published with its fee and exemption for payments to read', async () => {
    const response = await platform.app.inject({ method: 'GET', url: '/api/catalog/matters/330100-GA-003' });
    assert.equal(response.statusCode, 200, response.body);
    const m = response.json<{ fees: MatterFeeView[]; process: string }>();
    assert.equal(m.process, 'immediate');
    assert.deepEqual(m.fees[0]?.exemptions?.[0]?.when, { element: 'person.idNumber', ageAtLeast: 60 });
    assert.equal(m.fees[0]?.amountFen, 2000);
  });
});
