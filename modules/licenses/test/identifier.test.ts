// GB/T 36904 identifiers and their ISO/IEC 7064 MOD 37,36 check character: the published
// examples (ISAN's, which uses the same system), and what the system promises: every single
// substitution is caught, and nearly every adjacent transposition — not all: a hybrid system
// lets a few pairs through (IJ ↔ JI at the start is one; fast-check found it in CI).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  formatIdentifier,
  isValidIdentifier,
  isValidMod3736,
  mod3736CheckChar,
  parseIdentifier,
} from '../src/domain/identifier.ts';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const alnum = fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 40 });

describe('ISO/IEC 7064 MOD 37,36', () => {
  test('the published examples are valid', () => {
    for (const s of ['A12425GABC1234002M', 'B159D8FA01240000K', '188166C7342000003']) {
      assert.equal(isValidMod3736(s), true, s);
      assert.equal(mod3736CheckChar(s.slice(0, -1)), s.at(-1));
    }
  });

  test('a computed check character always validates', () => {
    fc.assert(fc.property(alnum, (s) => isValidMod3736(s + mod3736CheckChar(s))));
  });

  test('any single substitution is caught', () => {
    fc.assert(
      fc.property(alnum, fc.nat(), fc.integer({ min: 1, max: 35 }), (s, at, shift) => {
        const text = s + mod3736CheckChar(s);
        const i = at % text.length;
        const changed = ALPHABET[(ALPHABET.indexOf(text[i]!) + shift) % 36]!;
        return !isValidMod3736(text.slice(0, i) + changed + text.slice(i + 1));
      }),
    );
  });

  test('adjacent transpositions are caught but for a few pairs in a thousand (counted over every pair, in three places)', () => {
    let missed = 0;
    let tried = 0;
    for (const before of ['', 'A', 'Z9'])
      for (const a of ALPHABET)
        for (const b of ALPHABET) {
          if (a === b) continue;
          const body = `${before}${a}${b}0`;
          const text = body + mod3736CheckChar(body);
          const swapped = `${before}${b}${a}0${text.at(-1)}`;
          tried++;
          if (isValidMod3736(swapped)) missed++;
        }
    assert.ok(missed > 0, 'the system is not perfect against transpositions: a test claiming so was wrong');
    assert.ok(missed / tried < 0.005, `${missed} of ${tried} transpositions went unnoticed`);
  });
});

describe('GB/T 36904 licence identifier', () => {
  const id = { typeCode: '11100000MB', issuerCode: '11330100002489571B', serial: 42, version: 1 };

  test('formats as root . type . issuer . serial . three-digit version . check', () => {
    const text = formatIdentifier(id);
    assert.match(text, /^1\.2\.156\.3005\.2\.11100000MB\.11330100002489571B\.42\.001\.[0-9A-Z]$/);
    assert.equal(isValidIdentifier(text), true);
    assert.deepEqual(parseIdentifier(text), id);
  });

  test('a changed character or a wrong check character is refused', () => {
    const text = formatIdentifier(id);
    assert.deepEqual(parseIdentifier(text.replace('.42.', '.43.')), { problem: 'check_character' });
    const wrong = ALPHABET[(ALPHABET.indexOf(text.at(-1)!) + 1) % 36]!;
    assert.deepEqual(parseIdentifier(text.slice(0, -1) + wrong), { problem: 'check_character' });
  });

  test('a malformed identifier is refused as malformed', () => {
    for (const bad of [
      '',
      '1.2.156.3005.2',
      formatIdentifier(id).replace('.001.', '.1.'),
      formatIdentifier(id).replace('.42.', '.042.'),
      formatIdentifier(id).toLowerCase(),
      formatIdentifier(id).replace('1.2.156.3005.2', '1.2.156.3005.3'),
    ])
      assert.deepEqual(parseIdentifier(bad), { problem: 'malformed' }, bad);
  });

  test('every valid part round-trips', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 999_999_999_999 }),
        fc.integer({ min: 1, max: 999 }),
        (typeCode, serial, version) => {
          const parts = { typeCode, issuerCode: id.issuerCode, serial, version };
          assert.deepEqual(parseIdentifier(formatIdentifier(parts)), parts);
        },
      ),
    );
  });

  test('parts out of range are refused when formatting', () => {
    assert.throws(() => formatIdentifier({ ...id, version: 1000 }), RangeError);
    assert.throws(() => formatIdentifier({ ...id, serial: 0 }), RangeError);
    assert.throws(() => formatIdentifier({ ...id, issuerCode: 'short' }), RangeError);
  });
});
