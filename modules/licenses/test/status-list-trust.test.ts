// The trust list's pure rules and the keys it carries: an issuer's scan-code key exported as a JWK
// and read back is the key that verifies its codes and its status lists; what an operator may not
// add; how a change makes the next list; the list signed so an outside JOSE library verifies it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as jose from 'jose';
import type { TrustEntry } from '@tongban/contracts';
import { creditCodeCheckChar } from '@tongban/kernel';
import { es256SignerFrom, issueScanCode, verifyScanCode, type LicenceClaims } from '../src/domain/scan-code/index.ts';
import { encodeStatusList } from '../src/domain/status-list/bitstring.ts';
import { buildStatusListCredential } from '../src/domain/status-list/credential.ts';
import { signStatusListCredential, verifyStatusListCredential } from '../src/domain/status-list/jose.ts';
import {
  entryProblems,
  jwkOf,
  jwsSignerOf,
  signTrustList,
  TRUST_LIST_TYP,
  trustedKeysOf,
  withEntries,
  withoutEntries,
} from '../src/domain/trust-list/index.ts';

const issuerOf = (org: string, region = '310000') => `11${region}${org}${creditCodeCheckChar(`11${region}${org}`)}`;
const SH_WJW = issuerOf('002489571');
const SH_GA = issuerOf('002489520');
const signerA = es256SignerFrom(Buffer.alloc(32, 7));
const signerB = es256SignerFrom(Buffer.alloc(32, 9));

const entry = (overrides: Partial<TrustEntry> = {}): TrustEntry => ({
  region: '310000',
  issuer: SH_WJW,
  name: { zh: '上海市卫健委', en: 'Shanghai Health Commission' },
  keys: [jwkOf(signerA)],
  statusListBase: 'https://licences.sh.example.gov.cn/api/licenses/status-lists/',
  ...overrides,
});

const claims = (issuer: string): LicenceClaims => ({
  identifier: '1.2.156.3005.2.1001.x.1.001.A',
  typeCode: 'birth-medical-certificate',
  holder: '王*',
  issuer,
  notBefore: 1_764_547_200,
  issuedAt: 1_764_547_200,
  statusList: { id: 'sl-310000-WJW', index: 42 },
});

test("an issuer's key exported as a JWK and read back verifies its scan codes, for that issuer only", () => {
  const [key] = trustedKeysOf(entry());
  assert.equal(key!.publicKey, signerA.publicKey);
  assert.equal(key!.algorithm, 'ES256');
  const now = new Date(1_764_600_000_000);
  assert.equal(verifyScanCode(issueScanCode(claims(SH_WJW), signerA), { trust: [key!], now }).ok, true);
  // The same key signing for another issuer of the region: refused.
  const other = verifyScanCode(issueScanCode(claims(SH_GA), signerA), { trust: [key!], now });
  assert.deepEqual([other.ok, !other.ok && other.reason], [false, 'issuer_mismatch']);
  const unknown = verifyScanCode(issueScanCode(claims(SH_WJW), signerB), { trust: [key!], now });
  assert.deepEqual([unknown.ok, !unknown.ok && unknown.reason], [false, 'unknown_issuer']);
});

test("the key that signs an issuer's scan codes signs its status lists: the JWK verifies both", () => {
  const url = 'https://licences.sh.example.gov.cn/api/licenses/status-lists/sl-310000-WJW';
  const credential = buildStatusListCredential({
    url,
    issuer: `urn:uscc:${SH_WJW}`,
    purpose: 'revocation',
    encodedList: encodeStatusList([{ index: 42, set: true }]),
    validFrom: new Date('2026-12-01T02:00:00Z'),
  });
  const jwt = signStatusListCredential(credential, jwsSignerOf(signerA));
  assert.equal(verifyStatusListCredential(jwt, jwkOf(signerA) as never).id, url);
  assert.throws(() => verifyStatusListCredential(jwt, jwkOf(signerB) as never), /STATUS_VERIFICATION_ERROR/);
});

