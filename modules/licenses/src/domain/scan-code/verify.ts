// Making and checking a scan code offline: every way a code can fail has its own reason, so the
// verification page can say what is wrong — from "this is not one of our codes" to "expired".
// Revocation and suspension are the caller's to check: the claims name the status list and index.
import { encodeClaims, findClaims, type LicenceClaims } from './claims.ts';
import { parseCoseSign1, sigStructure, signCoseSign1 } from './cose.ts';
import { ALGORITHMS, scanKeyId, type ScanAlgorithm, type ScanSigner, type TrustedKey } from './keys.ts';
import { decodeScanText, encodeScanText } from './text.ts';

/** Why a scan code is not accepted, in the order the layers are checked. */
export const SCAN_FAILURES = [
  'too_long',
  'wrong_prefix',
  'not_base45',
  'not_zlib',
  'not_cbor',
  'not_cose',
  'unknown_algorithm',
  'unknown_issuer',
  'bad_signature',
  'bad_claims',
  'issuer_mismatch',
  'not_yet_valid',
  'expired',
  'presentation_expired',
] as const satisfies readonly string[];
export type ScanFailure = (typeof SCAN_FAILURES)[number];

export type ScanVerification =
  | { ok: true; claims: LicenceClaims; algorithm: ScanAlgorithm; key: TrustedKey }
  | {
      ok: false;
      reason: ScanFailure;
      /** Present once the signature has been checked (issuer_mismatch, not_yet_valid, expired): what the genuine code says. */
      claims?: LicenceClaims;
    };

export interface VerifyOptions {
  /** The keys whose codes are accepted (the region's own and those of its trust list). */
  readonly trust: readonly TrustedKey[];
  readonly now: Date;
  /** Seconds a verifier's clock may be behind or ahead; 0 unless the caller knows better. */
  readonly leewaySeconds?: number;
}

/** The scan code's text for `claims`, signed by `signer`. */
export function issueScanCode(claims: LicenceClaims, signer: ScanSigner): string {
  return encodeScanText(signCoseSign1(encodeClaims(claims), signer));
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether `text` is a genuine, currently valid licence scan code from a trusted key. Never throws. */
export function verifyScanCode(text: string, options: VerifyOptions): ScanVerification {
  const decoded = decodeScanText(text);
  if (!decoded.ok) return decoded;
  const parsed = parseCoseSign1(decoded.cose);
  if (!parsed.ok) return parsed;
  const { cose } = parsed;
  if (!cose.algorithm) return { ok: false, reason: 'unknown_algorithm' };
  const algorithm = cose.algorithm;
  const candidates = options.trust.filter(
    (key) => key.algorithm === algorithm && sameBytes(scanKeyId(key.algorithm, key.publicKey), cose.kid),
  );
  if (candidates.length === 0) return { ok: false, reason: 'unknown_issuer' };
  const toBeSigned = sigStructure(cose.protectedHeader, cose.payload);
  const verifying = candidates.filter((k) => {
    try {
      return ALGORITHMS[algorithm].verify(toBeSigned, cose.signature, k);
    } catch {
      return false; // a malformed trusted key verifies nothing
    }
  });
  if (verifying.length === 0) return { ok: false, reason: 'bad_signature' };
  const claims = findClaims(cose.payload);
  if (!claims) return { ok: false, reason: 'bad_claims' };
  // One key trusted for several issuers: the entry for the code's own issuer is the one that speaks.
  const key = verifying.find((k) => k.issuer === claims.issuer) ?? verifying[0]!;
  // A key speaks only for its own issuer: another region's key cannot sign this region's licences.
  if (claims.issuer !== key.issuer) return { ok: false, reason: 'issuer_mismatch', claims };
  const now = Math.floor(options.now.getTime() / 1000);
  const leeway = options.leewaySeconds ?? 0;
  if (now + leeway < claims.notBefore) return { ok: false, reason: 'not_yet_valid', claims };
  // CWT exp: the time on or after which the token is not accepted (RFC 8392 §3.1.4).
  if (claims.expires !== undefined && now - leeway >= claims.expires) return { ok: false, reason: 'expired', claims };
  // A presentation code past its minutes: the licence may be fine, the holder shows a fresh code.
  if (claims.shownUntil !== undefined && now - leeway >= claims.shownUntil)
    return { ok: false, reason: 'presentation_expired', claims };
  return { ok: true, claims, algorithm, key };
}
