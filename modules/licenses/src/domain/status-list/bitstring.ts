// W3C Bitstring Status List v1.0 (Recommendation, 2025): the bitstring itself. Index 0 is the
// leftmost — most significant — bit of the first byte; the list travels as `encodedList`, the
// multibase base64url (prefix 'u', no padding, RFC 4648 §5) of the GZIP (RFC 1952) compressed bytes.
import { gunzipSync, gzipSync } from 'node:zlib';
import { StatusListError } from './errors.ts';

/** §4.1/§6.1: at least 16 KB (131,072 entries), so one holder's index hides among many (herd privacy). */
export const MIN_STATUS_LIST_BITS = 131_072;
/** A decompression-bomb guard: 16 MiB of bitstring is 134 M entries, more than any list we publish. */
export const MAX_STATUS_LIST_BYTES = 16 * 1024 * 1024;

const MULTIBASE_BASE64URL = 'u';
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export interface StatusBit {
  readonly index: number;
  /** true: the status applies (revoked / suspended). */
  readonly set: boolean;
}

export interface DecodedStatusList {
  /** Number of entries (bits). */
  readonly size: number;
  /** The bit at `index`; RANGE_ERROR outside [0, size). */
  get(index: number): boolean;
}

function checkIndex(index: number, size: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new StatusListError('RANGE_ERROR', `index ${index} is outside the list of ${size} entries`);
  }
}

/** The bitstring's bytes with the given bits set (later entries for one index win). */
export function bitstringBytes(entries: Iterable<StatusBit>, size: number = MIN_STATUS_LIST_BITS): Uint8Array {
  if (!Number.isSafeInteger(size) || size < MIN_STATUS_LIST_BITS || size % 8 !== 0) {
    throw new StatusListError(
      'STATUS_LIST_LENGTH_ERROR',
      `a list has a whole number of bytes and at least ${MIN_STATUS_LIST_BITS} entries, not ${size}`,
    );
  }
  if (size / 8 > MAX_STATUS_LIST_BYTES) {
    throw new StatusListError('STATUS_LIST_LENGTH_ERROR', `a list holds at most ${MAX_STATUS_LIST_BYTES * 8} entries`);
  }
  const bytes = new Uint8Array(size / 8);
  for (const { index, set } of entries) {
    checkIndex(index, size);
    const mask = 0x80 >> (index & 7);
    if (set) bytes[index >> 3]! |= mask;
    else bytes[index >> 3]! &= ~mask;
  }
  return bytes;
}

/** `encodedList` for a list of `size` entries where `entries` say which bits are set. */
export function encodeStatusList(entries: Iterable<StatusBit>, size: number = MIN_STATUS_LIST_BITS): string {
  // level 9: the list is published often and fetched far more often than it is built.
  const compressed = gzipSync(bitstringBytes(entries, size), { level: 9 });
  return MULTIBASE_BASE64URL + compressed.toString('base64url');
}

/** Read an `encodedList`; MALFORMED_VALUE_ERROR or STATUS_LIST_LENGTH_ERROR when it is not one. */
export function decodeStatusList(encodedList: string): DecodedStatusList {
  if (!encodedList.startsWith(MULTIBASE_BASE64URL)) {
    throw new StatusListError('MALFORMED_VALUE_ERROR', "encodedList is not multibase base64url (prefix 'u')");
  }
  const text = encodedList.slice(1);
  // Buffer.from skips characters outside the alphabet; a list with any is not the one signed.
  if (!BASE64URL.test(text) || text.length % 4 === 1) {
    throw new StatusListError('MALFORMED_VALUE_ERROR', 'encodedList is not base64url without padding');
  }
  let bytes: Buffer;
  try {
    bytes = gunzipSync(Buffer.from(text, 'base64url'), { maxOutputLength: MAX_STATUS_LIST_BYTES });
  } catch (error) {
    const tooLarge = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw tooLarge
      ? new StatusListError('STATUS_LIST_LENGTH_ERROR', `the bitstring is larger than ${MAX_STATUS_LIST_BYTES} bytes`)
      : new StatusListError('MALFORMED_VALUE_ERROR', 'encodedList is not GZIP-compressed');
  }
  const size = bytes.length * 8;
  if (size < MIN_STATUS_LIST_BITS) {
    throw new StatusListError(
      'STATUS_LIST_LENGTH_ERROR',
      `the bitstring has ${size} entries, fewer than the ${MIN_STATUS_LIST_BITS} minimum`,
    );
  }
  return {
    size,
    get(index) {
      checkIndex(index, size);
      return ((bytes[index >> 3]! >> (7 - (index & 7))) & 1) === 1;
    },
  };
}
