// The scan code: what it carries, how long it is, and a reason for every way it can fail.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { decode, encode, Tagged } from 'cborg';
import { encode as base45Encode, decode as base45Decode } from 'base45';
import {
  CLAIM,
  issueScanCode,
  LICENCE_CLAIM,
  SCAN_CODE_PREFIX,
  ScanClaimsError,
  es256SignerFrom,
  scanKeyId,
  trustedKeyOf,
  verifyScanCode,
  type ScanSigner,
} from '../src/domain/scan-code/index.ts';
import { signCoseSign1 } from '../src/domain/scan-code/cose.ts';
import { encodeScanText } from '../src/domain/scan-code/text.ts';
import { encodeClaims } from '../src/domain/scan-code/claims.ts';
import { DURING, ISSUER, licenceClaims, SIGNERS, sm2, es256, trustOf } from './scan-code-fixtures.ts';

/** The COSE message inside a scan code's text, with no checks. */
const coseOf = (text: string) => inflateSync(base45Decode(text.slice(SCAN_CODE_PREFIX.length)));
/** A text carrying `cose` as the issuer would have written it. */
const textOf = (cose: Uint8Array) => encodeScanText(cose);
const parts = (text: string) =>
  (decode(coseOf(text), { useMaps: true, tags: { 18: Tagged.decoder(18) } }) as Tagged).value as unknown[];

for (const [name, makeSigner] of Object.entries(SIGNERS)) {
  describe(`a scan code signed with ${name}`, () => {
    const signer = makeSigner();
    const trust = trustOf(signer);
    const text = issueScanCode(licenceClaims(), signer);

    test('verifies offline with the issuer’s key and gives back the claims, status-list index included', () => {
      const result = verifyScanCode(text, { trust, now: DURING });
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(result.claims, licenceClaims());
      assert.equal(result.claims.statusList.index, 131_071);
      assert.equal(result.algorithm, name);
    });

    test('a typical licence is under 700 characters, all QR alphanumeric, behind the TB1: prefix', (t) => {
      t.diagnostic(`${name}: ${text.length} characters`);
      assert.ok(text.length < 700, `${text.length} characters`);
      assert.ok(text.startsWith('TB1:'));
      assert.match(text, /^[0-9A-Z $%*+\-./:]+$/);
    });

    test('is COSE_Sign1 (tag 18) with {1: alg, 4: kid} protected, nothing unprotected, a 64-byte signature', () => {
      const [protectedHeader, unprotected, payload, signature] = parts(text);
      const header = decode(protectedHeader as Uint8Array, { useMaps: true }) as Map<number, unknown>;
      assert.deepEqual([...header.keys()], [1, 4]);
      assert.equal(header.get(1), name === 'ES256' ? -7 : -65537);
      assert.equal((header.get(4) as Uint8Array).length, 8);
      assert.equal((unprotected as Map<unknown, unknown>).size, 0);
      assert.equal((signature as Uint8Array).length, 64);
      const cwt = decode(payload as Uint8Array, { useMaps: true }) as Map<number, unknown>;
      assert.equal(cwt.get(CLAIM.iss), ISSUER);
      assert.equal((cwt.get(CLAIM.licence) as Map<number, unknown>).get(LICENCE_CLAIM.holder), '欧**');
    });

    test('tampered — a byte of the payload changed, re-compressed and re-encoded faithfully — is bad_signature', () => {
      const cose = coseOf(text);
      const at = cose.indexOf(Buffer.from('欧'));
      assert.ok(at > 0);
      cose.set(Buffer.from('李'), at); // same length in UTF-8: the CBOR stays well-formed
      assert.deepEqual(verifyScanCode(textOf(cose), { trust, now: DURING }), { ok: false, reason: 'bad_signature' });
    });

    test('signed by another key under the trusted key’s kid is bad_signature; by an untrusted key, unknown_issuer', () => {
      const other = makeSigner();
      const impostor: ScanSigner = { ...other, publicKey: signer.publicKey };
      assert.deepEqual(verifyScanCode(issueScanCode(licenceClaims(), impostor), { trust, now: DURING }), {
        ok: false,
        reason: 'bad_signature',
      });
      assert.deepEqual(verifyScanCode(issueScanCode(licenceClaims(), other), { trust, now: DURING }), {
        ok: false,
        reason: 'unknown_issuer',
      });
      assert.deepEqual(verifyScanCode(text, { trust: [], now: DURING }), { ok: false, reason: 'unknown_issuer' });
    });

    test('the issuer’s key may not sign another issuer’s licence: issuer_mismatch, with what it claims', () => {
      const result = verifyScanCode(text, { trust: trustOf(signer, '12330000MB1234567Y'), now: DURING });
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.reason, 'issuer_mismatch');
    });

    test('expired at exp and after; not_yet_valid before nbf — with the genuine claims, so the page can show them', () => {
      const { notBefore, expires } = licenceClaims();
      const at = (seconds: number) => verifyScanCode(text, { trust, now: new Date(seconds * 1000) });
      assert.equal(at(expires! - 1).ok, true);
      for (const result of [at(expires!), at(expires! + 86_400)]) {
        assert.equal(!result.ok && result.reason, 'expired');
        assert.deepEqual(!result.ok && result.claims, licenceClaims());
      }
      assert.equal(at(notBefore).ok, true);
      assert.equal(((r) => !r.ok && r.reason)(at(notBefore - 1)), 'not_yet_valid');
      const lenient = verifyScanCode(text, { trust, now: new Date((notBefore - 60) * 1000), leewaySeconds: 300 });
      assert.equal(lenient.ok, true, 'a verifier’s clock a minute behind is allowed its leeway');
    });
  });
}

