// Zero trust at every request (docs/architecture.md): every route declares a policy (auth/policy.ts),
// every request is authenticated by the module that serves it — identity's JWT access tokens
// verified locally against its JWKS (auth/jwt.ts), or, until identity is deployed everywhere,
// the static operator token (TONGBAN_OPERATOR_TOKEN) as a development credential — and every
// denial is reported through `onDenied` so that it can become a security event.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AccessDenied, type DenialCode } from './auth/denial.ts';
import {
  checkPrincipal,
  isScopedKind,
  needsFlagCheck,
  reachesResource,
  type DenialReason,
  type Policy,
} from './auth/policy.ts';
import type { Principal } from './auth/principal.ts';

export { AccessDenied, DENIAL_CODES, type DenialCode } from './auth/denial.ts';
export { createJwtAuthenticator, type JwtAuthenticator, type JwtAuthenticatorOptions } from './auth/jwt.ts';
export type { DpopOptions } from './auth/dpop.ts';
export {
  definePolicies,
  describePolicy,
  Policies,
  reachesResource,
  regionCovers,
  type DenialReason,
  type MinimumAssurance,
  type Policy,
  type PolicyDescription,
  type PrincipalPolicy,
  type PublicPolicy,
  type ResourceScope,
} from './auth/policy.ts';
export {
  ACR,
  API_AUDIENCE,
  PRINCIPAL_KINDS,
  type Assurance,
  type Principal,
  type PrincipalKind,
  type TongbanClaim,
} from './auth/principal.ts';

/**
 * Finds who sent a request: a principal, undefined when the request carries no credential this
 * authenticator understands, or a thrown AccessDenied (TOKEN_INVALID …) for a bad credential.
 */
export type Authenticator = (request: FastifyRequest) => Principal | undefined | Promise<Principal | undefined>;

/**
 * Sentinel's signals, as cheap local look-ups (a cache fed by events, not a call per request); an
 * error thrown here fails the request (closed). A blocked address is refused on every route but
 * the probes (PROBE_ROUTES); a flagged session must present a multi-factor token: step-up, never
 * a loop (see checkPrincipal). To shut a session out entirely, identity revokes it.
 */
export interface RiskSignals {
  isBlockedAddress(ip: string): boolean | Promise<boolean>;
  isFlaggedSession(sessionId: string): boolean | Promise<boolean>;
}

export interface Denial {
  readonly reason: DenialReason;
  readonly code: DenialCode;
  readonly detail?: string;
  readonly principal?: Principal;
  /** `url` is the path only: query strings may carry personal data. */
  readonly request: { readonly method: string; readonly url: string; readonly ip: string; readonly id: string };
}

export interface GuardOptions {
  readonly authenticate: Authenticator;
  /** Called for every denial (identity/sentinel turn it into a security event); must not throw. */
  readonly onDenied?: (denial: Denial) => void | Promise<void>;
  readonly risk?: RiskSignals;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: Policy;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The first authenticator to recognise the request wins; if none does, the first refusal stands. */
export function anyOf(...authenticators: readonly Authenticator[]): Authenticator {
  return async (request) => {
    let refusal: unknown;
    for (const authenticate of authenticators) {
      try {
        const principal = await authenticate(request);
        if (principal) return principal;
      } catch (error) {
        refusal ??= error;
      }
    }
    if (refusal !== undefined) throw refusal;
    return undefined;
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Accepts `Authorization: Bearer <operator token>`, compared in constant time. A shared secret is
 * one factor: the principal has password assurance, so routes demanding mfa need identity's tokens.
 */
export function operatorTokenAuthenticator(token: string): Authenticator {
  const expected = digest(token);
  return (request) => {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) return undefined;
    if (!timingSafeEqual(digest(header.slice(7)), expected)) return undefined;
    return { kind: 'operator', id: 'operator-token', roles: [], departments: [], regions: [], assurance: 'password' };
  };
}

/**
 * Blocked addresses are refused on every route, public ones included (a blocked scanner gets
 * nothing, not even the catalogue), except these probes: the orchestrator and Prometheus must
 * keep seeing the process whatever sentinel decides.
 */
export const PROBE_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

async function refused(
  request: FastifyRequest,
  options: GuardOptions,
  denial: AccessDenied,
  principal?: Principal,
): Promise<AccessDenied> {
  if (options.onDenied) {
    try {
      await options.onDenied({
        reason: denial.reason,
        code: denial.code,
        ...(denial.detail !== undefined ? { detail: denial.detail } : {}),
        ...(principal ? { principal } : {}),
        request: {
          method: request.method,
          url: request.url.split('?')[0] ?? '',
          ip: request.ip,
          id: String(request.id),
        },
      });
    } catch (error) {
      // The request is refused all the same; a broken hook must not turn a 401 into a 500.
      request.log.error({ err: error }, 'the onDenied hook failed');
    }
  }
  return denial;
}

/**
 * Applies a route's policy (or only the address check, for routes without one) and sets
 * `request.principal`. Order: blocked address, authentication, kind and roles, assurance (and a
 * flagged session); the resource follows after validation (`enforceResource`) — so no resource is
 * looked up for an unauthorised caller or a malformed request.
 */
export async function enforcePolicy(
  request: FastifyRequest,
  policy: Policy | undefined,
  options: GuardOptions,
): Promise<void> {
  const route = request.routeOptions.url;
  if (
    options.risk &&
    !(route !== undefined && PROBE_ROUTES.has(route)) &&
    (await options.risk.isBlockedAddress(request.ip))
  ) {
    throw await refused(request, options, new AccessDenied('ADDRESS_BLOCKED', 'address-blocked'));
  }
  if (!policy || policy.public) return;

  let principal: Principal | undefined;
  try {
    principal = await options.authenticate(request);
  } catch (error) {
    if (error instanceof AccessDenied) throw await refused(request, options, error);
    throw error;
  }
  if (!principal) throw await refused(request, options, new AccessDenied('UNAUTHENTICATED', 'unauthenticated'));

  let verdict = checkPrincipal(policy, principal);
  if (
    !verdict &&
    options.risk &&
    needsFlagCheck(principal) &&
    (await options.risk.isFlaggedSession(principal.sessionId!))
  ) {
    verdict = checkPrincipal(policy, principal, true);
  }
  if (verdict) throw await refused(request, options, new AccessDenied(verdict.code, verdict.reason), principal);

  request.principal = principal;
}

/**
 * The second half of a policy, once the request passed validation: the resource the route names
 * must be within the principal's reach. After validation, so a lookup only ever sees well-formed
 * params (a malformed id is a 400, never a database error).
 */
export async function enforceResource(
  request: FastifyRequest,
  policy: Policy | undefined,
  options: GuardOptions,
): Promise<void> {
  if (!policy || policy.public || !policy.resource) return;
  const principal = request.principal!;
  if (isScopedKind(principal.kind) && !reachesResource(principal, await policy.resource(request))) {
    throw await refused(request, options, new AccessDenied('FORBIDDEN_RESOURCE', 'resource'), principal);
  }
}
