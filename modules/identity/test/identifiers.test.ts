// Resident ID numbers (GB 11643-1999), unified social credit codes (GB 32100-2015), mobile
// numbers and the masks shown in place of them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  isValidMobile,
  isValidResidentId,
  maskMobile,
  maskName,
  maskResidentId,
  normaliseResidentId,
  parseResidentId,
} from '../src/domain/identifiers.ts';
// The check characters are the kernel's now; identity relies on them, so they are checked here too.
import { creditCodeCheckChar, isValidCreditCode, residentIdCheckChar } from '@tongban/kernel';

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const TODAY = new Date('2026-03-02T04:00:00Z'); // 12:00 in Beijing

const residentId = (first17: string) => first17 + residentIdCheckChar(first17);
const creditCode = (first17: string) => first17 + creditCodeCheckChar(first17);

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const birthDates = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true })
  .map(isoDay);
/** The first 17 digits of a resident ID with a real past birth date. */
const residentFirst17 = fc
  .tuple(digits(6), birthDates, digits(3))
  .map(([region, date, sequence]) => `${region}${date.replaceAll('-', '')}${sequence}`);
const creditFirst17 = fc.string({ unit: fc.constantFrom(...CREDIT_ALPHABET), minLength: 17, maxLength: 17 });

/** Replaces the character at `index` by a different one from `alphabet`. */
function substitute(value: string, index: number, pick: number, alphabet: string): string {
  const others = [...alphabet].filter((c) => c !== value[index]);
  return value.slice(0, index) + others[pick % others.length] + value.slice(index + 1);
}

describe('resident ID numbers (GB 11643-1999)', () => {
  it("the standard's sample number is valid", () => {
    assert.equal(isValidResidentId('11010519491231002X', TODAY), true);
  });

  it('a lower-case x check character is accepted and normalised', () => {
    assert.equal(isValidResidentId('11010519491231002x', TODAY), true);
    assert.equal(normaliseResidentId(' 11010519491231002x '), '11010519491231002X');
  });

  it('the check character comes from weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 and "10X98765432"', () => {
    assert.equal(residentIdCheckChar('11010519491231002'), 'X');
    // Σ = 0 → index 0 → '1'; a single 1 in the last place weighs 2 → index 2 → 'X'.
    assert.equal(residentIdCheckChar('00000000000000000'), '1');
    assert.equal(residentIdCheckChar('00000000000000001'), 'X');
    assert.throws(() => residentIdCheckChar('1101051949123100'), RangeError);
  });

  it('a number reveals its region, birth date and sex; an odd sequence is male', () => {
    assert.deepEqual(parseResidentId('11010519491231002X', TODAY), {
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
    });
    assert.deepEqual(parseResidentId(residentId('33010619900101123'), TODAY), {
      regionCode: '330106',
      birthDate: '1990-01-01',
      sex: 'male',
    });
    assert.equal(parseResidentId('11010519491231002Y', TODAY), undefined);
  });

  it('a wrong length, a letter among the digits or a wrong check character is refused', () => {
    for (const id of ['11010519491231002', '11010519491231002XX', '1101051949123100AX', '110105194912310021', '']) {
      assert.equal(isValidResidentId(id, TODAY), false, id);
    }
  });

  it('the birth date must be a real calendar date', () => {
    assert.equal(isValidResidentId(residentId('11010520000229001'), TODAY), true, '2000 is a leap year');
    for (const first17 of [
      '11010519000229001',
      '11010519910230001',
      '11010519911301001',
      '11010519910100001',
      '11010519910431001',
    ]) {
      assert.equal(isValidResidentId(residentId(first17), TODAY), false, first17);
    }
  });

  it('a birth date after today, in Beijing, is refused', () => {
    const born = residentId('11010520260302001');
    assert.equal(isValidResidentId(born, TODAY), true, 'born today');
    assert.equal(isValidResidentId(residentId('11010520260303001'), TODAY), false, 'born tomorrow');
    // 2026-03-01T17:00Z is already 2 March in Beijing.
    assert.equal(isValidResidentId(born, new Date('2026-03-01T17:00:00Z')), true);
    assert.equal(isValidResidentId(born, new Date('2026-03-01T15:59:59Z')), false);
  });

  it('any region, past birth date and sequence with its computed check character is valid', () => {
    fc.assert(fc.property(residentFirst17, (first17) => isValidResidentId(residentId(first17), TODAY)));
  });

  it('changing any single character makes a number invalid', () => {
    fc.assert(
      fc.property(residentFirst17, fc.nat(17), fc.nat(), (first17, index, pick) => {
        const changed = substitute(residentId(first17), index, pick, '0123456789X');
        return !isValidResidentId(changed, TODAY);
      }),
    );
  });
});

