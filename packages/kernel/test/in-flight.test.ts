// The in-flight limit: requests beyond it wait their turn, beyond its queue they are refused
// with 503 and Retry-After; probes and streams are not counted; the embedded default.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHttpServer } from '../src/http/server.ts';
import { Policies, createLogger, loadConfig } from '../src/index.ts';
import { createMetrics } from '../src/metrics.ts';

function problemOf(res: { headers: Record<string, string>; body: string }) {
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  return JSON.parse(res.body) as { code: string };
}

describe('the in-flight limit', () => {
  /** A server whose /api/slow/wait answers only when the test lets it. */
  async function slowServer(env: Record<string, string>) {
    const gates: (() => void)[] = [];
    const app = await createHttpServer({
      config: loadConfig({ TONGBAN_LOG_LEVEL: 'silent', ...env }),
      log: createLogger({ logLevel: 'silent' }),
      metrics: createMetrics(),
      version: 'test',
      authenticate: () => undefined,
      readiness: async () => ({}),
    });
    app.get('/api/slow/wait', { config: { policy: Policies.public } }, async () => {
      await new Promise<void>((resolve) => gates.push(resolve));
      return { ok: true };
    });
    app.get('/api/slow/stream', { config: { policy: Policies.public, inFlight: false } }, async () => ({ ok: true }));
    app.get('/api/slow/hello', { config: { policy: Policies.public } }, async () => ({ ok: true }));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    // Over HTTP, not inject: light-my-request leaves an answer made in onRequest unresolved while
    // another request waits in that hook (not what a socket sees).
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const r = await fetch(`${url}${path}`, { headers });
      return { statusCode: r.status, headers: Object.fromEntries(r.headers), body: await r.text() };
    };
    return { app, gates, get };
  }
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise((resolve) => setImmediate(resolve));
  };

  test('beyond the limit requests wait their turn, beyond the queue they are 503 with Retry-After; probes pass', async () => {
    const { app, gates, get } = await slowServer({
      TONGBAN_HTTP_MAX_IN_FLIGHT: '2',
      TONGBAN_HTTP_IN_FLIGHT_QUEUE: '1',
    });
    try {
      const first = [get('/api/slow/wait'), get('/api/slow/wait')];
      await until(() => gates.length === 2);
      const queued = get('/api/slow/wait');
      const busy = await get('/api/slow/wait', { 'accept-language': 'en' });
      assert.equal(busy.statusCode, 503);
      assert.equal(problemOf(busy).code, 'SERVER_BUSY');
      assert.ok(busy.headers['retry-after'], 'Retry-After');
      assert.equal((await get('/healthz')).statusCode, 200, 'probes are not limited');
      assert.equal((await get('/api/slow/stream')).statusCode, 200, 'nor are streams');
      assert.equal((await get('/api/slow/hello')).statusCode, 503, 'full: another caller is refused');
      assert.equal(
        (await app.inject({ url: '/api/slow/hello' })).statusCode,
        200,
        'a module calling another in this process (injected) is not made to wait for itself',
      );
      assert.equal(gates.length, 2, 'the queued request has not started');
      gates.shift()!();
      assert.equal((await first[0]!).statusCode, 200);
      await until(() => gates.length === 2);
      for (const g of gates.splice(0)) g();
      assert.equal((await first[1]!).statusCode, 200);
      assert.equal((await queued).statusCode, 200);
      // Every place came back: two more at once are taken in.
      const again = [get('/api/slow/wait'), get('/api/slow/wait')];
      await until(() => gates.length === 2);
      for (const g of gates.splice(0)) g();
      for (const r of await Promise.all(again)) assert.equal(r.statusCode, 200);
    } finally {
      await app.close();
    }
  });

  test('unset, the embedded database gets a limit and PostgreSQL none', async () => {
    const embedded = await slowServer({});
    const postgres = await slowServer({ TONGBAN_DATABASE_URL: 'postgres://unused@127.0.0.1:1/none' });
    try {
      const many = Array.from({ length: 20 }, () => embedded.get('/api/slow/wait'));
      const more = Array.from({ length: 20 }, () => postgres.get('/api/slow/wait'));
      await until(() => postgres.gates.length === 20);
      await until(() => embedded.gates.length === 16);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(embedded.gates.length, 16, 'sixteen at once on the embedded database');
      let done = false;
      const all = Promise.all([...many, ...more]).finally(() => (done = true));
      // The four that waited start as places come free: let every request through as it arrives.
      while (!done) {
        for (const g of [...embedded.gates.splice(0), ...postgres.gates.splice(0)]) g();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      for (const r of await all) assert.equal(r.statusCode, 200);
    } finally {
      await embedded.app.close();
      await postgres.app.close();
    }
  });
});
