// E-mail over SMTP against a real SMTP server the test starts (smtp-server): a server that drops
// the connection in the middle of the message → retried, then sent once; the citizen's address
// sealed, shown masked.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import { SMTPServer } from 'smtp-server';
import { submitBirthCertificate } from '../workflow/fixtures.ts';
import { deliver, startNotify, type NotifyHarness } from './fixtures.ts';

describe(`e-mail over SMTP (${databaseLabel})`, () => {
  let h: NotifyHarness;
  let server: SMTPServer;
  let dropNext = true;
  const received: string[] = [];

  before(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        let dropped = false;
        stream.on('data', (c: Buffer) => {
          chunks.push(c);
          if (dropNext) {
            dropNext = false;
            dropped = true;
            // The connection drops in the middle of DATA: no answer at all.
            for (const c of (server as unknown as { connections: Set<{ _socket: { destroy(): void } }> }).connections)
              c._socket.destroy();
          }
        });
        stream.on('end', () => {
          // A message whose connection dropped was never accepted (no 250): not received.
          if (!dropped) received.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    h = await startNotify({ env: { TONGBAN_NOTIFY_SMTP_URL: `smtp://127.0.0.1:${port}` } });
  });
  after(async () => {
    await h.p.dispose();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('an SMTP server that drops the connection: the e-mail is retried, then sent once', async () => {
    const who = await h.person();
    const put = await h.call('PUT', '/api/notify/me/preferences', who.headers, {
      channels: { progress: ['email'], payments: ['sms'], licences: ['sms'], security: ['sms'] },
      quietHours: null,
      language: 'zh-CN',
      email: 'zhang.san@example.cn',
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.email, 'zhang.san@example.cn');
    const row = await h.p.database.db
      .selectFrom('notify.preference')
      .select('email')
      .where('account_id', '=', who.id)
      .executeTakeFirstOrThrow();
    assert.equal(String(row.email).includes('example.cn'), false, 'the address is sealed');

    const app = await submitBirthCertificate(h, who.headers);
    await deliver(h);
    let [m] = (await h.call('GET', '/api/notify/me/messages', who.headers)).body;
    assert.deepEqual([m.channel, m.status, m.lastError, m.attempts], ['email', 'queued', 'smtp_unavailable', 1]);
    assert.equal(m.to, 'z***@example.cn');
    assert.ok(m.notBefore, 'held for a retry');

    h.clock.set(new Date(new Date(m.notBefore).getTime() + 1000).toISOString());
    try {
      await h.n.kick();
    } finally {
      h.clock.set('2026-12-01T02:00:00Z');
    }
    [m] = (await h.call('GET', '/api/notify/me/messages', who.headers)).body;
    assert.deepEqual([m.status, m.attempts, m.lastError], ['sent', 2, null]);
    assert.equal(received.length, 1, 'sent once');
    assert.match(received[0]!, /Subject: =\?UTF-8\?/i);
    assert.match(received[0]!, new RegExp(`Message-ID: <${m.id}@`, 'i'));
    await h.n.kick();
    assert.equal(received.length, 1, 'nothing sent twice');
    void app;
  });
});
