// 脱敏: the formats of domain-facts.md, the policy tables per audience and purpose, checks at load,
// and properties: no masked output shows what it hides.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { residentIdCheckChar } from '@tongban/kernel';
import {
  generalizeDate,
  maskAddress,
  maskIdNumber,
  maskMobile,
  maskName,
  maskRow,
  MASKING_POLICIES,
  policyFor,
  strategyFor,
  validatePolicies,
  type MaskingPolicy,
} from '../src/domain/masking.ts';
import { BIRTH_RECORD, POPULATION, REGISTRIES } from '../src/domain/registries.ts';

const pseudonym = (consumer: string) => (v: string) => `ps-${consumer}-${v.length}`;
const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const idNumber = digits(17).map((first17) => first17 + residentIdCheckChar(first17));
const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), digits(9)).map(([second, rest]) => `1${second}${rest}`);
const hanzi = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c));
const name = fc.array(hanzi, { minLength: 2, maxLength: 5 }).map((c) => c.join(''));

describe('partial formats (domain-facts.md)', () => {
  test('ID 110101********1234, mobile 138****5678, name 张* / 欧***, address up to the district, date to its year', () => {
    assert.equal(maskIdNumber('11010119900307123X'), '110101********123X');
    assert.equal(maskMobile('13812345678'), '138****5678');
    assert.equal(maskName('张三'), '张*');
    assert.equal(maskName('欧阳娜娜'), '欧***');
    assert.equal(maskAddress('浙江省杭州市西湖区文三路 1 号'), '浙江省杭州市西湖区****');
    assert.equal(maskAddress('杭州市拱墅区湖墅南路 99 号'), '杭州市拱墅区****');
    assert.equal(maskAddress('浙江省义乌市稠城街道 5 号'), '浙江省义乌市****');
    assert.equal(maskAddress('文三路 1 号'), '****', 'no district: nothing kept');
    assert.equal(generalizeDate('1990-01-01'), '1990');
    assert.equal(maskIdNumber('12345'), '*****', 'not an 18-character ID: masked whole');
    assert.equal(maskMobile('+86 138'), '*******');
  });

  test('property: an ID number never shows its birth date and sequence (characters 7–14)', () => {
    fc.assert(
      fc.property(idNumber, (id) => {
        const masked = maskIdNumber(id);
        assert.equal(masked.length, 18);
        assert.ok(!masked.includes(id.slice(6, 14)), `${masked} shows ${id.slice(6, 14)}`);
        assert.equal(masked.slice(6, 14), '********');
      }),
    );
  });

  test('property: two IDs (or mobiles) differing only in the hidden middle mask alike — the output carries nothing of it', () => {
    fc.assert(
      fc.property(idNumber, digits(8), (id, middle) => {
        assert.equal(maskIdNumber(id), maskIdNumber(id.slice(0, 6) + middle + id.slice(14)));
      }),
    );
    fc.assert(
      fc.property(mobile, digits(4), (m, middle) => {
        assert.equal(maskMobile(m), maskMobile(m.slice(0, 3) + middle + m.slice(7)));
        assert.equal(maskMobile(m).slice(3, 7), '****');
      }),
    );
  });

  test('property: a name keeps its first character only; an address never shows what follows the district', () => {
    fc.assert(
      fc.property(name, (n) => {
        const masked = maskName(n);
        assert.equal([...masked].length, [...n].length);
        assert.ok(!masked.includes([...n].slice(1).join('')));
      }),
    );
    fc.assert(
      fc.property(fc.array(hanzi, { minLength: 2, maxLength: 12 }), digits(3), (street, number) => {
        const rest = `${street.join('')}路${number}号`.replace(/[区县旗市]/g, '街');
        const masked = maskAddress(`浙江省杭州市西湖区${rest}`);
        assert.equal(masked, '浙江省杭州市西湖区****');
      }),
    );
  });
});

