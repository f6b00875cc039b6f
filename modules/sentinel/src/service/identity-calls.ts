// Identity carries out lock-account and revoke-sessions (and unlocks a lifted lock): sentinel
// queues the call in the transaction that applies or lifts the response and makes it after the
// commit, outside any transaction (on the embedded database a call into identity inside one would
// wait for the connection it holds), with its own service token (role identity.respond at
// identity). A failure is retried with backoff — 2 s, 4 s … up to 10 attempts — then 'failed'
// on the response, for an operator to see.
import type { ModuleContext } from '@tongban/kernel';
import * as store from '../store/sentinel.ts';
import { typed } from '../store/tables.ts';

export const MAX_ATTEMPTS = 10;

const PATHS = {
  lock: (account: string) => `/security/accounts/${encodeURIComponent(account)}/lock`,
  unlock: (account: string) => `/security/accounts/${encodeURIComponent(account)}/unlock`,
  revoke: (account: string) => `/security/accounts/${encodeURIComponent(account)}/sessions/revoke`,
} as const;

export class IdentityCalls {
  readonly #ctx: ModuleContext;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(ctx: ModuleContext) {
    this.#ctx = ctx;
  }

  start(everyMs = 500): void {
    this.#timer = setInterval(
      () => void this.kick().catch((e) => this.#ctx.log.error(e, 'identity calls failed')),
      everyMs,
    );
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Makes the calls due now; one run at a time per process. */
  kick(): Promise<void> {
    this.#running ??= this.#run().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #run(): Promise<void> {
    const db = typed(this.#ctx.db);
    const now = this.#ctx.clock.now();
    for (const call of await store.dueIdentityCalls(db, now, 20)) {
      const { accountId, ...body } = call.body as { accountId: string } & Record<string, unknown>;
      try {
        await this.#ctx.modules.request('identity', {
          method: 'POST',
          path: PATHS[call.call](accountId),
          body,
          auth: 'service',
        });
        await store.recordIdentityCall(db, {
          id: call.id,
          responseId: call.response_id,
          state: 'done',
          error: null,
          nextAt: now,
        });
      } catch (error) {
        const attempts = call.attempts + 1;
        const message = String((error as { problem?: { code?: string } }).problem?.code ?? (error as Error).message);
        this.#ctx.log.warn(
          { err: error, call: call.call, responseId: call.response_id, attempts },
          'identity call failed',
        );
        await store.recordIdentityCall(db, {
          id: call.id,
          responseId: call.response_id,
          state: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
          error: message,
          nextAt: new Date(now.getTime() + 1000 * 2 ** Math.min(attempts, 10)),
        });
      }
    }
  }
}
