// What the hub needs from identity, with its own service token (client tongban-datahub, role
// identity.accounts.read): whose ID number an account is (a prefill's applicant, "who used my
// data"), and which account holds an ID number (counter resolve). Never cached: a closed account
// must not be prefilled for.
import { DatahubError } from '../errors.ts';
import { ProblemError, type Logger, type ModuleClient } from '@tongban/kernel';

export interface AccountSummary {
  readonly id: string;
  readonly kind: 'citizen' | 'business' | 'officer' | 'operator' | 'security';
  readonly region: string | null;
  readonly active: boolean;
  /** A citizen's resident ID number; null for other kinds. */
  readonly idNumber: string | null;
}

export interface IdentityPort {
  findAccount(id: string): Promise<AccountSummary | undefined>;
  findByResidentId(idNumber: string): Promise<AccountSummary | undefined>;
}

export function identityPort(client: ModuleClient, log: Logger): IdentityPort {
  const ask = async (path: string): Promise<AccountSummary | undefined> => {
    try {
      return await client.request<AccountSummary>('identity', { path, auth: 'service' });
    } catch (error) {
      if (error instanceof ProblemError && error.problem.status === 404) return undefined;
      // An id identity's route refuses by its shape (not a UUID, not an ID number) names no account.
      if (error instanceof ProblemError && error.problem.code === 'VALIDATION_FAILED') return undefined;
      // Identity refusing the hub's own token is the platform's fault, not the caller's.
      if (error instanceof ProblemError) {
        log.error({ code: error.problem.code, status: error.problem.status }, 'identity refused the account lookup');
        throw new DatahubError('UPSTREAM_UNAVAILABLE', { module: 'identity' });
      }
      throw error;
    }
  };
  return {
    findAccount: (id) => ask(`/accounts/${encodeURIComponent(id)}/summary`),
    findByResidentId: (idNumber) => ask(`/accounts/by-resident-id/${encodeURIComponent(idNumber)}/summary`),
  };
}
