// "Who used my data" (我的数据使用记录): the ledger's entries about the signed-in citizen's person
// key, asked of the ledger with the hub's own service role (ledger.subjects.read), paged by the
// ledger's cursor, each with its inclusion proof. The person key is computed from the ID number
// identity holds for the account: the citizen never names whose entries they want.
import { ProblemError } from '@tongban/kernel';
import { DatahubError } from '../errors.ts';
import type { Hub } from './hub.ts';
import { personKey } from './rows.ts';

/** A ledger entry about me, as the ledger gives it, and whether its proof is still to come. */
export interface UseEntry {
  readonly proof: unknown;
  /** The entry is newer than the latest checkpoint: its proof comes with the next one (proof is null until then). */
  readonly proofPending: boolean;
  readonly [key: string]: unknown;
}

export interface UsesPage {
  readonly subject: string;
  readonly checkpoint: unknown;
  readonly entries: UseEntry[];
  readonly next?: string;
}

export async function myUses(
  hub: Hub,
  accountId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<UsesPage> {
  const account = await hub.identity.findAccount(accountId);
  if (!account?.idNumber) return { subject: '', checkpoint: null, entries: [] };
  const subject = personKey(hub.ctx.fields, account.idNumber);
  try {
    const answer = await hub.ctx.modules.request<{
      checkpoint: unknown;
      entries: Record<string, unknown>[];
      next?: string;
    }>('ledger', {
      path: `/subjects/${subject}/entries`,
      query: { limit: String(page.limit), ...(page.cursor ? { cursor: page.cursor } : {}) },
      auth: 'service',
    });
    return {
      subject,
      checkpoint: answer.checkpoint,
      entries: answer.entries.map((e) => ({ ...e, proof: e.proof ?? null, proofPending: (e.proof ?? null) === null })),
      ...(answer.next ? { next: answer.next } : {}),
    };
  } catch (error) {
    // A malformed cursor is the caller's (400, passed on); anything else the ledger says is the platform's.
    if (error instanceof ProblemError && error.problem.status === 400) throw error;
    if (error instanceof ProblemError) {
      hub.ctx.log.error(
        { code: error.problem.code, status: error.problem.status },
        'the ledger refused the uses lookup',
      );
      throw new DatahubError('UPSTREAM_UNAVAILABLE', { module: 'ledger' });
    }
    throw error;
  }
}
