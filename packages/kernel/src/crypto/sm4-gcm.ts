// SM4-GCM (GB/T 36624, RFC 8998): Node's OpenSSL has SM4 in ECB and CTR modes but no GCM, so
// the mode is built here — the keystream through sm4-ctr, the authentication tag through GHASH
// (NIST SP 800-38D) in BigInt arithmetic over GF(2^128) with per-key byte tables. Only 96-bit
// IVs: the counter block is IV ‖ 0^31 ‖ 1, and within GCM's length limit its low 32 bits never
// wrap, so OpenSSL's 128-bit CTR increment equals GCM's inc32.
import { createCipheriv, timingSafeEqual } from 'node:crypto';

const R = 0xe1n << 120n;
const MASK = (1n << 128n) - 1n;

const toBig = (b: Buffer): bigint => BigInt(`0x${b.toString('hex')}`);
const toBytes = (x: bigint): Buffer => Buffer.from(x.toString(16).padStart(32, '0'), 'hex');

/** GHASH under H: 16 tables, one per byte position, of that byte's products with H. */
class Ghash {
  readonly #tables: bigint[][];

  constructor(h: Buffer) {
    // powers[i] = H · x^i (bit i counted from the most significant, as GCM numbers them)
    const powers: bigint[] = [];
    let v = toBig(h);
    for (let i = 0; i < 128; i++) {
      powers.push(v);
      v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
    }
    this.#tables = [];
    for (let position = 0; position < 16; position++) {
      const table = new Array<bigint>(256).fill(0n);
      for (let byte = 1; byte < 256; byte++) {
        let z = 0n;
        for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) z ^= powers[position * 8 + bit]!;
        table[byte] = z;
      }
      this.#tables.push(table);
    }
  }

  #times(x: Buffer): bigint {
    let z = 0n;
    for (let i = 0; i < 16; i++) z ^= this.#tables[i]![x[i]!]!;
    return z & MASK;
  }

  digest(aad: Buffer, ciphertext: Buffer): Buffer {
    let y = 0n;
    const absorb = (data: Buffer) => {
      for (let offset = 0; offset < data.length; offset += 16) {
        const block = Buffer.alloc(16);
        data.copy(block, 0, offset, Math.min(offset + 16, data.length));
        y = this.#times(toBytes(y ^ toBig(block)));
      }
    };
    absorb(aad);
    absorb(ciphertext);
    const lengths = Buffer.alloc(16);
    lengths.writeBigUInt64BE(BigInt(aad.length) * 8n, 0);
    lengths.writeBigUInt64BE(BigInt(ciphertext.length) * 8n, 8);
    y = this.#times(toBytes(y ^ toBig(lengths)));
    return toBytes(y);
  }
}

const ecb = (key: Buffer, block: Buffer): Buffer => {
  const cipher = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
};

const ctr = (key: Buffer, counter: Buffer, data: Buffer): Buffer => {
  const cipher = createCipheriv('sm4-ctr', key, counter);
  return Buffer.concat([cipher.update(data), cipher.final()]);
};

export const SM4_GCM_IV_BYTES = 12;
export const SM4_GCM_TAG_BYTES = 16;

/** SM4-GCM under one 128-bit key (its GHASH tables computed once). */
export class Sm4Gcm {
  readonly #key: Buffer;
  readonly #ghash: Ghash;

  constructor(key: Buffer) {
    if (key.length !== 16) throw new Error('SM4 keys are 128 bits');
    this.#key = Buffer.from(key);
    this.#ghash = new Ghash(ecb(this.#key, Buffer.alloc(16)));
  }

  #counters(iv: Buffer): { j0: Buffer; first: Buffer } {
    if (iv.length !== SM4_GCM_IV_BYTES) throw new Error('SM4-GCM takes 96-bit IVs');
    const j0 = Buffer.concat([iv, Buffer.from([0, 0, 0, 1])]);
    const first = Buffer.concat([iv, Buffer.from([0, 0, 0, 2])]);
    return { j0, first };
  }

  #tag(j0: Buffer, aad: Buffer, ciphertext: Buffer): Buffer {
    const s = this.#ghash.digest(aad, ciphertext);
    const mask = ecb(this.#key, j0);
    for (let i = 0; i < 16; i++) s[i]! ^= mask[i]!;
    return s;
  }

  /** Ciphertext and its 128-bit tag. */
  encrypt(iv: Buffer, plain: Buffer, aad: Buffer): { ciphertext: Buffer; tag: Buffer } {
    const { j0, first } = this.#counters(iv);
    const ciphertext = plain.length > 0 ? ctr(this.#key, first, plain) : Buffer.alloc(0);
    return { ciphertext, tag: this.#tag(j0, aad, ciphertext) };
  }

  /** The plaintext; throws when the tag does not match (a changed ciphertext, IV or additional data). */
  decrypt(iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer {
    const { j0, first } = this.#counters(iv);
    const expected = this.#tag(j0, aad, ciphertext);
    if (tag.length !== SM4_GCM_TAG_BYTES || !timingSafeEqual(expected, tag))
      throw new Error('SM4-GCM: unable to authenticate data');
    return ciphertext.length > 0 ? ctr(this.#key, first, ciphertext) : Buffer.alloc(0);
  }
}
