// The status list an SD-JWT VC points at: the IETF Token Status List (draft-ietf-oauth-status-list),
// which SD-JWT VC names for `status.status_list` — a JWT of `typ: statuslist+jwt` whose
// `status_list.lst` is the ZLIB-compressed (RFC 1950) byte array of `bits`-wide statuses, the token
// at index i in the `bits` at bit offset i·bits, least significant first. Wallet verifiers (the
// `@sd-jwt` one among them) fetch it from the credential's `status.status_list.uri`.
// The W3C Bitstring Status List (domain/status-list/) serves the same register for scan codes.
import { deflateSync } from 'node:zlib';
import type { WalletSigningKey } from './keys.ts';

export const STATUS_LIST_TYP = 'statuslist+jwt';
export const STATUS_LIST_MEDIA_TYPE = 'application/statuslist+jwt';

/** The values of a 2-bit list: the draft's registered VALID, INVALID and SUSPENDED. */
export const TOKEN_STATUS = { valid: 0, invalid: 1, suspended: 2 } as const;
export type TokenStatus = (typeof TOKEN_STATUS)[keyof typeof TOKEN_STATUS];

const BITS = 2;

/** The list's `lst`: `size` statuses of two bits (every slot not given is VALID), ZLIB-compressed, base64url. */
export function encodeTokenStatusList(size: number, statuses: Iterable<[index: number, status: TokenStatus]>): string {
  const bytes = new Uint8Array(Math.ceil((size * BITS) / 8));
  for (const [index, status] of statuses) {
    if (!Number.isInteger(index) || index < 0 || index >= size)
      throw new RangeError(`index ${index} is outside the list`);
    const bit = index * BITS;
    bytes[bit >> 3]! |= status << (bit & 7);
  }
  return deflateSync(bytes, { level: 9 }).toString('base64url');
}

export interface TokenStatusListInput {
  /** The list's URI: the `sub`, equal to the credentials' `status.status_list.uri`. */
  readonly uri: string;
  readonly size: number;
  readonly statuses: Iterable<[index: number, status: TokenStatus]>;
  /** Epoch seconds. */
  readonly issuedAt: number;
  /** Seconds a verifier may keep it before fetching again; also sets `exp`. */
  readonly ttlSeconds: number;
}

/** The Status List Token: a compact JWS (ES256) by the issuer's wallet key, the key its credentials are signed with. */
export function tokenStatusListJwt(input: TokenStatusListInput, key: WalletSigningKey): string {
  const header = { alg: 'ES256', typ: STATUS_LIST_TYP, kid: key.kid };
  const payload = {
    sub: input.uri,
    iat: input.issuedAt,
    exp: input.issuedAt + input.ttlSeconds,
    ttl: input.ttlSeconds,
    status_list: { bits: BITS, lst: encodeTokenStatusList(input.size, input.statuses) },
  };
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${b64(header)}.${b64(payload)}`;
  return `${signingInput}.${key.sign(signingInput)}`;
}
