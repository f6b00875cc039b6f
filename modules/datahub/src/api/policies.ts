// Who may call the hub's routes (typed values: a misspelt role does not compile).
import { ServiceRoles, StaffRoles } from '@tongban/contracts';
import { ACR, definePolicies, type Principal } from '@tongban/kernel';
import type { FastifyReply } from 'fastify';
import { DatahubError } from '../errors.ts';

export const DatahubPolicies = definePolicies({
  /** Data stewards (数据管理) and operators, at multi-factor: the catalogue and its grants. */
  steward: { kinds: ['officer', 'operator'], roles: { officer: [StaffRoles.dataSteward] }, assurance: 'mfa' },
  /** Citizens on their own consents and uses ("me" is the caller; nothing else is named). */
  citizen: { kinds: ['citizen'], assurance: 'password' },
  /** The workflow asking for an applicant's data, and a counter resolving a person. */
  prefill: { kinds: ['service'], roles: [ServiceRoles.datahubPrefill] },
  /**
   * Department systems with the role, and officers (their department is the consumer) at
   * multi-factor: a system has no user assurance, so the officers' minimum is checked by
   * `officersAtMfa` in the handler (a policy's assurance applies to every kind).
   */
  query: { kinds: ['service', 'officer'], roles: { service: [ServiceRoles.datahubRead] } },
  /** An officer revealing one masked value, with a reason. */
  reveal: { kinds: ['officer'], assurance: 'mfa' },
});

/** An officer below multi-factor is asked to step up (RFC 9470), as the guard would. */
export function officersAtMfa(principal: Principal, reply: FastifyReply): void {
  if (principal.kind === 'officer' && principal.assurance !== 'mfa') {
    reply.header(
      'www-authenticate',
      `Bearer error="insufficient_user_authentication", error_description="Multi-factor authentication is required", acr_values="${ACR.mfa}"`,
    );
    throw new DatahubError('STEP_UP_REQUIRED');
  }
}