describe('a scan code that is not one', () => {
  const signer = es256();
  const trust = trustOf(signer);
  const text = issueScanCode(licenceClaims(), signer);
  const reason = (t: string) => ((r) => (r.ok ? 'ok' : r.reason))(verifyScanCode(t, { trust, now: DURING }));

  test('wrong prefix: another format’s (HC1:), lower case, none', () => {
    assert.equal(reason(`HC1:${text.slice(4)}`), 'wrong_prefix');
    assert.equal(reason(`tb1:${text.slice(4)}`), 'wrong_prefix');
    assert.equal(reason(text.slice(4)), 'wrong_prefix');
    assert.equal(reason(''), 'wrong_prefix');
  });

  test('not base45: a character outside the alphabet, a lone last character, a triple past 65535', () => {
    assert.equal(reason(`${text.slice(0, 10)}a${text.slice(11)}`), 'not_base45');
    assert.equal(reason(`${SCAN_CODE_PREFIX}0000`), 'not_base45', 'a lone fourth character');
    assert.equal(reason(`${SCAN_CODE_PREFIX}::::::`), 'not_base45', ':: : is 44 + 44·45 + 44·2025 > 65535');
    assert.equal(reason(SCAN_CODE_PREFIX), 'not_base45');
  });

  test('truncated: cut at a whole triple is not_zlib; cut elsewhere is not_base45 or not_zlib', () => {
    const body = text.length - SCAN_CODE_PREFIX.length;
    for (let cut = 1; cut < body; cut += 1) {
      const r = reason(text.slice(0, text.length - cut));
      assert.ok(r === 'not_zlib' || r === 'not_base45', `cut ${cut}: ${r}`);
      if ((body - cut) % 3 === 0) assert.equal(r, 'not_zlib', `cut ${cut}`);
    }
    const wholeTriples = SCAN_CODE_PREFIX.length + Math.floor((body - 1) / 3) * 3;
    assert.equal(reason(text.slice(0, wholeTriples)), 'not_zlib');
  });

  test('bytes after the zlib stream are not part of a code', () => {
    const compressed = base45Decode(text.slice(4));
    assert.equal(reason(SCAN_CODE_PREFIX + base45Encode(Buffer.concat([compressed, Buffer.from([0])]))), 'not_zlib');
  });

  test('re-encoded: base45 of other bytes, of the COSE uncompressed, of zlib around what is not CBOR or not COSE', () => {
    const cose = coseOf(text);
    assert.equal(reason(SCAN_CODE_PREFIX + base45Encode(Buffer.from('not a licence'))), 'not_zlib');
    assert.equal(reason(SCAN_CODE_PREFIX + base45Encode(cose)), 'not_zlib', 'zlib is not optional');
    assert.equal(reason(SCAN_CODE_PREFIX + base45Encode(deflateSync(Buffer.from([0xff, 0x00])))), 'not_cbor');
    assert.equal(reason(textOf(Buffer.concat([cose, Buffer.from([0])]))), 'not_cbor', 'trailing bytes');
    assert.equal(reason(textOf(encode([1, 2, 3]))), 'not_cose');
    assert.equal(
      reason(textOf(encode(new Tagged(18, ['a', new Map(), new Uint8Array(), new Uint8Array()])))),
      'not_cose',
    );
  });

  test('re-encoded claims: the same claims in another CBOR spelling are no longer what was signed', () => {
    const [protectedHeader, unprotected, payload, signature] = parts(text);
    // Claims written as a plain object: string keys, same values.
    const cwt = decode(payload as Uint8Array, { useMaps: true }) as Map<number, unknown>;
    const respelled = encode(Object.fromEntries([...cwt].map(([k, v]) => [String(k), v])));
    assert.equal(
      reason(textOf(encode(new Tagged(18, [protectedHeader, unprotected, respelled, signature])))),
      'bad_signature',
    );
    // Untagged COSE_Sign1 is the same message (RFC 9052 lets the application decide): still ok.
    assert.equal(reason(textOf(encode([protectedHeader, unprotected, payload, signature]))), 'ok');
  });

  test('anything unsigned in the unprotected header, or a crit header, is refused as not_cose', () => {
    const [protectedHeader, , payload, signature] = parts(text);
    assert.equal(
      reason(textOf(encode(new Tagged(18, [protectedHeader, new Map([[4, new Uint8Array(8)]]), payload, signature])))),
      'not_cose',
    );
    const withCrit = encode(
      new Map<number, unknown>([
        [1, -7],
        [2, [99]],
        [4, new Uint8Array(8)],
      ]),
    );
    assert.equal(reason(textOf(encode(new Tagged(18, [withCrit, new Map(), payload, signature])))), 'not_cose');
  });

  test('an algorithm that is neither ES256 nor SM2 is unknown_algorithm — EdDSA, or ES256 spelled "ES256"', () => {
    const [, , payload, signature] = parts(text);
    for (const alg of [-8, 'ES256', -65536]) {
      const header = encode(
        new Map<number, unknown>([
          [1, alg],
          [4, new Uint8Array(8)],
        ]),
      );
      assert.equal(
        reason(textOf(encode(new Tagged(18, [header, new Map(), payload, signature])))),
        'unknown_algorithm',
        String(alg),
      );
    }
  });

  test('a genuine signature over what is not a licence claims set is bad_claims', () => {
    const cose = signCoseSign1(encode(new Map([[1, ISSUER]])), signer);
    assert.equal(reason(textOf(cose)), 'bad_claims');
  });

  test('longer than any QR code can hold: too_long, before any decoding', () => {
    assert.equal(reason(`${SCAN_CODE_PREFIX}${'0'.repeat(4300)}`), 'too_long');
  });
});

