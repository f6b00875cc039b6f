// The alert queue: triage (assign, close with a resolution, reopen), each change an event and an
// appended history entry; paging; the SIEM export as JSON lines; only a security operator at
// multi-factor — every other principal refused on every route. And the guard's denials as events.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DenialCap } from '@tongban/kernel';
import { bearer, failedSignIn, securityHeaders, settle, startSentinel, type Harness } from './fixtures.ts';

const ID = '0190d1a0-0000-7000-8000-000000000001';
const ROUTES: readonly { method: 'GET' | 'POST'; url: string; body?: unknown }[] = [
  { method: 'GET', url: '/api/sentinel/alerts' },
  { method: 'GET', url: '/api/sentinel/alerts/export' },
  { method: 'GET', url: `/api/sentinel/alerts/${ID}` },
  { method: 'POST', url: `/api/sentinel/alerts/${ID}/assign`, body: { assignee: 'sec-2' } },
  { method: 'POST', url: `/api/sentinel/alerts/${ID}/close`, body: { reason: 'x', resolution: 'benign' } },
  { method: 'POST', url: `/api/sentinel/alerts/${ID}/reopen`, body: { reason: 'x' } },
  { method: 'GET', url: '/api/sentinel/responses?active=true' },
  {
    method: 'POST',
    url: '/api/sentinel/responses',
    body: { action: 'block-address', target: { ip: '192.0.2.1' }, durationSeconds: 600, reason: 'x' },
  },
  { method: 'POST', url: `/api/sentinel/responses/${ID}/lift`, body: { reason: 'x' } },
];

async function bruteForce(h: Harness, ip: string) {
  for (let i = 0; i < 8; i++) await failedSignIn(h, ip);
  await settle(h);
}

