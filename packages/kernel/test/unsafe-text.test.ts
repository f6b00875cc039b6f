// NUL, other C0 controls and lone surrogates are refused at the edge, in one place, as a 400
// field error — in JSON bodies, forms, query strings (raw ones too) and path params.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import Type from 'typebox';
import { defineModule, findUnsafeText, findUnsafeUrlEncoded, Policies } from '../src/index.ts';
import { databaseLabel, startTestPlatform, type TestPlatform } from '../src/testing.ts';

let handled = 0;

const texts = defineModule({
  name: 'texts',
  title: { zh: '文本', en: 'Texts' },
  routes(app) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const Body = Type.Object({
      name: Type.String(),
      items: Type.Optional(Type.Array(Type.Object({ note: Type.String() }))),
    });
    app.post('/things', { config: { policy: Policies.public }, schema: { body: Body } }, async () => ({
      ok: ++handled,
    }));
    app.post('/form', { config: { policy: Policies.public } }, async () => ({ ok: ++handled }));
    app.get(
      '/things/:id',
      {
        config: { policy: Policies.public },
        schema: { querystring: Type.Object({ q: Type.Optional(Type.String()) }) },
      },
      async () => ({ ok: ++handled }),
    );
  },
  rootRoutes(app) {
    // Like identity's /oidc/* mount: the handler reads the raw request, no schema, no parsed query.
    app.get('/oidc/auth', { config: { policy: Policies.public } }, async () => ({ ok: ++handled }));
  },
});

function assertRefused(res: LightMyRequestResponse, field: string, code: 'control_character' | 'lone_surrogate') {
  assert.equal(res.statusCode, 400, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const problem = res.json() as { code: string; errors: { field: string; code: string; message: string }[] };
  assert.equal(problem.code, 'VALIDATION_FAILED');
  assert.deepEqual(
    problem.errors.map((e) => [e.field, e.code]),
    [[field, code]],
  );
}

describe(`unsafe text at the edge (${databaseLabel})`, () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform([texts]);
  });
  after(() => p.dispose());

  const json = (body: string) =>
    p.app.inject({
      method: 'POST',
      url: '/api/texts/things',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });

  test('NUL in a JSON string is a field error, and the handler never runs', async () => {
    const before = handled;
    assertRefused(await json('{"name":"a\\u0000b"}'), 'body.name', 'control_character');
    assert.equal(handled, before);
  });

  test('a lone surrogate in a nested JSON string is a field error naming its path', async () => {
    assertRefused(
      await json('{"name":"ok","items":[{"note":"fine"},{"note":"x\\ud800"}]}'),
      'body.items.1.note',
      'lone_surrogate',
    );
    assertRefused(await json('{"name":"\\udc00"}'), 'body.name', 'lone_surrogate');
  });

  test('other C0 controls are refused, TAB, LF and CR and paired surrogates are not', async () => {
    assertRefused(await json('{"name":"bell\\u0007"}'), 'body.name', 'control_character');
    assertRefused(await json('{"name":"esc\\u001b[31m"}'), 'body.name', 'control_character');
    const res = await json('{"name":"a\\tb\\nc\\r\\nd 😀 \\ud83d\\ude00 通办"}');
    assert.equal(res.statusCode, 200, res.body);
  });

  test('an unsafe key is refused too, written printably in the field name', async () => {
    assertRefused(await json('{"name":"ok","a\\u0000":1}'), 'body.a\\u0000', 'control_character');
  });

  test('NUL in a form field is a field error', async () => {
    const res = await p.app.inject({
      method: 'POST',
      url: '/api/texts/form',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'login=%00&password=x',
    });
    assertRefused(res, 'body.login', 'control_character');
  });

  test('NUL in a query string is a field error', async () => {
    assertRefused(await p.app.inject({ url: '/api/texts/things/1?q=%00' }), 'query.q', 'control_character');
  });

  test('NUL in a path param is a field error', async () => {
    assertRefused(await p.app.inject({ url: '/api/texts/things/a%00b' }), 'params.id', 'control_character');
  });

  test('raw query strings are checked on routes the kernel does not parse for (/oidc/*)', async () => {
    const res = await p.app.inject({ url: '/oidc/auth?client_id=%00&response_type=code' });
    assertRefused(res, 'query.client_id', 'control_character');
    assert.equal((await p.app.inject({ url: '/oidc/auth?client_id=portal' })).statusCode, 200);
  });

  test("messages come in the caller's language", async () => {
    const res = await p.app.inject({ url: '/api/texts/things/1?q=%01', headers: { 'accept-language': 'en' } });
    assert.match((res.json() as { errors: { message: string }[] }).errors[0]!.message, /control character/);
  });
});

describe('findUnsafeText and findUnsafeUrlEncoded (for raw-body routes)', () => {
  test('find the first unsafe string with its path, or nothing', () => {
    assert.deepEqual(findUnsafeText({ a: ['x', { b: 'y\u0000' }] }, 'body', 'en'), {
      field: 'body.a.1.b',
      code: 'control_character',
      message: 'contains a control character that is not allowed (such as NUL)',
    });
    assert.equal(findUnsafeText({ a: ['x', 1, null, true, { b: 'ü\t' }] }, 'body'), undefined);
  });

  test('a deeply nested value does not overflow the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.equal(findUnsafeText(deep, 'body')?.code, 'control_character');
  });

  test('raw bytes are not walked as records: a raw-body route checks its own bytes', () => {
    assert.equal(findUnsafeText(Buffer.from('client_id=\u0000'), 'body'), undefined);
    assert.equal(findUnsafeText({ raw: new Uint8Array([0, 1, 2]) }, 'body'), undefined);
  });

  test('raw form bodies and query strings, as text or bytes', () => {
    assert.equal(findUnsafeUrlEncoded('grant_type=client_credentials&client_id=%00', 'body')?.field, 'body.client_id');
    assert.equal(findUnsafeUrlEncoded(Buffer.from('a=1&b%00=2'), 'body')?.field, 'body.b\\u0000');
    assert.equal(
      findUnsafeUrlEncoded('a=%E0%A4%A&b=ok+fine&c=%E9%80%9A', 'query'),
      undefined,
      "malformed encoding is the parser's business",
    );
  });
});

describe(`unsafe queries count against the rate limit (${databaseLabel})`, () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform([texts], { env: { TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  after(() => p.dispose());

  test('the fourth refused query in a minute is 429, not another 400', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await p.app.inject({ url: '/oidc/auth?client_id=%00' })).statusCode, 400);
    assert.equal((await p.app.inject({ url: '/oidc/auth?client_id=%00' })).statusCode, 429);
  });
});
