// SMS through the HTTP gateway pair: the primary answers 5xx, the message goes through the
// fallback (two real local HTTP servers); the gateway's signed delivery receipt moves it to
// delivered, a forged or stale one is refused.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import { submitBirthCertificate } from '../workflow/fixtures.ts';
import { deliver, startNotify, type NotifyHarness } from './fixtures.ts';

interface TestGateway {
  readonly server: Server;
  listen(): Promise<string>;
}

/** The platform sending SMS through this primary and fallback gateway (both listening first). */
async function startWithGateways(primary: TestGateway, fallback: TestGateway): Promise<NotifyHarness> {
  const [p, f] = [await primary.listen(), await fallback.listen()];
  return startNotify({
    env: { TONGBAN_NOTIFY_SMS: 'gateway', TONGBAN_NOTIFY_SMS_GATEWAY_URL: p, TONGBAN_NOTIFY_SMS_FALLBACK_URL: f },
  });
}

async function stopWithGateways(h: NotifyHarness, ...gateways: TestGateway[]): Promise<void> {
  await h.p.dispose();
  for (const g of gateways) {
    g.server.closeAllConnections();
    await new Promise((resolve) => g.server.close(resolve));
  }
}

function gateway(answer: (body: string) => { status: number; body?: unknown }) {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push(body);
      const a = answer(body);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body ? JSON.stringify(a.body) : '');
    });
  });
  return {
    seen,
    server,
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
    },
  };
}

describe(`SMS through the HTTP gateways (${databaseLabel})`, () => {
  let h: NotifyHarness;
  const primary = gateway(() => ({ status: 503 }));
  const fallback = gateway((body) => ({ status: 200, body: { id: `fb-${JSON.parse(body).messageId}` } }));

  before(async () => {
    h = await startWithGateways(primary, fallback);
  });
  after(() => stopWithGateways(h, primary, fallback));

  const receipt = (key: string, body: string, ts = Math.floor(Date.now() / 1000)) => ({
    'content-type': 'application/json',
    'x-tongban-timestamp': String(ts),
    'x-tongban-signature': createHmac('sha256', key).update(`${ts}.${body}`).digest('hex'),
  });
  const post = (provider: string, headers: Record<string, string>, body: string) =>
    h.p.app.inject({ method: 'POST', url: `/api/notify/callbacks/sms/${provider}`, headers, payload: body });

  test('the primary answers 503: the message goes through the fallback, once; its signed receipt marks it delivered', async () => {
    const who = await h.person('13700000001');
    await submitBirthCertificate(h, who.headers);
    await deliver(h);
    const row = await h.p.database.db
      .selectFrom('notify.message')
      .selectAll()
      .where('recipient_id', '=', who.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([row.status, row.provider, row.provider_message_id], ['sent', 'fallback', `fb-${row.id}`]);
    assert.equal(fallback.seen.length, 1);
    assert.equal(JSON.parse(fallback.seen[0]!).to, '13700000001');
    assert.ok(primary.seen.length >= 1, 'the primary was tried');
    assert.equal((await h.call('GET', '/api/notify/dev/sms', await h.operator())).status, 404, 'no development sink');

    const key = h.n.receiptKey('fallback')!;
    const body = JSON.stringify({ id: row.provider_message_id, status: 'delivered' });
    assert.equal((await post('fallback', receipt('forged-key', body), body)).statusCode, 401, 'forged');
    const stale = Math.floor(Date.now() / 1000) - 600;
    assert.equal((await post('fallback', receipt(key, body, stale), body)).statusCode, 401, 'outside the window');
    assert.equal((await post('unknown', receipt(key, body), body)).statusCode, 404);
    assert.equal((await post('fallback', receipt(key, body), body)).statusCode, 204);
    const [m] = (await h.call('GET', '/api/notify/me/messages', who.headers)).body;
    assert.equal(m.status, 'delivered');
    assert.ok(m.deliveredAt);
    // The same receipt again changes nothing.
    assert.equal((await post('fallback', receipt(key, body), body)).statusCode, 204);
    assert.equal((await h.call('GET', '/api/notify/me/messages', who.headers)).body[0].status, 'delivered');
  });
});

// A gateway as the protocol asks (sms-http.ts): `messageId` is its idempotency key, so the same
// message again is answered with the first id and not sent to the phone twice. It can lose its
// first answer for a message (the connection breaks after it took the request).
function deduplicatingGateway(name: string) {
  const phone: { messageId: string; to: string; text: string }[] = [];
  const requests: string[] = [];
  let loseFirstAnswer = false;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const m = JSON.parse(body) as { messageId: string; to: string; text: string };
      requests.push(m.messageId);
      const first = !phone.some((p) => p.messageId === m.messageId);
      if (first) phone.push(m);
      if (first && loseFirstAnswer) return req.socket.destroy();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `${name}-${m.messageId}` }));
    });
  });
  return {
    phone,
    requests,
    server,
    loseFirstAnswers(on: boolean) {
      loseFirstAnswer = on;
    },
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
    },
  };
}

