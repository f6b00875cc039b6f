// The HTTP edge every module shares: strict validation, RFC 9457 problems in the caller's
// language, policies on every route, limits, security headers, OpenAPI, health and metrics.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import Type from 'typebox';
import { createHttpServer } from '../src/http/server.ts';
import { compileValidator } from '../src/http/validation.ts';
import {
  DomainError,
  Policies,
  createLogger,
  declaredRoutes,
  defineErrors,
  defineModule,
  loadConfig,
} from '../src/index.ts';
import { createMetrics } from '../src/metrics.ts';
import { databaseLabel, operatorHeaders, startTestPlatform, type TestPlatform } from '../src/testing.ts';

const TinyErrors = defineErrors({
  TINY_WINDOW_CLOSED: { status: 409, zh: '{window} 号窗口已关闭', en: 'Window {window} is closed' },
});

const Count = Type.Object({ n: Type.Integer(), note: Type.Optional(Type.String()) }, { additionalProperties: false });

const tiny = defineModule({
  name: 'tiny',
  title: { zh: '小模块', en: 'Tiny' },
  errors: TinyErrors,
  routes(app) {
    app.post('/counts', { config: { policy: Policies.public }, schema: { body: Count } }, async (req) => ({
      n: req.body.n,
    }));
    app.get('/hello', { config: { policy: Policies.public }, schema: { summary: 'Say hello' } }, async () => ({
      hello: '你好',
    }));
    app.get('/ledger', { config: { policy: Policies.operator } }, async (req) => ({ principal: req.principal }));
    app.get('/crash', { config: { policy: Policies.public } }, async () => {
      throw new Error('connection to db-7.internal failed: password=hunter2');
    });
    app.get('/window', { config: { policy: Policies.public } }, async () => {
      throw new DomainError('TINY_WINDOW_CLOSED', { window: 3 });
    });
  },
});

function problemOf(res: LightMyRequestResponse) {
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  return res.json() as {
    type: string;
    title: string;
    status: number;
    code: string;
    instance?: string;
    errors?: { field: string; code: string }[];
  };
}

function assertFieldError(res: LightMyRequestResponse, field: string, code: string) {
  assert.equal(res.statusCode, 400);
  const problem = problemOf(res);
  assert.equal(problem.code, 'VALIDATION_FAILED');
  assert.ok(
    problem.errors?.some((e) => e.field === field && e.code === code),
    `expected ${field} ${code} in ${JSON.stringify(problem.errors)}`,
  );
}

