// The routes security operations respond through: sentinel's service client (identity.respond)
// locks an account against every factor and ends its sessions — the guard refuses their tokens —
// until the lock's time or an unlock; it ends sessions on their own; each change is an event in
// its own transaction; a security operator at multi-factor may too, and nobody else.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ServiceRoles } from '@tongban/contracts';
import { defineModule, type ModuleContext } from '@tongban/kernel';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import * as client from 'openid-client';
import identity from '../src/index.ts';
import { passwordStep, secondFactorStep } from '../src/service/sign-in.ts';
import { createAccount, serviceToken, totpNow, type TestAccount } from './fixtures.ts';
import { relyingParty, type RelyingParty } from './flows.ts';

/** Stands in for sentinel: the kernel fetches its service token with the key its secret derives. */
const sentinel = defineModule({
  name: 'sentinel',
  title: { zh: '安全运营', en: 'Security operations' },
  dependsOn: ['identity'],
  secrets: ['sentinel-service-key'],
});

const MINUTE = 60_000;

describe('security responses on an account', () => {
  let p: TestPlatform;
  let ctx: ModuleContext;
  let rp: RelyingParty;
  let uid = 0;
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const sentinelHeaders = async () => bearer(await p.contexts.get('sentinel')!.serviceToken());
  const post = async (url: string, headers: Record<string, string>, payload: unknown) =>
    p.app.inject({
      method: 'POST',
      url: `/api/identity/security/accounts/${url}`,
      headers,
      payload: payload as object,
    });
  const events = async (type: string, accountId: string) =>
    (await p.database.db.selectFrom('identity.outbox').select('data').where('type', '=', type).execute())
      .map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>)
      .filter((e) => e.accountId === accountId);
  const inAnHour = () => new Date(clock.now().getTime() + 60 * MINUTE).toISOString();

  /** Password and authenticator code, straight through the sign-in steps: the outcome of the last step reached. */
  async function signInOutcome(account: TestAccount, ip = '198.51.100.50'): Promise<string> {
    const id = `security-${uid++}`;
    const first = await passwordStep(ctx, { uid: id, ip, now: clock.now() }, account.login, account.password);
    if (first.outcome !== 'needs_second_factor') return first.outcome;
    const code = await totpNow(account.totpSecret!, clock.now());
    return (await secondFactorStep(ctx, { uid: id, ip, now: clock.now() }, code)).outcome;
  }

  /** Through the pages, with the code the authenticator shows on the platform's clock (then the next one's turn). */
  const signIn = async (account: TestAccount) => {
    const signedIn = await rp.signIn(account, { at: clock.now() });
    offset += 31_000;
    return signedIn;
  };

  before(async () => {
    p = await startTestPlatform([identity, sentinel], { env: { TONGBAN_PORT: '0' }, clock });
    await p.listen();
    ctx = p.contexts.get('identity')!;
    rp = await relyingParty(p, 'rp-security');
  });
  after(() => p.dispose());

  test("sentinel's lock ends the account's sessions, the guard refuses their tokens, and no factor gets in until the unlock", async () => {
    const owner = await createAccount(p, 'citizen', { mfa: true });
    const phone = await signIn(owner);
    const { accessToken } = await rp.apiToken(phone.tokens.refresh_token!);
    assert.equal(
      (await p.app.inject({ url: '/api/identity/me/sessions', headers: bearer(accessToken) })).statusCode,
      200,
    );
    // A sign-in that got past the password before the lock, waiting for its code.
    const pending = `security-${uid++}`;
    assert.equal(
      (await passwordStep(ctx, { uid: pending, ip: '198.51.100.51', now: clock.now() }, owner.login, owner.password))
        .outcome,
      'needs_second_factor',
    );

    const until = inAnHour();
    const locked = await post(`${owner.id}/lock`, await sentinelHeaders(), {
      until,
      reason: 'impossible travel',
      alertId: 'alert-42',
    });
    assert.equal(locked.statusCode, 200, locked.body);
    assert.deepEqual(locked.json(), { accountId: owner.id, lockedUntil: until });
    const [event] = await events('identity.account.security-locked', owner.id);
    assert.deepEqual(event, {
      accountId: owner.id,
      until,
      reason: 'impossible travel',
      by: 'tongban-sentinel',
      alertId: 'alert-42',
      sessionsEnded: 1,
    });
    assert.deepEqual(
      (await events('identity.session.revoked', owner.id)).map((e) => [e.by, e.reason]),
      [['tongban-sentinel', 'impossible travel']],
    );

    await p.bus.settled();
    const refused = await p.app.inject({ url: '/api/identity/me/sessions', headers: bearer(accessToken) });
    assert.equal(refused.statusCode, 401, "the ended session's access token is refused");
    await assert.rejects(
      client.refreshTokenGrant(rp.config, phone.tokens.refresh_token!),
      (e: { error?: string }) => e.error === 'invalid_grant',
    );
    assert.equal(await signInOutcome(owner), 'failed', 'the right password and code do not get in');
    const code = await totpNow(owner.totpSecret!, clock.now());
    assert.equal(
      (await secondFactorStep(ctx, { uid: pending, ip: '198.51.100.51', now: clock.now() }, code)).outcome,
      'failed',
      'nor does the code of a sign-in begun before the lock',
    );
    const reasons = (await events('identity.sign-in.failed', owner.id)).map((e) => [e.factor, e.reason]);
    assert.deepEqual(reasons, [
      ['password', 'security_locked'],
      ['totp', 'security_locked'],
    ]);
    assert.deepEqual(await events('identity.account.locked', owner.id), [], 'not a counter lock');

    const unlocked = await post(`${owner.id}/unlock`, await sentinelHeaders(), { reason: 'the owner confirmed' });
    assert.equal(unlocked.statusCode, 200);
    assert.deepEqual(unlocked.json(), { accountId: owner.id, lockedUntil: null });
    assert.deepEqual(await events('identity.account.security-unlocked', owner.id), [
      { accountId: owner.id, reason: 'the owner confirmed', by: 'tongban-sentinel' },
    ]);
    offset += MINUTE; // the next authenticator code
    assert.equal(await signInOutcome(owner), 'done');
  });

  test('a lock ends by itself at its time', async () => {
    const owner = await createAccount(p, 'citizen', { mfa: true });
    const until = new Date(clock.now().getTime() + 10 * MINUTE).toISOString();
    assert.equal(
      (await post(`${owner.id}/lock`, await sentinelHeaders(), { until, reason: 'brute force' })).statusCode,
      200,
    );
    assert.equal(await signInOutcome(owner), 'failed');
    offset += 11 * MINUTE;
    assert.equal(await signInOutcome(owner), 'done');
  });

  test('sessions end on their own: all of them, or the one named', async () => {
    const owner = await createAccount(p, 'citizen', { mfa: true });
    const phone = await signIn(owner);
    await signIn(owner);
    const { accessToken } = await rp.apiToken(phone.tokens.refresh_token!);
    const { sid } = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string };
    assert.ok(sid);
    const one = await post(`${owner.id}/sessions/revoke`, await sentinelHeaders(), {
      reason: 'flagged',
      sessionId: sid,
    });
    assert.deepEqual([one.statusCode, one.json()], [200, { revoked: 1 }]);
    const rest = await post(`${owner.id}/sessions/revoke`, await sentinelHeaders(), { reason: 'flagged' });
    assert.deepEqual([rest.statusCode, rest.json()], [200, { revoked: 1 }]);
    assert.equal(await signInOutcome(owner), 'done', 'ending sessions locks nothing');
  });

  test('an unknown account is 404, a lock not ahead 422, a bad body 400, each naming the field', async () => {
    const headers = await sentinelHeaders();
    const owner = await createAccount(p, 'citizen');
    const cases: [string, unknown, number, string][] = [
      ['00000000-0000-4000-8000-000000000000/lock', { until: inAnHour(), reason: 'x' }, 404, 'params.accountId'],
      ['00000000-0000-4000-8000-000000000000/unlock', { reason: 'x' }, 404, 'params.accountId'],
      ['00000000-0000-4000-8000-000000000000/sessions/revoke', { reason: 'x' }, 404, 'params.accountId'],
      [
        `${owner.id}/lock`,
        { until: new Date(clock.now().getTime() - MINUTE).toISOString(), reason: 'x' },
        422,
        'body.until',
      ],
      [`${owner.id}/lock`, { until: '2999-01-01T00:00:00Z', reason: 'x' }, 422, 'body.until'],
      [`${owner.id}/lock`, { until: 'tomorrow', reason: 'x' }, 400, 'body.until'],
      [`${owner.id}/lock`, { until: inAnHour(), reason: '' }, 400, 'body.reason'],
      [`${owner.id}/unlock`, {}, 400, 'body.reason'],
      ['not-a-uuid/unlock', { reason: 'x' }, 400, 'params.accountId'],
    ];
    for (const [url, body, status, field] of cases) {
      const r = await post(url, headers, body);
      assert.equal(r.statusCode, status, `${url} ${JSON.stringify(body)}: ${r.body}`);
      assert.match(String(r.headers['content-type']), /application\/problem\+json/);
      const fields = (r.json() as { errors?: { field: string }[] }).errors?.map((e) => e.field) ?? [];
      assert.ok(fields.includes(field), `${url}: names ${field}, not ${JSON.stringify(fields)}`);
    }
  });

  test('a security operator at multi-factor locks and unlocks too, named on the events', async () => {
    const owner = await createAccount(p, 'citizen', { mfa: true });
    const operator = await createAccount(p, 'security', { mfa: true });
    const { accessToken } = await rp.apiToken((await signIn(operator)).tokens.refresh_token!);
    const lock = await post(`${owner.id}/lock`, bearer(accessToken), {
      until: inAnHour(),
      reason: 'reported by phone',
    });
    assert.equal(lock.statusCode, 200, lock.body);
    assert.equal((await events('identity.account.security-locked', owner.id))[0]!.by, operator.id);
    assert.equal(await signInOutcome(owner), 'failed');
    const unlock = await post(`${owner.id}/unlock`, bearer(accessToken), { reason: 'a false alarm' });
    assert.equal(unlock.statusCode, 200);
    assert.equal(await signInOutcome(owner), 'done');
  });

  test('nobody but a service with identity.respond, or a security operator at multi-factor, may call them', async () => {
    const owner = await createAccount(p, 'citizen', { mfa: true });
    const tokenOf = async (account: TestAccount) =>
      (await rp.apiToken((await signIn(account)).tokens.refresh_token!)).accessToken;
    const citizen = await createAccount(p, 'citizen');
    const principals: [string, Record<string, string>, number][] = [
      ['anonymous', {}, 401],
      ['a citizen', bearer(await tokenOf(citizen)), 403],
      ['the account owner at mfa', bearer(await tokenOf(owner)), 403],
      ['an officer at mfa', bearer(await tokenOf(await createAccount(p, 'officer', { mfa: true }))), 403],
      // Staff sign in only with multi-factor here: a security operator at password is the matrix's
      // (apps/server/test), which signs its own tokens.
      ['the operator', operatorHeaders(), 403],
      ['a service without the role', bearer(await serviceToken(p, 'dept-system', [ServiceRoles.accountsRead])), 403],
    ];
    const calls: [string, unknown][] = [
      [`${owner.id}/lock`, { until: inAnHour(), reason: 'x' }],
      [`${owner.id}/unlock`, { reason: 'x' }],
      [`${owner.id}/sessions/revoke`, { reason: 'x' }],
    ];
    for (const [who, headers, status] of principals)
      for (const [url, body] of calls) {
        const r = await post(url, headers, body);
        assert.equal(r.statusCode, status, `${who} on ${url}: ${r.body}`);
      }
    assert.deepEqual(await events('identity.account.security-locked', owner.id), []);
    assert.equal(await signInOutcome(owner), 'done');
  });
});
