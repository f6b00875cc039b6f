// A refusal by the guard: a DomainError (so it becomes an RFC 9457 problem like any other) that
// also carries why (for the security event, never sent) and the WWW-Authenticate challenge a
// client needs to recover: RFC 6750 for bearer tokens, RFC 9449 for DPoP, RFC 9470 for step-up.
import { DomainError } from '../errors.ts';
import type { DenialReason } from './policy.ts';
import { ACR, API_AUDIENCE } from './principal.ts';

export const DENIAL_CODES = [
  'UNAUTHENTICATED',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'TOKEN_NOT_FOR_API',
  'DPOP_PROOF_INVALID',
  'STEP_UP_REQUIRED',
  'FORBIDDEN',
  'FORBIDDEN_RESOURCE',
  'ADDRESS_BLOCKED',
] as const;
export type DenialCode = (typeof DENIAL_CODES)[number];

/** DPoP proof algorithms the guard accepts (asymmetric only). */
export const DPOP_ALGORITHMS = ['ES256', 'EdDSA', 'PS256'] as const;

const CHALLENGES = {
  UNAUTHENTICATED: 'Bearer',
  TOKEN_INVALID: 'Bearer error="invalid_token"',
  TOKEN_EXPIRED: 'Bearer error="invalid_token", error_description="The access token expired"',
  TOKEN_NOT_FOR_API: `Bearer error="invalid_token", error_description="Not an access token for this API: request one with resource=${API_AUDIENCE} (RFC 8707)"`,
  DPOP_PROOF_INVALID: `DPoP error="invalid_dpop_proof", algs="${DPOP_ALGORITHMS.join(' ')}"`,
  STEP_UP_REQUIRED: `Bearer error="insufficient_user_authentication", error_description="Multi-factor authentication is required", acr_values="${ACR.mfa}"`,
  FORBIDDEN: undefined,
  FORBIDDEN_RESOURCE: undefined,
  ADDRESS_BLOCKED: undefined,
} as const satisfies Record<DenialCode, string | undefined>;

export class AccessDenied extends DomainError {
  declare readonly code: DenialCode;
  readonly reason: DenialReason;
  /** What exactly failed (e.g. jose's message), for logs and security events only. */
  readonly detail: string | undefined;
  /** The WWW-Authenticate header value, for 401s. */
  readonly challenge: string | undefined;

  constructor(code: DenialCode, reason: DenialReason, detail?: string) {
    super(code);
    this.name = 'AccessDenied';
    this.reason = reason;
    this.detail = detail;
    this.challenge = CHALLENGES[code];
  }
}

export const invalidToken = (detail: string) => new AccessDenied('TOKEN_INVALID', 'token', detail);
/** An ID token, a userinfo-only or opaque access token: a real token, for something else. */
export const notForApi = (detail: string) => new AccessDenied('TOKEN_NOT_FOR_API', 'token', detail);
export const invalidProof = (detail: string) => new AccessDenied('DPOP_PROOF_INVALID', 'token', detail);
