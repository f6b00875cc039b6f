// Signed webhooks against real local HTTP servers, and the SSRF guard: private, loopback,
// mapped and encoded addresses refused before any connection; DNS rebinding defeated by pinning
// the vetted address; redirects, hangs and huge bodies handled as documented in webhook.ts.
import assert from 'node:assert/strict';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { pinnedLookup, postOutbound, vetDestination, type Resolver } from '../../src/service/channels/outbound.ts';
import { ChannelError, type OutboundPolicy, type WebhookRequest } from '../../src/service/channels/types.ts';
import {
  generateWebhookKey,
  parseWebhookKey,
  publicKeyShown,
  sendWebhook,
  serializeWebhookKey,
  verifyWebhook,
} from '../../src/service/channels/webhook.ts';
import { selfSignedCertificate } from './certificate.ts';
import { listen, reply, type TestServer } from './servers.ts';

const local: OutboundPolicy = { allowPrivate: true, httpsOnly: false, timeoutMs: 2_000, maxResponseBytes: 64 * 1024 };
const guarded: OutboundPolicy = { ...local, allowPrivate: false };
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));
const serve = async (...args: Parameters<typeof listen>) => {
  const s = await listen(...args);
  servers.push(s);
  return s;
};

const body = JSON.stringify({ kind: 'approved', applicationId: 'app_1', caseNumber: 'TB-2026-000001' });
const request = (url: string, key = generateWebhookKey('hmac-sha256').key): WebhookRequest => ({
  url,
  id: 'msg_2QjZ',
  timestamp: Math.floor(Date.now() / 1000),
  body,
  key,
});

async function refused(p: Promise<unknown>, code: string, retryable: boolean) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ChannelError, String(e));
    assert.equal(e.code, code, e.message);
    assert.equal(e.retryable, retryable);
    return true;
  });
}

test('an HMAC-signed delivery arrives and the standardwebhooks package verifies it', async () => {
  const target = await serve(reply(204));
  const { key, shown } = generateWebhookKey('hmac-sha256');
  assert.match(shown, /^whsec_/);
  assert.deepEqual(await sendWebhook(request(`${target.url}/hooks/tongban?x=1`, key), local), { status: 204 });
  const got = target.received[0];
  assert.ok(got);
  assert.equal(got.url, '/hooks/tongban?x=1');
  assert.equal(got.body, body);
  assert.equal(got.headers['webhook-id'], 'msg_2QjZ');
  assert.deepEqual(new Webhook(shown).verify(got.body, got.headers as Record<string, string>), JSON.parse(body));
});

test('an Ed25519-signed delivery verifies with the public key shown once', async () => {
  const target = await serve(reply(200, '{"ok":true}'));
  const { key, shown } = generateWebhookKey('ed25519');
  assert.match(shown, /^-----BEGIN PUBLIC KEY-----/);
  await sendWebhook(request(target.url, key), local);
  const got = target.received[0];
  assert.ok(got);
  assert.match(String(got.headers['webhook-signature']), /^v1a,/);
  assert.equal(verifyWebhook(got.headers, got.body, shown, Math.floor(Date.now() / 1000)), true);
  assert.equal(verifyWebhook(got.headers, got.body + 'x', shown, Math.floor(Date.now() / 1000)), false);
  // The same key in Standard Webhooks' whpk_ form, and through node:crypto alone.
  const now = Math.floor(Date.now() / 1000);
  assert.equal(
    verifyWebhook(got.headers, got.body, publicKeyShown(key.kind === 'ed25519' ? key.privateKeyPem : ''), now),
    true,
  );
  const signed = Buffer.from(
    `${String(got.headers['webhook-id'])}.${String(got.headers['webhook-timestamp'])}.${got.body}`,
  );
  const sig = Buffer.from(String(got.headers['webhook-signature']).slice('v1a,'.length), 'base64');
  assert.equal(cryptoVerify(null, signed, createPublicKey(shown), sig), true);
});

test('a stored key signs as the generated one did', () => {
  for (const kind of ['hmac-sha256', 'ed25519'] as const) {
    const { key } = generateWebhookKey(kind);
    assert.deepEqual(parseWebhookKey(kind, serializeWebhookKey(key)), key);
  }
});

