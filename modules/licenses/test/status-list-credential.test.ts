// The BitstringStatusListCredential secured as vc+jwt (ES256), and the status check a verifier makes
// from the lists it holds — including a cached list that has grown too old to present as current.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import * as jose from 'jose';
import { decodeStatusList, encodeStatusList } from '../src/domain/status-list/bitstring.ts';
import { checkStatus, holdStatusList, type HeldStatusList } from '../src/domain/status-list/check.ts';
import {
  buildStatusListCredential,
  readStatusListEntry,
  statusListEntry,
  VC_CONTEXT_V2,
  type StatusListCredential,
  type StatusPurpose,
} from '../src/domain/status-list/credential.ts';
import { StatusListError, type StatusListErrorCode } from '../src/domain/status-list/errors.ts';
import { es256Signer, signStatusListCredential, verifyStatusListCredential } from '../src/domain/status-list/jose.ts';

const URL_ = 'https://licences.example.gov.cn/status/110000/revocation/1';
const ISSUER = 'https://licences.example.gov.cn/issuers/11110000000000000X';
const issuerKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = es256Signer(issuerKeys.privateKey, 'status-2026-12');

const fails = (code: StatusListErrorCode) => (error: unknown) =>
  error instanceof StatusListError && error.code === code;

function aCredential(overrides: Partial<Parameters<typeof buildStatusListCredential>[0]> = {}): StatusListCredential {
  return buildStatusListCredential({
    url: URL_,
    issuer: ISSUER,
    purpose: 'revocation',
    encodedList: encodeStatusList([{ index: 94_567, set: true }]),
    validFrom: new Date('2026-12-03T08:00:00.123Z'),
    validUntil: new Date('2026-12-10T08:00:00Z'),
    ttlMs: 300_000,
    ...overrides,
  });
}

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

test('the list credential follows the VC Data Model 2.0 and Bitstring Status List shapes', () => {
  const credential = aCredential();
  assert.deepEqual(credential, {
    '@context': [VC_CONTEXT_V2],
    id: URL_,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: ISSUER,
    validFrom: '2026-12-03T08:00:00Z',
    validUntil: '2026-12-10T08:00:00Z',
    credentialSubject: {
      id: `${URL_}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: credential.credentialSubject.encodedList,
      ttl: 300_000,
    },
  });
  const bare = aCredential({ validUntil: undefined, ttlMs: undefined });
  assert.equal('validUntil' in bare, false);
  assert.equal('ttl' in bare.credentialSubject, false);
});

test('a licence’s status entry names the list and its index as a base-10 string, never the list’s own URL', () => {
  const entry = statusListEntry(URL_, 'suspension', 94_567);
  assert.deepEqual(entry, {
    id: `${URL_}#94567`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'suspension',
    statusListIndex: '94567',
    statusListCredential: URL_,
  });
  assert.notEqual(entry.id, entry.statusListCredential);
  assert.throws(() => statusListEntry(URL_, 'revocation', -1), RangeError);
});

test('signed as vc+jwt with ES256, it verifies with the issuer key — ours and an independent JOSE library', async () => {
  const credential = aCredential();
  const jwt = signStatusListCredential(credential, signer);
  const [header] = jwt.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), {
    alg: 'ES256',
    typ: 'vc+jwt',
    cty: 'vc',
    kid: 'status-2026-12',
  });
  assert.deepEqual(verifyStatusListCredential(jwt, issuerKeys.publicKey), credential);
  assert.deepEqual(verifyStatusListCredential(jwt, issuerKeys.publicKey.export({ format: 'jwk' })), credential);
  const { payload, protectedHeader } = await jose.compactVerify(jwt, issuerKeys.publicKey, { algorithms: ['ES256'] });
  assert.equal(protectedHeader.typ, 'vc+jwt');
  assert.deepEqual(JSON.parse(Buffer.from(payload).toString()), credential, 'the payload is the credential itself');
  const decoded = decodeStatusList(verifyStatusListCredential(jwt, issuerKeys.publicKey).credentialSubject.encodedList);
  assert.equal(decoded.get(94_567), true);
  assert.equal(decoded.get(94_566), false);
});

test('a tampered signature, a tampered list and another key are refused', () => {
  const jwt = signStatusListCredential(aCredential(), signer);
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const flipped = Buffer.from(signature, 'base64url');
  flipped[10]! ^= 0x01;
  assert.throws(
    () => verifyStatusListCredential(`${header}.${payload}.${flipped.toString('base64url')}`, issuerKeys.publicKey),
    fails('STATUS_VERIFICATION_ERROR'),
  );
  // Clear the revoked bit and keep the signature: the holder's wish, refused.
  const cleared = { ...aCredential(), credentialSubject: { ...aCredential().credentialSubject } };
  cleared.credentialSubject.encodedList = encodeStatusList([]);
  assert.throws(
    () => verifyStatusListCredential(`${header}.${b64json(cleared)}.${signature}`, issuerKeys.publicKey),
    fails('STATUS_VERIFICATION_ERROR'),
  );
  assert.throws(() => verifyStatusListCredential(jwt, otherKeys.publicKey), fails('STATUS_VERIFICATION_ERROR'));
  assert.throws(() => verifyStatusListCredential(`${jwt}x`, issuerKeys.publicKey), fails('STATUS_VERIFICATION_ERROR'));
});

