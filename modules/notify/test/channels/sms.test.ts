// The HTTP SMS gateway protocol (sms-http.ts) against real local servers, its signed delivery
// receipts, and failover between two real gateways: 49 errors do not demote, the 50th does, and
// every message still goes out.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { after, test } from 'node:test';
import { createFailoverSms } from '../../src/service/channels/failover.ts';
import {
  createHttpSmsGateway,
  parseGatewayReceipt,
  verifyGatewayReceipt,
} from '../../src/service/channels/sms-http.ts';
import { ChannelError, type OutboundPolicy, type SmsMessage } from '../../src/service/channels/types.ts';
import { listen, reply, type Received, type TestServer } from './servers.ts';

const policy: OutboundPolicy = { allowPrivate: true, httpsOnly: false, timeoutMs: 2_000, maxResponseBytes: 16 * 1024 };
const apiKey = 'gateway-test-key-not-a-secret';
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));
const serve = async (...args: Parameters<typeof listen>) => {
  const s = await listen(...args);
  servers.push(s);
  return s;
};

/** A gateway as the protocol describes it, checking our signature independently. */
const gateway = (name: string) => (req: Received, res: ServerResponse) => {
  const ts = String(req.headers['x-tongban-timestamp']);
  const expected = createHmac('sha256', apiKey).update(`${ts}.${req.body}`).digest('hex');
  if (req.headers['x-tongban-signature'] !== expected) return reply(401, '{"error":"signature"}')(req, res);
  const { messageId } = JSON.parse(req.body) as { messageId: string };
  reply(200, JSON.stringify({ id: `${name}-${messageId}` }))(req, res);
};

const message = (n: number): SmsMessage => ({
  to: '+8613800138000',
  text: `【通办】您的申请 TB-2026-${n} 已受理。`,
  messageId: `msg_${n}`,
});

async function refused(p: Promise<unknown>, code: string, retryable: boolean) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ChannelError, String(e));
    assert.equal(e.code, code, e.message);
    assert.equal(e.retryable, retryable);
    return true;
  });
}

test('a message goes out signed, as JSON, and comes back with the provider id', async () => {
  const server = await serve(gateway('alpha'));
  const sms = createHttpSmsGateway({ name: 'alpha', url: `${server.url}/v1/sms`, apiKey, policy });
  assert.deepEqual(await sms.send(message(1)), { provider: 'alpha', providerMessageId: 'alpha-msg_1' });
  const got = server.received[0];
  assert.ok(got);
  assert.equal(got.url, '/v1/sms');
  assert.deepEqual(JSON.parse(got.body), message(1));
  assert.match(String(got.headers['content-type']), /application\/json/);
  assert.ok(Math.abs(Number(got.headers['x-tongban-timestamp']) - Date.now() / 1000) < 60);
});

test('a refusal is not retried; an unavailable gateway, a timeout and an unreadable answer are told apart', async () => {
  const bad = await serve(reply(400, '{"error":"invalid number"}'));
  await refused(
    createHttpSmsGateway({ name: 'a', url: bad.url, apiKey, policy }).send(message(2)),
    'sms_rejected',
    false,
  );
  const down = await serve(reply(503));
  await refused(
    createHttpSmsGateway({ name: 'a', url: down.url, apiKey, policy }).send(message(3)),
    'provider_unavailable',
    true,
  );
  const silent = await serve(() => undefined);
  await refused(
    createHttpSmsGateway({ name: 'a', url: silent.url, apiKey, policy, timeoutMs: 200 }).send(message(4)),
    'timeout',
    true,
  );
  const odd = await serve(reply(200, '<html>ok</html>'));
  await refused(
    createHttpSmsGateway({ name: 'a', url: odd.url, apiKey, policy }).send(message(5)),
    'provider_bad_response',
    false,
  );
  const closed = await listen(reply(200));
  await closed.close();
  await refused(
    createHttpSmsGateway({ name: 'a', url: closed.url, apiKey, policy }).send(message(6)),
    'provider_unavailable',
    true,
  );
});

test('the gateway URL passes the SSRF guard like any other', async () => {
  const sms = createHttpSmsGateway({
    name: 'a',
    url: 'http://10.0.0.8/sms',
    apiKey,
    policy: { ...policy, allowPrivate: false },
  });
  await refused(sms.send(message(7)), 'address_refused', false);
});

test('a delivery receipt is accepted only when signed with the key and fresh', () => {
  const body = JSON.stringify({ id: 'alpha-msg_1', messageId: 'msg_1', status: 'delivered' });
  const now = 1_796_000_000;
  const sign = (ts: number, b = body, key = apiKey) => ({
    'x-tongban-timestamp': String(ts),
    'x-tongban-signature': createHmac('sha256', key).update(`${ts}.${b}`).digest('hex'),
  });
  assert.equal(verifyGatewayReceipt(sign(now), body, apiKey, now), true);
  assert.equal(verifyGatewayReceipt(sign(now - 300), body, apiKey, now), true);
  assert.equal(verifyGatewayReceipt(sign(now - 301), body, apiKey, now), false, 'replayed after 5 minutes');
  assert.equal(verifyGatewayReceipt(sign(now + 301), body, apiKey, now), false);
  assert.equal(verifyGatewayReceipt(sign(now), body.replace('delivered', 'failed'), apiKey, now), false, 'tampered');
  assert.equal(verifyGatewayReceipt(sign(now, body, 'other-key'), body, apiKey, now), false, 'forged');
  assert.equal(
    verifyGatewayReceipt({ ...sign(now), 'x-tongban-timestamp': String(now + 1) }, body, apiKey, now),
    false,
  );
  assert.equal(verifyGatewayReceipt({ 'x-tongban-timestamp': String(now) }, body, apiKey, now), false);
  assert.equal(verifyGatewayReceipt({ ...sign(now), 'x-tongban-signature': 'zz' }, body, apiKey, now), false);
  const s = sign(now);
  assert.equal(
    verifyGatewayReceipt(
      { ...s, 'x-tongban-signature': [s['x-tongban-signature'], s['x-tongban-signature']] },
      body,
      apiKey,
      now,
    ),
    false,
  );
  assert.deepEqual(parseGatewayReceipt(body), {
    id: 'alpha-msg_1',
    messageId: 'msg_1',
    status: 'delivered',
    error: null,
  });
  assert.equal(parseGatewayReceipt('{"id":"x","messageId":"y","status":"lost"}'), null);
  assert.deepEqual(parseGatewayReceipt('{"id":"x","status":"failed","error":"UNDELIV"}'), {
    id: 'x',
    messageId: null,
    status: 'failed',
    error: 'UNDELIV',
  });
  assert.equal(parseGatewayReceipt('nope'), null);
});

