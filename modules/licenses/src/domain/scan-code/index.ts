// 扫码核验 — a licence's scan code: CBOR claims (claims.ts) signed as COSE_Sign1 with ES256 or
// SM2 (cose.ts, keys.ts), deflated and base45-encoded behind the TB1: prefix (text.ts), shown as
// an alphanumeric QR code at ECC Q (qr.ts); made and checked offline (verify.ts). Pure functions:
// keys come in as parameters, the clock too.
export { CLAIM, LICENCE_CLAIM, ScanClaimsError, type LicenceClaims } from './claims.ts';
export {
  ALGORITHMS,
  es256Signer,
  es256SignerFrom,
  scanKeyId,
  sm2ScanSigner,
  trustedKeyOf,
  type ScanAlgorithm,
  type ScanSigner,
  type TrustedKey,
} from './keys.ts';
export { MAX_SCAN_CODE_LENGTH, SCAN_CODE_PREFIX } from './text.ts';
export { scanCodeQrDataUrl, scanCodeQrMatrix, scanCodeQrShape, scanCodeQrSvg } from './qr.ts';
export {
  issueScanCode,
  SCAN_FAILURES,
  verifyScanCode,
  type ScanFailure,
  type ScanVerification,
  type VerifyOptions,
} from './verify.ts';