test('only ES256 vc+jwt is accepted: alg none, another typ and crit extensions are refused', () => {
  const jwt = signStatusListCredential(aCredential(), signer);
  const [, payload] = jwt.split('.') as [string, string];
  assert.throws(
    () => verifyStatusListCredential(`${b64json({ alg: 'none', typ: 'vc+jwt' })}.${payload}.`, issuerKeys.publicKey),
    fails('MALFORMED_VALUE_ERROR'),
    'an empty signature segment is not a JWS we read',
  );
  assert.throws(
    () => verifyStatusListCredential(`${b64json({ alg: 'none', typ: 'vc+jwt' })}.${payload}.AA`, issuerKeys.publicKey),
    fails('STATUS_VERIFICATION_ERROR'),
  );
  // Signed properly, but under headers we do not accept.
  const signedWith = (header: object) => {
    const input = `${b64json(header)}.${payload}`;
    return `${input}.${signer.sign(Buffer.from(input)).toString('base64url')}`;
  };
  assert.ok(verifyStatusListCredential(signedWith({ alg: 'ES256', typ: 'vc+jwt' }), issuerKeys.publicKey));
  assert.throws(
    () => verifyStatusListCredential(signedWith({ alg: 'ES256', typ: 'JWT' }), issuerKeys.publicKey),
    fails('STATUS_VERIFICATION_ERROR'),
  );
  assert.throws(
    () => verifyStatusListCredential(signedWith({ alg: 'ES256', typ: 'vc+jwt', crit: ['b64'] }), issuerKeys.publicKey),
    fails('STATUS_VERIFICATION_ERROR'),
  );
  assert.throws(
    () => verifyStatusListCredential('not.a jwt.at-all', issuerKeys.publicKey),
    fails('MALFORMED_VALUE_ERROR'),
  );
});

test('a signed payload that is not a status list credential is refused', () => {
  const sign = (payload: unknown) => {
    const input = `${b64json({ alg: 'ES256', typ: 'vc+jwt' })}.${b64json(payload)}`;
    return `${input}.${signer.sign(Buffer.from(input)).toString('base64url')}`;
  };
  const credential = aCredential();
  for (const wrong of [
    { ...credential, type: ['VerifiableCredential', 'SomethingElse'] },
    { ...credential, '@context': ['https://www.w3.org/2018/credentials/v1'] },
    { ...credential, credentialSubject: { ...credential.credentialSubject, statusPurpose: 'message' } },
    { ...credential, validFrom: 'yesterday' },
    { vc: credential },
  ]) {
    assert.throws(
      () => verifyStatusListCredential(sign(wrong), issuerKeys.publicKey),
      fails('STATUS_VERIFICATION_ERROR'),
    );
  }
  assert.ok(verifyStatusListCredential(sign(credential), issuerKeys.publicKey));
});

test('given an instant, a list outside its validity period is refused', () => {
  const jwt = signStatusListCredential(aCredential(), signer);
  const at = (iso: string) => ({ at: new Date(iso) });
  assert.ok(verifyStatusListCredential(jwt, issuerKeys.publicKey, at('2026-12-05T00:00:00Z')));
  assert.throws(
    () => verifyStatusListCredential(jwt, issuerKeys.publicKey, at('2026-12-03T07:59:59Z')),
    fails('STATUS_VERIFICATION_ERROR'),
  );
  assert.throws(
    () => verifyStatusListCredential(jwt, issuerKeys.publicKey, at('2026-12-10T08:00:01Z')),
    fails('STATUS_VERIFICATION_ERROR'),
  );
});

test('es256Signer wants a P-256 key', () => {
  const ed = generateKeyPairSync('ed25519');
  assert.throws(() => es256Signer(ed.privateKey, 'k'), TypeError);
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  assert.throws(() => es256Signer(p384.privateKey, 'k'), TypeError);
  const jwt = signStatusListCredential(aCredential(), signer);
  assert.throws(() => verifyStatusListCredential(jwt, p384.publicKey), fails('STATUS_VERIFICATION_ERROR'));
});