describe('policy tables', () => {
  const zhang = {
    idNumber: '33010619900101123X',
    name: '张三',
    gender: '1',
    birthDate: '1990-01-01',
    address: '浙江省杭州市西湖区文三路 1 号',
    householdAddress: '浙江省杭州市西湖区文三路 1 号',
    householdId: '330106000123',
    fatherIdNumber: '330106196203121019',
    motherIdNumber: null,
    mobile: '13800000001',
  };
  const items = POPULATION.items.map((i) => i.key);
  const row = (audience: Parameters<typeof policyFor>[1], purpose: string, consumer = 'c1') =>
    maskRow(zhang, POPULATION, policyFor(MASKING_POLICIES, audience, purpose), items, pseudonym(consumer));

  test('a department system for a matter: ID pseudonymous, name partial, birth year only, no mobile or household number', () => {
    assert.deepEqual(row('system', '330100-GA-001'), {
      idNumber: 'ps-c1-18',
      name: '张*',
      gender: '1',
      birthDate: '1990',
      address: '浙江省杭州市西湖区****',
      householdAddress: '浙江省杭州市西湖区****',
      fatherIdNumber: 'ps-c1-18',
      motherIdNumber: null,
    });
  });

  test('a department system under a legal basis (law:…) sees the person; the mobile stays partial', () => {
    const r = row('system', 'law:刑事诉讼法-第54条');
    assert.equal(r.idNumber, zhang.idNumber);
    assert.equal(r.name, '张三');
    assert.equal(r.birthDate, '1990-01-01');
    assert.equal(r.mobile, '138****0001');
  });

  test('an officer sees name and dates, the ID number and mobile partly; a counter only what recognises the person', () => {
    const officer = row('officer', '330100-GA-001');
    assert.equal(officer.name, '张三');
    assert.equal(officer.idNumber, '330106********123X');
    assert.equal(officer.mobile, '138****0001');
    assert.deepEqual(row('counter', '330100-GA-001'), { idNumber: '330106********123X', name: '张*', gender: '1' });
  });

  test('the applicant’s own prefill is clear', () => {
    assert.equal(row('prefill', 'BIRTH').idNumber, zhang.idNumber);
  });

  test('an item no policy names is omitted when personal and clear when not (deny by default)', () => {
    const policy = policyFor(MASKING_POLICIES, 'counter', 'x');
    assert.equal(strategyFor(policy, BIRTH_RECORD, 'childName'), 'omit');
    assert.equal(strategyFor(policy, BIRTH_RECORD, 'certificateNumber'), 'clear');
  });

  test('pseudonyms come from the consumer’s key: the same value differs across consumers', () => {
    const a = maskRow(zhang, POPULATION, policyFor(MASKING_POLICIES, 'system', 'm'), ['idNumber'], (v) => `A${v}`);
    const b = maskRow(zhang, POPULATION, policyFor(MASKING_POLICIES, 'system', 'm'), ['idNumber'], (v) => `B${v}`);
    assert.notEqual(a.idNumber, b.idNumber);
  });

  test('property: no population row masked for a matter (any audience) shows an ID number’s middle or a whole mobile', () => {
    fc.assert(
      fc.property(idNumber, mobile, name, (id, m, n) => {
        const values = { ...zhang, idNumber: id, mobile: m, name: n };
        for (const policy of MASKING_POLICIES.filter((p) => p.audience !== 'prefill' && !p.purposePrefix)) {
          const out = JSON.stringify(maskRow(values, POPULATION, policy, items, (v) => `ps-${v.length}`));
          assert.ok(!out.includes(id.slice(6, 14)), `${policy.name} shows the ID's middle`);
          assert.ok(!out.includes(m), `${policy.name} shows the whole mobile`);
        }
      }),
    );
  });

  test('the platform tables load; a policy naming an unknown strategy, item or resource fails at load, naming it', () => {
    validatePolicies(MASKING_POLICIES, REGISTRIES);
    const bad = (resources: MaskingPolicy['resources']): MaskingPolicy[] => [
      ...MASKING_POLICIES,
      { name: 'bad', audience: 'system', purposePrefix: 'x:', resources },
    ];
    assert.throws(
      () => validatePolicies(bad({ population: { name: 'scramble' as never } }), REGISTRIES),
      /bad: population\.name has unknown strategy scramble/,
    );
    assert.throws(
      () => validatePolicies(bad({ population: { shoeSize: 'clear' } }), REGISTRIES),
      /bad: population has no item shoeSize/,
    );
    assert.throws(() => validatePolicies(bad({ nowhere: {} }), REGISTRIES), /unknown resource nowhere/);
    assert.throws(() => validatePolicies(bad({ population: { name: 'generalize' } }), REGISTRIES), /not a date/);
    assert.throws(
      () =>
        validatePolicies(
          MASKING_POLICIES.filter((p) => p.audience !== 'counter'),
          REGISTRIES,
        ),
      /no general policy for audience counter/,
    );
  });
});
