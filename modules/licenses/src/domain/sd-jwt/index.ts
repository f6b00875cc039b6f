// The wallet credential: SD-JWT VC issuance, presentation checks, and the wallet's proofs of possession.
export { jwkThumbprint, walletKeyFrom, type PublicJwk, type WalletSigningKey } from './keys.ts';
export { issueWalletCredential, SD_JWT_VC_TYP, VISIBLE_CLAIMS, vctOf, type WalletCredentialInput } from './issue.ts';
export {
  KB_JWT_TYP,
  verifyPresentation,
  type PresentationCheck,
  type PresentationResult,
  type TrustedWalletKey,
} from './verify.ts';
export { checkDpopProof, checkKeyProof, DPOP_TYP, KEY_PROOF_TYP, ProofError, type CheckedProof } from './proofs.ts';
export {
  encodeTokenStatusList,
  STATUS_LIST_MEDIA_TYPE,
  STATUS_LIST_TYP,
  TOKEN_STATUS,
  tokenStatusListJwt,
  type TokenStatus,
} from './token-status-list.ts';
