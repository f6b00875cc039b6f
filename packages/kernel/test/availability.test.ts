// Availability: PostgreSQL terminating the server's connections (pg_terminate_backend, a proxy's
// reset) must never kill the process; failed requests are 503 problem+json and the pool
// recovers. Readiness checks answer within their timeout even when a dependency hangs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import Type from 'typebox';
import { defineModule, Policies } from '../src/index.ts';
import {
  createTestDatabase,
  databaseLabel,
  publishUntyped,
  untypedConsumers,
  startTestPlatform,
  testPostgresUrl,
  type TestDatabase,
  type TestPlatform,
} from '../src/testing.ts';

const delivered = new Set<string>();

const busy = defineModule({
  name: 'busy',
  title: { zh: '繁忙', en: 'Busy' },
  // The relay and the consumer's worker run in the background through the kills too.
  consumers: untypedConsumers({
    'busy.job.worked': async (event) => {
      delivered.add(event.id);
    },
  }),
  routes(app, ctx) {
    // Holds its connection across an await between two statements, as real handlers do: a
    // connection killed in between has no query to report to, only its 'error' event.
    app.get('/work', { config: { policy: Policies.public } }, async () =>
      ctx.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await new Promise((resolve) => setImmediate(resolve));
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_sleep(0.002)`.execute(trx);
        await publishUntyped(ctx, trx, 'busy.job.worked', {});
        return { n: rows[0]?.n };
      }),
    );
  },
});

describe(
  `a terminated database connection (${databaseLabel})`,
  {
    skip: testPostgresUrl
      ? false
      : 'needs PostgreSQL (TONGBAN_TEST_DATABASE_URL): PGlite has no connections to terminate',
  },
  () => {
    let database: TestDatabase;
    let p: TestPlatform;
    let admin: pg.Client;
    before(async () => {
      database = await createTestDatabase();
      p = await startTestPlatform([busy], {
        database,
        background: true,
        extraEventSchemas: { 'busy.job.worked': Type.Object({}) },
        env: { TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000' },
      });
      admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
    });
    after(async () => {
      await admin?.end();
      await p?.dispose();
      await database?.drop();
    });

    test('requests under load fail with 503 problem+json while backends are killed, then succeed again', async () => {
      const statuses = new Map<number, number>();
      const failed: LightMyRequestResponse[] = [];
      let running = true;
      const worker = async () => {
        while (running) {
          const res = await p.app.inject({ url: '/api/busy/work' });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode !== 200) failed.push(res);
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      for (let round = 0; round < 6; round++) {
        // Let requests get going between rounds; bounded by the requests themselves, not by time.
        for (let i = 0; i < 20; i++) await p.app.inject({ url: '/api/busy/work' });
        await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        );
      }
      running = false;
      await Promise.all(workers);
      for (const res of failed) {
        assert.equal(res.statusCode, 503, res.body);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        const problem = res.json() as { code: string; stack?: unknown };
        assert.equal(problem.code, 'DATABASE_UNAVAILABLE');
        assert.equal(problem.stack, undefined);
        assert.equal(res.headers['retry-after'], '5');
      }
      assert.ok(
        (statuses.get(503) ?? 0) > 0,
        `some requests met a killed connection: ${JSON.stringify([...statuses])}`,
      );
      // The last kill can land on idle connections whose termination the pool has not read yet:
      // each of them fails one request (at most the pool's size, 10), and then the pool is whole.
      let lateFailures = 0;
      for (let ok = 0; ok < 20;) {
        const res = await p.app.inject({ url: '/api/busy/work' });
        if (res.statusCode === 200) ok++;
        else {
          assert.equal(res.statusCode, 503, res.body);
          assert.equal((res.json() as { code: string }).code, 'DATABASE_UNAVAILABLE');
          assert.equal(ok, 0, `a failure after the pool had recovered: ${res.body}`);
          assert.ok(++lateFailures <= 10, `the pool recovers: ${lateFailures} late failures`);
        }
      }
      // Background loops met the kills too: they logged, retried, and every committed event arrives.
      await p.bus.settled();
      assert.ok(delivered.size >= (statuses.get(200) ?? 0) + 20, `${delivered.size} events delivered`);
      const ready = await p.app.inject({ url: '/readyz' });
      assert.equal(ready.statusCode, 200, ready.body);
    });
  },
);

describe(`readiness with a hanging dependency (${databaseLabel})`, () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform([busy], {
      extraEventSchemas: { 'busy.job.worked': Type.Object({}) },
      env: { TONGBAN_HTTP_READINESS_TIMEOUT_MS: '200' },
    });
  });
  after(() => p.dispose());

  for (const part of ['database', 'bus'] as const) {
    test(`a ${part} ping that never answers makes /readyz 503 within the timeout`, async () => {
      const target = part === 'database' ? p.database : p.bus.driver;
      const original = target.ping;
      (target as { ping: () => Promise<void> }).ping = () => new Promise<void>(() => {});
      try {
        const res = await p.app.inject({ url: '/readyz' });
        assert.equal(res.statusCode, 503);
        const problem = res.json() as { code: string; detail: string };
        assert.equal(problem.code, 'NOT_READY');
        assert.match(problem.detail, new RegExp(`${part} did not answer within 200 ms`));
      } finally {
        (target as { ping: () => Promise<void> }).ping = original;
      }
      assert.equal((await p.app.inject({ url: '/readyz' })).statusCode, 200);
    });
  }
});
