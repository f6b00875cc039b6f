// Properties of the scan code: any licence's claims come back as they went in, under either
// algorithm; and no change to a code's text makes it verify as anything but the very code it was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { maskName } from '@tongban/kernel';
import { issueScanCode, verifyScanCode, type LicenceClaims } from '../src/domain/scan-code/index.ts';
import { decodeScanText } from '../src/domain/scan-code/text.ts';
import { es256, ISSUER, licenceClaims, sm2, trustOf } from './scan-code-fixtures.ts';

const YEAR = 365 * 86_400;
const text = (max: number) =>
  fc.string({ minLength: 1, maxLength: max, unit: 'grapheme' }).filter((s) => s.length <= 128);

const claimsArbitrary: fc.Arbitrary<LicenceClaims> = fc
  .record({
    identifier: text(80),
    typeCode: text(24),
    name: fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme' }),
    notBefore: fc.integer({ min: 0, max: 4_000_000_000 }),
    validFor: fc.option(fc.integer({ min: 1, max: 50 * YEAR }), { nil: undefined }),
    issuedAt: fc.integer({ min: 0, max: 4_000_000_000 }),
    listId: text(32),
    index: fc.nat({ max: 2 ** 32 }),
  })
  .map(({ name, validFor, notBefore, listId, index, ...rest }) => ({
    ...rest,
    holder: maskName(name),
    issuer: ISSUER,
    notBefore,
    ...(validFor === undefined ? {} : { expires: notBefore + validFor }),
    statusList: { id: listId, index },
  }));

test('random claims come back unchanged from a code signed with ES256 or SM2', () => {
  for (const [signer, numRuns] of [
    [es256(), 100],
    [sm2(), 20], // SM2 in JavaScript: some ms per signature and verification
  ] as const) {
    const trust = trustOf(signer);
    fc.assert(
      fc.property(claimsArbitrary, (claims) => {
        const result = verifyScanCode(issueScanCode(claims, signer), {
          trust,
          now: new Date(claims.notBefore * 1000),
        });
        assert.ok(result.ok, JSON.stringify(result));
        assert.deepEqual(result.claims, claims);
      }),
      { numRuns },
    );
  }
});

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
type Mutation = (s: string) => string;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.constantFrom(...ALPHABET, 'a', 'é', '\n')).map(
    ([at, c]): Mutation =>
      (s) =>
        s.slice(0, at % s.length) + c + s.slice((at % s.length) + 1),
  ),
  fc.nat().map(
    (at): Mutation =>
      (s) =>
        s.slice(0, at % s.length) + s.slice((at % s.length) + 1),
  ),
  fc.tuple(fc.nat(), fc.constantFrom(...ALPHABET)).map(
    ([at, c]): Mutation =>
      (s) =>
        s.slice(0, at % (s.length + 1)) + c + s.slice(at % (s.length + 1)),
  ),
  fc.nat().map((at): Mutation => (s) => {
    const i = at % (s.length - 1);
    return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  }),
  fc.nat().map(
    (at): Mutation =>
      (s) =>
        s.slice(0, at % s.length),
  ),
);

test('random mutations of a code’s text never verify — unless they leave the signed message byte for byte as it was', (t) => {
  const signer = es256();
  const trust = trustOf(signer);
  const original = issueScanCode(licenceClaims(), signer);
  const signed = decodeScanText(original);
  assert.ok(signed.ok);
  let harmless = 0;
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
      const mutated = mutations.reduce((s, m) => m(s), original);
      fc.pre(mutated !== original);
      const result = verifyScanCode(mutated, { trust, now: new Date(Date.UTC(2030, 0, 1)) });
      if (!result.ok) return;
      // Only deflate's slack (the unused bits of its last byte) can change without changing a signed byte.
      const decoded = decodeScanText(mutated);
      assert.ok(decoded.ok);
      assert.deepEqual(decoded.cose, signed.cose, `verified ok but carries other bytes: ${mutated}`);
      harmless += 1;
    }),
    { numRuns: 2000 },
  );
  t.diagnostic(`${harmless} of 2000 mutations changed only deflate's unused bits`);
});
