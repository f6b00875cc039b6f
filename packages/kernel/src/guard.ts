// Every route declares who may call it, as a typed value checked when the route is registered.
// The identity module (issue 3) adds OIDC access tokens, departments, ownership and assurance;
// until then the only credential is the operator token (TONGBAN_OPERATOR_TOKEN, or a development
// token generated into the data directory).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { DomainError } from './errors.ts';

export const PRINCIPAL_KINDS = ['citizen', 'business', 'officer', 'operator', 'security', 'service'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

export type Policy =
  | { readonly public: true }
  | { readonly kinds: readonly PrincipalKind[] };

export const Policies = {
  /** Anyone, signed in or not: published service information, health. */
  public: { public: true },
  operator: { kinds: ['operator'] },
} as const satisfies Record<string, Policy>;

export interface Principal {
  readonly kind: PrincipalKind;
  readonly id: string;
}

export type Authenticator = (request: FastifyRequest) => Principal | undefined | Promise<Principal | undefined>;

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: Policy;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Accepts `Authorization: Bearer <operator token>`; compared in constant time. */
export function operatorTokenAuthenticator(token: string): Authenticator {
  const expected = digest(token);
  return (request) => {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) return undefined;
    return timingSafeEqual(digest(header.slice(7)), expected) ? { kind: 'operator', id: 'operator-token' } : undefined;
  };
}

export async function enforcePolicy(request: FastifyRequest, policy: Policy, authenticate: Authenticator): Promise<void> {
  if ('public' in policy) return;
  const principal = await authenticate(request);
  if (!principal) throw new DomainError('UNAUTHENTICATED');
  if (!policy.kinds.includes(principal.kind)) throw new DomainError('FORBIDDEN');
  request.principal = principal;
}