test('answers map to retry or not: 5xx, 408 and 429 are retried; 410 and other 4xx are not', async () => {
  const cases: [number, string, boolean][] = [
    [500, 'target_unavailable', true],
    [503, 'target_unavailable', true],
    [408, 'target_busy', true],
    [429, 'target_busy', true],
    [410, 'gone', false],
    [404, 'target_rejected', false],
    [400, 'target_rejected', false],
  ];
  for (const [status, code, retryable] of cases) {
    const target = await serve(reply(status));
    await refused(sendWebhook(request(target.url), local), code, retryable);
  }
});

test('a redirect to a private address is refused and never followed', async () => {
  const inside = await serve(reply(200));
  const target = await serve(reply(302, '', { location: `${inside.url}/admin` }));
  await refused(sendWebhook(request(target.url), local), 'redirect_refused', false);
  assert.equal(inside.received.length, 0);
});

test('the SSRF corpus is refused before any connection', async () => {
  const inside = await serve(reply(200));
  const p = inside.port;
  const corpus = [
    `http://127.0.0.1:${p}/`,
    `http://2130706433:${p}/`,
    `http://0x7f.1:${p}/`,
    `http://0177.0.0.1:${p}/`,
    `http://127.1:${p}/`,
    `http://[::1]:${p}/`,
    `http://[::ffff:127.0.0.1]:${p}/`,
    `http://[::ffff:7f00:1]:${p}/`,
    `http://[64:ff9b::7f00:1]:${p}/`,
    `http://[2002:7f00:1::]:${p}/`,
    `http://localhost:${p}/`,
    `http://api.localhost:${p}/`,
    `http://0.0.0.0:${p}/`,
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://192.168.0.1/',
    'http://100.64.0.1/',
    'http://[fe80::1]/',
  ];
  for (const url of corpus) await refused(sendWebhook(request(url), guarded), 'address_refused', false);
  assert.equal(inside.received.length, 0);
});

test('https only in production: http and other schemes are refused, credentials in the URL too', async () => {
  await refused(
    sendWebhook(request('http://hooks.example.gov.cn/'), { ...guarded, httpsOnly: true }),
    'https_required',
    false,
  );
  await refused(sendWebhook(request('ftp://hooks.example.gov.cn/'), guarded), 'url_invalid', false);
  await refused(sendWebhook(request('file:///etc/passwd'), guarded), 'url_invalid', false);
  await refused(sendWebhook(request('https://user:pw@hooks.example.gov.cn/'), guarded), 'url_invalid', false);
  await refused(sendWebhook(request('not a url'), guarded), 'url_invalid', false);
});

test('a name is refused when ANY of its addresses is private', async () => {
  const inside = await serve(reply(200));
  const toLoopback: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
  const mixed: Resolver = async () => [
    { address: '8.8.8.8', family: 4 },
    { address: '::1', family: 6 },
  ];
  const url = `http://hooks.example.gov.cn:${inside.port}/`;
  await refused(sendWebhook(request(url), guarded, { resolve: toLoopback }), 'address_refused', false);
  await refused(sendWebhook(request(url), guarded, { resolve: mixed }), 'address_refused', false);
  await refused(sendWebhook(request(url), guarded, { resolve: async () => [] }), 'dns_failed', true);
  await refused(
    sendWebhook(request(url), guarded, {
      resolve: () => Promise.reject(Object.assign(new Error('nx'), { code: 'ENOTFOUND' })),
    }),
    'dns_failed',
    true,
  );
  assert.equal(inside.received.length, 0);
});

test('DNS rebinding: the name is resolved once and the connection goes to the vetted address only', async () => {
  // Over real sockets: the first answer is where the server listens, every later one a different
  // loopback address where nothing does. A client that asked again at connect time would fail.
  const target = await serve(reply(200));
  let asked = 0;
  const rebinding: Resolver = async () =>
    asked++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '127.0.0.2', family: 4 }];
  const url = `http://hooks.example.gov.cn:${target.port}/`;
  assert.deepEqual(await sendWebhook(request(url), local, { resolve: rebinding }), { status: 200 });
  assert.equal(asked, 1);
  assert.equal(target.received[0]?.headers.host, `hooks.example.gov.cn:${target.port}`);

  // With the guard on: public to the check, loopback afterwards. The check asks once and the
  // connection is pinned to that answer (shown above over real sockets), so no second question is
  // ever put — checked here without sending anything to the public address.
  asked = 0;
  const publicThenLoopback: Resolver = async () =>
    asked++ === 0 ? [{ address: '203.0.114.7', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
  const vetted = await vetDestination(new URL(url), guarded, publicThenLoopback);
  assert.deepEqual(vetted, { address: '203.0.114.7', family: 4 });
  assert.equal(asked, 1);
  const pinned: unknown[] = [];
  (pinnedLookup(vetted) as unknown as (h: string, o: object, cb: (...a: unknown[]) => void) => void)(
    'hooks.example.gov.cn',
    { all: true },
    (...a) => pinned.push(a),
  );
  assert.deepEqual(pinned, [[null, [{ address: '203.0.114.7', family: 4 }]]]);
  assert.equal(asked, 1);
});

