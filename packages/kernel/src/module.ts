// The module contract: what a bounded context tells the kernel about itself. A module's
// src/index.ts is one defineModule call that reads like its table of contents.
import type { FieldCipher } from './crypto/fields.ts';
import type { EventData, EventType } from '@tongban/contracts';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Kysely, Transaction } from 'kysely';
import type { AnyKysely } from './db/database.ts';
import type { AnyTransaction, ConsumerContext, EventEnvelope } from './bus/events.ts';
import type { ModuleClient } from './client.ts';
import type { ErrorTable } from './errors.ts';
import type { HttpApp } from './http/server.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The tables a handle the kernel hands out names: none a module has, until it narrows it. (One
 * placeholder table, not `{}`: Kysely<{}> would be assignable to any module's typed handle, and
 * a forgotten narrowing would compile.)
 */
export interface NoTables {
  readonly 'kernel.none': { readonly 'narrow the handle with typed() in store/tables.ts': never };
}
/**
 * A module's database handle as the kernel hands it out. It names no table: the module narrows
 * it once with its own table types (`typed()` in its store/tables.ts), so a query into another
 * module's tables — or one that forgets to narrow — does not compile. On PostgreSQL it also runs
 * as the module's role (db/roles.ts).
 */
export type ModuleDb = Kysely<NoTables>;
/** A transaction the kernel opens for a module (a job's, a delivery's, ctx.transaction's). */
export type ModuleTrx = Transaction<NoTables>;

/** A module's `typed()`: the same object, declared to the compiler with the module's own tables. */
export interface TableNarrowing<T> {
  (trx: AnyTransaction): Transaction<T>;
  (db: AnyKysely): Kysely<T>;
  (db: AnyKysely | AnyTransaction): Kysely<T> | Transaction<T>;
}

/**
 * The one cast by which a module declares its tables (store/tables.ts:
 * `export const typed = narrowTo<IdentityTables>()`): it narrows what the kernel hands out —
 * ctx.db, a job's, a delivery's or ctx.transaction's trx — and returns it unchanged.
 */
export function narrowTo<T>(): TableNarrowing<T> {
  return ((db: AnyKysely | AnyTransaction) => db) as TableNarrowing<T>;
}

export interface ModuleContext {
  readonly name: string;
  readonly config: Config;
  readonly db: ModuleDb;
  readonly log: Logger;
  readonly clock: Clock;
  /**
   * Events leave through this module's outbox, in the caller's transaction. The type must be in
   * the contracts' EVENT_CATALOG and the payload must match its schema, or publish throws
   * (EventRefusedError: the transaction rolls back; the refusal is logged and counted).
   */
  readonly events: EventPublisher;
  /**
   * Runs `work` in one transaction: the state it changes and the events it publishes (through
   * the second argument, bound to the transaction) commit together or not at all.
   */
  transaction<R>(work: (trx: ModuleTrx, events: TransactionEvents) => Promise<R>): Promise<R>;
  /**
   * Where this platform is reached: TONGBAN_PUBLIC_URL, else http://localhost:<the port it
   * listens on> (known once it listens: TONGBAN_PORT=0 picks one). No trailing slash.
   */
  origin(): string;
  /** Other modules' HTTP APIs: in-process when they run here, over HTTP when they do not. */
  readonly modules: ModuleClient;
  /**
   * A named secret: TONGBAN_SECRET_<NAME> (upper case, dashes as underscores); in development a
   * missing one is generated into the data directory with a warning; production refuses to start.
   * The name must be in the module's `secrets` (outside production an undeclared one throws).
   */
  secret(name: string): string;
  /**
   * An access token for this module's own authority (client `tongban-<module>`, client
   * credentials at identity, audience urn:tongban:api), cached until 30 s before it expires.
   * Needs the secret `<module>-service-key` in the module's `secrets`. Identity unreachable or
   * refusing: 502 UPSTREAM_UNAVAILABLE naming identity. `modules.request(m, { auth: 'service' })`
   * sends it.
   */
  serviceToken(): Promise<string>;
  /**
   * Personal-data fields encrypted for this module's columns, and keyed blind indexes for
   * exact-match lookups (packages/kernel/src/crypto/fields.ts). Each module has its own data
   * keys, wrapped by the platform's master key in its schema's `data_key` table; a value sealed
   * for one column (`aad`) or module opens nowhere else.
   */
  readonly fields: FieldCipher;
}

