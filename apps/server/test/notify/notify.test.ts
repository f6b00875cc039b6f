// Notifications end to end on the platform: a submitted application → one inbox notice and one
// SMS in the development sink, redelivery does not send twice; preferences and quiet hours under
// a moved clock; templates published and previewed; webhooks retried to a dead letter against a
// real local HTTP server and replayed; every route refuses the wrong principal.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import notify from '@tongban/notify';
import { databaseLabel } from '@tongban/kernel/testing';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { submitBirthCertificate } from '../workflow/fixtures.ts';
import { deliver, startNotify, type NotifyHarness } from './fixtures.ts';

describe(`notifications (${databaseLabel})`, () => {
  let h: NotifyHarness;
  before(async () => {
    h = await startNotify();
  });
  after(() => h.p.dispose());

  const count = async (table: string, column: string, value: string) =>
    Number(
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(column)} = ${value}`.execute(
          h.p.database.db,
        )
      ).rows[0]!.n,
    );

  test('a submitted application: one inbox notice, one SMS in the development sink; a redelivery sends nothing more', async () => {
    const who = await h.person('13912345678');
    const app = await submitBirthCertificate(h, who.headers);
    await deliver(h);
    const notices = (await h.call('GET', '/api/notify/me/notices', who.headers)).body;
    assert.equal(notices.length, 1);
    assert.equal(notices[0].kind, 'submitted');
    assert.equal(notices[0].text, `您的申请已提交，办件编号 ${app.caseNumber}。`);
    const messages = (await h.call('GET', '/api/notify/me/messages', who.headers)).body;
    assert.equal(messages.length, 1, JSON.stringify(messages));
    assert.equal(messages[0].channel, 'sms');
    assert.equal(messages[0].status, 'delivered');
    assert.equal(messages[0].to, '139****5678');
    assert.equal(messages[0].text, `【通办】您的申请已提交，办件编号${app.caseNumber}。`);
    const sink = (await h.call('GET', '/api/notify/dev/sms', await h.operator())).body;
    assert.equal(sink.filter((s: { text: string }) => s.text.includes(app.caseNumber)).length, 1);

    // The same event delivered again (a crash before the inbox row committed, a replay): nothing new.
    const event = await h.p.database.db
      .selectFrom('workflow.outbox')
      .select(['id', 'type', 'data', 'occurred_at'])
      .where('type', '=', 'workflow.application.submitted')
      .where(sql`data->>'applicationId'`, '=', app.id)
      .executeTakeFirstOrThrow();
    const handler = notify.consumers!['workflow.application.submitted']!;
    await h.p.database.db.transaction().execute(async (trx) =>
      handler(
        {
          id: event.id,
          type: event.type,
          source: 'workflow',
          occurredAt: String(event.occurred_at),
          data: event.data,
        } as never,
        { trx: trx as never, log: h.n.ctx.log, attempt: 2 },
        h.n,
      ),
    );
    await deliver(h);
    assert.equal(await count('notify.notice', 'recipient_id', who.id), 1);
    assert.equal(await count('notify.message', 'recipient_id', who.id), 1);
    assert.equal((await h.call('GET', '/api/notify/dev/sms', await h.operator())).body.length, sink.length);

    // A worker that died after the sink took the text and before our commit: sent again after the
    // lease, the sink (idempotent on our messageId, as a gateway must be) holds it once, and it is delivered.
    const [m] = messages as { id: string }[];
    await h.p.database.db
      .updateTable('notify.message')
      .set({ status: 'queued', sent_at: null, delivered_at: null, lease_until: new Date(h.clock.now().getTime() - 1) })
      .where('id', '=', m!.id)
      .execute();
    await deliver(h);
    assert.equal((await h.call('GET', '/api/notify/me/messages', who.headers)).body[0].status, 'delivered');
    assert.equal((await h.call('GET', '/api/notify/dev/sms', await h.operator())).body.length, sink.length);

    // Read, and another's notice is not theirs to mark.
    const other = await h.person();
    assert.equal((await h.call('POST', `/api/notify/me/notices/${notices[0].id}/read`, other.headers)).status, 404);
    assert.equal((await h.call('POST', `/api/notify/me/notices/${notices[0].id}/read`, who.headers)).status, 204);
    assert.deepEqual((await h.call('GET', '/api/notify/me/notices?unread=true', who.headers)).body, []);
  });

  test('without a mobile the SMS fails as no_address; the inbox still has the notice', async () => {
    const who = await h.person(null);
    await submitBirthCertificate(h, who.headers);
    await deliver(h);
    assert.equal((await h.call('GET', '/api/notify/me/notices', who.headers)).body.length, 1);
    const [m] = (await h.call('GET', '/api/notify/me/messages', who.headers)).body;
    assert.deepEqual([m.status, m.lastError], ['failed', 'no_address']);
    const prefs = (await h.call('GET', '/api/notify/me/preferences', who.headers)).body;
    assert.equal(prefs.mobile, null);
  });

  test('preferences: defaults, e-mail refused while the platform sends none, quiet hours hold an SMS until they end', async () => {
    const who = await h.person('13800138000');
    const defaults = (await h.call('GET', '/api/notify/me/preferences', who.headers)).body;
    assert.deepEqual(defaults, {
      channels: { progress: ['sms'], payments: ['sms'], licences: ['sms'], security: ['sms'] },
      quietHours: null,
      language: 'zh-CN',
      email: null,
      mobile: '138****8000',
    });
    const emailed = await h.call('PUT', '/api/notify/me/preferences', who.headers, {
      ...defaults,
      mobile: undefined,
      channels: { ...defaults.channels, progress: ['email'] },
      email: 'a@example.cn',
    });
    assert.equal(emailed.status, 422);
    assert.equal(emailed.body.errors[0].code, 'email_unavailable');
    const bad = await h.call('PUT', '/api/notify/me/preferences', who.headers, { channels: {}, language: 'fr' });
    assert.equal(bad.status, 400);

    const put = await h.call('PUT', '/api/notify/me/preferences', who.headers, {
      channels: defaults.channels,
      quietHours: { start: '22:00', end: '08:00' },
      language: 'en',
      email: null,
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(put.body.quietHours, { start: '22:00', end: '08:00' });

    // 23:30 in Hangzhou (15:30 UTC): held until 08:00 China Standard Time (00:00 UTC).
    h.clock.set('2026-12-01T15:30:00Z');
    try {
      await submitBirthCertificate(h, who.headers);
      await deliver(h);
      let [m] = (await h.call('GET', '/api/notify/me/messages', who.headers)).body;
      assert.deepEqual([m.status, m.notBefore], ['queued', '2026-12-02T00:00:00.000Z']);
      h.clock.set('2026-12-01T23:59:00Z');
      await h.n.kick();
      [m] = (await h.call('GET', '/api/notify/me/messages', who.headers)).body;
      assert.equal(m.status, 'queued');
      h.clock.set('2026-12-02T00:00:30Z');
      await h.n.kick();
      [m] = (await h.call('GET', '/api/notify/me/messages', who.headers)).body;
      assert.equal(m.status, 'delivered');
      assert.match(m.text, /^\[Tongban\] Application submitted: /, 'in the language chosen');
    } finally {
      h.clock.set('2026-12-01T02:00:00Z');
    }
  });

  test('templates: a draft with an unknown placeholder is refused at publish; a good one is published and used', async () => {
    const op = await h.operator();
    const list = (await h.call('GET', '/api/notify/templates', op)).body;
    assert.equal(list.length, 14 * 3);
    const current = (await h.call('GET', '/api/notify/templates/submitted/inbox', op)).body;
    assert.deepEqual([current.version, current.publishedBy], [1, 'system']);

    let draft = await h.call('PUT', '/api/notify/templates/submitted/inbox', op, {
      subject: null,
      body: { zh: '已提交 {caseNumber}，金额 {amount}', en: 'Submitted {caseNumber}' },
    });
    assert.equal(draft.status, 200, JSON.stringify(draft.body));
    assert.deepEqual([draft.body.version, draft.body.publishedAt], [2, null]);
    const refused = await h.call('POST', '/api/notify/templates/submitted/inbox/publish', op);
    assert.equal(refused.status, 422);
    assert.deepEqual(
      refused.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['body.body.zh', 'unknown_placeholder']],
    );

    draft = await h.call('PUT', '/api/notify/templates/submitted/inbox', op, {
      subject: null,
      body: { zh: '申请已受理登记：{caseNumber}', en: 'Received: {caseNumber}' },
    });
    const published = await h.call('POST', '/api/notify/templates/submitted/inbox/publish', op);
    assert.equal(published.status, 200, JSON.stringify(published.body));
    assert.equal(published.body.version, 2);
    assert.equal((await h.call('POST', '/api/notify/templates/submitted/inbox/publish', op)).status, 409);

    const who = await h.person();
    const app = await submitBirthCertificate(h, who.headers);
    await deliver(h);
    const [notice] = (await h.call('GET', '/api/notify/me/notices', { ...who.headers, 'accept-language': 'en' })).body;
    assert.equal(notice.text, `Received: ${app.caseNumber}`);

    const preview = await h.call('POST', '/api/notify/templates/preview', op, {
      kind: 'payment_due',
      channel: 'sms',
      lang: 'zh-CN',
    });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.text, '【通办】办件3301002026120100001需缴费125.50元，请于2026-12-01 10:00前缴纳。');
    assert.deepEqual([preview.body.length, preview.body.segments], [[...preview.body.text].length, 1]);
    const long = await h.call('POST', '/api/notify/templates/preview', op, {
      kind: 'submitted',
      channel: 'sms',
      lang: 'zh-CN',
      body: { zh: '字'.repeat(80), en: 'x' },
    });
    assert.deepEqual([long.body.length, long.body.segments], [84, 2]);
  });

  test('webhooks: a failing target is retried on the schedule to a dead letter, replayed by an operator, signed (Standard Webhooks)', async () => {
    let answer = 503;
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const op = await h.operator();
    // An address that passes the schema's scheme check but is no URL (the fuzzer's 500): a field error.
    const bad = await h.call('POST', '/api/notify/webhooks', op, {
      url: 'http:// ',
      kinds: ['submitted'],
      departmentCode: '330100-WJW',
      signing: 'ed25519',
    });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.deepEqual(
      [bad.body.code, bad.body.errors[0].field, bad.body.errors[0].code],
      ['NOTIFY_WEBHOOK_URL_REFUSED', 'body.url', 'url_invalid'],
    );
    try {
      const created = await h.call('POST', '/api/notify/webhooks', op, {
        url,
        kinds: ['submitted'],
        departmentCode: '330100-WJW',
        signing: 'hmac-sha256',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.match(created.body.secret, /^whsec_/);
      const listed = (await h.call('GET', '/api/notify/webhooks', op)).body;
      assert.equal(JSON.stringify(listed).includes(created.body.secret), false, 'the secret is shown once');

      const start = new Date('2026-12-01T02:00:00Z').getTime();
      const who = await h.person();
      const app = await submitBirthCertificate(h, who.headers);
      await deliver(h);
      assert.equal(received.length, 1);
      // The schedule with random = 0.5, attempt after attempt, until it gives up.
      let at = start;
      for (let attempt = 1; ; attempt++) {
        const delivery = await h.p.database.db
          .selectFrom('notify.webhook_delivery')
          .selectAll()
          .where('subscription_id', '=', created.body.subscription.id)
          .executeTakeFirstOrThrow();
        if (delivery.status === 'dead') break;
        assert.equal(delivery.attempts, attempt);
        at = new Date(delivery.next_attempt_at).getTime();
        h.clock.set(new Date(at - 1000).toISOString());
        await h.n.kick();
        assert.equal(received.length, attempt, 'not before its time');
        h.clock.set(new Date(at).toISOString());
        await h.n.kick();
        assert.equal(received.length, attempt + 1);
      }
      const hours = (at - start) / 3600_000;
      assert.ok(hours > 20 && hours < 30, `given up after ${hours} h`);
      const dead = (await h.call('GET', '/api/notify/webhooks/dead-letters', op)).body;
      assert.equal(dead.length, 1);
      assert.equal(dead[0].lastError, 'target_unavailable', 'a 5xx: the target is unavailable');
      assert.equal(dead[0].attempts, received.length);

      answer = 204;
      assert.equal((await h.call('POST', `/api/notify/webhooks/dead-letters/${dead[0].id}/replay`, op)).status, 202);
      assert.equal((await h.call('POST', `/api/notify/webhooks/dead-letters/${dead[0].id}/replay`, op)).status, 404);
      await h.n.kick();
      const last = received.at(-1)!;
      const verified = new Webhook(created.body.secret).verify(
        last.body,
        last.headers as Record<string, string>,
      ) as Record<string, unknown>;
      assert.equal(verified.caseNumber, app.caseNumber);
      assert.equal(verified.kind, 'submitted');
      assert.equal(verified.departmentCode, '330100-WJW');
      assert.equal(JSON.stringify(verified).includes('张'), false, 'no personal data');
      assert.equal((await h.call('GET', '/api/notify/webhooks/dead-letters', op)).body.length, 0);

      assert.equal((await h.call('DELETE', `/api/notify/webhooks/${created.body.subscription.id}`, op)).status, 204);
      assert.equal((await h.call('GET', '/api/notify/webhooks', op)).body.length, 0);
    } finally {
      h.clock.set('2026-12-01T02:00:00Z');
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('payments, licences and a security lock: each event one notice, the case number from the submitted application', async () => {
    const who = await h.person('13600000006');
    const app = await submitBirthCertificate(h, who.headers);
    await deliver(h);
    const consume = async (type: string, data: Record<string, unknown>, id = randomUUID()) => {
      const handler = (notify.consumers as Record<string, (...a: unknown[]) => Promise<void>>)[type]!;
      await h.p.database.db
        .transaction()
        .execute(async (trx) =>
          handler(
            { id, type, source: type.split('.')[0], occurredAt: new Date().toISOString(), data },
            { trx, log: h.n.ctx.log, attempt: 1 },
            h.n,
          ),
        );
      return id;
    };
    const order = {
      orderId: randomUUID(),
      applicationId: app.id,
      taskId: app.tasks[0].id,
      matterCode: app.tasks[0].matterCode,
      payerId: who.id,
      amountFen: 2500,
      status: 'pending',
      expiresAt: '2026-12-01T03:30:00.000Z',
      at: '2026-12-01T02:00:00.000Z',
    };
    const created = await consume('payments.order.created', order);
    await consume('payments.order.created', order, created); // redelivered: nothing more
    await consume('payments.order.paid', {
      ...order,
      departmentCode: '330100-WJW',
      channel: 'exempt',
      via: 'exempt',
      items: [],
      paidAt: order.at,
    });
    await consume('payments.order.paid', {
      ...order,
      departmentCode: '330100-WJW',
      channel: 'sim',
      via: 'query',
      items: [],
      paidAt: order.at,
    });
    await consume('licenses.licence.issued', {
      licenceId: randomUUID(),
      identifier: '1133010000000100001',
      typeCode: 'birth-certificate',
      holderId: who.id,
      departmentCode: '330100-WJW',
      applicationId: app.id,
      taskId: app.tasks[0].id,
      validFrom: order.at,
      validUntil: null,
      statusList: { id: 'sl', index: 0 },
      at: order.at,
    });
    await consume('identity.account.security-locked', {
      accountId: who.id,
      until: '2026-12-02T02:00:00.000Z',
      reason: 'credential stuffing',
      by: 'service:sentinel',
      sessionsEnded: 1,
    });
    await h.n.kick();
    const notices = (await h.call('GET', '/api/notify/me/notices', who.headers)).body as {
      kind: string;
      text: string;
    }[];
    assert.deepEqual(notices.map((n) => n.kind).sort(), [
      'account_locked',
      'licence_issued',
      'payment_due',
      'payment_received',
      'submitted',
    ]);
    const due = notices.find((n) => n.kind === 'payment_due')!;
    assert.match(
      due.text,
      new RegExp(`^办件 ${app.caseNumber} 的“出生医学证明签发”需缴费 25.00元，请于 2026-12-01 11:30 前完成缴费。$`),
    );
    assert.match(notices.find((n) => n.kind === 'account_locked')!.text, /锁定至 2026-12-02 10:00/);
    const sms = (await h.call('GET', '/api/notify/me/messages', who.headers)).body as {
      kind: string;
      status: string;
    }[];
    assert.equal(sms.length, 5);
    assert.ok(
      sms.every((m) => m.status === 'delivered'),
      JSON.stringify(sms),
    );
  });

  test('past ten SMS an hour to one person the next waits (held, not lost); a security notice does not', async () => {
    const who = await h.person('13500000005');
    const consume = async (type: string, data: Record<string, unknown>) => {
      const handler = (notify.consumers as Record<string, (...a: unknown[]) => Promise<void>>)[type]!;
      await h.p.database.db
        .transaction()
        .execute(async (trx) =>
          handler(
            { id: randomUUID(), type, source: 'payments', occurredAt: new Date().toISOString(), data },
            { trx, log: h.n.ctx.log, attempt: 1 },
            h.n,
          ),
        );
    };
    for (let i = 0; i < 11; i++)
      await consume('payments.order.created', {
        orderId: randomUUID(),
        applicationId: randomUUID(),
        taskId: randomUUID(),
        matterCode: 'M',
        payerId: who.id,
        amountFen: 100 + i,
        status: 'pending',
        expiresAt: '2026-12-01T03:30:00.000Z',
        at: '2026-12-01T02:00:00.000Z',
      });
    await h.n.kick();
    let messages = (await h.call('GET', '/api/notify/me/messages?limit=50', who.headers)).body as {
      status: string;
      lastError: string | null;
      notBefore: string | null;
    }[];
    assert.equal(messages.filter((m) => m.status === 'delivered').length, 10);
    const held = messages.filter((m) => m.status === 'queued');
    assert.equal(held.length, 1);
    assert.deepEqual([held[0]!.lastError, held[0]!.notBefore], ['rate_limited', '2026-12-01T03:00:00.000Z']);
    await consume('identity.account.security-locked', {
      accountId: who.id,
      until: '2026-12-02T02:00:00.000Z',
      reason: 'test',
      by: 'service:sentinel',
      sessionsEnded: 0,
    });
    await h.n.kick();
    messages = (await h.call('GET', '/api/notify/me/messages?limit=50', who.headers)).body;
    assert.equal(messages.filter((m) => m.status === 'delivered').length, 11, 'the security notice went at once');
    h.clock.set('2026-12-01T03:00:00Z');
    try {
      await h.n.kick();
    } finally {
      h.clock.set('2026-12-01T02:00:00Z');
    }
    messages = (await h.call('GET', '/api/notify/me/messages?limit=50', who.headers)).body;
    assert.equal(messages.filter((m) => m.status === 'delivered').length, 12, 'an hour on, the held one went');
  });

  test('every route refuses the wrong principal', async () => {
    const citizen = (await h.person()).headers;
    const op = await h.operator();
    const opPassword = await h.operator(false);
    const personal = [
      ['GET', '/api/notify/me/notices'],
      ['GET', '/api/notify/me/messages'],
      ['GET', '/api/notify/me/preferences'],
    ] as const;
    const operational = [
      ['GET', '/api/notify/messages'],
      ['GET', '/api/notify/templates'],
      ['GET', '/api/notify/templates/submitted/sms'],
      ['GET', '/api/notify/webhooks'],
      ['GET', '/api/notify/webhooks/dead-letters'],
      ['GET', '/api/notify/dev/sms'],
    ] as const;
    for (const [method, url] of personal) {
      assert.equal((await h.call(method, url, {})).status, 401, url);
      assert.equal((await h.call(method, url, op)).status, 403, url);
      assert.equal((await h.call(method, url, citizen)).status, 200, url);
    }
    for (const [method, url] of operational) {
      assert.equal((await h.call(method, url, {})).status, 401, url);
      assert.equal((await h.call(method, url, citizen)).status, 403, url);
      assert.equal((await h.call(method, url, opPassword)).status, 401, `${url} needs multi-factor`);
      assert.equal((await h.call(method, url, op)).status, 200, url);
    }
    assert.equal(
      (
        await h.call('PUT', '/api/notify/templates/submitted/sms', citizen, {
          subject: null,
          body: { zh: 'a', en: 'b' },
        })
      ).status,
      403,
    );
    assert.equal((await h.call('POST', '/api/notify/webhooks', citizen, {})).status, 403);
    // The gateway's receipts: the development sink has no gateway to sign them.
    assert.equal(
      (await h.call('POST', '/api/notify/callbacks/sms/primary', {}, { id: 'x', status: 'delivered' })).status,
      404,
    );
    // Identity's contact route answers the notify client only.
    const contact = `/api/identity/services/accounts/${randomUUID()}/contact`;
    assert.equal((await h.call('GET', contact, citizen)).status, 403);
    assert.equal((await h.call('GET', contact, op)).status, 403);
    assert.equal((await h.call('GET', contact, {})).status, 401);
    // An operator reads anyone's messages; a citizen only their own.
    const mine = (await h.call('GET', '/api/notify/me/messages', citizen)).body;
    assert.deepEqual(mine, []);
  });
});
