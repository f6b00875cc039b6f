// What Node's HTTP parser and Fastify's router answer before any hook runs — slow bodies, huge
// headers, malformed request lines, undecodable and over-long URLs — is problem+json too, and a
// body trickled in slowly is cut off by the request timeout.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import Type from 'typebox';
import { defineModule, Policies } from '../src/index.ts';
import { databaseLabel, startTestPlatform, type TestPlatform } from '../src/testing.ts';

const edge = defineModule({
  name: 'edge',
  title: { zh: '边缘', en: 'Edge' },
  routes(app) {
    app.post('/things', { config: { policy: Policies.public }, schema: { body: Type.Object({}) } }, async () => ({
      ok: true,
    }));
    app.get('/matters/:code', { config: { policy: Policies.public } }, async () => ({ ok: true }));
  },
});

/** Sends raw bytes, collects the answer until the server closes the connection. */
async function rawExchange(port: number, request: string | Buffer): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  let answer = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    answer += chunk;
  });
  socket.on('error', () => undefined); // the server may reset after answering
  socket.write(request);
  await once(socket, 'close');
  return answer;
}

function problemIn(answer: string, status: number, code: string): void {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  assert.match(head, new RegExp(`^HTTP/1\\.1 ${status} `), answer);
  assert.match(head, /content-type: application\/problem\+json/i);
  const problem = JSON.parse(body) as { status: number; code: string };
  assert.deepEqual([problem.status, problem.code], [status, code]);
}

function assertProblem(res: LightMyRequestResponse, status: number, code: string): void {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  assert.equal((res.json() as { code: string }).code, code);
}

describe(`answers before routing (${databaseLabel})`, () => {
  let p: TestPlatform;
  let port: number;
  before(async () => {
    p = await startTestPlatform([edge], { env: { TONGBAN_PORT: '0', TONGBAN_HTTP_REQUEST_TIMEOUT_MS: '500' } });
    port = Number(new URL(await p.listen()).port);
  });
  after(() => p.dispose());

  test('a body trickled byte by byte is answered 408 problem+json once the request timeout passes', async () => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', () => undefined);
    socket.write(
      'POST /api/edge/things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n',
    );
    let sent = 0;
    const trickle = setInterval(() => {
      if (socket.writable) {
        socket.write(' ');
        sent++;
      }
    }, 50);
    try {
      await once(socket, 'close');
    } finally {
      clearInterval(trickle);
    }
    problemIn(answer, 408, 'REQUEST_TIMEOUT');
    // A bound in bytes, not time: at one byte per 50 ms a 500 ms timeout (checked every 100 ms)
    // ends it after ~12; before the fix Node checked every 30 s, and 60 s for headers.
    assert.ok(sent < 40, `${sent} bytes trickled before the connection was cut`);
  });

  test('headers too large are 431 problem+json', async () => {
    const answer = await rawExchange(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    problemIn(answer, 431, 'HEADERS_TOO_LARGE');
  });

  test('a HEAD with headers too large is answered 431 with headers only, no body after them', async () => {
    const answer = await rawExchange(port, `HEAD /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const [head = '', body] = answer.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 431 /, answer);
    assert.match(head, /content-type: application\/problem\+json/i);
    assert.equal(body, '');
  });

  test('a URL longer than the parser takes is 414 problem+json, not 431', async () => {
    const answer = await rawExchange(port, `GET /api/edge/things?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    problemIn(answer, 414, 'URI_TOO_LONG');
  });

  test('a malformed request line is 400 problem+json', async () => {
    problemIn(await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n'), 400, 'MALFORMED_REQUEST');
  });

  test('bad percent-encoding in the path is 400 MALFORMED_URL', async () => {
    assertProblem(await p.app.inject({ url: '/api/edge/matters/%E0%A4%A' }), 400, 'MALFORMED_URL');
    problemIn(
      await rawExchange(port, 'GET /api/edge/matters/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      400,
      'MALFORMED_URL',
    );
  });

  test('a path param longer than the router takes is 414 URI_TOO_LONG', async () => {
    assertProblem(await p.app.inject({ url: `/api/edge/matters/${'M'.repeat(500)}` }), 414, 'URI_TOO_LONG');
    const long = await p.app.inject({ url: `/api/edge/matters/${'M'.repeat(10_000)}` });
    assertProblem(long, 414, 'URI_TOO_LONG');
    assert.ok(long.body.length < 1_000, `the answer does not echo the URL (${long.body.length} bytes)`);
  });

  test('the ordinary route still answers', async () => {
    assert.equal((await p.app.inject({ url: '/api/edge/matters/M001' })).statusCode, 200);
  });
});
