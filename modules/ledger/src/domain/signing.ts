// Signatures on checkpoints: Ed25519 (RFC 8032, node:crypto), or SM2 (GB/T 32918.2) with SM3 and
// the signer's distinguishing identifier — the kernel's SM2 (one copy, shared with the licences'
// scan codes). Keys come from a secret seed (the data directory in development, TONGBAN_SECRET_*
// in production), so replicas sign with one key.
import { createHash, createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { SM2_DEFAULT_ID, sm2PrivateKeyFrom, sm2PublicKey, sm2Sign, sm2Verify } from '@tongban/kernel';

export type SignatureAlgorithm = 'ed25519' | 'sm2';
export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = ['ed25519', 'sm2'];

export { SM2_DEFAULT_ID };

export interface PublicKey {
  readonly algorithm: SignatureAlgorithm;
  /** Ed25519: the 32-byte key, base64; SM2: the uncompressed point 04‖x‖y, hex. */
  readonly key: string;
  /** SM2 only: the signer's distinguishing identifier (ID_A). */
  readonly signerId?: string;
}

export interface Signer {
  readonly publicKey: PublicKey;
  /** The signature over `message`, base64. */
  sign(message: string): string;
}

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A signer whose key is derived from `seed` (any secret string) and the purpose it serves. */
export function signerFromSeed(
  algorithm: SignatureAlgorithm,
  seed: string,
  purpose: string,
  signerId = SM2_DEFAULT_ID,
): Signer {
  const material = createHash('sha256').update(`${purpose}\0${seed}`).digest();
  if (algorithm === 'ed25519') {
    const privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, material]),
      format: 'der',
      type: 'pkcs8',
    });
    const raw = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x!, 'base64url');
    return {
      publicKey: { algorithm, key: raw.toString('base64') },
      sign: (message) => cryptoSign(null, Buffer.from(message), privateKey).toString('base64'),
    };
  }
  return sm2Signer(sm2PrivateKeyFrom(material), signerId);
}

export function sm2Signer(privateHex: string, signerId = SM2_DEFAULT_ID): Signer {
  const publicHex = sm2PublicKey(privateHex);
  return {
    publicKey: { algorithm: 'sm2', key: publicHex, signerId },
    sign: (message) => Buffer.from(sm2Sign(message, privateHex, signerId, publicHex)).toString('base64'),
  };
}

/** Whether `signature` (base64) is the key's signature over `message`; never throws. */
export function verifySignature(key: PublicKey, message: string, signature: string): boolean {
  try {
    const sig = Buffer.from(signature, 'base64');
    if (key.algorithm === 'ed25519') {
      const publicKey = createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.key, 'base64').toString('base64url') },
        format: 'jwk',
      });
      return sig.length === 64 && cryptoVerify(null, Buffer.from(message), publicKey, sig);
    }
    return sm2Verify(message, sig, key.key, key.signerId ?? SM2_DEFAULT_ID);
  } catch {
    return false;
  }
}

/** A short, stable name for a key (signed-note style key hash): what checkpoints cite. */
export function keyId(name: string, key: PublicKey): string {
  return createHash('sha256')
    .update(`${name}\n${key.algorithm}\n${key.key}\n${key.signerId ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}
