// The two authenticated ciphers of field encryption, behind one shape: AES-256-GCM (Node's
// OpenSSL) and SM4-GCM (sm4-gcm.ts, 国密). 96-bit random IVs, 128-bit tags appended.
//
// Cost (Node 24, per 300-byte value): a cipher made from a raw key Buffer re-imports the key each
// time, ~30 µs a seal; from a KeyObject made once, ~10 µs; with IVs cut from a pooled block of
// random bytes rather than one randomBytes(12) call each, ~7 µs. Every IV is still 96 fresh random
// bits, handed out once: the pool only moves forward and is replaced, never reused, when spent.
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { Sm4Gcm } from './sm4-gcm.ts';

/** Names as they appear in ciphertexts and in the data_key table. */
export type FieldAlgorithm = 'a256gcm' | 'sm4gcm';

export const KEY_BYTES: Record<FieldAlgorithm, number> = { a256gcm: 32, sm4gcm: 16 };

export const isFieldAlgorithm = (name: string): name is FieldAlgorithm => name === 'a256gcm' || name === 'sm4gcm';

export interface Aead {
  readonly algorithm: FieldAlgorithm;
  /** `<iv>.<ciphertext+tag>`, base64url. */
  seal(plain: Buffer, aad: Buffer): string;
  open(sealed: string, aad: Buffer): Buffer;
}

const IVS_PER_POOL = 4096;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;

/** 12 random bytes never handed out before (a view into the current pool). */
function freshIv(): Buffer {
  if (ivOffset + 12 > ivPool.length) {
    ivPool = randomBytes(12 * IVS_PER_POOL);
    ivOffset = 0;
  }
  return ivPool.subarray(ivOffset, (ivOffset += 12));
}

export function aead(algorithm: FieldAlgorithm, key: Buffer): Aead {
  if (key.length !== KEY_BYTES[algorithm]) throw new Error(`${algorithm} takes ${KEY_BYTES[algorithm] * 8}-bit keys`);
  const sm4 = algorithm === 'sm4gcm' ? new Sm4Gcm(key) : undefined;
  const aesKey = sm4 ? undefined : createSecretKey(key);
  const split = (sealed: string) => {
    const dot = sealed.indexOf('.');
    const iv = Buffer.from(sealed.slice(0, dot), 'base64url');
    const body = Buffer.from(sealed.slice(dot + 1), 'base64url');
    if (dot < 0 || iv.length !== 12 || body.length < 16) throw new Error('malformed field ciphertext');
    return { iv, ct: body.subarray(0, body.length - 16), tag: body.subarray(body.length - 16) };
  };
  return {
    algorithm,
    seal(plain, aad) {
      const iv = freshIv();
      let body: Buffer;
      if (sm4) {
        const { ciphertext, tag } = sm4.encrypt(iv, plain, aad);
        body = Buffer.concat([ciphertext, tag]);
      } else {
        const cipher = createCipheriv('aes-256-gcm', aesKey!, iv);
        cipher.setAAD(aad);
        body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      }
      return `${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed, aad) {
      const { iv, ct, tag } = split(sealed);
      if (sm4) return sm4.decrypt(iv, ct, tag, aad);
      const decipher = createDecipheriv('aes-256-gcm', aesKey!, iv);
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ct), decipher.final()]);
    },
  };
}
