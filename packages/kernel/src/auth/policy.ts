// Route policies as typed values (docs/code-style.md, "Permissions as typed values"): who may call
// (kind, any of some roles), at which assurance, and on what (ownership, department, region).
// A misspelt field or kind fails to compile; a route without a policy fails to start.
import type { Role } from '@tongban/contracts';
import type { FastifyRequest } from 'fastify';
import { ASSURANCE_RANK, type Principal, type PrincipalKind } from './principal.ts';

/** What a route's resource belongs to, as its `resource` function finds it (e.g. by id in params). */
export interface ResourceScope {
  /** The citizen or business account that owns it. */
  readonly ownerId?: string;
  /** The department that handles it. */
  readonly departmentCode?: string;
  /** The region whose jurisdiction it falls under. */
  readonly regionCode?: string;
}

export interface PublicPolicy {
  readonly public: true;
  readonly kinds?: never;
}

export interface PrincipalPolicy {
  readonly public?: never;
  readonly kinds: readonly PrincipalKind[];
  /**
   * The principal needs at least one of these roles. Given per kind, each kind named needs one of
   * its own list and a kind left out needs none (e.g. department systems need `ledger.append`,
   * the platform's operators do not).
   */
  readonly roles?: readonly Role[] | { readonly [K in PrincipalKind]?: readonly Role[] };
  /**
   * The minimum assurance; below it a person is asked to step up (RFC 9470). Given per kind, a
   * kind left out needs none (e.g. officers at mfa on a route department systems call too: a
   * system has no user assurance).
   */
  readonly assurance?: MinimumAssurance | { readonly [K in PrincipalKind]?: MinimumAssurance };
  /**
   * Finds the scope of the resource the request names. Runs only after the principal passed every
   * other check and the request passed validation, with `request.principal` set; it may throw
   * NOT_FOUND.
   */
  readonly resource?: (request: FastifyRequest) => ResourceScope | Promise<ResourceScope>;
}

export type MinimumAssurance = 'password' | 'mfa';

export type Policy = PublicPolicy | PrincipalPolicy;

export const Policies = {
  /** Anyone, signed in or not: published service information, health. */
  public: { public: true },
  operator: { kinds: ['operator'] },
  security: { kinds: ['security'] },
} as const satisfies Record<string, Policy>;

/** A module's own table of policies, checked by the compiler like `Policies`. */
export function definePolicies<const T extends Record<string, Policy>>(table: T): T {
  return table;
}

/** The roles a principal of this kind needs on a route (one of them), or undefined for none. */
export function rolesFor(policy: PrincipalPolicy, kind: PrincipalKind): readonly Role[] | undefined {
  const roles = policy.roles;
  if (roles === undefined) return undefined;
  return isRoleList(roles) ? roles : roles[kind];
}

/** The minimum assurance for a principal of this kind on a route, or undefined for none. */
export function assuranceFor(policy: PrincipalPolicy, kind: PrincipalKind): MinimumAssurance | undefined {
  const assurance = policy.assurance;
  return assurance === undefined || typeof assurance === 'string' ? assurance : assurance[kind];
}

function isRoleList(roles: NonNullable<PrincipalPolicy['roles']>): roles is readonly Role[] {
  return Array.isArray(roles);
}

export type DenialReason =
  | 'unauthenticated' // no credential at all
  | 'token' // a credential that does not verify (signature, issuer, audience, expiry, DPoP, contract)
  | 'kind'
  | 'role'
  | 'assurance' // below the route's minimum
  | 'session-flagged' // sentinel flagged the sign-in session; multi-factor required
  | 'resource' // not the owner, not the department, not the jurisdiction
  | 'address-blocked';

export interface PolicyVerdict {
  readonly reason: DenialReason;
  readonly code: 'FORBIDDEN' | 'STEP_UP_REQUIRED';
}

/**
 * Checks kind, roles and assurance (pure). A flagged session needs multi-factor whatever the
 * route asks: stepping up ends the demand (no loop), and an attacker holding only a password
 * cannot pass it. A system cannot step up, so too low an assurance is FORBIDDEN for it.
 */
