// Who may call the hub's routes (typed values: a misspelt role does not compile).
import { ServiceRoles, StaffRoles } from '@tongban/contracts';
import { definePolicies } from '@tongban/kernel';

export const DatahubPolicies = definePolicies({
  /** Data stewards (数据管理) and operators, at multi-factor: the catalogue and its grants. */
  steward: { kinds: ['officer', 'operator'], roles: { officer: [StaffRoles.dataSteward] }, assurance: 'mfa' },
  /** Citizens on their own consents and uses ("me" is the caller; nothing else is named). */
  citizen: { kinds: ['citizen'], assurance: 'password' },
  /** The workflow asking for an applicant's data, and a counter resolving a person. */
  prefill: { kinds: ['service'], roles: [ServiceRoles.datahubPrefill] },
  /**
   * Department systems with the role, and officers (their department is the consumer) at
   * multi-factor: a system has no user assurance, so the minimum is the officers' only.
   */
  query: {
    kinds: ['service', 'officer'],
    roles: { service: [ServiceRoles.datahubRead] },
    assurance: { officer: 'mfa' },
  },
  /** An officer revealing one masked value, with a reason. */
  reveal: { kinds: ['officer'], assurance: 'mfa' },
});