// The checker.
const NOW = new Date('2026-12-03T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
function held(purpose: StatusPurpose, indexes: number[], fetchedMinutesAgo: number, ttlMs?: number): HeldStatusList {
  const encodedList = encodeStatusList(indexes.map((index) => ({ index, set: true })));
  return holdStatusList(aCredential({ purpose, encodedList, ttlMs }), purpose, minutesAgo(fetchedMinutesAgo));
}
const revocation = (indexes: number[], fetchedMinutesAgo: number, ttlMs?: number) =>
  held('revocation', indexes, fetchedMinutesAgo, ttlMs);
const suspension = (indexes: number[], fetchedMinutesAgo: number, ttlMs?: number) =>
  held('suspension', indexes, fetchedMinutesAgo, ttlMs);
const TEN_MINUTES = 10 * 60_000;

test('status: valid, suspended, revoked — and revocation wins over an earlier suspension', () => {
  const lists = { revocation: revocation([7], 1), suspension: suspension([5, 7], 1) };
  const at = (index: number) => checkStatus({ index, lists, now: NOW, maxAgeMs: TEN_MINUTES }).status;
  assert.equal(at(4), 'valid');
  assert.equal(at(5), 'suspended');
  assert.equal(at(7), 'revoked');
});

test('a fresh list is not stale; one older than the maximum age is flagged, with its age', () => {
  const fresh = checkStatus({
    index: 1,
    lists: { revocation: revocation([], 3), suspension: suspension([], 9) },
    now: NOW,
    maxAgeMs: TEN_MINUTES,
  });
  assert.deepEqual(fresh, { status: 'valid', listAge: 9 * 60_000, stale: false });
  const old = checkStatus({
    index: 1,
    lists: { revocation: revocation([1], 60 * 26), suspension: suspension([], 2) },
    now: NOW,
    maxAgeMs: TEN_MINUTES,
  });
  assert.deepEqual(old, { status: 'revoked', listAge: 26 * 3_600_000, stale: true }, 'still answers, but says so');
});

test('the list’s own ttl, when shorter than the verifier’s maximum, decides staleness', () => {
  const answer = checkStatus({
    index: 1,
    lists: { revocation: revocation([], 6, 5 * 60_000), suspension: suspension([], 1) },
    now: NOW,
    maxAgeMs: TEN_MINUTES,
  });
  assert.equal(answer.stale, true);
  const longTtl = checkStatus({
    index: 1,
    lists: { revocation: revocation([], 6, 60 * 60_000), suspension: suspension([], 1) },
    now: NOW,
    maxAgeMs: TEN_MINUTES,
  });
  assert.equal(longTtl.stale, false, 'a long ttl does not extend the verifier’s maximum');
});

test('a list fetched "after now" (clock skew) has age 0, and an index outside the lists is a RANGE_ERROR', () => {
  const answer = checkStatus({
    index: 0,
    lists: { revocation: revocation([], -2), suspension: suspension([], -2) },
    now: NOW,
    maxAgeMs: TEN_MINUTES,
  });
  assert.deepEqual(answer, { status: 'valid', listAge: 0, stale: false });
  assert.throws(
    () =>
      checkStatus({
        index: 131_072,
        lists: { revocation: revocation([], 1), suspension: suspension([], 1) },
        now: NOW,
        maxAgeMs: TEN_MINUTES,
      }),
    fails('RANGE_ERROR'),
  );
});

test('the lists must be what they claim: a suspension list held as the revocation list is refused', () => {
  const suspensionCredential = aCredential({ purpose: 'suspension' });
  assert.throws(() => holdStatusList(suspensionCredential, 'revocation', NOW), fails('STATUS_VERIFICATION_ERROR'));
  assert.throws(
    () =>
      checkStatus({
        index: 1,
        lists: { revocation: suspension([], 1), suspension: suspension([], 1) },
        now: NOW,
        maxAgeMs: TEN_MINUTES,
      }),
    fails('STATUS_VERIFICATION_ERROR'),
  );
  const heldList = holdStatusList(aCredential({ ttlMs: 60_000 }), 'revocation', NOW);
  assert.equal(heldList.ttlMs, 60_000, 'the ttl comes from the credential');
  assert.equal(heldList.list.get(94_567), true);
});

test('a licence’s status entry is read back to its list and index, and a malformed one is refused by field', () => {
  const entry = statusListEntry(URL_, 'revocation', 94_567);
  assert.deepEqual(readStatusListEntry(entry), { purpose: 'revocation', url: URL_, index: 94_567 });
  assert.deepEqual(readStatusListEntry(JSON.parse(JSON.stringify(entry))), readStatusListEntry(entry));
  for (const [wrong, field] of [
    [{ ...entry, statusListIndex: 94_567 }, '/statusListIndex'],
    [{ ...entry, statusListIndex: '-1' }, '/statusListIndex'],
    [{ ...entry, statusListIndex: '007' }, '/statusListIndex'],
    [{ ...entry, statusListIndex: '1e3' }, '/statusListIndex'],
    [{ ...entry, statusPurpose: 'message' }, '/statusPurpose'],
    [{ ...entry, type: 'StatusList2021Entry' }, '/type'],
  ] as const) {
    assert.throws(
      () => readStatusListEntry(wrong),
      (error: unknown) => fails('MALFORMED_VALUE_ERROR')(error) && (error as Error).message.includes(field),
      field,
    );
  }
  assert.throws(() => readStatusListEntry({ ...entry, id: URL_ }), fails('MALFORMED_VALUE_ERROR'));
  assert.throws(() => readStatusListEntry(null), fails('MALFORMED_VALUE_ERROR'));
});
