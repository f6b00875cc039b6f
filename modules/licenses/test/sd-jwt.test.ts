// The wallet credential as SD-JWT VC (RFC 9901, SD-JWT VC): issued here, presented by a holder with
// only the claims they choose and a key-binding JWT, and checked twice — by the maintained
// @sd-jwt/sd-jwt-vc verifier (what another party's verifier would run) and by ours, whose every
// refusal names its reason.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { digest, ES256 } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import {
  issueWalletCredential,
  jwkThumbprint,
  verifyPresentation,
  walletKeyFrom,
  type PublicJwk,
  type WalletCredentialInput,
  type WalletSigningKey,
} from '../src/domain/sd-jwt/index.ts';

const ISSUER = 'https://tongban.example.gov.cn/api/licenses';
const VERIFIER = 'https://verifier.example.gov.cn';
const ISSUER_CODE = '11330100002489571X';
const NOW = 1_796_000_000; // 2026-11-30
const STATUS_URI = `${ISSUER}/status-lists/sl-330100-WJW`;

const issuerKey = walletKeyFrom(createHash('sha256').update('test wallet key').digest(), ISSUER_CODE);

interface Holder {
  publicJwk: PublicJwk;
  privateJwk: object;
}
async function holder(): Promise<Holder> {
  const { publicKey, privateKey } = await ES256.generateKeyPair();
  return { publicJwk: { kty: 'EC', crv: 'P-256', x: publicKey.x!, y: publicKey.y! }, privateJwk: privateKey };
}

function input(h: Holder, overrides: Partial<WalletCredentialInput> = {}): WalletCredentialInput {
  return {
    issuer: ISSUER,
    typeCode: 'birth-medical-certificate',
    identifier: '1.2.156.3005.2.1001.11330100002489571X.00000001.001.Q',
    holderName: '张小宝',
    fields: { childName: '张小宝', childGender: '1', childBirthDate: '2026-11-20', motherName: '李梅' },
    issuedAt: NOW - 60,
    validFrom: NOW - 60,
    holderJwk: h.publicJwk,
    status: { idx: 3, uri: STATUS_URI },
    ...overrides,
  };
}

/** The holder's wallet: presents the chosen claims, with a KB-JWT for this verifier and nonce unless told not to. */
async function present(
  credential: string,
  h: Holder,
  claims: Record<string, true>,
  kb?: { nonce: string; aud?: string; iat?: number; signer?: Holder },
): Promise<string> {
  const wallet = new SDJwtVcInstance({
    hasher: digest,
    kbSignAlg: 'ES256',
    kbSigner: await ES256.getSigner((kb?.signer ?? h).privateJwk),
  });
  return wallet.present(
    credential,
    claims,
    kb ? { kb: { payload: { iat: kb.iat ?? NOW, aud: kb.aud ?? VERIFIER, nonce: kb.nonce } } } : undefined,
  );
}

/** An IETF Token Status List (what the @sd-jwt verifier fetches for `status.status_list`), one bit a licence. */
async function tokenStatusList(key: WalletSigningKey, revokedIndexes: number[]): Promise<string> {
  const bits = Buffer.alloc(16);
  for (const i of revokedIndexes) bits[i >> 3]! |= 1 << (i & 7); // Token Status List: least significant bit first
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = enc({ alg: 'ES256', typ: 'statuslist+jwt', kid: key.kid });
  const body = enc({
    sub: STATUS_URI,
    iat: NOW - 10,
    status_list: { bits: 1, lst: deflateSync(bits).toString('base64url') },
  });
  return `${head}.${body}.${key.sign(`${head}.${body}`)}`;
}

/** The maintained verifier, configured as a relying party that trusts our issuer key. */
async function sdJwtVerifier(revoked: number[] = []) {
  const issuerVerify = await ES256.getVerifier(issuerKey.publicJwk);
  return new SDJwtVcInstance({
    hasher: digest,
    verifier: issuerVerify,
    // The KB-JWT must be signed by the key the credential names (cnf.jwk).
    kbVerifier: async (data, signature, payload) => {
      const cnf = (payload as { cnf?: { jwk?: object } }).cnf;
      if (!cnf?.jwk) return false;
      return (await ES256.getVerifier(cnf.jwk))(data, signature);
    },
    statusListFetcher: async () => tokenStatusList(issuerKey, revoked),
  });
}

const trust = (iss: string, kid: string) =>
  iss === ISSUER && kid === issuerKey.kid
    ? { issuer: ISSUER, issuerCode: ISSUER_CODE, jwk: issuerKey.publicJwk }
    : undefined;
const ours = (presentation: string, nonce: string, audience = VERIFIER, now = NOW) =>
  verifyPresentation(presentation, { trust, nonce, audience, now });

