// The two authenticated ciphers of field encryption, behind one shape: AES-256-GCM (Node's
// OpenSSL) and SM4-GCM (sm4-gcm.ts, 国密). 96-bit random IVs, 128-bit tags appended.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
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

export function aead(algorithm: FieldAlgorithm, key: Buffer): Aead {
  if (key.length !== KEY_BYTES[algorithm]) throw new Error(`${algorithm} takes ${KEY_BYTES[algorithm] * 8}-bit keys`);
  const sm4 = algorithm === 'sm4gcm' ? new Sm4Gcm(key) : undefined;
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
      const iv = randomBytes(12);
      let body: Buffer;
      if (sm4) {
        const { ciphertext, tag } = sm4.encrypt(iv, plain, aad);
        body = Buffer.concat([ciphertext, tag]);
      } else {
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        cipher.setAAD(aad);
        body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      }
      return `${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed, aad) {
      const { iv, ct, tag } = split(sealed);
      if (sm4) return sm4.decrypt(iv, ct, tag, aad);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ct), decipher.final()]);
    },
  };
}
