// Scheduled jobs. Each run holds a transaction-scoped advisory lock named after the job, so
// with several replicas (cluster shape) one runs it and the others skip that tick.
import { sql } from 'kysely';
import { describeError } from './bus/events.ts';
import type { Metrics } from './metrics.ts';
import type { AnyTransaction } from './bus/events.ts';
import type { ModuleContext } from './module.ts';

/** A module's job bound to its instance (platform.ts binds it). */
export interface ScheduledJob {
  readonly name: string;
  readonly everyMs: number;
  run(ctx: ModuleContext & { readonly trx: AnyTransaction }): Promise<void>;
}

export class Scheduler {
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #running = new Map<string, Promise<void>>();
  readonly #metrics: Metrics;

  constructor(metrics: Metrics) {
    this.#metrics = metrics;
  }

  schedule(job: ScheduledJob, ctx: ModuleContext): void {
    this.#timers.push(setInterval(() => void this.runNow(job, ctx), job.everyMs).unref());
  }

  /** Runs a job once unless it is already running here or holds its lock elsewhere. */
  runNow(job: ScheduledJob, ctx: ModuleContext): Promise<void> {
    const name = `${ctx.name}.${job.name}`;
    const existing = this.#running.get(name);
    if (existing) return existing;
    const run = ctx.db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{
          locked: boolean;
        }>`select pg_try_advisory_xact_lock(hashtext(${`job:${name}`})) as locked`.execute(trx);
        if (!rows[0]?.locked) {
          this.#metrics.jobRuns.inc({ job: name, outcome: 'skipped' });
          return;
        }
        await job.run({ ...ctx, trx });
        this.#metrics.jobRuns.inc({ job: name, outcome: 'ok' });
      })
      .catch((error) => {
        this.#metrics.jobRuns.inc({ job: name, outcome: 'failed' });
        ctx.log.error({ job: name, error: describeError(error) }, 'scheduled job failed');
      })
      .finally(() => this.#running.delete(name));
    this.#running.set(name, run);
    return run;
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    await Promise.allSettled([...this.#running.values()]);
  }
}
