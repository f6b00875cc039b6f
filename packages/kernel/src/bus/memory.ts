// The in-process driver, for the embedded and single-node shapes. It is as durable as the
// database: publishing copies each event into the consuming module's `pending` table in the
// relay's transaction, and a worker delivers from there with retries, backoff and dead letters.
import { sql } from 'kysely';
import type { BusDriver, DriverContext } from './driver.ts';
import { backoffMs, describeError, processInTransaction, recordDeadLetter, type AnyTransaction, type EventEnvelope, type Subscription } from './events.ts';

interface PendingRow {
  seq: number;
  event: EventEnvelope | string;
  attempts: number;
}

export class MemoryDriver implements BusDriver {
  readonly name = 'memory' as const;
  readonly #ctx: DriverContext;
  readonly #subs: Subscription[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(ctx: DriverContext) {
    this.#ctx = ctx;
  }

  async publish(trx: AnyTransaction, events: readonly EventEnvelope[]): Promise<void> {
    for (const event of events) {
      for (const sub of this.#subs.filter((s) => s.type === event.type)) {
        await trx.insertInto(`${sub.module}.pending`)
          .values({ consumer: sub.consumer, event_id: event.id, event: JSON.stringify(event) })
          .onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing())
          .execute();
      }
    }
    if (events.length > 0) setImmediate(() => void this.drain());
  }

  async subscribe(subscription: Subscription): Promise<void> {
    this.#subs.push(subscription);
    this.#timer ??= setInterval(() => void this.drain(), this.#ctx.pollIntervalMs).unref();
  }

  /** One pass over every due delivery; concurrent callers share the pass in progress. */
  drain(): Promise<void> {
    this.#running ??= this.#deliverDue().finally(() => { this.#running = undefined; });
    return this.#running;
  }

  async #deliverDue(): Promise<void> {
    for (const sub of this.#subs) {
      while (!this.#closed && (await this.#deliverOne(sub))) { /* until nothing is due */ }
    }
  }

  /** Delivers the oldest due event of one consumer; false when none is due. */
  async #deliverOne(sub: Subscription): Promise<boolean> {
    const { db, log, metrics } = this.#ctx;
    let claimed: PendingRow | undefined;
    try {
      await db.transaction().execute(async (trx) => {
        const { rows } = await sql<PendingRow>`select seq, event, attempts from ${sql.table(`${sub.module}.pending`)}
          where consumer = ${sub.consumer} and next_attempt_at <= now() order by seq limit 1 for update skip locked`.execute(trx);
        claimed = rows[0];
        if (!claimed) return;
        const event = parseEvent(claimed.event);
        const seq = claimed.seq;
        const { result } = await processInTransaction(trx, sub, event, log.child({ consumer: sub.consumer, eventId: event.id }), claimed.attempts + 1);
        await trx.deleteFrom(`${sub.module}.pending`).where('seq', '=', seq).execute();
        metrics.deliveries.inc({ consumer: sub.consumer, outcome: result });
      });
    } catch (error) {
      if (!claimed) throw error;
      await this.#recordFailure(sub, claimed, describeError(error));
    }
    return claimed !== undefined;
  }

  async #recordFailure(sub: Subscription, row: PendingRow, error: string): Promise<void> {
    const { db, log, metrics, retry } = this.#ctx;
    const attempts = row.attempts + 1;
    const event = parseEvent(row.event);
    metrics.deliveries.inc({ consumer: sub.consumer, outcome: 'failed' });
    if (attempts >= retry.maxAttempts) {
      await db.transaction().execute(async (trx) => {
        await recordDeadLetter(trx, sub, event, error, attempts);
        await trx.deleteFrom(`${sub.module}.pending`).where('seq', '=', row.seq).execute();
      });
      metrics.deadLetters.inc({ consumer: sub.consumer });
      log.error({ consumer: sub.consumer, eventId: event.id, type: event.type, attempts, error }, 'event dead-lettered after the last retry');
      return;
    }
    const delay = backoffMs(attempts, retry.backoffBaseMs, retry.backoffMaxMs);
    await db.updateTable(`${sub.module}.pending`)
      .set({ attempts, last_error: error, next_attempt_at: sql`now() + make_interval(secs => ${delay / 1000})` })
      .where('seq', '=', row.seq).execute();
    log.warn({ consumer: sub.consumer, eventId: event.id, attempts, retryInMs: delay, error }, 'event handler failed; will retry');
  }

  async idle(): Promise<boolean> {
    for (const module of new Set(this.#subs.map((s) => s.module))) {
      const row = await this.#ctx.db.selectFrom(`${module}.pending`).select('seq').limit(1).executeTakeFirst();
      if (row) return false;
    }
    return true;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#running;
  }
}

function parseEvent(value: EventEnvelope | string): EventEnvelope {
  return typeof value === 'string' ? (JSON.parse(value) as EventEnvelope) : value;
}