/** Replaces one disclosure's value, re-encoded as a valid disclosure: its digest no longer matches. */
function alterDisclosure(presentation: string, claim: string, value: unknown): string {
  const parts = presentation.split('~');
  const i = parts.findIndex((p, n) => {
    if (n === 0 || p === '' || p.includes('.')) return false;
    return (JSON.parse(Buffer.from(p, 'base64url').toString()) as unknown[])[1] === claim;
  });
  assert.ok(i > 0, `a disclosure of ${claim}`);
  const [salt] = JSON.parse(Buffer.from(parts[i]!, 'base64url').toString()) as [string];
  parts[i] = Buffer.from(JSON.stringify([salt, claim, value])).toString('base64url');
  return parts.join('~');
}

describe('SD-JWT VC wallet credential', () => {
  test('issued with every licence claim selectively disclosable and the holder key in cnf', async () => {
    const h = await holder();
    const credential = await issueWalletCredential(input(h), issuerKey);
    const [jwt, ...disclosures] = credential.split('~');
    assert.equal(credential.at(-1), '~', 'issued without key binding: the holder adds it');
    const header = JSON.parse(Buffer.from(jwt!.split('.')[0]!, 'base64url').toString());
    const payload = JSON.parse(Buffer.from(jwt!.split('.')[1]!, 'base64url').toString());
    assert.deepEqual(header, { typ: 'dc+sd-jwt', kid: issuerKey.kid, alg: 'ES256' });
    assert.equal(payload.iss, ISSUER);
    assert.equal(payload.vct, 'urn:tongban:licence:birth-medical-certificate');
    assert.deepEqual(payload.cnf, { jwk: h.publicJwk });
    assert.deepEqual(payload.status, { status_list: { idx: 3, uri: STATUS_URI } });
    assert.equal(payload.exp, undefined, 'a licence without an end of validity');
    // Nothing the licence carries is in the signed payload in clear.
    for (const secret of ['张小宝', '李梅', '1.2.156', '2026-11-20']) assert.ok(!jwt!.includes(secret));
    assert.equal(payload._sd.length, 6, 'identifier, holder name and four fields');
    assert.equal(disclosures.filter(Boolean).length, 6);
  });

  test('a presentation of only the chosen claims with key binding verifies with the @sd-jwt verifier and ours', async () => {
    const h = await holder();
    const credential = await issueWalletCredential(input(h), issuerKey);
    const nonce = randomBytes(16).toString('base64url');
    const presentation = await present(credential, h, { identifier: true, childBirthDate: true }, { nonce });

    const verified = await (
      await sdJwtVerifier()
    ).verify(presentation, {
      currentDate: NOW,
      keyBindingNonce: nonce,
      requiredClaimKeys: ['identifier', 'childBirthDate', 'vct', 'cnf'],
    });
    assert.equal(verified.payload.identifier, input(h).identifier);
    assert.equal(verified.payload.childBirthDate, '2026-11-20');
    assert.equal(verified.payload.childName, undefined, 'not disclosed');
    assert.equal(verified.payload.holder_name, undefined, 'not disclosed');
    assert.equal(verified.kb?.payload.aud, VERIFIER);

    const result = ours(presentation, nonce);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.disclosed, { identifier: input(h).identifier, childBirthDate: '2026-11-20' });
    assert.equal(result.payload.licence_type, 'birth-medical-certificate');
  });

  test('the holder name is in full in the wallet: it is the holder’s own', async () => {
    const h = await holder();
    const credential = await issueWalletCredential(input(h), issuerKey);
    const nonce = 'n-0123456789';
    const result = ours(await present(credential, h, { holder_name: true }, { nonce }), nonce);
    assert.ok(result.ok);
    assert.equal(result.disclosed.holder_name, '张小宝');
  });

  test('a revoked licence fails the @sd-jwt verifier through its status list', async () => {
    const h = await holder();
    const credential = await issueWalletCredential(input(h), issuerKey);
    const nonce = 'n-revoked-123';
    const presentation = await present(credential, h, { identifier: true }, { nonce });
    await assert.rejects(
      (await sdJwtVerifier([3])).verify(presentation, { currentDate: NOW, keyBindingNonce: nonce }),
      /status/i,
    );
    // The same presentation with another licence revoked: fine.
    await (await sdJwtVerifier([2, 4])).verify(presentation, { currentDate: NOW, keyBindingNonce: nonce });
  });

  test('an altered disclosure fails both verifiers', async () => {
    const h = await holder();
    const credential = await issueWalletCredential(input(h), issuerKey);
    const nonce = 'n-altered-123';
    const presentation = await present(credential, h, { childBirthDate: true, identifier: true }, { nonce });
    const altered = alterDisclosure(presentation, 'childBirthDate', '2020-01-01');
    await assert.rejects(
      (await sdJwtVerifier()).verify(altered, {
        currentDate: NOW,
        keyBindingNonce: nonce,
        requiredClaimKeys: ['childBirthDate'],
      }),
    );
    const result = ours(altered, nonce);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'altered_disclosure');
    // The untouched presentation still verifies: it was the change that failed it.
    assert.ok(ours(presentation, nonce).ok);
  });

  test('a presentation without a key-binding JWT fails both verifiers', async () => {
    const h = await holder();
    const credential = await issueWalletCredential(input(h), issuerKey);
    const presentation = await present(credential, h, { identifier: true });
    assert.ok(presentation.endsWith('~'));
    await assert.rejects(
      (await sdJwtVerifier()).verify(presentation, { currentDate: NOW, keyBindingNonce: 'n-anything-1' }),
      /Key Binding JWT not exist/,
    );
    const result = ours(presentation, 'n-anything-1');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'no_key_binding');
  });

  test('a wrong nonce fails both verifiers', async () => {
    const h = await holder();
    const credential = await issueWalletCredential(input(h), issuerKey);
    const presentation = await present(credential, h, { identifier: true }, { nonce: 'n-given-by-A' });
    await assert.rejects(
      (await sdJwtVerifier()).verify(presentation, { currentDate: NOW, keyBindingNonce: 'n-given-by-B' }),
      /Nonce/,
    );
    const result = ours(presentation, 'n-given-by-B');
    assert.equal(!result.ok && result.reason, 'wrong_nonce');
  });

  test('each other failure has its own reason', async () => {
    const h = await holder();
    const other = await holder();
    const credential = await issueWalletCredential(input(h), issuerKey);
    const nonce = 'n-reasons-0001';
    const good = await present(credential, h, { identifier: true, childName: true }, { nonce });
    const reason = (p: string, n = nonce, aud = VERIFIER, now = NOW) => {
      const r = ours(p, n, aud, now);
      return r.ok ? 'ok' : r.reason;
    };
    assert.equal(reason(good), 'ok');
    assert.equal(reason(good, nonce, 'https://someone-else.example'), 'wrong_audience');
    assert.equal(
      reason(await present(credential, h, { identifier: true }, { nonce, signer: other })),
      'key_binding_mismatch',
    );
    assert.equal(reason(good, nonce, VERIFIER, NOW + 3600), 'stale_key_binding');
    // A disclosure dropped after the KB-JWT was signed: the digests hold, sd_hash does not.
    const parts = good.split('~');
    assert.equal(reason([parts[0], parts[1], parts.at(-1)].join('~')), 'sd_hash_mismatch');
    // A byte of the issuer's signature changed.
    const [h0, p0, s0] = parts[0]!.split('.');
    const flipped = `${h0}.${p0}.${s0!.startsWith('A') ? 'B' : 'A'}${s0!.slice(1)}`;
    assert.equal(reason([flipped, ...parts.slice(1)].join('~')), 'bad_signature');
    // Signed by a key nobody here trusts.
    const stranger = walletKeyFrom(randomBytes(32), ISSUER_CODE);
    const foreign = await present(await issueWalletCredential(input(h), stranger), h, { identifier: true }, { nonce });
    assert.equal(reason(foreign), 'unknown_issuer');
    // Our key, but a credential claiming another issuer's code: a key speaks for its own issuer only.
    const impostor = await issueWalletCredential(input(h), { ...issuerKey, issuerCode: '11330100002489520Y' });
    assert.equal(reason(await present(impostor, h, { identifier: true }, { nonce })), 'unknown_issuer');
    // Past its end of validity.
    const expiring = await issueWalletCredential(input(h, { validUntil: NOW - 1 }), issuerKey);
    assert.equal(reason(await present(expiring, h, { identifier: true }, { nonce })), 'expired');
    // A disclosure from another credential smuggled in.
    const second = await issueWalletCredential(input(h), issuerKey);
    const smuggled = second.split('~')[1]!;
    assert.equal(reason([parts[0], smuggled, ...parts.slice(1)].join('~')), 'altered_disclosure');
    assert.equal(reason('not a presentation'), 'malformed');
  });

  test('the published key is what signs, and its kid is its RFC 7638 thumbprint', () => {
    assert.equal(issuerKey.kid, jwkThumbprint(issuerKey.publicJwk));
    // Derived: the same material gives the same key on every replica.
    const again = walletKeyFrom(createHash('sha256').update('test wallet key').digest(), ISSUER_CODE);
    assert.deepEqual(again.publicJwk, issuerKey.publicJwk);
  });
});