export interface EventPublisher {
  publish<K extends EventType>(trx: AnyTransaction, type: K, data: EventData<K>): Promise<EventEnvelope<EventData<K>>>;
  /**
   * Publishes in a transaction of its own, resolving once the event is durable in the outbox. The
   * events committed at the same moment share one insert and one commit (group commit,
   * kernel/src/batch.ts), so a route that must record a fact before it answers — a read of a
   * person's data — pays a fraction of a commit, not one each. The payload is checked here, before
   * it joins a batch: a refused event throws for its caller alone.
   */
  commit<K extends EventType>(type: K, data: EventData<K>): Promise<EventEnvelope<EventData<K>>>;
  /**
   * Publishes several events in the caller's transaction with one insert, in the order given: a
   * write that makes many events (a new application's tasks) pays one round trip for them. Each
   * payload is checked as `publish` checks it; one refused event refuses them all.
   */
  publishAll(trx: AnyTransaction, events: readonly DraftEvent[]): Promise<EventEnvelope[]>;
}

/** An event before it has an envelope: its type and its payload, typed together. */
export type DraftEvent = { [K in EventType]: { readonly type: K; readonly data: EventData<K> } }[EventType];

export interface TransactionEvents {
  publish<K extends EventType>(type: K, data: EventData<K>): Promise<EventEnvelope<EventData<K>>>;
}

export interface JobDefinition<I = unknown> {
  readonly name: string;
  readonly everyMs: number;
  /** Runs in a transaction that holds the job's lock: one replica at a time runs a job. */
  run(ctx: ModuleContext & { readonly trx: ModuleTrx }, instance: I): Promise<void>;
}

/** A consumer of one event type: a typed payload, the delivery's transaction, the module's instance. */
export type ModuleConsumer<K extends EventType, I = unknown> = {
  // Method syntax: a module's table (instance Ledger) is one of modules in general (instance unknown).
  handle(event: EventEnvelope<EventData<K>>, ctx: ConsumerContext, instance: I): Promise<void>;
}['handle'];

export type ConsumerTable<I = unknown> = { readonly [K in EventType]?: ModuleConsumer<K, I> };

/**
 * A bounded context as the kernel runs it. The life of a module, in every shape:
 *   start(ctx) → instance     in dependency order, after migrations, before any route is served:
 *                             what the module keeps for its life (services, caches, timers);
 *   listening(ctx, instance)  once the server listens (its origin is known), awaited by listen();
 *   routes / rootRoutes / consumers / jobs / seed   each receives the instance;
 *   stop(instance)            in reverse dependency order at shutdown, after the server has
 *                             stopped taking requests and the jobs have finished, before the
 *                             bus and the database close; shutdown waits for it.
 * `I` is the instance's type; a module without state has none (undefined).
 */
export interface ModuleDefinition<I = unknown> {
  /** Lower-case; also the PostgreSQL schema and the `/api/<name>/` route prefix. */
  readonly name: string;
  readonly title: { readonly zh: string; readonly en: string };
  /** Modules this one calls or consumes from; they start first when in the same process. */
  readonly dependsOn?: readonly string[];
  /** A folder of plain SQL files applied in name order; never edit one that has landed. */
  readonly migrations?: URL;
  readonly errors?: ErrorTable;
  /**
   * Every secret the module reads through `ctx.secret(name)` (e.g. 'identity-cookie-key'), and
   * '<module>-service-key' when it calls `ctx.serviceToken()`. The platform reads them all before
   * it listens — production refuses to start naming every missing TONGBAN_SECRET_* — and outside
   * production `ctx.secret` refuses a name not listed here, so a lazily read secret cannot
   * escape the start check.
   */
  readonly secrets?: readonly string[];
  start?(ctx: ModuleContext): I | Promise<I>;
  /**
   * After the server listens (`platform.listen()` resolves only once every module's has): the
   * origin is known now when TONGBAN_PUBLIC_URL is unset and TONGBAN_PORT=0 picked the port.
   */
  listening?(ctx: ModuleContext, instance: I): void | Promise<void>;
  stop?(instance: I): void | Promise<void>;
  routes?(app: HttpApp, ctx: ModuleContext, instance: I): void | Promise<void>;
  /**
   * Routes at the server's root instead of under /api/<name>/, for paths a standard fixes (OpenID
   * discovery at /.well-known/openid-configuration). Each still declares its policy.
   */
  rootRoutes?(app: HttpApp, ctx: ModuleContext, instance: I): void | Promise<void>;
  readonly consumers?: ConsumerTable<I>;
  /**
   * Consumers of events that only refresh what the instance keeps (a cache): a lost one costs
   * freshness, never correctness. Broadcast subscriptions: on NATS every replica hears each one
   * (from the moment it subscribes, in a transaction, no inbox); a split on the in-process bus
   * does not need them (findSplitWithoutBus ignores them), so they must not be all that keeps
   * the module right — a cache they invalidate also expires.
   */
  readonly hints?: ConsumerTable<I>;
  /**
   * Its consumers watch the other modules rather than serve them (security operations): a process
   * of others without it on the in-process bus loses only what it would have observed, so a split
   * is not refused for its sake (findSplitWithoutBus); in the cluster shape NATS carries it all.
   */
  readonly observer?: boolean;
  readonly jobs?: readonly JobDefinition<I>[];
  /**
   * Demo data for an empty database (embedded shape, `tongban seed`); must be idempotent. May
   * return lines for the start summary (the embedded shape prints them: demo credentials).
   */
  seed?(ctx: ModuleContext, instance: I): Promise<void | readonly string[]>;
}

