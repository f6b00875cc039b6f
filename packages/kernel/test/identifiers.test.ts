// Check digits (GB 11643 resident ID numbers, GB 32100 credit codes) and calendar dates: known
// good and bad values, and the algebra — a valid identifier with any one character changed fails.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  creditCodeCheckChar,
  isCalendarDate,
  isIsoDate,
  isValidCreditCode,
  isValidResidentId,
  residentIdCheckChar,
} from '../src/identifiers.ts';

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('GB 11643 resident ID numbers', () => {
  it('known numbers: valid, wrong check digit, all zeros, a date that does not exist', () => {
    assert.equal(isValidResidentId('11010519491231002X'), true);
    assert.equal(isValidResidentId('11010519491231002x'), true, 'a lower-case x is the same check character');
    assert.equal(isValidResidentId('330106199201011226'), true);
    assert.equal(isValidResidentId('330106199201011228'), false);
    assert.equal(isValidResidentId('000000000000000000'), false);
    assert.equal(
      isValidResidentId(`33010619920230123${residentIdCheckChar('33010619920230123')}`),
      false,
      'born 1992-02-30',
    );
    assert.equal(isValidResidentId('not-an-id-number'), false);
  });

  const validId = fc
    .record({
      region: fc.integer({ min: 110000, max: 659999 }),
      date: fc.date({ min: new Date('1900-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }),
      serial: fc.integer({ min: 0, max: 999 }),
    })
    .map(({ region, date, serial }) => {
      const first17 = `${region}${date.toISOString().slice(0, 10).replace(/-/g, '')}${String(serial).padStart(3, '0')}`;
      return first17 + residentIdCheckChar(first17);
    });

  it('every number built with its check character is valid', () => {
    fc.assert(fc.property(validId, (id) => isValidResidentId(id)));
  });

  it('a valid number with any one character changed is not', () => {
    fc.assert(
      fc.property(validId, fc.nat(17), fc.constantFrom(...'0123456789X'), (id, at, c) => {
        fc.pre(id[at] !== c);
        return !isValidResidentId(id.slice(0, at) + c + id.slice(at + 1));
      }),
    );
  });
});

describe('GB 32100 unified social credit codes', () => {
  it('known codes: valid, wrong check character, letters outside the alphabet', () => {
    assert.equal(isValidCreditCode('91350100M000100Y43'), true);
    assert.equal(isValidCreditCode('91350100M000100Y44'), false);
    assert.equal(isValidCreditCode('91350100M000100I43'), false, 'I is not in the alphabet');
  });

  const validCode = fc
    .array(fc.constantFrom(...CREDIT_ALPHABET), { minLength: 17, maxLength: 17 })
    .map((chars) => chars.join('') + creditCodeCheckChar(chars.join('')));

  it('a valid code with any one character changed is not', () => {
    fc.assert(
      fc.property(validCode, fc.nat(17), fc.constantFrom(...CREDIT_ALPHABET), (code, at, c) => {
        fc.pre(code[at] !== c);
        return isValidCreditCode(code) && !isValidCreditCode(code.slice(0, at) + c + code.slice(at + 1));
      }),
    );
  });
});

describe('calendar dates', () => {
  it('months have their days; leap years follow the Gregorian rule', () => {
    assert.equal(isIsoDate('2026-13-45'), false);
    assert.equal(isIsoDate('2026-02-30'), false);
    assert.equal(isIsoDate('2026-02-28'), true);
    assert.equal(isIsoDate('2024-02-29'), true);
    assert.equal(isIsoDate('1900-02-29'), false);
    assert.equal(isIsoDate('2000-02-29'), true);
    assert.equal(isIsoDate('2026-1-5'), false);
    assert.equal(isCalendarDate(2026, 4, 31), false);
  });

  it('agrees with the platform calendar for every day of four centuries', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1800-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }), (d) =>
        isIsoDate(d.toISOString().slice(0, 10)),
      ),
    );
  });
});
