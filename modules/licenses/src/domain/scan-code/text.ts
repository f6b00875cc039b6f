// The text of a scan code: a prefix naming the format and its version (TB1:, as the EU DCC's
// HC1:), then base45 (RFC 9285) of the zlib-deflated (RFC 1950, level 9) COSE message. base45's
// alphabet is QR's alphanumeric set, so the QR code packs 2 characters in 11 bits.
//
// Decoding is strict so that a code has one spelling: base45 must be the canonical encoding of
// its bytes (no value past 65535 in a triple, no lone character), and the zlib stream must end
// where the text ends. What remains free is inside deflate itself (the unused bits of its last
// byte, other ways to compress the same bytes) — changes there leave the signed bytes as they were.
import { deflateSync, inflateSync } from 'node:zlib';
import { decode as base45Decode, encode as base45Encode } from 'base45';

export const SCAN_CODE_PREFIX = 'TB1:';
/** No scan code is longer: a version-40 QR code at ECC L holds 4,296 alphanumeric characters. */
export const MAX_SCAN_CODE_LENGTH = 4296;
/** Decompressed, a COSE message of ours is well under 1 KB; more is not ours (or a zip bomb). */
const MAX_COSE_BYTES = 8192;

const BASE45 = /^[0-9A-Z $%*+\-./:]*$/;

export type TextReason = 'too_long' | 'wrong_prefix' | 'not_base45' | 'not_zlib';
export type TextDecode = { ok: true; cose: Uint8Array } | { ok: false; reason: TextReason };

export function encodeScanText(cose: Uint8Array): string {
  return SCAN_CODE_PREFIX + base45Encode(deflateSync(cose, { level: 9 }));
}

/** The canonical bytes of a base45 text, or undefined. */
function base45Bytes(text: string): Uint8Array | undefined {
  if (!BASE45.test(text) || text.length % 3 === 1) return undefined;
  const bytes = base45Decode(text);
  // The package maps out-of-range triples onto other bytes; only the canonical spelling round-trips.
  return base45Encode(bytes) === text ? Uint8Array.from(bytes) : undefined;
}

/** The COSE message a scan code's text carries, or the first layer at which it is not one. */
export function decodeScanText(text: string): TextDecode {
  if (text.length > MAX_SCAN_CODE_LENGTH) return { ok: false, reason: 'too_long' };
  if (!text.startsWith(SCAN_CODE_PREFIX)) return { ok: false, reason: 'wrong_prefix' };
  const compressed = base45Bytes(text.slice(SCAN_CODE_PREFIX.length));
  if (!compressed || compressed.length === 0) return { ok: false, reason: 'not_base45' };
  try {
    // `info` tells how much input the stream used: bytes after its end are not part of any code.
    const { buffer, engine } = inflateSync(compressed, { info: true, maxOutputLength: MAX_COSE_BYTES }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    if (engine.bytesWritten !== compressed.length) return { ok: false, reason: 'not_zlib' };
    return { ok: true, cose: Uint8Array.from(buffer) };
  } catch {
    return { ok: false, reason: 'not_zlib' };
  }
}