export const MODULE_NAME = /^[a-z]{2,20}$/;

export function defineModule<I = undefined>(definition: ModuleDefinition<I>): ModuleDefinition<I> {
  if (!MODULE_NAME.test(definition.name))
    throw new Error(`module name ${definition.name} must be 2–20 lower-case letters`);
  return definition;
}

/** Orders modules so that each comes after those it depends on (among the ones loaded). */
export function orderModules(modules: readonly ModuleDefinition[]): ModuleDefinition[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  if (byName.size !== modules.length) throw new Error('a module is listed twice');
  const ordered: ModuleDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: ModuleDefinition, path: string[]) => {
    if (state.get(m.name) === 'done') return;
    if (state.get(m.name) === 'visiting') throw new Error(`module dependency cycle: ${[...path, m.name].join(' → ')}`);
    state.set(m.name, 'visiting');
    for (const dep of m.dependsOn ?? []) {
      const d = byName.get(dep);
      if (d) visit(d, [...path, m.name]);
    }
    state.set(m.name, 'done');
    ordered.push(m);
  };
  for (const m of modules) visit(m, []);
  return ordered;
}

/**
 * Why `selected` cannot run apart from the rest of `all` on the in-process bus, in one line, or
 * undefined when it can. That bus delivers only to consumers in the same process: an event whose
 * consumer runs elsewhere is marked published and reaches no one, and a consumer here never hears
 * a publisher elsewhere. So a split needs NATS (TONGBAN_NATS_URL) as soon as a module here depends
 * on one elsewhere, or events cross between them in either direction. An event type belongs to
 * the module its first segment names (`<module>.<thing>.<verb>`).
 */
export function findSplitWithoutBus(
  selected: readonly ModuleDefinition[],
  all: readonly ModuleDefinition[],
): string | undefined {
  const here = new Set(selected.map((m) => m.name));
  const away = all.filter((m) => !here.has(m.name)).map((m) => m.name);
  if (away.length === 0) return undefined;
  const publisher = (type: string) => all.find((m) => type.startsWith(`${m.name}.`))?.name;
  // An observer away publishes nothing the others need (its own alerts); one here is skipped below.
  const observers = new Set(all.filter((m) => m.observer).map((m) => m.name));
  const reasons: string[] = [];
  const needed = new Set<string>();
  for (const m of all) {
    if (here.has(m.name)) {
      const deps = (m.dependsOn ?? []).filter((d) => away.includes(d));
      if (deps.length > 0) reasons.push(`${m.name} depends on ${deps.join(', ')}`);
      for (const d of deps) needed.add(d);
    }
    if (m.observer) continue;
    // Both directions: a consumer elsewhere of events published here, and one here of events published elsewhere.
    const from = [...new Set(Object.keys(m.consumers ?? {}).map(publisher))].filter(
      (p): p is string => p !== undefined && p !== m.name && here.has(p) !== here.has(m.name) && !observers.has(p),
    );
    if (from.length === 0) continue;
    reasons.push(`${m.name} consumes ${from.join(', ')} events`);
    for (const name of [m.name, ...from]) if (!here.has(name)) needed.add(name);
  }
  if (reasons.length === 0) return undefined;
  const missing = away.filter((name) => needed.has(name));
  return (
    `modules ${[...here].join(', ')} cannot run without ${missing.join(', ')} on the in-process bus (${reasons.join('; ')}): ` +
    'set TONGBAN_NATS_URL to run modules in separate processes, or run them together'
  );
}
