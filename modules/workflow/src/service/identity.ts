// What the workflow needs from identity, through its published API with the workflow's own
// service token (client tongban-workflow, role identity.accounts.read): whether an account
// exists, its kind, its region and whether it is active. Never cached: an account closed a
// minute ago must not be filed for. Called before any transaction opens (see service/catalog.ts).
import { WorkflowError } from '../errors.ts';
import { ProblemError, type Logger, type ModuleClient } from '@tongban/kernel';

export interface AccountSummary {
  readonly id: string;
  readonly kind: 'citizen' | 'business' | 'officer' | 'operator' | 'security';
  /** GB/T 2260, from the resident ID or the credit code; null when identity cannot tell. */
  readonly region: string | null;
  readonly active: boolean;
}

export interface IdentityPort {
  /** The account, or undefined when identity has none of that id. */
  findAccount(id: string): Promise<AccountSummary | undefined>;
}

export function identityPort(client: ModuleClient, log: Logger): IdentityPort {
  return {
    async findAccount(id) {
      try {
        return await client.request<AccountSummary>('identity', {
          path: `/accounts/${encodeURIComponent(id)}/summary`,
          auth: 'service',
        });
      } catch (error) {
        if (error instanceof ProblemError && error.problem.status === 404) return undefined;
        // Identity refusing the workflow's own token (a missing role, a wrong key) is the
        // platform's fault, not the officer's: passed on as it came, it would read "you may not".
        if (error instanceof ProblemError) {
          log.error({ code: error.problem.code, status: error.problem.status }, 'identity refused the account lookup');
          throw new WorkflowError('UPSTREAM_UNAVAILABLE', { module: 'identity' });
        }
        throw error;
      }
    },
  };
}