describe(`SMS sent again after a lost answer or a crash: the same messageId, one text (${databaseLabel})`, () => {
  let h: NotifyHarness;
  const primary = deduplicatingGateway('alpha');
  const fallback = deduplicatingGateway('beta');

  before(async () => {
    h = await startWithGateways(primary, fallback);
  });
  after(() => stopWithGateways(h, primary, fallback));

  const messageOf = (recipient: string) =>
    h.p.database.db
      .selectFrom('notify.message')
      .selectAll()
      .where('recipient_id', '=', recipient)
      .executeTakeFirstOrThrow();
  const later = (ms: number) => h.clock.set(new Date(h.clock.now().getTime() + ms).toISOString());

  test('the gateway took the message and its answer was lost: retried later on the same gateway, one text', async () => {
    primary.loseFirstAnswers(true);
    const who = await h.person('13700000002');
    await submitBirthCertificate(h, who.headers);
    await deliver(h);
    const waiting = await messageOf(who.id);
    assert.deepEqual([waiting.status, waiting.last_error], ['queued', 'connection_lost']);
    assert.deepEqual(primary.requests, [waiting.id]);
    assert.equal(fallback.requests.length, 0, 'not handed to the other gateway, which would send it again');

    later(31_000);
    await deliver(h);
    const sent = await messageOf(who.id);
    assert.deepEqual([sent.status, sent.provider, sent.provider_message_id], ['sent', 'primary', `alpha-${sent.id}`]);
    assert.deepEqual(primary.requests, [sent.id, sent.id], 'the same messageId both times');
    assert.equal(primary.phone.filter((m) => m.messageId === sent.id).length, 1, 'one text reached the phone');
    primary.loseFirstAnswers(false);
  });

  test('a worker that dies between the gateway’s answer and our commit: after its lease the message goes again, the same messageId, one text', async () => {
    const who = await h.person('13700000003');
    await submitBirthCertificate(h, who.headers);
    await deliver(h);
    const m = await messageOf(who.id);
    assert.equal(m.status, 'sent');
    // What the dead worker left: the message leased and sent, our commit of it never made.
    await h.p.database.db
      .updateTable('notify.message')
      .set({
        status: 'queued',
        sent_at: null,
        provider: null,
        provider_message_id: null,
        lease_until: new Date(h.clock.now().getTime() + 120_000),
      })
      .where('id', '=', m.id)
      .execute();
    await deliver(h);
    assert.equal((await messageOf(who.id)).status, 'queued', 'not sent while the lease holds');
    assert.deepEqual(
      primary.requests.filter((id) => id === m.id),
      [m.id],
    );

    later(121_000);
    await deliver(h);
    const again = await messageOf(who.id);
    assert.deepEqual([again.status, again.provider_message_id], ['sent', `alpha-${m.id}`]);
    assert.deepEqual(
      primary.requests.filter((id) => id === m.id),
      [m.id, m.id],
    );
    assert.equal(primary.phone.filter((p) => p.messageId === m.id).length, 1, 'one text reached the phone');
    assert.equal(fallback.requests.length, 0);
  });
});
