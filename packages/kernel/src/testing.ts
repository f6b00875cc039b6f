// Test helpers: a platform on the embedded database in memory, or — when
// TONGBAN_TEST_DATABASE_URL names a PostgreSQL server — on a fresh database of its own that is
// dropped afterwards; the NATS driver when TONGBAN_TEST_NATS_URL is set.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from './config.ts';
import type { AnyTransaction, EventEnvelope, EventHandler } from './bus/events.ts';
import type { ConsumerTable, ModuleContext, ModuleDefinition } from './module.ts';
import { startPlatform, type Platform, type PlatformOptions } from './platform.ts';

export const TEST_OPERATOR_TOKEN = 'test-operator-token-0123456789abcdef';
export const testPostgresUrl = process.env.TONGBAN_TEST_DATABASE_URL || undefined;
export const testNatsUrl = process.env.TONGBAN_TEST_NATS_URL || undefined;
export const databaseLabel = testPostgresUrl ? 'PostgreSQL' : 'embedded PGlite';

export interface TestDatabase {
  readonly url: string | undefined;
  drop(): Promise<void>;
}

/** A database of the test's own: a new PostgreSQL database, or undefined for in-memory PGlite. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!testPostgresUrl) return { url: undefined, drop: async () => {} };
  const name = `tongban_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: testPostgresUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export function testConfig(env: Record<string, string | undefined> = {}): Config {
  const dataDir = mkdtempSync(join(tmpdir(), 'tongban-test-'));
  return loadConfig({
    NODE_ENV: 'test',
    TONGBAN_LOG_LEVEL: process.env.TONGBAN_TEST_LOG_LEVEL ?? 'silent',
    TONGBAN_DATA_DIR: dataDir,
    TONGBAN_OPERATOR_TOKEN: TEST_OPERATOR_TOKEN,
    TONGBAN_BUS_BACKOFF_BASE_MS: '20',
    TONGBAN_BUS_POLL_INTERVAL_MS: '50',
    ...env,
  });
}

export interface TestPlatform extends Platform {
  /** Closes the platform and drops its database and data directory. */
  dispose(): Promise<void>;
}

export type TestPlatformOptions = Partial<Omit<PlatformOptions, 'modules'>> & {
  readonly env?: Record<string, string | undefined>;
  readonly bus?: 'memory' | 'nats';
  readonly database?: TestDatabase;
};

export async function startTestPlatform(
  modules: readonly ModuleDefinition[],
  options: TestPlatformOptions = {},
): Promise<TestPlatform> {
  const database = options.database ?? (await createTestDatabase());
  const useNats = options.bus === 'nats';
  if (useNats && !testNatsUrl) throw new Error('TONGBAN_TEST_NATS_URL is not set');
  const config =
    options.config ??
    testConfig({
      TONGBAN_DATABASE_URL: database.url,
      TONGBAN_NATS_URL: useNats ? testNatsUrl : undefined,
      ...options.env,
    });
  const suffix = randomBytes(4).toString('hex');
  let platform: Platform;
  try {
    platform = await startPlatform({
      inMemoryDatabase: true,
      background: false,
      ...options,
      config,
      modules,
      ...(useNats ? { nats: { stream: `TEST_${suffix}`, subjectPrefix: `test${suffix}` } } : {}),
    });
  } catch (error) {
    // A platform that fails to start must not leave its database or data directory behind.
    if (!options.database) await database.drop();
    rmSync(config.dataDir, { recursive: true, force: true });
    throw error;
  }
  return Object.assign(platform, {
    async dispose() {
      if (useNats)
        await (platform.bus.driver as unknown as { deleteStream(): Promise<void> })
          .deleteStream()
          .catch(() => undefined);
      await platform.close();
      if (!options.database) await database.drop();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  });
}

/** Drivers to run bus tests with: always the in-process one, NATS when a server is configured. */
export const busDrivers: readonly ('memory' | 'nats')[] = testNatsUrl ? ['memory', 'nats'] : ['memory'];

export function operatorHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${TEST_OPERATOR_TOKEN}`, ...extra };
}

/**
 * The kernel's own tests run modules whose event types are outside the contracts' catalog: they
 * declare their schemas (`extraEventSchemas`) and publish and consume them through these, untyped.
 */
export function publishUntyped(
  ctx: ModuleContext,
  trx: AnyTransaction,
  type: string,
  data: unknown,
): Promise<EventEnvelope> {
  return (ctx.events.publish as (trx: AnyTransaction, type: string, data: unknown) => Promise<EventEnvelope>)(
    trx,
    type,
    data,
  );
}

export function untypedConsumers(table: Readonly<Record<string, EventHandler>>): ConsumerTable {
  return table as ConsumerTable;
}