test('failover: 49 errors in a minute do not demote the primary, the 50th does, and no message is lost', async () => {
  const primary = await serve(reply(500, '{"error":"internal"}'));
  const secondary = await serve(gateway('beta'));
  let now = 1_000_000;
  const demoted: string[] = [];
  const sms = createFailoverSms(
    [
      createHttpSmsGateway({ name: 'alpha', url: primary.url, apiKey, policy }),
      createHttpSmsGateway({ name: 'beta', url: secondary.url, apiKey, policy }),
    ],
    { now: () => now, onDemoted: (p) => demoted.push(p) },
  );
  const results: { provider: string; providerMessageId: string }[] = [];
  for (let n = 1; n <= 49; n++) {
    results.push(await sms.send(message(n)));
    now += 1_000;
  }
  assert.equal(primary.received.length, 49, 'the primary still had every message tried on it');
  assert.deepEqual(sms.demoted(), []);
  results.push(await sms.send(message(50)));
  assert.equal(primary.received.length, 50);
  assert.deepEqual(sms.demoted(), ['alpha']);
  assert.deepEqual(demoted, ['alpha']);
  for (let n = 51; n <= 60; n++) results.push(await sms.send(message(n)));
  assert.equal(primary.received.length, 50, 'demoted: the secondary takes the traffic');
  // Every message went out exactly once, through the secondary.
  assert.equal(results.length, 60);
  assert.ok(results.every((r) => r.provider === 'beta'));
  const sent = secondary.received.map((r) => (JSON.parse(r.body) as { messageId: string }).messageId);
  assert.deepEqual(
    sent,
    Array.from({ length: 60 }, (_, i) => `msg_${i + 1}`),
  );
  // After the cool-down the primary is tried again.
  now += 5 * 60_000;
  await sms.send(message(61));
  assert.equal(primary.received.length, 51);
});

test('failover: a timeout is not moved to the next provider (the first may have sent it); a refusal is not retried', async () => {
  const silent = await serve(() => undefined);
  const rejecting = await serve(reply(422, '{"error":"content"}'));
  const secondary = await serve(gateway('beta'));
  const beta = createHttpSmsGateway({ name: 'beta', url: secondary.url, apiKey, policy });
  const slow = createFailoverSms(
    [createHttpSmsGateway({ name: 'alpha', url: silent.url, apiKey, policy, timeoutMs: 150 }), beta],
    { now: () => 0 },
  );
  await refused(slow.send(message(1)), 'timeout', true);
  const picky = createFailoverSms([createHttpSmsGateway({ name: 'alpha', url: rejecting.url, apiKey, policy }), beta], {
    now: () => 0,
    errors: 1,
  });
  await refused(picky.send(message(2)), 'sms_rejected', false);
  assert.deepEqual(picky.demoted(), [], 'a refused message says nothing about the provider');
  assert.equal(secondary.received.length, 0);
});

test('failover: an answer lost after the request reached the gateway stays there (connection_lost); a refused connection moves on', async () => {
  // The gateway reads the whole request, then the connection breaks before any answer: it may have sent the SMS.
  const hangUp = await serve((_req, res) => res.socket?.destroy());
  const secondary = await serve(gateway('beta'));
  const beta = createHttpSmsGateway({ name: 'beta', url: secondary.url, apiKey, policy });
  const lost = createFailoverSms([createHttpSmsGateway({ name: 'alpha', url: hangUp.url, apiKey, policy }), beta], {
    now: () => 0,
  });
  await refused(lost.send(message(1)), 'connection_lost', true);
  assert.equal(hangUp.received.length, 1);
  assert.equal(secondary.received.length, 0, 'not sent a second time through another gateway');

  // Nothing listens on the port: nothing was sent, so the next gateway takes the message at once.
  const gone = await serve(reply(200));
  await gone.close();
  const moved = createFailoverSms([createHttpSmsGateway({ name: 'alpha', url: gone.url, apiKey, policy }), beta], {
    now: () => 0,
  });
  assert.deepEqual(await moved.send(message(2)), { provider: 'beta', providerMessageId: 'beta-msg_2' });
  assert.equal(secondary.received.length, 1);
});

test('failover: when both providers are down the message fails retryably, to be tried again later', async () => {
  const a = await serve(reply(502));
  const b = await serve(reply(503));
  const sms = createFailoverSms(
    [
      createHttpSmsGateway({ name: 'alpha', url: a.url, apiKey, policy }),
      createHttpSmsGateway({ name: 'beta', url: b.url, apiKey, policy }),
    ],
    { now: () => 0 },
  );
  await refused(sms.send(message(1)), 'provider_unavailable', true);
  assert.equal(a.received.length + b.received.length, 2);
});
