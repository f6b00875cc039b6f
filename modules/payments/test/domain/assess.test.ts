// 费用核定: fixed, tiered by a verified value, exemptions on verified data only; amounts in whole fen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageOn, assess, chinaDate, holds, type CatalogFee } from '../../src/domain/assess.ts';

const name = { zh: '费', en: 'Fee' };
const today = '2026-12-01';

test('a fixed fee is its amount; the total is the sum of the lines', () => {
  const fees: CatalogFee[] = [
    { code: 'a', name, amountFen: 2000 },
    { code: 'b', name, amountFen: 550 },
  ];
  const r = assess(fees, {}, today);
  assert.equal(r.amountFen, 2550);
  assert.deepEqual(
    r.items.map((i) => [i.code, i.amountFen]),
    [
      ['a', 2000],
      ['b', 550],
    ],
  );
});

test('a tiered fee takes the first tier whose inclusive bound holds the verified value', () => {
  const fee: CatalogFee = {
    code: 'reg',
    name,
    amountFen: 15000,
    basis: 'property.area',
    tiers: [{ upTo: 90, amountFen: 8000 }, { upTo: 144, amountFen: 12000 }, { amountFen: 20000 }],
  };
  assert.deepEqual(
    [60, 90, 90.5, 144, 200].map((area) => assess([fee], { 'property.area': area }, today).items[0]),
    [
      { code: 'reg', name, amountFen: 8000, tier: 0 },
      { code: 'reg', name, amountFen: 8000, tier: 0 },
      { code: 'reg', name, amountFen: 12000, tier: 1 },
      { code: 'reg', name, amountFen: 12000, tier: 1 },
      { code: 'reg', name, amountFen: 20000, tier: 2 },
    ],
  );
  // Not verified: the fee's own amount, no tier (the catalog's rule).
  assert.deepEqual(assess([fee], {}, today).items[0], { code: 'reg', name, amountFen: 15000 });
  assert.deepEqual(assess([fee], { 'property.area': 'large' }, today).items[0], {
    code: 'reg',
    name,
    amountFen: 15000,
  });
});

test('an exemption applies only when its rule holds on the verified values', () => {
  const fee: CatalogFee = {
    code: 'card',
    name,
    amountFen: 2000,
    exemptions: [
      { code: 'low-income', name, when: { element: 'person.lowIncome', equals: true } },
      { code: 'elderly', name, when: { element: 'person.birthDate', ageAtLeast: 70 } },
    ],
  };
  assert.equal(assess([fee], {}, today).amountFen, 2000);
  assert.equal(assess([fee], { 'person.lowIncome': false }, today).amountFen, 2000);
  const low = assess([fee], { 'person.lowIncome': true }, today);
  assert.equal(low.amountFen, 0);
  assert.equal(low.items[0]!.exemption?.code, 'low-income');
  assert.equal(assess([fee], { 'person.birthDate': '1956-12-01' }, today).amountFen, 0, '70 today');
  assert.equal(assess([fee], { 'person.birthDate': '1956-12-02' }, today).amountFen, 2000, '70 tomorrow');
  // The date of birth in a verified GB 11643 ID number (characters 7–14).
  const senior: CatalogFee = {
    ...fee,
    exemptions: [{ code: 'senior-60', name, when: { element: 'person.idNumber', ageAtLeast: 60 } }],
  };
  assert.equal(assess([senior], { 'person.idNumber': '330106196612011234' }, today).amountFen, 0, '60 today');
  assert.equal(assess([senior], { 'person.idNumber': '33010619900101123X' }, today).amountFen, 2000, 'born 1990');
  // Nothing to waive: no exemption recorded on a fee already 0.
  assert.equal(
    assess([{ ...senior, amountFen: 0 }], { 'person.idNumber': '330106196612011234' }, today).items[0]!.exemption,
    undefined,
  );
  // An exemption of a shape we do not know never applies (no waiver by accident).
  assert.equal(holds('verified.age >= 70', { age: 80 }, today), false);
  assert.equal(holds({ element: 'x' }, { x: 1 }, today), false, 'a rule with no bound');
});

test('ranges and ages: bounds inclusive, birthdays counted on the day, China Standard Time dates', () => {
  assert.equal(holds({ element: 'n', atLeast: 2, atMost: 4 }, { n: 2 }, today), true);
  assert.equal(holds({ element: 'n', atLeast: 2, atMost: 4 }, { n: '4' }, today), true);
  assert.equal(holds({ element: 'n', atLeast: 2, atMost: 4 }, { n: 5 }, today), false);
  assert.equal(ageOn('2000-02-29', '2026-02-28'), 25);
  assert.equal(ageOn('2000-02-29', '2026-03-01'), 26);
  assert.equal(ageOn('2030-01-01', today), undefined);
  assert.equal(chinaDate(new Date('2026-11-30T16:00:00Z')), '2026-12-01');
  assert.equal(chinaDate(new Date('2026-11-30T15:59:59Z')), '2026-11-30');
});

test('an amount that is not whole fen is refused, not rounded', () => {
  assert.throws(() => assess([{ code: 'x', name, amountFen: 0.5 }], {}, today), RangeError);
  assert.throws(() => assess([{ code: 'x', name, amountFen: -1 }], {}, today), RangeError);
});