test('the kid is the first 8 bytes of SHA-256 over the CBOR of [algorithm label, public point]', () => {
  for (const [signer, label] of [
    [es256(), [0x26]], // −7
    [sm2(), [0x3a, 0x00, 0x01, 0x00, 0x00]], // −65537
  ] as const) {
    const point = Buffer.from(signer.publicKey, 'hex');
    const cbor = Buffer.concat([Buffer.from([0x82, ...label, 0x58, 0x41]), point]);
    const expected = createHash('sha256').update(cbor).digest().subarray(0, 8);
    assert.deepEqual(Buffer.from(scanKeyId(signer.algorithm, signer.publicKey)), expected);
    const [protectedHeader] = parts(issueScanCode(licenceClaims(), signer));
    const header = decode(protectedHeader as Uint8Array, { useMaps: true }) as Map<number, Uint8Array>;
    assert.deepEqual(Buffer.from(header.get(4)!), expected);
  }
});

test('an ES256 key from secret material is stable, is P-256’s scalar in [1, n − 1], and signs codes that verify', () => {
  // Material 0 is the scalar 1, whose public key is the generator G (SEC 2 §2.4.2).
  const g = es256SignerFrom(new Uint8Array(32));
  assert.equal(
    g.publicKey,
    '04' +
      '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296' +
      '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5',
  );
  const material = new Uint8Array(32).fill(0xff); // past n: reduced, not refused
  const a = es256SignerFrom(material);
  assert.equal(es256SignerFrom(material).publicKey, a.publicKey);
  assert.notEqual(a.publicKey, g.publicKey);
  assert.ok(verifyScanCode(issueScanCode(licenceClaims(), a), { trust: trustOf(a), now: DURING }).ok);
  assert.throws(() => es256SignerFrom(new Uint8Array(16)), RangeError);
});

