// The keys that sign wallet credentials (SD-JWT VC), one per issuer (an issuing department's
// unified social credit code), as the scan codes have: a key speaks for its issuer only. The
// private scalar comes from secret material (the service derives it from the module's secret with
// a label of its own, so the wallet key is not the scan-code key); the public half is published as
// a JWK whose kid is its RFC 7638 thumbprint.
import { createHash } from 'node:crypto';
import { es256SignerFrom } from '../scan-code/keys.ts';

/** A P-256 public key as JWK (RFC 7517/7518), the members a verifier needs. */
export interface PublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly kid?: string;
  readonly alg?: 'ES256';
  readonly use?: 'sig';
}

export interface WalletSigningKey {
  /** The issuer (unified social credit code) whose licences this key signs. */
  readonly issuerCode: string;
  readonly kid: string;
  /** Published in the issuer's JWKS (`/.well-known/jwt-vc-issuer/…`). */
  readonly publicJwk: PublicJwk;
  /** ES256 over the JWS signing input: the signature r‖s, base64url. */
  sign(signingInput: string): string;
}

/** RFC 7638 §3.2: SHA-256 over the required members in lexicographic order, base64url. */
export function jwkThumbprint(jwk: { kty: string; crv?: string; x?: string; y?: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** An ES256 wallet key over at least 32 bytes of secret material. */
export function walletKeyFrom(material: Uint8Array, issuerCode: string): WalletSigningKey {
  const signer = es256SignerFrom(material);
  const point = Buffer.from(signer.publicKey, 'hex');
  const x = point.subarray(1, 33).toString('base64url');
  const y = point.subarray(33).toString('base64url');
  const kid = jwkThumbprint({ kty: 'EC', crv: 'P-256', x, y });
  return {
    issuerCode,
    kid,
    publicJwk: { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' },
    sign: (input) => Buffer.from(signer.sign(Buffer.from(input, 'ascii'))).toString('base64url'),
  };
}
