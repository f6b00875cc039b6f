// Personal-data fields encrypted at the application layer (个人信息字段加密): a column holds
// `tb1.<key id>.<iv>.<ciphertext+tag>`, never the value; the additional data names the column,
// so a ciphertext moved to another column does not open. Exact-match lookups (an ID number, a
// phone) go through keyed blind indexes: HMAC under a key of the module's own, per kind.
//
// This first cut derives one data key per module from the platform's master key (AES-256-GCM).
// Envelope encryption (data keys wrapped by the master key, stored with their ids), rotation and
// the 国密 mode (SM4-GCM, SM3-HMAC) replace the internals behind the same interface.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export interface FieldCipher {
  /** Encrypts `plain` for the column named by `aad` (e.g. 'datahub.record.data'). */
  seal(plain: string, aad: string): Promise<string>;
  /** Opens what `seal` wrote for the same `aad`; throws on a changed ciphertext or another column's. */
  open(sealed: string, aad: string): Promise<string>;
  /** A keyed, deterministic index of `value` for exact-match lookups, per kind ('id-number', 'mobile'). */
  blindIndex(kind: string, value: string): string;
}

const derive = (master: Buffer, info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));

export function localFieldCipher(master: Buffer, module: string): FieldCipher {
  const kid = `m1-${module}`;
  const key = derive(master, `tongban field key\n${module}\n${kid}`);
  const indexKeys = new Map<string, Buffer>();
  return {
    async seal(plain, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(aad));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `tb1.${kid}.${iv.toString('base64url')}.${ct.toString('base64url')}`;
    },
    async open(sealed, aad) {
      const [version, id, iv, body] = sealed.split('.');
      if (version !== 'tb1' || id !== kid || !iv || !body) throw new Error('not a field ciphertext of this module');
      const bytes = Buffer.from(body, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(aad));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
    },
    blindIndex(kind, value) {
      let k = indexKeys.get(kind);
      if (!k) indexKeys.set(kind, (k = derive(master, `tongban blind index\n${module}\n${kind}`)));
      return createHmac('sha256', k).update(value, 'utf8').digest('base64url');
    },
  };
}
