// The matrix's own reading of a declared policy (x-tongban-policy): what the guard must answer a
// principal, written from the policy's documented meaning (docs/architecture.md, "Kernel";
// packages/kernel/src/auth/policy.ts's comments), not by calling the kernel's checkPrincipal or
// reachesResource — the point is a second, independent derivation that the running server must agree with.
import type { PrincipalKind } from '@tongban/kernel';

/** The `x-tongban-policy` of an operation (describePolicy's shape). */
export type DeclaredPolicy =
  | { readonly public: true }
  | {
      readonly public?: undefined;
      readonly kinds: readonly PrincipalKind[];
      readonly roles: Readonly<Partial<Record<PrincipalKind, readonly string[]>>>;
      readonly assurance: Readonly<Partial<Record<PrincipalKind, 'password' | 'mfa'>>>;
      readonly resource: boolean;
    };

/** Who sends a request, as the matrix builds it (a token it mints, or none). */
export type Caller =
  | { readonly credential: 'none' | 'malformed' | 'expired' }
  | {
      readonly credential: 'token';
      readonly kind: PrincipalKind;
      readonly roles: readonly string[];
      /** What the token proves: systems (client credentials) carry no user assurance at all. */
      readonly assurance: 'none' | 'password' | 'mfa';
      /** On a resource route: whether the resource is within the caller's reach (fixtures.ts). */
      readonly reach?: 'own' | 'other';
    };

export type Verdict =
  | { readonly allow: true }
  | { readonly allow: false; readonly status: number; readonly code: string; readonly why: string };

/** How a module answers a caller outside a resource's reach: the guard's 403, or a 404 hiding it. */
export interface ResourceDenial {
  readonly status: 403 | 404;
  readonly code: string;
}

export const GUARD_RESOURCE_DENIAL: ResourceDenial = { status: 403, code: 'FORBIDDEN_RESOURCE' };

const RANK = { none: 0, password: 1, mfa: 2 } as const;

const deny = (status: number, code: string, why: string): Verdict => ({ allow: false, status, code, why });

/**
 * The expected answer, in the guard's documented order: credentials (none → 401 UNAUTHENTICATED,
 * one that does not verify → 401 TOKEN_INVALID, an expired one → 401 TOKEN_EXPIRED), then the
 * kind, then one of the kind's roles (403 FORBIDDEN), then the kind's minimum assurance (a person
 * is asked to step up, 401 STEP_UP_REQUIRED; a system cannot, 403 FORBIDDEN), then — for
 * citizens, businesses and officers only — the resource.
 */
export function expectedVerdict(
  policy: DeclaredPolicy,
  caller: Caller,
  resourceDenial: ResourceDenial = GUARD_RESOURCE_DENIAL,
): Verdict {
  if (policy.public) return { allow: true };
  switch (caller.credential) {
    case 'none':
      return deny(401, 'UNAUTHENTICATED', 'no credential');
    case 'malformed':
      return deny(401, 'TOKEN_INVALID', 'a token that does not verify');
    case 'expired':
      return deny(401, 'TOKEN_EXPIRED', 'an expired token');
    case 'token':
      break;
  }
  if (!policy.kinds.includes(caller.kind)) return deny(403, 'FORBIDDEN', `kind ${caller.kind} not in the policy`);
  const roles = policy.roles[caller.kind];
  if (roles && !roles.some((role) => caller.roles.includes(role)))
    return deny(403, 'FORBIDDEN', `none of the roles ${roles.join(', ')}`);
  const minimum = policy.assurance[caller.kind];
  if (minimum && RANK[caller.assurance] < RANK[minimum]) {
    return caller.kind === 'service'
      ? deny(403, 'FORBIDDEN', `a system cannot reach assurance ${minimum}`)
      : deny(401, 'STEP_UP_REQUIRED', `assurance ${caller.assurance} below ${minimum}`);
  }
  const scoped = caller.kind === 'citizen' || caller.kind === 'business' || caller.kind === 'officer';
  if (policy.resource && scoped && caller.reach === 'other')
    return deny(resourceDenial.status, resourceDenial.code, "another's resource");
  return { allow: true };
}

/** Every code the guard refuses with; an answer with one of them (at 401/403) is a guard denial. */
export const GUARD_CODES: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'TOKEN_NOT_FOR_API',
  'DPOP_PROOF_INVALID',
  'STEP_UP_REQUIRED',
  'FORBIDDEN',
  'FORBIDDEN_RESOURCE',
  'ADDRESS_BLOCKED',
]);

export interface Answer {
  readonly status: number;
  readonly code: string | undefined;
}

export type Outcome = 'agree' | 'unexpected allow' | 'unexpected denial' | 'wrong denial';

/**
 * Compares an answer with the verdict. "Allowed" means the guard let the request through: any
 * answer that is not a guard denial (a 400 for the body, a 404, a 409 all pass) — except, on a
 * route that hides others' resources behind a 404, that 404's code.
 */
export function judge(
  verdict: Verdict,
  answer: Answer,
  resourceDenial: ResourceDenial = GUARD_RESOURCE_DENIAL,
): Outcome {
  const guardDenial =
    ((answer.status === 401 || answer.status === 403) && answer.code !== undefined && GUARD_CODES.has(answer.code)) ||
    (answer.status === resourceDenial.status && answer.code === resourceDenial.code);
  if (verdict.allow) return guardDenial ? 'unexpected denial' : 'agree';
  if (answer.status === verdict.status && answer.code === verdict.code) return 'agree';
  return guardDenial ? 'wrong denial' : 'unexpected allow';
}
