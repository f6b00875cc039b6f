// The two ways a scan code is signed, as COSE algorithms (RFC 9053 §2.1 for ES256), and the keys
// a verifier trusts. Both curves are 256-bit prime curves, so a public key is one shape for both:
// the uncompressed point 04‖x‖y, hex — what a trust list exchanged between regions carries.
//
// SM2 has no COSE registration: it is −65537, the first label of the private-use range (integers
// below −65536, RFC 9052 §11.1), meaning SM2 with SM3 as GB/T 32918.2 signs, the signer's
// identifier folded into Z_A (GM/T 0009's default unless the trust list names another), and the
// signature r‖s in 64 bytes as ES256's is.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { encode } from 'cborg';
import { SM2_DEFAULT_ID, sm2PublicKey, sm2Sign, sm2Verify } from '@tongban/kernel';

export type ScanAlgorithm = 'ES256' | 'SM2';

interface AlgorithmEntry {
  /** The COSE algorithm label in the protected header. */
  readonly label: number;
  verify(toBeSigned: Uint8Array, signature: Uint8Array, key: TrustedKey): boolean;
}

// Made once per trusted key: building a KeyObject from a JWK costs more than the verification itself.
// Bounded by the keys a verifier trusts (its region's issuers and its trust list's), not by input:
// a code's key id only ever selects among those.
const p256Keys = new Map<string, KeyObject>();

/** A P-256 public key from its uncompressed point; throws on anything else. */
function p256Key(point: string): KeyObject {
  let key = p256Keys.get(point);
  if (!key) {
    if (p256Keys.size >= 1024) p256Keys.clear(); // a trust list is far smaller: only tests get here
    p256Keys.set(point, (key = p256KeyOf(point)));
  }
  return key;
}

function p256KeyOf(point: string): KeyObject {
  const bytes = Buffer.from(point, 'hex');
  if (bytes.length !== 65 || bytes[0] !== 4) throw new RangeError('not an uncompressed P-256 point');
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: bytes.subarray(1, 33).toString('base64url'),
      y: bytes.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
}

export const ALGORITHMS = {
  ES256: {
    label: -7,
    verify: (toBeSigned, signature, key) =>
      signature.length === 64 &&
      verify('sha256', toBeSigned, { key: p256Key(key.publicKey), dsaEncoding: 'ieee-p1363' }, signature),
  },
  SM2: {
    label: -65537,
    verify: (toBeSigned, signature, key) =>
      sm2Verify(toBeSigned, signature, key.publicKey, key.signerId ?? SM2_DEFAULT_ID),
  },
} as const satisfies Record<ScanAlgorithm, AlgorithmEntry>;

/** The algorithm a COSE label names, if it is one of ours. */
export function findAlgorithm(label: unknown): ScanAlgorithm | undefined {
  return (Object.keys(ALGORITHMS) as ScanAlgorithm[]).find((name) => ALGORITHMS[name].label === label);
}

/** A key a verifier accepts scan codes from, and the issuer it speaks for. */
export interface TrustedKey {
  readonly algorithm: ScanAlgorithm;
  /** The uncompressed point 04‖x‖y, hex. */
  readonly publicKey: string;
  /** The issuer (unified social credit code) whose licences this key may sign. */
  readonly issuer: string;
  /** SM2 only: the signer's distinguishing identifier, when it is not GM/T 0009's default. */
  readonly signerId?: string;
}

/** What signs scan codes: the COSE signature over the Sig_structure's bytes. */
export interface ScanSigner {
  readonly algorithm: ScanAlgorithm;
  /** The uncompressed public point, hex. */
  readonly publicKey: string;
  readonly signerId?: string;
  sign(toBeSigned: Uint8Array): Uint8Array;
}

/**
 * The key identifier in the protected header: the first 8 bytes of SHA-256 over the CBOR of
 * [algorithm label, public point] — short like the EU DCC's 8-byte kid, and bound to the algorithm
 * so one point cannot be offered under the other curve's rules.
 */
export function scanKeyId(algorithm: ScanAlgorithm, publicKey: string): Uint8Array {
  // Asked for every trusted key on every verification: worked out once per key (bounded as p256Keys is).
  const memo = `${algorithm}:${publicKey}`;
  let kid = keyIds.get(memo);
  if (!kid) {
    if (keyIds.size >= 1024) keyIds.clear();
    const digest = createHash('sha256')
      .update(encode([ALGORITHMS[algorithm].label, Uint8Array.from(Buffer.from(publicKey, 'hex'))]))
      .digest();
    keyIds.set(memo, (kid = Uint8Array.from(digest.subarray(0, 8))));
  }
  return Uint8Array.from(kid); // a copy: the caller may keep or change its own
}
const keyIds = new Map<string, Uint8Array>();

/** An ES256 signer over a P-256 private key. */
export function es256Signer(privateKey: KeyObject): ScanSigner {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new RangeError('ES256 needs a P-256 key');
  const publicKey = `04${Buffer.from(jwk.x, 'base64url').toString('hex')}${Buffer.from(jwk.y, 'base64url').toString('hex')}`;
  return {
    algorithm: 'ES256',
    publicKey,
    sign: (toBeSigned) => Uint8Array.from(sign('sha256', toBeSigned, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
  };
}

// P-256's group order n (SEC 2 §2.4.2), and the PKCS #8 wrapping of a bare private scalar
// (ECPrivateKey without the optional public key, which OpenSSL computes on import).
const P256_N = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
const P256_PKCS8_PREFIX = Buffer.from('3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420', 'hex');

/**
 * An ES256 signer whose key is derived from at least 32 bytes of secret material (a scalar in
 * [1, n − 1]), so every replica holding the same secret signs with the same key.
 */
export function es256SignerFrom(material: Uint8Array): ScanSigner {
  if (material.length < 32) throw new RangeError('ES256 key material must be at least 32 bytes');
  const d = (BigInt(`0x${Buffer.from(material).toString('hex')}`) % (P256_N - 1n)) + 1n;
  const scalar = Buffer.from(d.toString(16).padStart(64, '0'), 'hex');
  return es256Signer(
    createPrivateKey({ key: Buffer.concat([P256_PKCS8_PREFIX, scalar]), format: 'der', type: 'pkcs8' }),
  );
}

/** An SM2 signer over a private scalar (64 hex digits), under `signerId`. */
export function sm2ScanSigner(privateHex: string, signerId: string = SM2_DEFAULT_ID): ScanSigner {
  const publicKey = sm2PublicKey(privateHex);
  return {
    algorithm: 'SM2',
    publicKey,
    ...(signerId === SM2_DEFAULT_ID ? {} : { signerId }),
    sign: (toBeSigned) => sm2Sign(toBeSigned, privateHex, signerId, publicKey),
  };
}

/** The trust-list entry for a signer's key, as the issuer publishes it. */
export function trustedKeyOf(signer: ScanSigner, issuer: string): TrustedKey {
  return {
    algorithm: signer.algorithm,
    publicKey: signer.publicKey,
    issuer,
    ...(signer.signerId === undefined ? {} : { signerId: signer.signerId }),
  };
}