describe(`HTTP edge (${databaseLabel})`, () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform([tiny], { env: { TONGBAN_HTTP_BODY_LIMIT: '1024' } });
  });
  after(() => p.dispose());

  const post = (payload: string, contentType = 'application/json') =>
    p.app.inject({ method: 'POST', url: '/api/tiny/counts', headers: { 'content-type': contentType }, payload });

  describe('request bodies', () => {
    test('a valid body is accepted', async () => {
      const res = await post(JSON.stringify({ n: 3, note: '加急' }));
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { n: 3 });
    });

    test('malformed JSON is a 400 MALFORMED_JSON problem', async () => {
      const res = await post('{"n": 3,');
      assert.equal(res.statusCode, 400);
      const problem = problemOf(res);
      assert.equal(problem.code, 'MALFORMED_JSON');
      assert.equal(problem.status, 400);
      assert.equal(problem.instance, '/api/tiny/counts');
    });

    test('a string where an integer belongs is refused, not coerced', async () => {
      assertFieldError(await post(JSON.stringify({ n: '5' })), 'body.n', 'wrong_type');
    });

    test('a number past the range of a double (1e400 parses to Infinity) is refused where an integer belongs', async () => {
      assertFieldError(await post('{"n":1e400}'), 'body.n', 'wrong_type');
      const inUrl = compileValidator({ schema: Type.Object({ v: Type.Integer() }), httpPart: 'querystring' });
      assert.equal(inUrl({ v: '1e400' }), false);
      assert.equal(inUrl({ v: '12' }), true);
      const text = compileValidator({ schema: Type.Object({ q: Type.String() }), httpPart: 'querystring' });
      assert.equal(text({ q: '1e400' }), true, 'a string stays a string');
    });

    test('an unknown field is refused, not dropped', async () => {
      assertFieldError(await post(JSON.stringify({ n: 1, admin: true })), 'body.admin', 'unknown_field');
    });

    test('a missing field is named as required', async () => {
      assertFieldError(await post(JSON.stringify({ note: 'x' })), 'body.n', 'required');
    });

    test('a body over TONGBAN_HTTP_BODY_LIMIT is a 413 BODY_TOO_LARGE problem', async () => {
      const res = await post(JSON.stringify({ n: 1, note: 'x'.repeat(2000) }));
      assert.equal(res.statusCode, 413);
      assert.equal(problemOf(res).code, 'BODY_TOO_LARGE');
    });

    test('a text/plain body is a 415 problem', async () => {
      const res = await post('n=1', 'text/plain');
      assert.equal(res.statusCode, 415);
      assert.equal(problemOf(res).code, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('errors', () => {
    test('an unknown route is a 404 problem', async () => {
      const res = await p.app.inject({ url: '/api/tiny/nowhere?x=1' });
      assert.equal(res.statusCode, 404);
      const problem = problemOf(res);
      assert.equal(problem.code, 'NOT_FOUND');
      assert.equal(problem.instance, '/api/tiny/nowhere');
    });

    test('a handler that throws a plain Error answers 500 INTERNAL and leaks neither message nor stack', async () => {
      const res = await p.app.inject({ url: '/api/tiny/crash' });
      assert.equal(res.statusCode, 500);
      assert.equal(problemOf(res).code, 'INTERNAL');
      assert.doesNotMatch(res.body, /hunter2|db-7|stack|\.ts:\d+/);
    });

    test('a DomainError answers with its status and its title in the language asked for', async () => {
      const en = await p.app.inject({ url: '/api/tiny/window', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
      assert.equal(en.statusCode, 409);
      assert.equal(problemOf(en).code, 'TINY_WINDOW_CLOSED');
      assert.equal(problemOf(en).title, 'Window 3 is closed');
      const zh = await p.app.inject({
        url: '/api/tiny/window',
        headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' },
      });
      assert.equal(problemOf(zh).title, '3 号窗口已关闭');
      const unspecified = await p.app.inject({ url: '/api/tiny/window' });
      assert.equal(problemOf(unspecified).title, '3 号窗口已关闭', 'Chinese unless the caller prefers English');
    });
  });

  describe('policies', () => {
    test('an operator route without a token is 401 UNAUTHENTICATED', async () => {
      const res = await p.app.inject({ url: '/api/tiny/ledger' });
      assert.equal(res.statusCode, 401);
      assert.equal(problemOf(res).code, 'UNAUTHENTICATED');
    });

    test('a wrong operator token is 401 UNAUTHENTICATED', async () => {
      const res = await p.app.inject({ url: '/api/tiny/ledger', headers: { authorization: 'Bearer not-the-token' } });
      assert.equal(res.statusCode, 401);
    });

    test('the operator token opens an operator route', async () => {
      const res = await p.app.inject({ url: '/api/tiny/ledger', headers: operatorHeaders() });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), {
        principal: {
          kind: 'operator',
          id: 'operator-token',
          roles: [],
          departments: [],
          regions: [],
          assurance: 'password',
        },
      });
    });

    test('a signed-in principal of the wrong kind is 403 FORBIDDEN', async () => {
      const citizens = await startTestPlatform([tiny], {
        authenticate: () => ({
          kind: 'citizen',
          id: 'c-1',
          roles: [],
          departments: [],
          regions: [],
          assurance: 'password',
        }),
      });
      try {
        const res = await citizens.app.inject({
          url: '/api/tiny/ledger',
          headers: { authorization: 'Bearer citizen' },
        });
        assert.equal(res.statusCode, 403);
        assert.equal(problemOf(res).code, 'FORBIDDEN');
      } finally {
        await citizens.dispose();
      }
    });

    test('a route registered without a policy stops the platform from starting', async () => {
      const careless = defineModule({
        name: 'careless',
        title: { zh: '疏忽', en: 'Careless' },
        routes(app) {
          app.get('/open', async () => ({ oops: true }));
        },
      });
      await assert.rejects(startTestPlatform([careless]), /GET \/api\/careless\/open declares no policy/);
    });
  });

  describe('headers', () => {
    test('security headers are set, and HSTS only in production', async () => {
      const res = await p.app.inject({ url: '/api/tiny/hello' });
      assert.ok(res.headers['content-security-policy'], 'content-security-policy');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['strict-transport-security'], undefined);
    });

    test('production adds strict-transport-security', async () => {
      const app = await createHttpServer({
        config: loadConfig({ NODE_ENV: 'production', TONGBAN_LOG_LEVEL: 'silent' }),
        log: createLogger({ logLevel: 'silent' }),
        metrics: createMetrics(),
        version: 'test',
        authenticate: () => undefined,
        readiness: async () => ({}),
      });
      try {
        const res = await app.inject({ url: '/healthz' });
        assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/);
      } finally {
        await app.close();
      }
    });

    test('a given x-request-id is echoed back', async () => {
      const res = await p.app.inject({ url: '/api/tiny/hello', headers: { 'x-request-id': 'trace-42.a_b' } });
      assert.equal(res.headers['x-request-id'], 'trace-42.a_b');
    });

    test('without an x-request-id (or with an unsafe one) a fresh one is generated', async () => {
      const none = await p.app.inject({ url: '/api/tiny/hello' });
      const unsafe = await p.app.inject({ url: '/api/tiny/hello', headers: { 'x-request-id': 'bad id\twith spaces' } });
      const oversized = await p.app.inject({ url: '/api/tiny/hello', headers: { 'x-request-id': 'x'.repeat(300) } });
      for (const res of [none, unsafe, oversized]) assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
      assert.notEqual(none.headers['x-request-id'], unsafe.headers['x-request-id']);
    });

    test('errors carry the x-request-id too', async () => {
      const res = await p.app.inject({ url: '/api/tiny/crash', headers: { 'x-request-id': 'crash-1' } });
      assert.equal(res.headers['x-request-id'], 'crash-1');
    });
  });

  describe('documentation, health and metrics', () => {
    test('/api/openapi.json is OpenAPI 3.1 and lists the module routes', async () => {
      const res = await p.app.inject({ url: '/api/openapi.json' });
      assert.equal(res.statusCode, 200);
      const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { security?: unknown[] }>> };
      assert.match(doc.openapi, /^3\.1\./);
      assert.ok(doc.paths['/api/tiny/counts']?.post, 'POST /api/tiny/counts');
      assert.ok(doc.paths['/api/tiny/hello']?.get, 'GET /api/tiny/hello');
      assert.deepEqual(
        doc.paths['/api/tiny/ledger']?.get?.security,
        [{ bearer: [] }],
        'operator routes say they need a token',
      );
      assert.equal(doc.paths['/api/tiny/hello']?.get?.security, undefined);
    });

    test('every operation says who may call it (x-tongban-policy), as the route table does', async () => {
      const doc = (await p.app.inject({ url: '/api/openapi.json' })).json() as {
        paths: Record<string, Record<string, { 'x-tongban-policy'?: unknown }>>;
      };
      assert.deepEqual(doc.paths['/api/tiny/hello']?.get?.['x-tongban-policy'], { public: true });
      const operator = { kinds: ['operator'], roles: {}, assurance: {}, resource: false };
      assert.deepEqual(doc.paths['/api/tiny/ledger']?.get?.['x-tongban-policy'], operator);
      const routes = declaredRoutes(p.app);
      assert.deepEqual(routes.find((r) => r.method === 'GET' && r.url === '/api/tiny/ledger')?.policy, operator);
      const healthz = routes.find((r) => r.method === 'GET' && r.url === '/healthz');
      assert.deepEqual(healthz, { method: 'GET', url: '/healthz', policy: { public: true }, documented: false });
    });

    test('/api/docs serves the browsable UI', async () => {
      let res = await p.app.inject({ url: '/api/docs' });
      for (let hops = 0; hops < 3 && res.statusCode >= 300 && res.statusCode < 400; hops++) {
        res = await p.app.inject({ url: new URL(String(res.headers.location), 'http://localhost/api/docs').pathname });
      }
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(res.body, /swagger/i);
    });

    test('/healthz answers 200', async () => {
      const res = await p.app.inject({ url: '/healthz' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'ok' });
    });

    test('/readyz answers 200 when the database and the bus are reachable', async () => {
      const res = await p.app.inject({ url: '/readyz' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'ready', checks: { database: 'ok', bus: 'ok' } });
    });

    test('/metrics reports request durations by route', async () => {
      await p.app.inject({ url: '/api/tiny/hello' });
      const res = await p.app.inject({ url: '/metrics' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /tongban_http_request_duration_seconds_count\{[^}]*route="\/api\/tiny\/hello"[^}]*\} \d+/);
    });
  });
});

describe(`rate limiting (${databaseLabel})`, () => {
  test('over TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE a caller gets 429 RATE_LIMITED', async () => {
    const p = await startTestPlatform([tiny], { env: { TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      for (let i = 1; i <= 3; i++)
        assert.equal((await p.app.inject({ url: '/api/tiny/hello' })).statusCode, 200, `request ${i}`);
      const limited = await p.app.inject({ url: '/api/tiny/hello', headers: { 'accept-language': 'en' } });
      assert.equal(limited.statusCode, 429);
      const problem = problemOf(limited);
      assert.equal(problem.code, 'RATE_LIMITED');
      assert.equal(problem.title, 'Too many requests; try again later');
      assert.equal((await p.app.inject({ url: '/healthz' })).statusCode, 200, 'probes are not rate limited');
    } finally {
      await p.dispose();
    }
  });
});
