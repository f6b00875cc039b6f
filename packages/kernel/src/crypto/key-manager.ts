// Master keys (主密钥) behind a KMS-shaped interface: they wrap and unwrap data keys and never
// leave the key manager. The local implementation holds them from configuration — the current
// one (TONGBAN_SECRET_FIELD_MASTER_KEY) and, during a rotation, the earlier ones
// (TONGBAN_SECRET_FIELD_MASTER_KEYS_RETIRED, comma-separated) until every data key is re-wrapped.
// A key's id is its thumbprint, so an id is never typed in and cannot name the wrong key.
// A hardware or cloud KMS implements the same three members.
import { createHash, hkdfSync } from 'node:crypto';
import { aead, type Aead, type FieldAlgorithm, isFieldAlgorithm, KEY_BYTES } from './aead.ts';

export interface KeyManager {
  /** The master key new data keys are wrapped under. */
  readonly currentKeyId: string;
  /** Whether data keys wrapped under `keyId` can still be unwrapped here. */
  has(keyId: string): boolean;
  /** Wraps a data key under the current master key; `context` is bound as additional data. */
  wrap(dek: Buffer, context: string): Promise<string>;
  unwrap(keyId: string, wrapped: string, context: string): Promise<Buffer>;
}

/** `mk-` and the first 16 bytes of SHA-256 over the key, base64url: an id that names, never reveals. */
export const masterKeyId = (key: Buffer): string =>
  `mk-${createHash('sha256').update('tongban field master key\n').update(key).digest().subarray(0, 16).toString('base64url')}`;

export class MasterKeyError extends Error {
  override name = 'MasterKeyError';
}

/** A master key as configured: 32 (or more) random bytes, base64url. */
export function parseMasterKey(text: string, variable: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64url');
  if (key.length < 32) throw new MasterKeyError(`${variable} must be at least 32 random bytes, base64url`);
  return key;
}

export interface LocalKeyManagerOptions {
  readonly current: Buffer;
  readonly retired?: readonly Buffer[];
  /** The cipher data keys are wrapped with: 'sm4gcm' in the 国密 profile. */
  readonly algorithm: FieldAlgorithm;
}

export function localKeyManager(options: LocalKeyManagerOptions): KeyManager {
  // A key-encryption key per master key and algorithm, derived (HKDF-SHA256) so the master key
  // itself is never a cipher key.
  const keks = new Map<string, { master: Buffer; ciphers: Map<FieldAlgorithm, Aead> }>();
  for (const master of [options.current, ...(options.retired ?? [])])
    keks.set(masterKeyId(master), { master, ciphers: new Map() });
  const kek = (keyId: string, algorithm: FieldAlgorithm): Aead => {
    const entry = keks.get(keyId);
    if (!entry)
      throw new MasterKeyError(`master key ${keyId} is not configured (TONGBAN_SECRET_FIELD_MASTER_KEYS_RETIRED)`);
    let cipher = entry.ciphers.get(algorithm);
    if (!cipher) {
      const key = Buffer.from(
        hkdfSync('sha256', entry.master, Buffer.alloc(0), `tongban key wrapping\n${algorithm}`, KEY_BYTES[algorithm]),
      );
      entry.ciphers.set(algorithm, (cipher = aead(algorithm, key)));
    }
    return cipher;
  };
  const currentKeyId = masterKeyId(options.current);
  return {
    currentKeyId,
    has: (keyId) => keks.has(keyId),
    async wrap(dek, context) {
      return `${options.algorithm}.${kek(currentKeyId, options.algorithm).seal(dek, Buffer.from(context))}`;
    },
    async unwrap(keyId, wrapped, context) {
      const dot = wrapped.indexOf('.');
      const algorithm = wrapped.slice(0, dot);
      if (!isFieldAlgorithm(algorithm)) throw new MasterKeyError(`unknown wrapping algorithm ${algorithm}`);
      return kek(keyId, algorithm).open(wrapped.slice(dot + 1), Buffer.from(context));
    },
  };
}