describe('unified social credit codes (GB 32100-2015)', () => {
  it('a known registered code is valid', () => {
    assert.equal(isValidCreditCode('91350100M000100Y43'), true);
    assert.equal(creditCodeCheckChar('91350100M000100Y4'), '3');
  });

  it('a check sum of 0 maps to the check character 0, not to 31', () => {
    assert.equal(creditCodeCheckChar('00000000000000000'), '0');
    assert.equal(isValidCreditCode('000000000000000000'), true);
  });

  it('characters outside the 31-symbol alphabet are refused', () => {
    for (const letter of ['I', 'O', 'S', 'V', 'Z', 'a']) {
      assert.equal(isValidCreditCode(`91350100M000100${letter}43`), false, letter);
      assert.throws(() => creditCodeCheckChar(`91350100M000100${letter}4`), RangeError);
    }
    assert.equal(isValidCreditCode('91350100M000100Y4'), false);
  });

  it('any 17 characters of the alphabet with the computed check character are valid', () => {
    fc.assert(fc.property(creditFirst17, (first17) => isValidCreditCode(creditCode(first17))));
  });

  it('changing any single character to another of the alphabet makes a code invalid', () => {
    fc.assert(
      fc.property(
        creditFirst17,
        fc.nat(17),
        fc.nat(),
        (first17, index, pick) => !isValidCreditCode(substitute(creditCode(first17), index, pick, CREDIT_ALPHABET)),
      ),
    );
  });
});

describe('mainland mobile numbers', () => {
  it('11 digits starting 13 to 19 are mobile numbers', () => {
    assert.equal(isValidMobile('13812345678'), true);
    assert.equal(isValidMobile('19912345678'), true);
    for (const m of ['12812345678', '1381234567', '138123456789', '+8613812345678', '1381234567a'])
      assert.equal(isValidMobile(m), false, m);
  });
});

describe('masking', () => {
  it('shows the conventional masks', () => {
    assert.equal(maskResidentId('11010519491231002X'), '110105********002X');
    assert.equal(maskMobile('13812345678'), '138****5678');
    assert.equal(maskName('张三'), '张*');
    assert.equal(maskName('张三丰'), '张**');
    assert.equal(maskName('欧阳娜娜'), '欧阳**');
  });

  it('a one-character name and malformed numbers are masked whole', () => {
    assert.equal(maskName('张'), '*');
    assert.equal(maskResidentId('110105194912310'), '***************');
    assert.equal(maskMobile('+8613812345678'), '**************');
  });

  it('a character outside the BMP counts as one character', () => {
    assert.equal(maskName('𠮷野家'), '𠮷**');
  });

  it('a masked resident ID never reveals the birth date or sequence', () => {
    fc.assert(
      fc.property(residentFirst17, (first17) => {
        const id = residentId(first17);
        const masked = maskResidentId(id);
        return (
          masked.length === 18 &&
          masked.slice(0, 6) === id.slice(0, 6) &&
          masked.slice(6, 14) === '********' &&
          masked.slice(14) === id.slice(14)
        );
      }),
    );
  });

  it('a masked mobile number never reveals digits 4 to 7', () => {
    fc.assert(
      fc.property(fc.constantFrom(...'3456789'), digits(9), (second, rest) => {
        const mobile = `1${second}${rest}`;
        const masked = maskMobile(mobile);
        return (
          masked.slice(3, 7) === '****' &&
          masked.slice(0, 3) === mobile.slice(0, 3) &&
          masked.slice(7) === mobile.slice(7)
        );
      }),
    );
  });

  it('a masked name keeps at most its surname and hides every other character', () => {
    const char = fc.oneof(
      fc.constantFrom(...'张王李欧阳司马诸葛娜锋·*', '𠮷', '𡈽'),
      fc
        .integer({ min: 0x20, max: 0x10ffff })
        .filter((cp) => cp < 0xd800 || cp > 0xdfff)
        .map((cp) => String.fromCodePoint(cp)),
    );
    fc.assert(
      fc.property(fc.array(char, { minLength: 1, maxLength: 8 }), (chars) => {
        const masked = [...maskName(chars.join(''))];
        const kept = chars.length <= 1 ? 0 : chars.length <= 3 ? 1 : 2;
        return (
          masked.length === chars.length &&
          masked.slice(0, kept).join('') === chars.slice(0, kept).join('') &&
          masked.slice(kept).every((c) => c === '*')
        );
      }),
    );
  });
});