describe('the alert queue', () => {
  let h: Harness;
  before(async () => {
    h = await startSentinel();
  });
  after(() => h.p.dispose());

  test('assign, close with a resolution, reopen: each an event and an appended history entry', async () => {
    await bruteForce(h, '192.0.2.10');
    const sec = await securityHeaders(h);
    const list = await h.call('GET', '/api/sentinel/alerts?status=open', sec);
    const alert = list.body.items.find((a: { subject: { value: string } }) => a.subject.value === '192.0.2.10');
    assert.equal(alert.status, 'open');
    assert.equal(alert.rulesVersion, 1);
    const assigned = await h.call('POST', `/api/sentinel/alerts/${alert.id}/assign`, sec, { assignee: 'sec-2' });
    assert.equal(assigned.status, 200);
    assert.equal(assigned.body.alert.status, 'assigned');
    const closed = await h.call('POST', `/api/sentinel/alerts/${alert.id}/close`, sec, {
      reason: 'a tester on the VPN',
      resolution: 'benign',
    });
    assert.equal(closed.body.alert.status, 'closed');
    assert.equal(closed.body.alert.resolution, 'benign');
    const twice = await h.call('POST', `/api/sentinel/alerts/${alert.id}/close`, sec, {
      reason: 'again',
      resolution: 'benign',
    });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.code, 'SENTINEL_ALERT_STATE');
    const reopened = await h.call('POST', `/api/sentinel/alerts/${alert.id}/reopen`, sec, { reason: 'seen again' });
    assert.equal(reopened.body.alert.status, 'assigned');
    assert.equal(reopened.body.alert.resolution, null);
    assert.deepEqual(
      reopened.body.history.map((e: { seq: number; action: string; reason: string | null }) => [
        e.seq,
        e.action,
        e.reason,
      ]),
      [
        [1, 'raised', null],
        [2, 'assigned', null],
        [3, 'closed', 'a tester on the VPN'],
        [4, 'reopened', 'seen again'],
      ],
    );
    const outbox = await h.p.database.db
      .selectFrom('sentinel.outbox' as never)
      .select(['type' as never])
      .execute();
    const types = (outbox as { type: string }[]).map((r) => r.type);
    for (const type of [
      'sentinel.alert.raised',
      'sentinel.alert.assigned',
      'sentinel.alert.closed',
      'sentinel.alert.reopened',
      'sentinel.response.applied',
    ])
      assert.ok(types.includes(type), `${type} published`);
    const bad = await h.call('POST', `/api/sentinel/alerts/${alert.id}/close`, sec, {
      reason: 'x',
      resolution: 'maybe',
    });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /resolution/);
    const missing = await h.call('GET', `/api/sentinel/alerts/${ID}`, sec);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'SENTINEL_ALERT_NOT_FOUND');
  });

  test('the export streams every alert after `since` as JSON lines, oldest first, with a cursor to resume from', async () => {
    await bruteForce(h, '192.0.2.11');
    await bruteForce(h, '192.0.2.12');
    const sec = await securityHeaders(h);
    const all = await h.p.app.inject({ method: 'GET', url: '/api/sentinel/alerts/export', headers: sec });
    assert.equal(all.statusCode, 200);
    assert.match(String(all.headers['content-type']), /^application\/x-ndjson/);
    const lines = all.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(lines.length >= 3);
    const cursors = lines.map((l: { cursor: string }) => Number(l.cursor));
    assert.deepEqual(
      [...cursors].sort((a, b) => a - b),
      cursors,
    );
    assert.equal(lines.at(-1).alert.subject.value, '192.0.2.12');
    assert.equal(lines.at(-1).evidence.length, 8);
    assert.equal(lines.at(-1).responses[0].action, 'throttle-address');
    const rest = await h.p.app.inject({
      method: 'GET',
      url: `/api/sentinel/alerts/export?since=${lines.at(-2).cursor}`,
      headers: sec,
    });
    assert.deepEqual(
      rest.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).alert.id),
      [lines.at(-1).alert.id],
    );
  });

  test('every route refuses the anonymous, a citizen, an officer, an operator, and a security operator at password only', async () => {
    const who = {
      anonymous: {},
      citizen: await bearer(h, { sub: 'c-1', kind: 'citizen', mfa: true }),
      officer: await bearer(h, {
        sub: 'o-1',
        kind: 'officer',
        roles: ['officer'],
        departments: ['330100-GA'],
        mfa: true,
      }),
      operator: await bearer(h, { sub: 'op-1', kind: 'operator', roles: ['operator'], mfa: true }),
      service: await bearer(h, { sub: 'tongban-workflow', kind: 'service', roles: [] }),
      'security at password': await securityHeaders(h, false),
    };
    const expected = {
      anonymous: 'UNAUTHENTICATED',
      citizen: 'FORBIDDEN',
      officer: 'FORBIDDEN',
      operator: 'FORBIDDEN',
      service: 'FORBIDDEN',
      'security at password': 'STEP_UP_REQUIRED',
    };
    const wrong: string[] = [];
    for (const route of ROUTES)
      for (const [name, headers] of Object.entries(who)) {
        const r = await h.call(route.method, route.url, headers, route.body);
        if (r.body?.code !== expected[name as keyof typeof expected])
          wrong.push(`${name} ${route.method} ${route.url}: ${r.status} ${r.body?.code}`);
      }
    assert.deepEqual(wrong, []);
    // The risk board's snapshot is for the platform's service clients only.
    const snapshot = await h.call('GET', '/api/sentinel/responses/active', who.service);
    assert.equal(snapshot.status, 200);
    for (const name of ['anonymous', 'citizen', 'security at password'] as const) {
      const r = await h.call('GET', '/api/sentinel/responses/active', who[name]);
      assert.ok(r.status === 401 || r.status === 403, `${name}: ${r.status}`);
    }
    const sec = await securityHeaders(h);
    assert.equal((await h.call('GET', '/api/sentinel/responses/active', sec)).status, 403);
  });

  test("a guard's denial is a `<module>.request.denied` event of the module whose route refused it, without the query string", async () => {
    const citizen = await bearer(h, { sub: 'c-2', kind: 'citizen' });
    const r = await h.p.app.inject({
      method: 'GET',
      url: `/api/sentinel/alerts/${ID}?idNumber=330106200001011234`,
      headers: citizen,
      remoteAddress: '192.0.2.50',
    });
    assert.equal(r.statusCode, 403);
    const rows = (await h.p.database.db
      .selectFrom('sentinel.outbox' as never)
      .select(['type' as never, 'data' as never])
      .execute()) as { type: string; data: Record<string, unknown> }[];
    const denied = rows.filter((row) => row.type === 'sentinel.request.denied' && row.data.ip === '192.0.2.50');
    assert.equal(denied.length, 1);
    const [event] = denied;
    assert.equal(event!.data.code, 'FORBIDDEN');
    assert.equal(event!.data.route, '/api/sentinel/alerts/:id');
    assert.deepEqual(event!.data.principal, { kind: 'citizen', id: 'c-2', sessionId: 's-c-2' });
    assert.doesNotMatch(JSON.stringify(event!.data), /330106200001011234/);
  });

  test('a flood of denials is capped per address per second; the rest are counted as dropped', async () => {
    const before = await droppedCount(h);
    const sends = Array.from({ length: 40 }, () =>
      h.p.app.inject({ method: 'GET', url: '/api/sentinel/alerts', remoteAddress: '192.0.2.60' }),
    );
    const answers = await Promise.all(sends);
    assert.ok(answers.every((a) => a.statusCode === 401 || a.statusCode === 429));
    const rows = (await h.p.database.db
      .selectFrom('sentinel.outbox' as never)
      .select(['data' as never])
      .where('type' as never, '=', 'sentinel.request.denied' as never)
      .execute()) as { data: { ip: string } }[];
    const events = rows.filter((row) => row.data.ip === '192.0.2.60').length;
    const refused = answers.filter((a) => a.statusCode === 401).length;
    // The 40 land within one or two seconds: at most 20 events each, the rest dropped and counted.
    assert.ok(events >= 20 && events <= 40, `events from one address: ${events}`);
    assert.equal(events + ((await droppedCount(h)) - before), refused);
    // The cap itself, second by second.
    const cap = new DenialCap({ perAddress: 2, overall: 3 });
    assert.deepEqual(
      ['a', 'a', 'a', 'b', 'c'].map((ip) => cap.take(ip, 1000)),
      ['ok', 'ok', 'address', 'ok', 'overall'],
    );
    assert.equal(cap.take('a', 2000), 'ok');
  });
});

async function droppedCount(h: Harness): Promise<number> {
  const metric = await h.p.metrics.denialsDropped.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}
