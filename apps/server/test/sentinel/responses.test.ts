// Sentinel's responses through the guard: a brute force from one address throttles that address
// (not the account), a manual block refuses it on every route, a flagged session must step up,
// each lifted with a reason; redelivery raises nothing twice; the window survives a restart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { processOnce, type EventEnvelope } from '@tongban/kernel';
import { createTestDatabase, startTestPlatform, testConfig } from '@tongban/kernel/testing';
import identity from '@tongban/identity';
import sentinel from '@tongban/sentinel';
import { authenticatorFor, signer } from '../workflow/fixtures.ts';
import {
  bearer,
  failedSignIn,
  from,
  securityHeaders,
  sentinelOf,
  settle,
  startSentinel,
  type Harness,
} from './fixtures.ts';

describe('responses', () => {
  let h: Harness;
  before(async () => {
    h = await startSentinel();
  });
  after(() => h.p.dispose());

  test('8 wrong passwords from one address in 120 s throttle that address for 15 min, and raise one alert', async () => {
    for (let i = 0; i < 7; i++) await failedSignIn(h, '198.51.100.7');
    await settle(h);
    assert.equal(h.p.risk!.isThrottledAddress('198.51.100.7'), false);
    await failedSignIn(h, '198.51.100.7');
    await settle(h);
    assert.equal(h.p.risk!.isThrottledAddress('198.51.100.7'), true);
    assert.equal(h.p.risk!.isThrottledAddress('198.51.100.8'), false);
    // Further failures do not raise a second alert.
    await failedSignIn(h, '198.51.100.7');
    await settle(h);
    const sec = await securityHeaders(h);
    const alerts = await h.call('GET', '/api/sentinel/alerts', sec);
    assert.equal(alerts.status, 200);
    const brute = alerts.body.items.filter((a: { ruleId: string }) => a.ruleId === 'brute-force');
    assert.equal(brute.length, 1);
    assert.deepEqual(brute[0].subject, { kind: 'address', value: '198.51.100.7' });
    const detail = await h.call('GET', `/api/sentinel/alerts/${brute[0].id}`, sec);
    assert.equal(detail.body.evidence.length, 8);
    assert.equal(detail.body.evidence[0].ip, '198.51.100.7');
    assert.equal(detail.body.responses.length, 1);
    const [response] = detail.body.responses;
    assert.equal(response.action, 'throttle-address');
    assert.equal(response.state, 'active');
    assert.equal(Date.parse(response.until) - Date.parse(response.appliedAt), 15 * 60_000);
    assert.deepEqual(
      detail.body.history.map((e: { action: string }) => e.action),
      ['raised'],
    );
    // The throttled address gets the small budget (5 a minute in tests' default): refused soon.
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await from(h, '198.51.100.7', '/healthz')).status);
    // /healthz is not rate limited (probes); an API route is.
    assert.ok(statuses.every((s) => s === 200));
    const api: number[] = [];
    for (let i = 0; i < 8; i++) api.push((await from(h, '198.51.100.7', '/api/sentinel/alerts', sec)).status);
    assert.ok(api.includes(429), `a throttled address is limited: ${api.join(',')}`);
    // Another address keeps the normal budget.
    for (let i = 0; i < 8; i++) assert.equal((await from(h, '198.51.100.9', '/api/sentinel/alerts', sec)).status, 200);

    // The throttle expires by its `until` on the platform clock.
    h.clock.set(new Date(h.clock.now().getTime() + 15 * 60_000 + 1000).toISOString());
    assert.equal(h.p.risk!.isThrottledAddress('198.51.100.7'), false);
    const listed = await h.call('GET', `/api/sentinel/responses/${response.id}/lift`, sec);
    assert.equal(listed.status, 404); // GET on a POST route
    const lift = await h.call('POST', `/api/sentinel/responses/${response.id}/lift`, sec, { reason: 'over' });
    assert.equal(lift.status, 409);
    assert.equal(lift.body.code, 'SENTINEL_RESPONSE_NOT_ACTIVE');
  });

  test('a manual block refuses the address on every route but the probes; lifted with a reason, it is let in again', async () => {
    const sec = await securityHeaders(h);
    const made = await h.call('POST', '/api/sentinel/responses', sec, {
      action: 'block-address',
      target: { ip: '203.0.113.66' },
      durationSeconds: 3600,
      reason: 'scanner seen in the WAF',
    });
    assert.equal(made.status, 201);
    assert.equal(made.body.by.kind, 'security');
    await settle(h);
    const blocked = await from(h, '203.0.113.66', '/api/sentinel/alerts', sec);
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body.code, 'ADDRESS_BLOCKED');
    assert.equal((await from(h, '203.0.113.66', '/healthz')).status, 200);
    assert.equal((await from(h, '203.0.113.67', '/api/sentinel/alerts', sec)).status, 200);
    const active = await h.call('GET', '/api/sentinel/responses?active=true', sec);
    assert.ok(active.body.items.some((r: { id: string }) => r.id === made.body.id));

    const lifted = await h.call('POST', `/api/sentinel/responses/${made.body.id}/lift`, sec, { reason: 'false alarm' });
    assert.equal(lifted.status, 200);
    assert.equal(lifted.body.state, 'lifted');
    assert.deepEqual(lifted.body.lifted.by, { kind: 'security', id: 'sec-1' });
    await settle(h);
    assert.equal((await from(h, '203.0.113.66', '/api/sentinel/alerts', sec)).status, 200);
    const again = await h.call('POST', `/api/sentinel/responses/${made.body.id}/lift`, sec, { reason: 'twice' });
    assert.equal(again.status, 409);
  });

  test('a flagged session must step up: a password token is refused with STEP_UP_REQUIRED, a multi-factor one passes', async () => {
    const sec = await securityHeaders(h);
    const made = await h.call('POST', '/api/sentinel/responses', sec, {
      action: 'step-up-session',
      target: { sessionId: 's-citizen-9' },
      durationSeconds: 600,
      reason: 'impossible travel',
    });
    assert.equal(made.status, 201);
    await settle(h);
    assert.equal(h.p.risk!.isFlaggedSession('s-citizen-9'), true);
    // token() gives the session `s-<sub>`: a route open to citizens at password (identity's passkeys list).
    const password = await bearer(h, { sub: 'citizen-9', kind: 'citizen' });
    const refused = await h.call('GET', '/api/identity/me/passkeys', password);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 'STEP_UP_REQUIRED');
    assert.match(String(refused.headers['www-authenticate']), /insufficient_user_authentication/);
    const mfa = await bearer(h, { sub: 'citizen-9', kind: 'citizen', mfa: true });
    // Past the guard's flag check (identity may still refuse a test account it does not know).
    const passed = (r: { status: number; body: { code?: string } }) =>
      r.body?.code !== 'STEP_UP_REQUIRED' && r.status !== 401;
    assert.ok(passed(await h.call('GET', '/api/identity/me/passkeys', mfa)));
    const other = await bearer(h, { sub: 'citizen-10', kind: 'citizen' });
    assert.ok(passed(await h.call('GET', '/api/identity/me/passkeys', other)));
    const lift = await h.call('POST', `/api/sentinel/responses/${made.body.id}/lift`, sec, { reason: 'called them' });
    assert.equal(lift.status, 200);
    await settle(h);
    assert.equal(h.p.risk!.isFlaggedSession('s-citizen-9'), false);
    assert.ok(passed(await h.call('GET', '/api/identity/me/passkeys', password)));
  });

  test('a response names what its action needs: a block without an address is 422 naming the target', async () => {
    const sec = await securityHeaders(h);
    const r = await h.call('POST', '/api/sentinel/responses', sec, {
      action: 'block-address',
      target: { accountId: 'a-1' },
      durationSeconds: 600,
      reason: 'x',
    });
    assert.equal(r.status, 422);
    assert.equal(r.body.code, 'SENTINEL_TARGET_INVALID');
    const bad = await h.call('POST', '/api/sentinel/responses', sec, {
      action: 'nuke',
      target: {},
      durationSeconds: 600,
      reason: 'x',
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8');
  });

  test('lock-account and revoke-sessions are queued for identity and retried while it refuses', async () => {
    const sec = await securityHeaders(h);
    const made = await h.call('POST', '/api/sentinel/responses', sec, {
      action: 'lock-account',
      target: { accountId: 'acct-7' },
      durationSeconds: 900,
      reason: 'takeover suspected',
    });
    assert.equal(made.status, 201);
    assert.equal(made.body.delivery.state, 'pending');
    await h.p.instanceOf(sentinel).identityCalls.kick();
    const after = await h.call('GET', '/api/sentinel/responses', sec);
    const row = after.body.items.find((r: { id: string }) => r.id === made.body.id);
    assert.equal(row.delivery.attempts >= 1, true);
    assert.equal(row.delivery.state, 'pending', 'not given up after one failure: retried with backoff');
  });

  test('a redelivered event is stepped once (the inbox)', async () => {
    const ctx = h.p.contexts.get('sentinel')!;
    const sub = {
      consumer: 'sentinel:identity.sign-in.failed',
      module: 'sentinel',
      type: 'identity.sign-in.failed',
      handler: (e: EventEnvelope, c: { trx: Parameters<ReturnType<typeof sentinelOf>['onEvent']>[1] }) =>
        sentinelOf(h).onEvent(e, c.trx),
    };
    const events = Array.from({ length: 8 }, (_, i) => ({
      id: `0190d1a0-0000-7000-8000-00000000000${i}`,
      type: 'identity.sign-in.failed',
      source: 'identity',
      occurredAt: h.clock.now().toISOString(),
      data: { accountId: null, factor: 'password', reason: 'unknown_account', ip: '192.0.2.200' },
    }));
    const outcomes: string[] = [];
    // Each delivered twice: the second finds the inbox row.
    for (const e of events.slice(0, 7))
      for (let k = 0; k < 2; k++) outcomes.push((await processOnce(ctx.db, sub, e, ctx.log, 1)).result);
    assert.deepEqual(outcomes.filter((o) => o === 'duplicate').length, 7);
    await settle(h);
    assert.equal(h.p.risk!.isThrottledAddress('192.0.2.200'), false, 'seven signals, not fourteen');
    await processOnce(ctx.db, sub, events[7]!, ctx.log, 1);
    await settle(h);
    assert.equal(h.p.risk!.isThrottledAddress('192.0.2.200'), true);
  });
});

test('the window state survives a restart: stopped after 5 failures, started again, the rule fires at the 8th', async () => {
  const database = await createTestDatabase();
  const key = await signer();
  const config = testConfig({ TONGBAN_DATABASE_URL: database.url });
  const start = () =>
    startTestPlatform([identity, sentinel], {
      config,
      database,
      inMemoryDatabase: false,
      authenticate: authenticatorFor(key),
    });
  const first = await start();
  const fail = (p: typeof first) =>
    p.contexts.get('identity')!.events.commit('identity.sign-in.failed', {
      accountId: null,
      factor: 'password',
      reason: 'wrong_password',
      ip: '192.0.2.77',
    });
  for (let i = 0; i < 5; i++) await fail(first);
  await first.bus.settled();
  await first.close();
  const second = await start();
  try {
    for (let i = 0; i < 2; i++) await fail(second);
    await second.bus.settled();
    assert.equal(second.risk!.isThrottledAddress('192.0.2.77'), false);
    await fail(second);
    await second.bus.settled();
    assert.equal(second.risk!.isThrottledAddress('192.0.2.77'), true);
  } finally {
    await second.dispose();
  }
});
