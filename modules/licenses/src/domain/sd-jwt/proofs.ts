// The two proofs of possession a wallet sends: the DPoP proof on each request to the token and
// credential endpoints (RFC 9449 §4.3), and the key proof on the credential request (OpenID4VCI
// 1.0 Appendix F.1, typ openid4vci-proof+jwt) naming this issuer and the c_nonce it was given.
// Both are checked here without state; the service records each DPoP jti and takes each nonce
// once (store/wallet.ts), which is what refuses a replay.
import { createHash } from 'node:crypto';
import { EmbeddedJWK, errors, jwtVerify, type JWK } from 'jose';
import { jwkThumbprint, type PublicJwk } from './keys.ts';

export const DPOP_TYP = 'dpop+jwt';
export const KEY_PROOF_TYP = 'openid4vci-proof+jwt';

/** Why a proof is refused, as the OAuth error the endpoint answers. */
export class ProofError extends Error {
  readonly error: 'invalid_dpop_proof' | 'invalid_proof';
  constructor(error: ProofError['error'], message: string) {
    super(message);
    this.error = error;
  }
}

export interface CheckedProof {
  /** The proof's public key (header jwk), members a verifier needs. */
  readonly jwk: PublicJwk;
  /** RFC 7638 thumbprint of that key. */
  readonly jkt: string;
  readonly payload: Record<string, unknown>;
}

async function verifyEmbedded(
  proof: string,
  typ: string,
  requiredClaims: string[],
  now: number,
  maxSkewSeconds: number,
  error: ProofError['error'],
): Promise<CheckedProof> {
  let result;
  try {
    result = await jwtVerify(proof, EmbeddedJWK, {
      typ,
      algorithms: ['ES256'],
      requiredClaims,
      currentDate: new Date(now * 1000),
    });
  } catch (e) {
    if (e instanceof errors.JOSEError) throw new ProofError(error, `${e.code}: ${e.message}`);
    throw e;
  }
  const { payload, protectedHeader } = result;
  const jwk = protectedHeader.jwk as JWK;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new ProofError(error, 'the key is not P-256');
  if (typeof payload.iat !== 'number' || Math.abs(now - payload.iat) > maxSkewSeconds)
    throw new ProofError(error, 'iat is too far from now');
  const key: PublicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  return { jwk: key, jkt: jwkThumbprint(key), payload: payload as Record<string, unknown> };
}

export interface DpopExpectation {
  readonly htm: string;
  /** The endpoint's URL as the issuer publishes it (without query or fragment). */
  readonly htu: string;
  /** Seconds since the epoch. */
  readonly now: number;
  /** For a request with a DPoP-bound token: the token (ath) and the key it is bound to (jkt). */
  readonly accessToken?: string;
  readonly boundTo?: string;
  readonly maxSkewSeconds?: number;
}

const withoutQuery = (url: string): string | undefined => {
  try {
    const u = new URL(url);
    u.search = '';
    u.hash = '';
    return u.href;
  } catch {
    return undefined;
  }
};

/** A DPoP proof for this request; answers its key and jti. The caller refuses a jti seen before. */
export async function checkDpopProof(
  proof: string | string[] | undefined,
  expect: DpopExpectation,
): Promise<CheckedProof & { jti: string }> {
  if (typeof proof !== 'string' || proof === '') throw new ProofError('invalid_dpop_proof', 'a DPoP proof is required');
  if (proof.length > 8192 || proof.includes(',')) throw new ProofError('invalid_dpop_proof', 'one DPoP proof, please');
  const checked = await verifyEmbedded(
    proof,
    DPOP_TYP,
    ['jti', 'htm', 'htu', 'iat'],
    expect.now,
    expect.maxSkewSeconds ?? 300,
    'invalid_dpop_proof',
  );
  const { payload } = checked;
  if (typeof payload.jti !== 'string' || payload.jti.length < 8 || payload.jti.length > 256)
    throw new ProofError('invalid_dpop_proof', 'jti is malformed');
  if (payload.htm !== expect.htm) throw new ProofError('invalid_dpop_proof', 'htm is not the request method');
  if (typeof payload.htu !== 'string' || withoutQuery(payload.htu) !== withoutQuery(expect.htu))
    throw new ProofError('invalid_dpop_proof', 'htu is not this endpoint');
  if (expect.accessToken !== undefined) {
    if (checked.jkt !== expect.boundTo) throw new ProofError('invalid_dpop_proof', 'not the key the token is bound to');
    const ath = createHash('sha256').update(expect.accessToken).digest('base64url');
    if (payload.ath !== ath) throw new ProofError('invalid_dpop_proof', 'ath is not the access token');
  }
  return { ...checked, jti: payload.jti };
}

/** The key proof of a credential request: this issuer as `aud`, a nonce (the caller takes it), recent. */
export async function checkKeyProof(
  proof: string,
  expect: { readonly audience: string; readonly now: number; readonly maxSkewSeconds?: number },
): Promise<CheckedProof & { nonce: string }> {
  const checked = await verifyEmbedded(
    proof,
    KEY_PROOF_TYP,
    ['aud', 'iat', 'nonce'],
    expect.now,
    expect.maxSkewSeconds ?? 300,
    'invalid_proof',
  );
  const aud = checked.payload.aud;
  if (aud !== expect.audience && !(Array.isArray(aud) && aud.length === 1 && aud[0] === expect.audience))
    throw new ProofError('invalid_proof', 'aud is not this credential issuer');
  if (typeof checked.payload.nonce !== 'string') throw new ProofError('invalid_proof', 'nonce is missing');
  return { ...checked, nonce: checked.payload.nonce };
}
