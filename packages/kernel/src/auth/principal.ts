// Who is calling, as the guard hands it to route handlers, and how an access token becomes one.
//
// The access-token contract between identity (the issuer) and every module (the verifiers):
// a JWT signed ES256 with a `kid` from identity's JWKS, header `typ: at+jwt` (RFC 9068, which
// oidc-provider sets), valid for at most 10 minutes, with the claims
//   iss        identity's issuer URL
//   aud        'urn:tongban:api'
//   sub        the account id, or the client id for a department system (client credentials)
//   client_id  the OAuth client the token was issued to
//   scope      granted scopes (space separated)
//   exp, iat, jti
//   acr        'urn:tongban:acr:password' (password only) or 'urn:tongban:acr:mfa' (multi-factor);
//              absent for client credentials (assurance 'none')
//   sid        the sign-in session id (absent for client credentials)
//   cnf        { jkt } when the token is bound to a DPoP key (RFC 9449)
//   tongban    { kind, roles, departments, regions, actingFor? } — see TongbanClaim below.
// A token that breaks this contract is refused (TOKEN_INVALID); the guard never guesses.
// The constants and the claim's shape are declared once, in @tongban/contracts (AccessToken).
import { AccessToken, PRINCIPAL_KINDS, type PrincipalKind, type TongbanClaim } from '@tongban/contracts';
import type { JWTPayload } from 'jose';

export { PRINCIPAL_KINDS, type PrincipalKind, type TongbanClaim };

/** How strongly the caller proved who they are: none (a system), password, multi-factor. */
export type Assurance = 'none' | 'password' | 'mfa';
export const ASSURANCE_RANK = { none: 0, password: 1, mfa: 2 } as const satisfies Record<Assurance, number>;

export const API_AUDIENCE = AccessToken.audience;
export const ACR = AccessToken.acr satisfies Record<Exclude<Assurance, 'none'>, string>;

export interface Principal {
  readonly kind: PrincipalKind;
  /** The account id (`sub`), or the client id of a department system. */
  readonly id: string;
  readonly roles: readonly string[];
  /** Department codes an officer belongs to. */
  readonly departments: readonly string[];
  /** Region codes of the principal's jurisdiction. */
  readonly regions: readonly string[];
  readonly assurance: Assurance;
  /** The sign-in session (`sid`); absent for client credentials and the operator token. */
  readonly sessionId?: string;
  readonly clientId?: string;
  /** A business account an agent acts for (代办); it reaches that business's resources too. */
  readonly actingFor?: string;
  /**
   * When the credential stops being accepted (epoch ms): what outlives the request — a stream —
   * must end by then. Absent for credentials without a lifetime (the operator token).
   */
  readonly expiresAt?: number;
}

const MAX_LIST = 200;
const isCode = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 128;
const isCodeList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length <= MAX_LIST && value.every(isCode);
const isKind = (value: unknown): value is PrincipalKind => (PRINCIPAL_KINDS as readonly unknown[]).includes(value);

/**
 * The principal a verified token names, or a reason the token breaks the contract. Pure: the
 * signature, issuer, audience and lifetime were checked before this is called.
 */
export function principalFromClaims(payload: JWTPayload): Principal | string {
  const {
    sub,
    client_id: clientId,
    sid,
    acr,
    [AccessToken.claim]: tongban,
  } = payload as JWTPayload & Record<string, unknown>;
  if (!isCode(sub)) return 'sub is missing';
  if (clientId !== undefined && !isCode(clientId)) return 'client_id is malformed';
  if (sid !== undefined && !isCode(sid)) return 'sid is malformed';
  if (!tongban || typeof tongban !== 'object') return 'the tongban claim is missing';
  const claim = tongban as Record<string, unknown>;
  if (!isKind(claim.kind)) return 'tongban.kind is not a principal kind';
  for (const list of ['roles', 'departments', 'regions'] as const) {
    if (!isCodeList(claim[list])) return `tongban.${list} is not a list of codes`;
  }
  const kind = claim.kind;
  if (claim.actingFor !== undefined && (!isCode(claim.actingFor) || (kind !== 'citizen' && kind !== 'business'))) {
    return 'tongban.actingFor is only for citizens and businesses';
  }
  // A system signs in with client credentials: no person, no session, no user assurance.
  const assurance: Assurance =
    kind === 'service' ? 'none' : acr === ACR.mfa ? 'mfa' : acr === ACR.password ? 'password' : 'none';
  return {
    kind,
    id: sub,
    assurance,
    roles: claim.roles as string[],
    departments: claim.departments as string[],
    regions: claim.regions as string[],
    ...(typeof sid === 'string' ? { sessionId: sid } : {}),
    ...(typeof clientId === 'string' ? { clientId } : {}),
    ...(typeof claim.actingFor === 'string' ? { actingFor: claim.actingFor } : {}),
  };
}