export function checkPrincipal(
  policy: PrincipalPolicy,
  principal: Principal,
  sessionFlagged = false,
): PolicyVerdict | undefined {
  if (!policy.kinds.includes(principal.kind)) return { reason: 'kind', code: 'FORBIDDEN' };
  const roles = rolesFor(policy, principal.kind);
  if (roles && !roles.some((role: string) => principal.roles.includes(role)))
    return { reason: 'role', code: 'FORBIDDEN' };
  const minimum = assuranceFor(policy, principal.kind);
  const required = sessionFlagged ? 'mfa' : minimum;
  if (required && ASSURANCE_RANK[principal.assurance] < ASSURANCE_RANK[required]) {
    if (principal.kind === 'service') return { reason: 'assurance', code: 'FORBIDDEN' };
    return {
      reason: sessionFlagged && minimum !== 'mfa' ? 'session-flagged' : 'assurance',
      code: 'STEP_UP_REQUIRED',
    };
  }
  return undefined;
}

/** Whether asking sentinel about the session could change the verdict (only a person below mfa). */
export function needsFlagCheck(principal: Principal): boolean {
  return principal.sessionId !== undefined && principal.assurance !== 'mfa';
}

/**
 * Whether a principal reaches a resource (pure; deny unless a rule allows):
 * - a citizen or business reaches what it owns, or what the business it acts for owns;
 * - an officer reaches what is handled by one of its departments (when the resource names one)
 *   and lies in its jurisdiction (when it names a region); a resource naming neither is out of reach;
 * - operators, security operators and systems are limited by kinds and roles only: their routes
 *   are theirs by design, and resource functions on those routes are not consulted.
 */
export function reachesResource(principal: Principal, scope: ResourceScope): boolean {
  switch (principal.kind) {
    case 'citizen':
    case 'business':
      return scope.ownerId !== undefined && (scope.ownerId === principal.id || scope.ownerId === principal.actingFor);
    case 'officer': {
      if (scope.departmentCode === undefined && scope.regionCode === undefined) return false;
      const department = scope.departmentCode === undefined || principal.departments.includes(scope.departmentCode);
      const code = scope.regionCode;
      const region = code === undefined || principal.regions.some((jurisdiction) => regionCovers(jurisdiction, code));
      return department && region;
    }
    case 'operator':
    case 'security':
    case 'service':
      return true;
  }
}

/**
 * GB/T 2260 region codes nest by prefix: 330000 (a province) covers 330100 (a city), which covers
 * 330102 (a district) and its 9- and 12-digit township and village codes.
 */
export function regionCovers(jurisdiction: string, region: string): boolean {
  if (jurisdiction === region) return true;
  if (!/^\d{6}(\d{3}){0,2}$/.test(jurisdiction) || !/^\d{6}(\d{3}){0,2}$/.test(region)) return false;
  const base = jurisdiction.slice(0, 6);
  const rest = jurisdiction.slice(6).replace(/(?:000)+$/, '');
  const prefix = rest ? base + rest : base.replace(/(?:00)+$/, '');
  return prefix.length >= 2 && prefix.length < region.length && region.startsWith(prefix);
}

/** Whether a principal's kind is limited by resource scope at all (see reachesResource). */
export function isScopedKind(kind: PrincipalKind): boolean {
  return kind === 'citizen' || kind === 'business' || kind === 'officer';
}

/**
 * A policy as data: what the OpenAPI document says of every operation (`x-tongban-policy`) and
 * the route table (`declaredRoutes`) lists, read by the authorization matrix test
 * (apps/server/test/security). Roles and assurance are given per kind, only for the kinds that
 * need them; `resource` says whether a resource function is consulted (its rule is
 * `reachesResource`'s, the function itself stays in the code).
 */
export type PolicyDescription =
  | { readonly public: true }
  | {
      readonly kinds: readonly PrincipalKind[];
      readonly roles: { readonly [K in PrincipalKind]?: readonly Role[] };
      readonly assurance: { readonly [K in PrincipalKind]?: MinimumAssurance };
      readonly resource: boolean;
    };

export function describePolicy(policy: Policy): PolicyDescription {
  if (policy.public) return { public: true };
  const roles: { [K in PrincipalKind]?: readonly Role[] } = {};
  const assurance: { [K in PrincipalKind]?: MinimumAssurance } = {};
  for (const kind of policy.kinds) {
    const needed = rolesFor(policy, kind);
    if (needed) roles[kind] = [...needed];
    const minimum = assuranceFor(policy, kind);
    if (minimum) assurance[kind] = minimum;
  }
  return { kinds: [...policy.kinds], roles, assurance, resource: policy.resource !== undefined };
}
