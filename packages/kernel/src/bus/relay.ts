// The outbox relay: moves committed events from each module's outbox to the bus driver, in
// order, marking them sent in the same transaction that handed them over. A relay that stops
// half-way leaves the rest unsent, and the next one (after a restart, or another replica:
// SKIP LOCKED keeps them apart) continues from there; anything sent twice is absorbed by the
// stream's deduplication and the consumers' inboxes.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { AnyKysely } from '../db/database.ts';
import type { Metrics } from '../metrics.ts';
import type { BusDriver } from './driver.ts';
import { describeError, type EventEnvelope } from './events.ts';

interface OutboxRow {
  seq: number;
  id: string;
  type: string;
  data: unknown;
  occurred_at: Date | string;
}

export interface RelayOptions {
  readonly db: AnyKysely;
  readonly modules: readonly string[];
  readonly driver: BusDriver;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly pollIntervalMs: number;
  readonly batchSize?: number;
}

export class Relay {
  readonly #o: RelayOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  /** Set by stop(): the pass in progress finishes its batch and sends no more. */
  #stopping = false;

  constructor(options: RelayOptions) {
    this.#o = options;
  }

  start(): void {
    this.#stopping = false;
    this.#timer = setInterval(
      () =>
        void this.runOnce().catch((error) =>
          this.#o.log.error({ error: describeError(error) }, 'outbox relay pass failed'),
        ),
      this.#o.pollIntervalMs,
    ).unref();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    await this.#running?.catch(() => 0);
    this.#stopping = false;
  }

  /** One pass over every module's outbox; returns how many events it sent. */
  runOnce(): Promise<number> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #pass(): Promise<number> {
    let sent = 0;
    for (const module of this.#o.modules) {
      for (;;) {
        if (this.#stopping) return sent;
        const n = await this.#sendBatch(module);
        sent += n;
        if (n < (this.#o.batchSize ?? 100)) break;
      }
    }
    return sent;
  }

  async #sendBatch(module: string): Promise<number> {
    const { db, driver, metrics } = this.#o;
    return db.transaction().execute(async (trx) => {
      const { rows } =
        await sql<OutboxRow>`select seq, id, type, data, occurred_at from ${sql.table(`${module}.outbox`)}
        where published_at is null order by seq limit ${this.#o.batchSize ?? 100} for update skip locked`.execute(trx);
      if (rows.length === 0) return 0;
      const events: EventEnvelope[] = rows.map((r) => ({
        id: r.id,
        type: r.type,
        source: module,
        data: r.data,
        occurredAt: r.occurred_at instanceof Date ? r.occurred_at.toISOString() : new Date(r.occurred_at).toISOString(),
      }));
      await driver.publish(trx, events);
      await trx
        .updateTable(`${module}.outbox`)
        .set({ published_at: sql`now()` })
        .where(
          'seq',
          'in',
          rows.map((r) => r.seq),
        )
        .execute();
      for (const e of events) metrics.eventsPublished.inc({ type: e.type });
      return rows.length;
    });
  }
}
