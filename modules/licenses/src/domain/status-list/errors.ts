// The error types of W3C Bitstring Status List v1.0 §3.6 ("Processing Errors"), as stable codes the
// verification API can turn into problem+json and the public page into a reason. Kept beside the
// pure status-list code (not in the module's error table yet) so the domain stays free of HTTP.

export const STATUS_LIST_ERROR_CODES = [
  /** The list could not be fetched (the caller raises it; listed so one type covers all). */
  'STATUS_RETRIEVAL_ERROR',
  /** The list credential's signature, type, purpose or validity period does not hold. */
  'STATUS_VERIFICATION_ERROR',
  /** The decompressed bitstring is shorter than the 131,072-bit minimum, or not whole bytes. */
  'STATUS_LIST_LENGTH_ERROR',
  /** The index lies outside the bitstring. */
  'RANGE_ERROR',
  /** Not a multibase base64url GZIP bitstring, or not a JWS. */
  'MALFORMED_VALUE_ERROR',
] as const;

export type StatusListErrorCode = (typeof STATUS_LIST_ERROR_CODES)[number];

export class StatusListError extends Error {
  override readonly name = 'StatusListError';
  readonly code: StatusListErrorCode;
  constructor(code: StatusListErrorCode, detail: string) {
    super(`${code}: ${detail}`);
    this.code = code;
  }
}
