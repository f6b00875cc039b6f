import { uuidv7 } from '../uuid.ts';
import { sql, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import { quoteIdent } from '../db/migrations.ts';
import type { AnyKysely } from '../db/database.ts';
import type { ModuleTrx } from '../module.ts';
import { contractsGate, type EventGate } from './event-catalog.ts';

/** What travels on the bus. `type` reads `<module>.<thing>.<past-tense verb>`, e.g. `catalog.bundle.published`. */
export interface EventEnvelope<T = unknown> {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly occurredAt: string;
  readonly data: T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTransaction = Transaction<any>;

export interface ConsumerContext {
  /**
   * The transaction the inbox record is written in: write the handler's effects here, so both
   * commit together. It names no table until the module narrows it (`typed(trx)`).
   */
  readonly trx: ModuleTrx;
  readonly log: Logger;
  readonly attempt: number;
}

export type EventHandler<T = unknown> = (event: EventEnvelope<T>, ctx: ConsumerContext) => Promise<void>;

export interface Subscription {
  /** `<module>:<event type>`: the unit of once-only processing and of dead-lettering. */
  readonly consumer: string;
  readonly module: string;
  readonly type: string;
  readonly handler: EventHandler;
  /**
   * The consuming module's own database handle (on PostgreSQL its role, see db/roles.ts): the
   * delivery transaction — inbox row, handler's writes, retry bookkeeping — runs as the module.
   * Absent: the bus's handle.
   */
  readonly db?: AnyKysely;
  /**
   * Every process hears it, not one of the replicas that share the consumer's name: for signals
   * that refresh what each process keeps in memory (the guard's ended sessions). From the moment
   * of subscribing, at most once per process, with no inbox, retries or dead letters — the
   * handler must be idempotent, and what it keeps must also expire on its own. On the in-process
   * bus (one process) it is an ordinary subscription.
   */
  readonly broadcast?: boolean;
}

export const EVENT_TYPE = /^[a-z]+\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

/** Writes an event to the module's outbox in the caller's transaction; the relay sends it after commit. */
export async function appendToOutbox<T>(
  trx: AnyTransaction,
  module: string,
  type: string,
  data: T,
  gate: EventGate = contractsGate,
): Promise<EventEnvelope<T>> {
  const event = outboxEnvelope(module, type, data, gate);
  await insertIntoOutbox(trx, module, [event]);
  return event;
}

/** The envelope of an event this module may publish: its type named for the module, its payload checked. */
export function outboxEnvelope<T>(
  module: string,
  type: string,
  data: T,
  gate: EventGate = contractsGate,
): EventEnvelope<T> {
  if (!EVENT_TYPE.test(type) || !type.startsWith(`${module}.`))
    throw new Error(`event type ${type} must read ${module}.<thing>.<verb>`);
  gate.assert(type, data);
  return { id: uuidv7(), type, source: module, occurredAt: new Date().toISOString(), data };
}

/** Writes envelopes to the module's outbox, in order, with one insert (in a transaction, or as one on its own). */
export async function insertIntoOutbox(
  db: AnyTransaction | AnyKysely,
  module: string,
  events: readonly EventEnvelope[],
): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto(`${module}.outbox`)
    .values(events.map((e) => ({ id: e.id, type: e.type, data: JSON.stringify(e.data), occurred_at: e.occurredAt })))
    .execute();
}

/** The kernel's tables in every module's schema: outbox, inbox, local delivery queue, dead letters. */
export function busTablesSql(module: string): string {
  const s = quoteIdent(module);
  return `
create table ${s}.outbox (
  seq bigserial primary key,
  id uuid not null unique,
  type text not null,
  data jsonb not null,
  occurred_at timestamptz not null,
  published_at timestamptz
);
create index outbox_unpublished on ${s}.outbox (seq) where published_at is null;

-- one row per event a consumer has processed: redelivery finds it and skips the handler
create table ${s}.inbox (
  consumer text not null,
  event_id uuid not null,
  processed_at timestamptz not null default now(),
  primary key (consumer, event_id)
);

-- deliveries waiting for a consumer of this module (the in-process driver's durable queue)
create table ${s}.pending (
  seq bigserial primary key,
  consumer text not null,
  event_id uuid not null,
  event jsonb not null,
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  unique (consumer, event_id)
);
create index pending_due on ${s}.pending (next_attempt_at);

create table ${s}.dead_letter (
  consumer text not null,
  event_id uuid not null,
  event jsonb not null,
  error text not null,
  attempts int not null,
  failed_at timestamptz not null default now(),
  primary key (consumer, event_id)
);
`;
}

export interface Outcome {
  readonly result: 'processed' | 'duplicate';
}

/**
 * Runs a consumer on an event at most once in effect: the inbox row and the handler's writes
 * commit together, so a redelivered event finds the row and is skipped.
 */
export async function processInTransaction(
  trx: AnyTransaction,
  sub: Subscription,
  event: EventEnvelope,
  log: Logger,
  attempt: number,
): Promise<Outcome> {
  const inserted = await trx
    .insertInto(`${sub.module}.inbox`)
    .values({ consumer: sub.consumer, event_id: event.id })
    .onConflict((oc) => oc.doNothing())
    .returning('event_id')
    .executeTakeFirst();
  if (inserted) await sub.handler(event, { trx, log, attempt });
  return { result: inserted ? 'processed' : 'duplicate' };
}

export function processOnce(
  db: AnyKysely,
  sub: Subscription,
  event: EventEnvelope,
  log: Logger,
  attempt: number,
): Promise<Outcome> {
  return db.transaction().execute((trx) => processInTransaction(trx, sub, event, log, attempt));
}

export async function recordDeadLetter(
  db: AnyKysely | AnyTransaction,
  sub: Subscription,
  event: EventEnvelope,
  error: string,
  attempts: number,
): Promise<void> {
  await db
    .insertInto(`${sub.module}.dead_letter`)
    .values({ consumer: sub.consumer, event_id: event.id, event: JSON.stringify(event), error, attempts })
    .onConflict((oc) => oc.columns(['consumer', 'event_id']).doUpdateSet({ error, attempts, failed_at: sql`now()` }))
    .execute();
}

/** Exponential backoff with jitter: attempt 1 waits about base, each next one about twice as long. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
