// What a licence's scan code says (扫码核验), as a CBOR Web Token claims set (RFC 8392): the
// registered claims where CWT has them, and the licence's own in one private-use claim — the
// layout of the EU Digital COVID Certificate, whose health certificate sits under claim −260.
//
//   {  1 iss: the issuing department's unified social credit code (统一社会信用代码), tstr
//      4 exp: end of validity, epoch seconds (absent: valid without end, e.g. 出生医学证明)
//      5 nbf: start of validity, epoch seconds
//      6 iat: when the code was made, epoch seconds
//     −65537 licence (private use: CWT claim keys below −65536, RFC 8392 §9.1): {
//        1: identifier (GB/T 36904, 1.2.156.3005.2.…), tstr
//        2: licence type code, tstr
//        3: holder's name, masked (张*), tstr
//        4: status list id (the verifier finds its URL in the trust list), tstr
//        5: index in that status list, uint
//        6: shown until, epoch seconds — a presentation code's (亮证) few minutes; absent on a
//           code meant to last (printed on the licence), uint } }
//
// Integer keys keep a typical code under 700 characters; decoding ignores keys it does not know,
// so a later version may add claims that older verifiers pass over.
import { decode, encode } from 'cborg';
import { maskName } from '@tongban/kernel';

/** The claims of one licence's scan code. Times are whole epoch seconds. */
export interface LicenceClaims {
  /** GB/T 36904 electronic licence identifier. */
  readonly identifier: string;
  readonly typeCode: string;
  /** Already masked with the kernel's maskName — a scan code never carries a whole name. */
  readonly holder: string;
  /** The issuer: the issuing department's unified social credit code. */
  readonly issuer: string;
  readonly notBefore: number;
  /** Absent when the licence has no end of validity. */
  readonly expires?: number;
  readonly issuedAt: number;
  /** Where the caller looks up revocation and suspension (Bitstring Status List). */
  readonly statusList: { readonly id: string; readonly index: number };
  /**
   * A presentation code's end (亮证): the holder showed it on a screen, and a copy or photo of that
   * screen must not serve for long. Absent on a code meant to last, such as the one printed on the
   * licence. The licence's own validity stays in notBefore/expires.
   */
  readonly shownUntil?: number;
}

/** CWT claim keys (RFC 8392 §3.1) and the licence claim's own, checked complete by the compiler. */
export const CLAIM = { iss: 1, exp: 4, nbf: 5, iat: 6, licence: -65537 } as const;
export const LICENCE_CLAIM = {
  identifier: 1,
  typeCode: 2,
  holder: 3,
  statusListId: 4,
  statusListIndex: 5,
  shownUntil: 6,
} as const;

const MAX_TEXT = 128;

/** Why claims cannot be put in a scan code: a programming error of the caller, named by field. */
export class ScanClaimsError extends RangeError {
  readonly field: keyof LicenceClaims | 'statusList.id' | 'statusList.index';
  constructor(field: ScanClaimsError['field']) {
    super(`scan code claims: ${field} is not acceptable`);
    this.name = 'ScanClaimsError';
    this.field = field;
  }
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The first field that makes `claims` unfit for a scan code, if any. */
function findClaimsError(claims: LicenceClaims): ScanClaimsError['field'] | undefined {
  if (!isText(claims.identifier)) return 'identifier';
  if (!isText(claims.typeCode)) return 'typeCode';
  // A masked name is a fixed point of masking: 张* stays 张*, 张三 does not.
  if (!isText(claims.holder) || maskName(claims.holder) !== claims.holder) return 'holder';
  if (!isText(claims.issuer)) return 'issuer';
  if (!isTime(claims.notBefore)) return 'notBefore';
  if (claims.expires !== undefined && (!isTime(claims.expires) || claims.expires <= claims.notBefore)) return 'expires';
  if (!isTime(claims.issuedAt)) return 'issuedAt';
  if (!isText(claims.statusList?.id)) return 'statusList.id';
  if (!isTime(claims.statusList.index)) return 'statusList.index';
  if (claims.shownUntil !== undefined && (!isTime(claims.shownUntil) || claims.shownUntil <= claims.issuedAt))
    return 'shownUntil';
  return undefined;
}

/** The CBOR claims set; throws ScanClaimsError on claims no verifier should accept. */
export function encodeClaims(claims: LicenceClaims): Uint8Array {
  const field = findClaimsError(claims);
  if (field) throw new ScanClaimsError(field);
  const licence = new Map<number, string | number>([
    [LICENCE_CLAIM.identifier, claims.identifier],
    [LICENCE_CLAIM.typeCode, claims.typeCode],
    [LICENCE_CLAIM.holder, claims.holder],
    [LICENCE_CLAIM.statusListId, claims.statusList.id],
    [LICENCE_CLAIM.statusListIndex, claims.statusList.index],
  ]);
  if (claims.shownUntil !== undefined) licence.set(LICENCE_CLAIM.shownUntil, claims.shownUntil);
  const cwt = new Map<number, unknown>([
    [CLAIM.iss, claims.issuer],
    [CLAIM.nbf, claims.notBefore],
    [CLAIM.iat, claims.issuedAt],
    [CLAIM.licence, licence],
  ]);
  if (claims.expires !== undefined) cwt.set(CLAIM.exp, claims.expires);
  return encode(cwt);
}

/** Strict CBOR: shortest forms, definite lengths, no duplicate keys, no tags, nothing trailing. */
export const STRICT_CBOR = {
  useMaps: true,
  strict: true,
  allowIndefinite: false,
  allowUndefined: false,
  rejectDuplicateMapKeys: true,
} as const;

/** The claims a signed payload carries, or undefined when it is not a licence claims set. */
export function findClaims(payload: Uint8Array): LicenceClaims | undefined {
  let cwt: unknown;
  try {
    cwt = decode(payload, STRICT_CBOR);
  } catch {
    return undefined;
  }
  if (!(cwt instanceof Map)) return undefined;
  const licence: unknown = cwt.get(CLAIM.licence);
  if (!(licence instanceof Map)) return undefined;
  const expires: unknown = cwt.get(CLAIM.exp);
  const shownUntil: unknown = licence.get(LICENCE_CLAIM.shownUntil);
  const claims = {
    identifier: licence.get(LICENCE_CLAIM.identifier),
    typeCode: licence.get(LICENCE_CLAIM.typeCode),
    holder: licence.get(LICENCE_CLAIM.holder),
    issuer: cwt.get(CLAIM.iss),
    notBefore: cwt.get(CLAIM.nbf),
    ...(expires === undefined ? {} : { expires }),
    issuedAt: cwt.get(CLAIM.iat),
    statusList: { id: licence.get(LICENCE_CLAIM.statusListId), index: licence.get(LICENCE_CLAIM.statusListIndex) },
    ...(shownUntil === undefined ? {} : { shownUntil }),
  } as LicenceClaims;
  return findClaimsError(claims) ? undefined : claims;
}
