// The server the durability test kills and restarts: catalog, workflow and a probe module on the
// PostgreSQL database named by TONGBAN_DATABASE_URL, with the relay and consumers running, the
// rate limit lifted and citizen tokens signed by the test's key (TONGBAN_TEST_PUBLIC_JWK, issuer
// TONGBAN_TEST_ISSUER). The probe consumes the workflow's submission and task-start events and
// records each delivery in its own table, in the consumer's transaction: what the test counts to
// prove every event was delivered, once. Prints `listening <url>` when ready; stops on SIGTERM,
// SIGINT or when its stdin closes (the test that started it is gone).
//
//   node apps/server/test/workflow/durable-server.ts
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import catalog from '@tongban/catalog';
import {
  anyOf,
  API_AUDIENCE,
  createJwtAuthenticator,
  defineModule,
  loadConfig,
  operatorTokenAuthenticator,
  startPlatform,
  type AnyTransaction,
  type EventHandler,
  type Platform,
} from '@tongban/kernel';
import workflow from '@tongban/workflow';
import type { JWK } from 'jose';

/** The event types the probe consumes: what one submission of a bundle publishes. */
export const PROBED_EVENTS = ['workflow.application.submitted', 'workflow.task.started'] as const;

const record: EventHandler = async (event, { trx }) => {
  const data = event.data as { applicationId?: string; taskId?: string };
  // The probe's own table: declared to no compiler, so the handle is widened on purpose.
  await (trx as AnyTransaction)
    .insertInto('probe.delivery')
    .values({
      event_id: event.id,
      type: event.type,
      application_id: data.applicationId ?? null,
      task_id: data.taskId ?? null,
    })
    .execute();
};

export const probe = defineModule({
  name: 'probe',
  title: { zh: '投递探针', en: 'Delivery probe' },
  dependsOn: ['workflow'],
  migrations: new URL('./probe-migrations/', import.meta.url),
  consumers: Object.fromEntries(PROBED_EVENTS.map((type) => [type, record])),
});

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const databaseUrl = required('TONGBAN_DATABASE_URL');
  const jwk = JSON.parse(required('TONGBAN_TEST_PUBLIC_JWK')) as JWK;
  const issuer = process.env.TONGBAN_TEST_ISSUER ?? 'https://id.tongban.test';
  const ownDataDir = process.env.TONGBAN_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'tongban-durable-'));
  const operatorToken = process.env.TONGBAN_OPERATOR_TOKEN ?? randomBytes(24).toString('hex');
  const config = loadConfig({
    NODE_ENV: 'test',
    TONGBAN_LOG_LEVEL: 'warn',
    TONGBAN_BUS_POLL_INTERVAL_MS: '50',
    TONGBAN_BUS_BACKOFF_BASE_MS: '20',
    ...process.env,
    TONGBAN_DATABASE_URL: databaseUrl,
    TONGBAN_DATA_DIR: process.env.TONGBAN_DATA_DIR ?? ownDataDir,
    TONGBAN_OPERATOR_TOKEN: operatorToken,
    TONGBAN_HOST: '127.0.0.1',
    TONGBAN_PORT: '0',
    TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000000',
  });
  const jwt = createJwtAuthenticator({ issuer, audience: API_AUDIENCE, keys: async () => ({ keys: [jwk] }) });
  let platform: Platform;
  try {
    // The seeds look before they write (the catalog seeds an empty catalog only): a restart on
    // the same database leaves the demo city as it is.
    platform = await startPlatform({
      config,
      modules: [catalog, workflow, probe],
      seed: true,
      background: true,
      authenticate: anyOf(jwt, operatorTokenAuthenticator(operatorToken)),
    });
  } catch (error) {
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
    throw error;
  }
  const url = await platform.listen();
  process.stdout.write(`listening ${url}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(1), 10_000).unref();
    void platform.close().finally(() => {
      clearTimeout(timer);
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.on('end', stop).on('error', stop).resume();
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `durable-server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
