// The wallet's proofs of possession, checked without state: a DPoP proof (RFC 9449 §4.3) for this
// method, URL, token and key, and an OpenID4VCI key proof (Appendix F.1) for this issuer with a
// nonce. What makes each one single-use (the jti and the c_nonce kept in the database) is the
// HTTP test's.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { checkDpopProof, checkKeyProof, jwkThumbprint, ProofError } from '../src/domain/sd-jwt/index.ts';

const HTU = 'https://tongban.example.gov.cn/api/licenses/credential';
const ISSUER = 'https://tongban.example.gov.cn/api/licenses';
const NOW = 1_796_000_000;

async function key(): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwk: await exportJWK(publicKey) };
}

const refusal = async (work: Promise<unknown>, error: ProofError['error']) => {
  await assert.rejects(work, (e: unknown) => e instanceof ProofError && e.error === error);
};

describe('DPoP proofs', () => {
  const proof = async (
    k: { privateKey: CryptoKey; jwk: JWK },
    claims: Record<string, unknown> = {},
    header: Record<string, unknown> = {},
  ) =>
    new SignJWT({ htm: 'POST', htu: HTU, jti: 'jti-0123456789', iat: NOW, ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: k.jwk, ...header })
      .sign(k.privateKey);

  test('a proof for this request answers its key thumbprint and jti', async () => {
    const k = await key();
    const checked = await checkDpopProof(await proof(k), { htm: 'POST', htu: HTU, now: NOW });
    assert.equal(checked.jti, 'jti-0123456789');
    assert.equal(checked.jkt, jwkThumbprint(k.jwk as never));
  });

  test('another method, URL, an old or future iat, a missing jti or the wrong typ are refused', async () => {
    const k = await key();
    const expect = { htm: 'POST', htu: HTU, now: NOW };
    await refusal(checkDpopProof(undefined, expect), 'invalid_dpop_proof');
    await refusal(checkDpopProof(await proof(k, { htm: 'GET' }), expect), 'invalid_dpop_proof');
    await refusal(checkDpopProof(await proof(k, { htu: `${ISSUER}/token` }), expect), 'invalid_dpop_proof');
    await refusal(checkDpopProof(await proof(k, { iat: NOW - 301 }), expect), 'invalid_dpop_proof');
    await refusal(checkDpopProof(await proof(k, { iat: NOW + 301 }), expect), 'invalid_dpop_proof');
    await refusal(checkDpopProof(await proof(k, { jti: undefined }), expect), 'invalid_dpop_proof');
    await refusal(checkDpopProof(await proof(k, {}, { typ: 'JWT' }), expect), 'invalid_dpop_proof');
    // A query string is not part of htu (RFC 9449 §4.3 point 9).
    await checkDpopProof(await proof(k, { htu: `${HTU}?x=1` }), expect);
  });

  test('a proof signed by another key than its header names is refused', async () => {
    const [a, b] = [await key(), await key()];
    const forged = await new SignJWT({ htm: 'POST', htu: HTU, jti: 'jti-0123456789', iat: NOW })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: a.jwk })
      .sign(b.privateKey);
    await refusal(checkDpopProof(forged, { htm: 'POST', htu: HTU, now: NOW }), 'invalid_dpop_proof');
  });

  test('with a bound token, the proof must be by the bound key and carry the token hash', async () => {
    const k = await key();
    const token = 'access-token-abcdefghijklmnop';
    const ath = createHash('sha256').update(token).digest('base64url');
    const jkt = jwkThumbprint(k.jwk as never);
    const expect = { htm: 'POST', htu: HTU, now: NOW, accessToken: token, boundTo: jkt };
    await checkDpopProof(await proof(k, { ath }), expect);
    await refusal(checkDpopProof(await proof(k), expect), 'invalid_dpop_proof');
    await refusal(checkDpopProof(await proof(k, { ath: 'x' }), expect), 'invalid_dpop_proof');
    const other = await key();
    await refusal(checkDpopProof(await proof(other, { ath }), expect), 'invalid_dpop_proof');
  });
});

describe('key proofs (openid4vci-proof+jwt)', () => {
  const proof = async (k: { privateKey: CryptoKey; jwk: JWK }, claims: Record<string, unknown> = {}, typ?: string) =>
    new SignJWT({ aud: ISSUER, nonce: 'c-nonce-1', iat: NOW, ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: typ ?? 'openid4vci-proof+jwt', jwk: k.jwk })
      .sign(k.privateKey);

  test('a proof for this issuer answers the key and the nonce it names', async () => {
    const k = await key();
    const checked = await checkKeyProof(await proof(k), { audience: ISSUER, now: NOW });
    assert.equal(checked.nonce, 'c-nonce-1');
    assert.deepEqual(checked.jwk, { kty: 'EC', crv: 'P-256', x: k.jwk.x, y: k.jwk.y });
  });

  test('another audience, no nonce, a stale iat or another typ are refused', async () => {
    const k = await key();
    const expect = { audience: ISSUER, now: NOW };
    await refusal(checkKeyProof(await proof(k, { aud: 'https://elsewhere.example' }), expect), 'invalid_proof');
    await refusal(checkKeyProof(await proof(k, { nonce: undefined }), expect), 'invalid_proof');
    await refusal(checkKeyProof(await proof(k, { iat: NOW - 3600 }), expect), 'invalid_proof');
    await refusal(checkKeyProof(await proof(k, {}, 'dpop+jwt'), expect), 'invalid_proof');
  });
});