describe('claims a scan code will not carry', () => {
  for (const [field, overrides] of [
    ['holder', { holder: '欧阳娜娜' }],
    ['identifier', { identifier: '' }],
    ['expires', { expires: Date.UTC(2026, 1, 1) / 1000 }],
    ['notBefore', { notBefore: 1.5 }],
    ['statusList.index', { statusList: { id: 'x', index: -1 } }],
    ['shownUntil', { shownUntil: licenceClaims().issuedAt }],
  ] as const) {
    test(`${field}: refused when the code is made, naming the field`, () => {
      assert.throws(
        () => issueScanCode(licenceClaims(overrides), sm2()),
        (error: unknown) => error instanceof ScanClaimsError && error.field === field,
      );
    });
  }

  test('a licence with no end of validity has no exp claim and never expires', () => {
    const signer = sm2();
    const { expires: _, ...forever } = licenceClaims();
    void _;
    const text = issueScanCode(forever, signer);
    const cwt = decode(encodeClaims(forever), { useMaps: true }) as Map<number, unknown>;
    assert.equal(cwt.has(CLAIM.exp), false);
    const result = verifyScanCode(text, { trust: [trustedKeyOf(signer, ISSUER)], now: new Date(Date.UTC(2120, 0, 1)) });
    assert.ok(result.ok);
    assert.equal(result.claims.expires, undefined);
  });
});

describe('a presentation code (亮证): the licence for a few minutes', () => {
  const made = Date.UTC(2030, 0, 1, 9, 0) / 1000;
  const shown = licenceClaims({ issuedAt: made, shownUntil: made + 300 });
  const at = (seconds: number) => new Date(seconds * 1000);

  test('verifies until its minutes are up, then is presentation_expired with what the genuine code says', () => {
    for (const signer of [es256(), sm2()]) {
      const text = issueScanCode(shown, signer);
      const trust = [trustedKeyOf(signer, ISSUER)];
      const during = verifyScanCode(text, { trust, now: at(made + 299) });
      assert.ok(during.ok, JSON.stringify(during));
      assert.equal(during.claims.shownUntil, made + 300);
      const after = verifyScanCode(text, { trust, now: at(made + 300) });
      assert.equal(after.ok, false);
      assert.equal(!after.ok && after.reason, 'presentation_expired');
      assert.equal(!after.ok && after.claims?.identifier, shown.identifier, 'the licence it was for is still told');
      // The licence's own validity is checked first: an expired licence is expired, however fresh the code.
      const late = licenceClaims({ issuedAt: made, shownUntil: made + 300, expires: made + 10 });
      const lapsed = verifyScanCode(issueScanCode(late, signer), { trust, now: at(made + 20) });
      assert.equal(!lapsed.ok && lapsed.reason, 'expired');
    }
  });

  test('a code meant to last carries no end of showing; the window is the signed claim 6 of the licence', () => {
    const lasting = decode(encodeClaims(licenceClaims()), { useMaps: true }) as Map<number, Map<number, unknown>>;
    assert.equal(lasting.get(CLAIM.licence)!.has(LICENCE_CLAIM.shownUntil), false);
    const presented = decode(encodeClaims(shown), { useMaps: true }) as Map<number, Map<number, unknown>>;
    assert.equal(presented.get(CLAIM.licence)!.get(LICENCE_CLAIM.shownUntil), made + 300);
    assert.ok(issueScanCode(shown, es256()).length < 700);
  });
});

test('one key trusted for two issuers verifies each issuer’s codes as that issuer’s, whichever entry comes first', () => {
  const signer = es256();
  const other = '12330100MB0999999Y';
  const trust = [trustedKeyOf(signer, other), trustedKeyOf(signer, ISSUER)];
  const result = verifyScanCode(issueScanCode(licenceClaims(), signer), { trust, now: DURING });
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.key.issuer, ISSUER);
  // The key trusted for the other issuer alone does not speak for this one.
  const mismatch = verifyScanCode(issueScanCode(licenceClaims(), signer), { trust: [trust[0]!], now: DURING });
  assert.equal(!mismatch.ok && mismatch.reason, 'issuer_mismatch');
});
