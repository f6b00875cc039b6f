// Composes modules into one process: database and migrations, bus, HTTP, consumers, jobs and
// demo seed. Every deployment shape runs this; only the configuration differs.
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { createBus, type Bus } from './bus/bus.ts';
import { appendToOutbox, busTablesSql, insertIntoOutbox, outboxEnvelope, type EventEnvelope } from './bus/events.ts';
import { Batcher } from './batch.ts';
import { keyTablesSql, openFieldKeys, profileAlgorithm, type FieldKeys } from './crypto/fields.ts';
import { localKeyManager, parseMasterKey, type KeyManager } from './crypto/key-manager.ts';
import type { NatsOptions } from './bus/nats.ts';
import {
  createModuleClient,
  identityTokenEndpoint,
  withServiceAuth,
  type ClientOptions,
  type ModuleClient,
} from './client.ts';
import { surfaceExposure, type Config } from './config.ts';
import { embeddedDirFor, openDatabase, type Database } from './db/database.ts';
import { migrate, readMigrations, type AppliedMigration, type MigrationSource } from './db/migrations.ts';
import { moduleRole, scopeModuleSchemas } from './db/roles.ts';
import { identityIssuer, identityKeySource, IDENTITY_MODULE } from './auth/identity-keys.ts';
import {
  createServiceTokenSource,
  serviceClientId,
  serviceKeyFromSecret,
  serviceKeySecretName,
  type ServiceKey,
  type TokenEndpoint,
} from './auth/service-token.ts';
import { DomainError } from './errors.ts';
import {
  anyOf,
  API_AUDIENCE,
  createJwtAuthenticator,
  operatorTokenAuthenticator,
  type Authenticator,
  type Denial,
  type JwtAuthenticator,
  type RiskSignals,
} from './guard.ts';
import { createHttpServer, type HttpApp } from './http/server.ts';
import { registerWelcome } from './http/welcome.ts';
import { Scheduler } from './jobs.ts';
import { createLogger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import {
  orderModules,
  systemClock,
  type Clock,
  type EventPublisher,
  type ModuleContext,
  type ModuleDefinition,
} from './module.ts';
import { EventGate, EventRefusedError } from './bus/event-catalog.ts';
import type { TSchema } from 'typebox';
import type { EventHandler } from './bus/events.ts';
import { loadSecrets, namedSecrets, secretVariable, type Secrets } from './secrets.ts';
import { denialEvents } from './denial-events.ts';
import { loadRiskBoard, RiskBoard } from './risk.ts';
import type { ActiveResponses } from '@tongban/contracts';

export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface PlatformOptions {
  readonly config: Config;
  readonly modules: readonly ModuleDefinition[];
  readonly log?: Logger;
  /** Embedded database in memory instead of under the data directory (tests). */
  readonly inMemoryDatabase?: boolean;
  readonly nats?: Omit<NatsOptions, 'url'>;
  readonly clock?: Clock;
  /** Seed demo data into modules whose tables are empty. */
  readonly seed?: boolean;
  /** Relay, consumers' polling and jobs run in the background (off in tests that step them). */
  readonly background?: boolean;
  /** Default: identity's access tokens when identity is reachable, and the operator token. */
  readonly authenticate?: Authenticator;
  /** Default: a warning in the log, and a `<module>.request.denied` event (denial-events.ts). */
  readonly onDenied?: (denial: Denial) => void | Promise<void>;
  /** Sentinel's blocked addresses and flagged sessions; default: the risk board (risk.ts) fed by sentinel's events. */
  readonly risk?: RiskSignals;
  /** Schemas of event types outside the contracts' catalog (the kernel's own tests' modules). */
  readonly extraEventSchemas?: Readonly<Record<string, TSchema>>;
  /** The master keys of sealed fields (a KMS); default: the local one from configuration. */
  readonly keyManager?: KeyManager;
}

export interface Platform {
  readonly config: Config;
  readonly log: Logger;
  readonly database: Database;
  readonly bus: Bus;
  readonly app: HttpApp;
  readonly metrics: Metrics;
  readonly secrets: Secrets;
  /** Sentinel's responses in force as this process knows them (absent when `risk` was given). */
  readonly risk: RiskBoard | undefined;
  /** Resolves once the risk board has taken sentinel's snapshot of active responses (or gave up at close). */
  readonly riskLoaded: Promise<void>;
  readonly modules: readonly ModuleDefinition[];
  readonly contexts: ReadonlyMap<string, ModuleContext>;
  /** What a running module's start returned (tests step a module through it). */
  instanceOf<I>(module: ModuleDefinition<I>): I;
  /** Runs a module's job once, as the scheduler would (with its lock). */
  runJob(module: string, job: string): Promise<void>;
  readonly migrations: readonly AppliedMigration[];
  readonly scheduler: Scheduler;
  /** Lines the modules' seeds asked to show in the start summary (demo credentials). */
  readonly seedNotes: readonly string[];
  /** Each module's field keys (crypto/fields.ts): rotation steps for tests and operators. */
  readonly fieldKeys: ReadonlyMap<string, FieldKeys>;
  /** Re-wraps data keys under the current master key and rotates aged ones (also at start and on a timer). */
  maintainFieldKeys(): Promise<void>;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export function migrationSources(modules: readonly ModuleDefinition[]): MigrationSource[] {
  return orderModules(modules).map((m) => {
    const own = readMigrations(m.name, m.migrations);
    return {
      module: m.name,
      files: [
        { name: '0000-kernel-bus.sql', sql: busTablesSql(m.name) },
        { name: '0000-kernel-keys.sql', sql: keyTablesSql(m.name) },
        ...own.files,
      ],
    };
  });
}

export async function openPlatformDatabase(config: Config, inMemory = false, log?: Logger): Promise<Database> {
  return openDatabase({
    url: config.databaseUrl,
    embeddedDir: inMemory ? undefined : embeddedDirFor(config.dataDir),
    ...(log
      ? {
          onConnectionError: (error: Error) =>
            log.warn({ err: error }, 'a database connection was lost; the pool replaces it'),
        }
      : {}),
  });
}

/** A readiness check that hangs (a partition) fails after `ms` instead of holding /readyz. */
async function answersWithin(part: string, ms: number, check: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${part} did not answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([
      check().catch(() => {
        throw new Error(`${part} unreachable`);
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Identity's access tokens (verified locally against its keys) whenever identity runs here or is
 * configured (TONGBAN_SERVICE_IDENTITY_URL), and the operator token as a development credential.
 */
function platformAuthenticator(
  client: ModuleClient,
  operatorToken: string,
  config: Config,
): { authenticate: Authenticator; jwt?: JwtAuthenticator } {
  const operator = operatorTokenAuthenticator(operatorToken);
  if (!client.locate(IDENTITY_MODULE)) return { authenticate: operator };
  const source = identityKeySource(client);
  const jwt = createJwtAuthenticator({
    issuer: source.issuer,
    audience: API_AUDIENCE,
    keys: source.keys,
    ...(config.publicUrl ? { dpop: { publicUrl: config.publicUrl } } : {}),
  });
  return { authenticate: anyOf(jwt, operator), jwt };
}

/**
 * The guard keeps verified tokens (auth/token-cache.ts): an ended session's are dropped and refused
 * once identity's event arrives — in every process (a broadcast subscription: on NATS each replica
 * has a consumer of its own). On the in-process bus it is delivered through the first local
 * module's bus tables (identity's when it runs here), under a consumer name of the guard's own.
 */
async function refuseEndedSessions(bus: Bus, modules: readonly ModuleDefinition[], jwt: JwtAuthenticator) {
  const host = (modules.find((m) => m.name === IDENTITY_MODULE) ?? modules[0])?.name;
  if (!host) return;
  const type = 'identity.session.revoked';
  await bus.driver.subscribe({
    consumer: `${host}:guard:${type}`,
    module: host,
    type,
    // Each replica keeps its own cache: each must hear every ended session.
    broadcast: true,
    handler: async (event) => jwt.revokeSession((event.data as { sessionId: string }).sessionId),
  });
}

/**
 * Sentinel's responses reach every process's risk board on a broadcast subscription (each replica
 * hears each one), delivered through sentinel's bus tables when it runs here, else the first
 * module's, under consumer names of the board's own.
 */
async function feedRiskBoard(bus: Bus, modules: readonly ModuleDefinition[], board: RiskBoard) {
  const host = (modules.find((m) => m.name === 'sentinel') ?? modules[0])?.name;
  if (!host) return;
  const handlers = {
    'sentinel.response.applied': (data: unknown) => board.apply(data as Parameters<RiskBoard['apply']>[0]),
    'sentinel.response.lifted': (data: unknown) => board.lift(data as Parameters<RiskBoard['lift']>[0]),
  };
  for (const [type, handle] of Object.entries(handlers))
    await bus.driver.subscribe({
      consumer: `${host}:risk:${type}`,
      module: host,
      type,
      broadcast: true,
      handler: async (event) => handle(event.data),
    });
}

/** Denials are warnings in the log, and security events (denial-events.ts). */
function logDenial(log: Logger, denial: Denial): void {
  const { request, principal } = denial;
  log.warn(
    {
      reqId: request.id,
      reason: denial.reason,
      code: denial.code,
      detail: denial.detail,
      principal: principal && { kind: principal.kind, id: principal.id },
      method: request.method,
      url: request.url,
      ip: request.ip,
    },
    'access denied',
  );
}

/** TONGBAN_SECRET_FIELD_MASTER_KEY: 32 random bytes, base64url; wraps every module's data keys. */
export const FIELD_MASTER_KEY = 'field-master-key';
/**
 * TONGBAN_SECRET_FIELD_MASTER_KEYS_RETIRED: master keys (comma-separated) that unwrap data keys
 * but never wrap new ones — the earlier key until the re-wrap has finished, and on several
 * replicas the next key before it becomes current (docs/security.md, rotation).
 */
export const FIELD_MASTER_KEYS_RETIRED = 'field-master-keys-retired';

/** The local key manager: the current master key (generated in development) and the retired ones. */
export function configuredKeyManager(
  config: Config,
  secret: (name: string) => string,
  env: NodeJS.ProcessEnv = process.env,
): KeyManager {
  const current = parseMasterKey(secret(FIELD_MASTER_KEY), secretVariable(FIELD_MASTER_KEY));
  const retiredVariable = secretVariable(FIELD_MASTER_KEYS_RETIRED);
  const retired = (env[retiredVariable] ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => parseMasterKey(k, retiredVariable));
  return localKeyManager({ current, retired, algorithm: profileAlgorithm(config.fields.crypto) });
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const { config } = options;
  const log = options.log ?? createLogger(config);
  const modules = orderModules(options.modules);
  // Every secret any module declares is read before anything starts: production names all the
  // missing ones in one line; development generates them now rather than on a first request.
  const declaredSecrets = [...new Set(modules.flatMap((m) => m.secrets ?? []))];
  const secrets = loadSecrets(config, log, [FIELD_MASTER_KEY, ...declaredSecrets]);
  const secret = namedSecrets(config, process.env, log);
  // The master key of personal-data fields is the platform's: it wraps every module's data keys.
  for (const name of [FIELD_MASTER_KEY, ...declaredSecrets]) secret(name);
  const keyManager = options.keyManager ?? configuredKeyManager(config, secret);
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics();
  const database = await openPlatformDatabase(config, options.inMemoryDatabase, log);
  // Group commits still writing finish before the database closes.
  const groupCommits: Batcher<EventEnvelope, EventEnvelope>[] = [];
  const closers: (() => Promise<void>)[] = [
    async () => {
      await Promise.all(groupCommits.map((g) => g.idle()));
      await database.close();
    },
  ];
  try {
    const applied = await migrate(database.db, migrationSources(modules));
    // PostgreSQL: each module's handle runs as the role that owns its schema, and only that one.
    const scoped =
      database.kind === 'postgres' &&
      (await scopeModuleSchemas(
        database.db,
        modules.map((m) => m.name),
        log,
      ));
    const dbOf = (module: string) => (scoped ? database.as(moduleRole(module)) : database.db);
    const bus = await createBus({
      db: database.db,
      log,
      metrics,
      config,
      modules: modules.map((m) => m.name),
      ...(options.nats ? { nats: options.nats } : {}),
    });
    closers.unshift(() => bus.close());
    // Created before the server it calls into (lazily, through `app`): the guard fetches
    // identity's keys through it.
    const clientOptions: ClientOptions = {
      app: () => app,
      localModules: new Set(modules.map((m) => m.name)),
      services: config.services,
      timeoutMs: config.http.requestTimeoutMs,
    };
    const client = createModuleClient(clientOptions);
    const tokenEndpoint: TokenEndpoint =
      identityTokenEndpoint(clientOptions) ??
      (() => Promise.reject(new DomainError('UPSTREAM_UNAVAILABLE', { module: IDENTITY_MODULE })));
    const guard = options.authenticate ? undefined : platformAuthenticator(client, secrets.operatorToken, config);
    if (guard?.jwt) await refuseEndedSessions(bus, modules, guard.jwt);
    const board = options.risk ? undefined : new RiskBoard(clock);
    if (board) await feedRiskBoard(bus, modules, board);
    const publishers = new Map<string, EventPublisher>();
    const recordDenial = denialEvents({
      publishers,
      fallback: modules.find((m) => m.name === IDENTITY_MODULE)?.name ?? modules[0]?.name,
      clock,
      metrics,
      log,
    });
    const app = await createHttpServer({
      config,
      log,
      metrics,
      version: VERSION,
      authenticate: options.authenticate ?? guard!.authenticate,
      onDenied:
        options.onDenied ??
        (async (denial) => {
          logDenial(log, denial);
          await recordDenial(denial);
        }),
      ...(options.risk ? { risk: options.risk } : board ? { risk: board } : {}),
      readiness: async () => {
        const ms = config.http.readinessTimeoutMs;
        await answersWithin('database', ms, () => database.ping());
        await answersWithin('bus', ms, () => bus.driver.ping());
        return { database: 'ok', bus: 'ok' };
      },
    });
    const gate = new EventGate(options.extraEventSchemas);
    const contexts = new Map<string, ModuleContext>();
    const fieldKeys = new Map<string, FieldKeys>();
    // Re-wrap and age checks never stop reads: a failure is logged and retried on the next round.
    const maintainFieldKeys = async () => {
      for (const keys of fieldKeys.values()) {
        try {
          await keys.refresh();
          const { rewrapped, remaining } = await keys.rewrap();
          if (rewrapped > 0 || remaining > 0)
            log[remaining > 0 ? 'warn' : 'info'](
              { module: keys.module, rewrapped, remaining, masterKey: keyManager.currentKeyId },
              remaining > 0
                ? 'data keys remain under a master key not configured here (TONGBAN_SECRET_FIELD_MASTER_KEYS_RETIRED)'
                : 're-wrapped data keys under the current master key',
            );
        } catch (error) {
          log.error({ err: error, module: keys.module }, 'field keys: re-wrap or rotation failed; retried later');
        }
      }
    };
    const instances = new Map<string, unknown>();
    const scheduler = new Scheduler(metrics);
    // With the relay running, a published event nudges it at the next turn (one pass for a burst)
    // instead of waiting for its poll: a security response must reach every guard within a second,
    // and it takes two hops (the signal to sentinel, the response to the risk boards). On the
    // embedded database the pass queues behind the publishing transaction on its one connection;
    // on PostgreSQL a pass that runs before the commit finds nothing and the poll sends it.
    let relayRunning = false;
    let nudged = false;
    const nudgeRelay = () => {
      if (!relayRunning || nudged) return;
      nudged = true;
      setImmediate(() => {
        nudged = false;
        void bus.relay.runOnce().catch(() => undefined);
      });
    };
    const origin = () => {
      if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
      const address = app.server.address();
      return `http://localhost:${typeof address === 'object' && address ? address.port : config.port}`;
    };
    // Shutdown: no new requests (app.close, above), the jobs finish, then each module stops in
    // reverse dependency order, then the bus and the database close.
    closers.unshift(async () => {
      await scheduler.stop();
      for (const m of [...modules].reverse()) {
        if (!m.stop || !instances.has(m.name)) continue;
        await Promise.resolve(m.stop(instances.get(m.name))).catch((error) =>
          log.error({ err: error, module: m.name }, 'module did not stop cleanly'),
        );
      }
    });
    closers.unshift(() => app.close());
    for (const m of modules) {
      const declared = new Set(m.secrets ?? []);
      const moduleSecret = (name: string) => secret(name, declared, m.name);
      let key: ServiceKey | undefined;
      const serviceToken = createServiceTokenSource({
        clientId: serviceClientId(m.name),
        tokenEndpoint,
        issuer: () => identityIssuer(client),
        key: () => (key ??= serviceKeyFromSecret(moduleSecret(serviceKeySecretName(m.name)))),
      });
      const moduleLog = log.child({ module: m.name });
      const moduleDb = dbOf(m.name);
      const refused = (error: unknown) => {
        if (error instanceof EventRefusedError) {
          metrics.eventsRefused.inc({ module: m.name, type: error.type });
          moduleLog.error({ type: error.type, problems: error.problems }, 'event refused by the contracts');
        }
        return error;
      };
      const grouped = new Batcher<EventEnvelope, EventEnvelope>(
        async (envelopes) => {
          await insertIntoOutbox(moduleDb, m.name, envelopes);
          return envelopes;
        },
        { maxBatch: 500 },
      );
      groupCommits.push(grouped);
      const events: EventPublisher = {
        publish: async (trx, type, data) => {
          try {
            const envelope = await appendToOutbox(trx, m.name, type, data, gate);
            nudgeRelay();
            return envelope;
          } catch (error) {
            throw refused(error);
          }
        },
        publishAll: async (trx, drafts) => {
          let envelopes: EventEnvelope[];
          try {
            envelopes = drafts.map((d) => outboxEnvelope(m.name, d.type, d.data, gate));
          } catch (error) {
            throw refused(error);
          }
          await insertIntoOutbox(trx, m.name, envelopes);
          nudgeRelay();
          return envelopes;
        },
        commit: async (type, data) => {
          let envelope;
          try {
            envelope = outboxEnvelope(m.name, type, data, gate);
          } catch (error) {
            throw refused(error);
          }
          const committed = (await grouped.add(envelope)) as typeof envelope;
          nudgeRelay();
          return committed;
        },
      };
      const keys = await openFieldKeys({
        db: moduleDb,
        module: m.name,
        keys: keyManager,
        profile: config.fields.crypto,
        maxAgeDays: config.fields.dataKeyMaxAgeDays,
        now: () => clock.now(),
      });
      await keys.refresh(); // a changed profile, or an aged data key, rotates before the first write
      fieldKeys.set(m.name, keys);
      const ctx: ModuleContext = {
        name: m.name,
        config,
        db: moduleDb,
        log: moduleLog,
        clock,
        modules: withServiceAuth(client, serviceToken),
        events,
        transaction: (work) =>
          moduleDb
            .transaction()
            .execute((trx) => work(trx, { publish: (type, data) => events.publish(trx, type, data) })),
        origin,
        secret: moduleSecret,
        serviceToken,
        fields: keys.cipher,
      };
      contexts.set(m.name, ctx);
      publishers.set(m.name, events);
      const instance = m.start ? await m.start(ctx) : undefined;
      instances.set(m.name, instance);
      if (m.rootRoutes) await m.rootRoutes(app, ctx, instance);
      if (m.routes) {
        const routes = m.routes.bind(m);
        await app.register(
          async (scope) => {
            // The request's logger is made with the module's name in it (one child, not two).
            scope.setChildLoggerFactory((logger, bindings, opts) =>
              logger.child({ ...bindings, module: m.name }, opts),
            );
            await routes(scope as unknown as HttpApp, ctx, instance);
          },
          { prefix: `/api/${m.name}` },
        );
      }
      // Hints refresh what each process keeps: every replica hears them (broadcast).
      const tables = [
        [m.consumers, false],
        [m.hints, true],
      ] as const;
      for (const [table, broadcast] of tables)
        for (const [type, handle] of Object.entries(table ?? {})) {
          const handler: EventHandler = (event, cctx) =>
            (handle as (e: typeof event, c: typeof cctx, i: unknown) => Promise<void>)(event, cctx, instance);
          await bus.subscribe(m.name, type, handler, moduleDb, { broadcast });
        }
    }
    // The page at `/` (and `/portal/`) where no module serves one (the portal serves the web app there once built).
    registerWelcome(app, {
      config,
      modules,
      docsPublic: surfaceExposure(config).docs === 'public',
      origin: () => origin(),
    });
    await app.ready();
    // What sentinel had in force before this process started: asked for with the service token of
    // sentinel (here) or of the first module here that has one, retried until it answers.
    const asker = contexts.get('sentinel')
      ? 'sentinel'
      : modules.find((m) => m.secrets?.includes(serviceKeySecretName(m.name)))?.name;
    // Not before the server listens when the origin is not configured: the service token comes
    // from identity, whose issuer is this server's origin — asked for earlier (TONGBAN_PORT=0), it
    // would fix the issuer with a port not yet known, and every later sign-in would fail discovery.
    let riskLoader: { readonly done: Promise<void>; stop(): void } | undefined;
    const startRiskLoader = () => {
      riskLoader ??=
        board && asker && client.locate('sentinel')
          ? loadRiskBoard(
              board,
              () =>
                contexts.get(asker)!.modules.request<ActiveResponses>('sentinel', {
                  path: '/responses/active',
                  auth: 'service',
                }),
              log,
            )
          : undefined;
    };
    closers.unshift(async () => riskLoader?.stop());
    if (config.publicUrl) startRiskLoader();
    const jobOf = (module: string, name: string) => {
      const m = modules.find((candidate) => candidate.name === module);
      const job = m?.jobs?.find((candidate) => candidate.name === name);
      if (!m || !job) throw new Error(`no job ${module}.${name} runs here`);
      return { ...job, run: (c: Parameters<typeof job.run>[0]) => job.run(c, instances.get(m.name)) };
    };
    const seedNotes: string[] = [];
    if (options.seed) {
      for (const m of modules)
        if (m.seed) seedNotes.push(...((await m.seed(contexts.get(m.name)!, instances.get(m.name))) ?? []));
    }
    if (options.background ?? true) {
      bus.relay.start();
      relayRunning = true;
      for (const m of modules)
        for (const job of m.jobs ?? []) scheduler.schedule(jobOf(m.name, job.name), contexts.get(m.name)!);
      void maintainFieldKeys();
      const timer = setInterval(() => void maintainFieldKeys(), config.fields.maintenanceIntervalMs);
      timer.unref();
      closers.unshift(async () => clearInterval(timer));
    }
    let closed = false;
    return {
      config,
      log,
      database,
      bus,
      app,
      metrics,
      secrets,
      risk: board,
      get riskLoaded() {
        return riskLoader?.done ?? Promise.resolve();
      },
      modules,
      contexts,
      instanceOf<I>(module: ModuleDefinition<I>): I {
        if (!instances.has(module.name)) throw new Error(`module ${module.name} does not run here`);
        return instances.get(module.name) as I;
      },
      runJob(module, name) {
        return scheduler.runNow(jobOf(module, name), contexts.get(module)!);
      },
      migrations: applied,
      scheduler,
      seedNotes,
      fieldKeys,
      maintainFieldKeys,
      async listen() {
        const address = await app.listen({ port: config.port, host: config.host });
        startRiskLoader();
        for (const m of modules) if (m.listening) await m.listening(contexts.get(m.name)!, instances.get(m.name));
        return address;
      },
      async close() {
        if (closed) return;
        closed = true;
        for (const close of closers) await close().catch((error) => log.error({ err: error }, 'error while closing'));
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}