test('what an operator may not add: a bad credit code, a point off the curve, a list over plain http, the same issuer twice', () => {
  assert.deepEqual(entryProblems([entry()], true), []);
  const badCode = entryProblems([entry({ issuer: SH_WJW.replace(/.$/, (c) => (c === '0' ? '1' : '0')) })], true);
  assert.deepEqual(
    badCode.map((p) => [p.field, p.code]),
    [['body.entries.0.issuer', 'credit_code']],
  );
  const jwk = jwkOf(signerA);
  const offCurve = { ...jwk, y: Buffer.alloc(32, 1).toString('base64url') };
  assert.deepEqual(
    entryProblems([entry({ keys: [offCurve] })], true).map((p) => p.field),
    ['body.entries.0.keys.0'],
  );
  const http = entry({ statusListBase: 'http://licences.sh.example.gov.cn/api/licenses/status-lists/' });
  assert.deepEqual(
    entryProblems([http], false).map((p) => p.code),
    ['https'],
  );
  // A region on this machine (tests, development) may be reached over http — never in production.
  const local = entry({ statusListBase: 'http://localhost:8080/api/licenses/status-lists/' });
  assert.deepEqual(entryProblems([local], false), []);
  assert.deepEqual(
    entryProblems([local], true).map((p) => p.code),
    ['https', 'internal_address'],
  );
  assert.deepEqual(
    entryProblems([entry(), entry()], true).map((p) => p.code),
    ['duplicate'],
  );
});

test("adding an issuer already listed replaces it (its keys rotated); removing takes a region's or one issuer's entries", () => {
  const first = withEntries([], [entry(), entry({ issuer: SH_GA })]);
  assert.equal(first.length, 2);
  const rotated = withEntries(first, [entry({ keys: [jwkOf(signerB)] })]);
  assert.equal(rotated.length, 2);
  assert.deepEqual(rotated.find((e) => e.issuer === SH_WJW)!.keys, [jwkOf(signerB)]);
  const zj = withEntries(rotated, [entry({ region: '330100', issuer: issuerOf('002489571', '330100') })]);
  const oneGone = withoutEntries(zj, '310000', SH_GA);
  assert.deepEqual(
    oneGone.removed.map((e) => e.issuer),
    [SH_GA],
  );
  assert.equal(oneGone.entries.length, 2);
  const regionGone = withoutEntries(zj, '310000');
  assert.deepEqual(
    regionGone.entries.map((e) => e.region),
    ['330100'],
  );
  assert.equal(withoutEntries(zj, '110000').removed.length, 0);
});

test('the signed trust list verifies with an outside JOSE library and its published key, and not with another', async () => {
  const trustSigner = es256SignerFrom(Buffer.alloc(32, 3));
  const payload = {
    iss: 'https://tongban.example/api/licenses/trust-list',
    region: '330100',
    version: 3,
    iat: 1,
    entries: [entry()],
  };
  const jws = signTrustList(payload, jwsSignerOf(trustSigner));
  const verified = await jose.compactVerify(jws, await jose.importJWK(jwkOf(trustSigner), 'ES256'));
  assert.equal(verified.protectedHeader.typ, TRUST_LIST_TYP);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(verified.payload)), payload);
  await assert.rejects(jose.compactVerify(jws, await jose.importJWK(jwkOf(signerA), 'ES256')));
});

test('in production a status list is never fetched from this network: loopback, private, link-local, mapped', async () => {
  const { isInternalAddress } = await import('../src/domain/trust-list/index.ts');
  const internal = [
    'https://127.0.0.1/x',
    'https://localhost/x',
    'https://10.1.2.3/x',
    'https://172.20.0.1/x',
    'https://192.168.1.1/x',
    'https://169.254.169.254/latest/meta-data/',
    'https://2130706433/x', // 127.0.0.1 written as one number
    'https://[::1]/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://[fd00::1]/x',
    'https://[fe80::1]/x',
  ];
  for (const u of internal) assert.equal(isInternalAddress(new URL(u).hostname), true, u);
  for (const u of ['https://licences.zjzwfw.gov.cn/x', 'https://8.8.8.8/x', 'https://[2001:db8::1]/x'])
    assert.equal(isInternalAddress(new URL(u).hostname), false, u);
});