test('the pinned lookup answers only the vetted address, whatever it is asked', () => {
  const lookup = pinnedLookup({ address: '203.0.114.7', family: 4 });
  const answers: unknown[] = [];
  (lookup as unknown as (h: string, o: object, cb: (...a: unknown[]) => void) => void)(
    'evil.example',
    { all: true },
    (...a) => answers.push(a),
  );
  (lookup as unknown as (h: string, o: object, cb: (...a: unknown[]) => void) => void)('localhost', {}, (...a) =>
    answers.push(a),
  );
  assert.deepEqual(answers, [
    [null, [{ address: '203.0.114.7', family: 4 }]],
    [null, '203.0.114.7', 4],
  ]);
});

test('a target that never answers, or answers its body forever, times out (retried)', async () => {
  const silent = await serve(() => undefined);
  await refused(sendWebhook(request(silent.url), { ...local, timeoutMs: 200 }), 'timeout', true);
  const trickle = await serve((_req, res) => {
    res.writeHead(200);
    const tick = setInterval(() => res.write('.'), 20);
    res.on('close', () => clearInterval(tick));
  });
  await refused(sendWebhook(request(trickle.url), { ...local, timeoutMs: 300 }), 'timeout', true);
});

test('the deadline covers DNS too: a resolver that never answers times out', async () => {
  const never: Resolver = () => new Promise(() => undefined);
  await refused(
    sendWebhook(request('https://hooks.example.gov.cn/'), { ...guarded, timeoutMs: 100 }, { resolve: never }),
    'timeout',
    true,
  );
});

test('a huge response body is read only up to the cap', async () => {
  const huge = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(Buffer.alloc(8 * 1024 * 1024, 'a'));
  });
  const res = await postOutbound(huge.url, {}, '{}', { ...local, maxResponseBytes: 1024 });
  assert.equal(res.status, 200);
  assert.equal(res.truncated, true);
  assert.equal(res.body.length, 1024);
  assert.deepEqual(await sendWebhook(request(huge.url), { ...local, maxResponseBytes: 1024 }), { status: 200 });
});

test('a refused connection is retried', async () => {
  const gone = await listen(reply(200));
  await gone.close();
  await refused(sendWebhook(request(gone.url), local), 'connection_failed', true);
});

test('TLS is verified against the host name even though the address is pinned', async () => {
  const { key, cert } = selfSignedCertificate(['localhost', 'hooks.example.gov.cn']);
  const server = createHttpsServer({ key, cert }, (_req, res) => res.writeHead(200).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  const { port } = server.address() as AddressInfo;
  const toLoopback: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
  // Trusted and named as issued: delivered, to a literal host and to a name on the pinned address.
  assert.deepEqual(await sendWebhook(request(`https://localhost:${port}/`), local, { ca: cert }), { status: 200 });
  assert.deepEqual(
    await sendWebhook(request(`https://hooks.example.gov.cn:${port}/`), local, { resolve: toLoopback, ca: cert }),
    { status: 200 },
  );
  // Not trusted: refused.
  await assert.rejects(sendWebhook(request(`https://localhost:${port}/`), local), /SELF_SIGNED|self-signed/i);
  // Trusted, but the pinned address serves a certificate for another name: refused.
  await assert.rejects(
    sendWebhook(request(`https://other.example.gov.cn:${port}/`), local, { resolve: toLoopback, ca: cert }),
    (e: unknown) => e instanceof ChannelError && e.code === 'connection_failed' && /ALTNAME/.test(e.message),
  );
});
