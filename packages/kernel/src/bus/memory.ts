// The in-process driver, for the embedded and single-node shapes. It is as durable as the
// database: publishing copies each event into the consuming module's `pending` table in the
// relay's transaction, and a worker delivers from there in batches, with retries, backoff and
// dead letters.
import { sql } from 'kysely';
import type { BusDriver, DriverContext } from './driver.ts';
import {
  backoffMs,
  describeError,
  processInTransaction,
  recordDeadLetter,
  type AnyTransaction,
  type EventEnvelope,
  type Subscription,
} from './events.ts';

/**
 * Deliveries per consumer per transaction: enough that a burst costs few commits, few enough that
 * a batch holds the embedded database's one connection for tens of milliseconds, not hundreds.
 */
const BATCH = 50;

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
        await trx
          .insertInto(`${sub.module}.pending`)
          .values({ consumer: sub.consumer, event_id: event.id, event: JSON.stringify(event) })
          .onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing())
          .execute();
      }
    }
    if (events.length > 0) setImmediate(() => void this.drain().catch(() => undefined)); // failures are logged in the pass
  }

  async subscribe(subscription: Subscription): Promise<void> {
    this.#subs.push(subscription);
    this.#timer ??= setInterval(() => void this.drain().catch(() => undefined), this.#ctx.pollIntervalMs).unref();
  }

  /** One pass over every due delivery; concurrent callers share the pass in progress. */
  drain(): Promise<void> {
    this.#running ??= this.#deliverDue().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #deliverDue(): Promise<void> {
    for (const sub of await this.#withDue()) {
      try {
        while (!this.#closed && (await this.#deliverBatch(sub, BATCH)) > 0) {
          /* until nothing is due */
        }
      } catch (error) {
        // The batch failed as a whole (its commit, the connection): nothing of it counted. One at
        // a time instead, so the event that breaks the commit has its attempts counted and, in
        // the end, its dead letter — and the others go through.
        this.#ctx.log.warn({ err: error, consumer: sub.consumer }, 'a delivery batch failed; delivering one at a time');
        await this.#deliverOneByOne(sub).catch((e: unknown) =>
          this.#ctx.log.error({ err: e, consumer: sub.consumer }, 'event delivery failed; will try again'),
        );
      }
    }
  }

  /**
   * The subscriptions with something due, found with one query per module rather than a
   * transaction per subscription: a module with tens of consumers (sentinel's) made every pass
   * cost tens of round trips on the embedded database's one connection, and a security response
   * takes two passes to reach the guard.
   */
  async #withDue(): Promise<Subscription[]> {
    const due = new Set<string>();
    const byModule = new Map<string, Subscription>();
    for (const sub of this.#subs) if (!byModule.has(sub.module)) byModule.set(sub.module, sub);
    for (const [module, sub] of byModule) {
      try {
        const { rows } = await sql<{ consumer: string }>`select distinct consumer from ${sql.table(`${module}.pending`)}
          where next_attempt_at <= clock_timestamp()`.execute(sub.db ?? this.#ctx.db);
        for (const row of rows) due.add(row.consumer);
      } catch {
        // Unreadable now: every consumer of the module is tried, and reports its own failure.
        for (const s of this.#subs) if (s.module === module) due.add(s.consumer);
      }
    }
    return this.#subs.filter((s) => due.has(s.consumer));
  }

  async #deliverOneByOne(sub: Subscription): Promise<void> {
    while (!this.#closed) {
      let claimed: PendingRow | undefined;
      try {
        if (
          (await this.#deliverBatch(sub, 1, (row) => {
            claimed = row;
          })) === 0
        )
          return;
      } catch (error) {
        if (!claimed) throw error;
        const row: PendingRow = claimed;
        const failure = await (sub.db ?? this.#ctx.db)
          .transaction()
          .execute((trx) => this.#recordFailure(trx, sub, row, parseEvent(row.event), describeError(error)));
        this.#ctx.metrics.deliveries.inc({ consumer: sub.consumer, outcome: 'failed' });
        if (failure) this.#reportDead(sub, failure);
      }
    }
  }

  /**
   * Delivers up to BATCH of one consumer's due events, oldest first, in one transaction: each
   * event in its own savepoint, so a handler that fails undoes only its own writes, and the batch
   * costs one commit rather than one per event. Returns how many were due.
   */
  async #deliverBatch(sub: Subscription, limit: number, onClaim?: (row: PendingRow) => void): Promise<number> {
    const { log, metrics } = this.#ctx;
    const db = sub.db ?? this.#ctx.db;
    const outcomes: string[] = [];
    const dead: { event: EventEnvelope; attempts: number; error: string }[] = [];
    const due = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<PendingRow>`select seq, event, attempts from ${sql.table(`${sub.module}.pending`)}
        where consumer = ${sub.consumer} and next_attempt_at <= clock_timestamp() order by seq limit ${limit} for update skip locked`.execute(
        trx,
      );
      const delivered: number[] = [];
      for (const row of rows) {
        onClaim?.(row);
        const event = parseEvent(row.event);
        await sql`savepoint delivery`.execute(trx);
        try {
          const { result } = await processInTransaction(
            trx,
            sub,
            event,
            log.child({ consumer: sub.consumer, eventId: event.id }),
            row.attempts + 1,
          );
          await sql`release savepoint delivery`.execute(trx);
          delivered.push(row.seq);
          outcomes.push(result);
        } catch (error) {
          await sql`rollback to savepoint delivery`.execute(trx);
          outcomes.push('failed');
          const failure = await this.#recordFailure(trx, sub, row, event, describeError(error));
          if (failure) dead.push(failure);
        }
      }
      if (delivered.length > 0) await trx.deleteFrom(`${sub.module}.pending`).where('seq', 'in', delivered).execute();
      return rows.length;
    });
    // Counted once committed: a batch that fails to commit is delivered again, and counted then.
    for (const outcome of outcomes) metrics.deliveries.inc({ consumer: sub.consumer, outcome });
    for (const failure of dead) this.#reportDead(sub, failure);
    return due;
  }

  #reportDead(
    sub: Subscription,
    { event, attempts, error }: { event: EventEnvelope; attempts: number; error: string },
  ): void {
    this.#ctx.metrics.deadLetters.inc({ consumer: sub.consumer });
    this.#ctx.log.error(
      { consumer: sub.consumer, eventId: event.id, type: event.type, attempts, error },
      'event dead-lettered after the last retry',
    );
  }

  /** Schedules the retry of a failed delivery, or dead-letters it after the last attempt (then returns what to report). */
  async #recordFailure(
    trx: AnyTransaction,
    sub: Subscription,
    row: PendingRow,
    event: EventEnvelope,
    error: string,
  ): Promise<{ event: EventEnvelope; attempts: number; error: string } | undefined> {
    const { log, retry } = this.#ctx;
    const attempts = row.attempts + 1;
    if (attempts >= retry.maxAttempts) {
      await recordDeadLetter(trx, sub, event, error, attempts);
      await trx.deleteFrom(`${sub.module}.pending`).where('seq', '=', row.seq).execute();
      return { event, attempts, error };
    }
    const delay = backoffMs(attempts, retry.backoffBaseMs, retry.backoffMaxMs);
    await trx
      .updateTable(`${sub.module}.pending`)
      // From now, not from the start of the batch's transaction (now()): a long batch would
      // otherwise make the retry due at once.
      .set({
        attempts,
        last_error: error,
        next_attempt_at: sql`clock_timestamp() + make_interval(secs => ${delay / 1000})`,
      })
      .where('seq', '=', row.seq)
      .execute();
    log.warn(
      { consumer: sub.consumer, eventId: event.id, attempts, retryInMs: delay, error },
      'event handler failed; will retry',
    );
    return undefined;
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
