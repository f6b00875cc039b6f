// Identity's tokens at other modules' doors: each module's guard verifies them itself and applies
// the route's policy — kinds, department, assurance — and ended sessions stop refreshing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defineModule, Policies } from '@tongban/kernel';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import * as client from 'openid-client';
import Type from 'typebox';
import identity from '../src/index.ts';
import { createAccount } from './fixtures.ts';
import { relyingParty, type RelyingParty } from './flows.ts';

/** A stand-in for a department module: routes with the policies real modules will declare. */
const probe = defineModule({
  name: 'probe',
  title: { zh: '探针', en: 'Probe' },
  routes(app) {
    app.get('/officer-desk', { config: { policy: { kinds: ['officer'] } } }, async (request) => ({
      officer: request.principal!.id,
    }));
    app.get(
      '/departments/:code/queue',
      {
        config: {
          policy: {
            kinds: ['officer'],
            resource: (request) => ({ departmentCode: (request.params as { code: string }).code }),
          },
        },
        schema: { params: Type.Object({ code: Type.String() }) },
      },
      async (request) => ({ department: request.params.code }),
    );
    app.get('/my-records', { config: { policy: { kinds: ['citizen'], assurance: 'mfa' } } }, async () => ({
      records: [],
    }));
    app.get('/service-only', { config: { policy: { kinds: ['service'] } } }, async () => ({ ok: true }));
    app.get('/ops', { config: { policy: Policies.operator } }, async () => ({ ok: true }));
  },
});

describe("identity's tokens at a module's door", () => {
  let p: TestPlatform;
  let rp: RelyingParty;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  before(async () => {
    p = await startTestPlatform([identity, probe], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    rp = await relyingParty(p, 'rp-guarded');
  });
  after(() => p.dispose());

  async function apiTokenFor(kind: 'citizen' | 'officer', options: { mfa?: boolean; departments?: string[] } = {}) {
    const account = await createAccount(p, kind, options);
    const { tokens } = await rp.signIn(account);
    return { account, tokens, ...(await rp.apiToken(tokens.refresh_token!)) };
  }

  test("a citizen's token is refused on an officer route", async () => {
    const { accessToken } = await apiTokenFor('citizen', { mfa: true });
    const r = await p.app.inject({ url: '/api/probe/officer-desk', headers: bearer(accessToken) });
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().code, 'FORBIDDEN');
  });

  test("an officer reaches their own department's queue and not another's", async () => {
    const { accessToken } = await apiTokenFor('officer', { mfa: true, departments: ['330100-GA'] });
    assert.equal(
      (await p.app.inject({ url: '/api/probe/departments/330100-GA/queue', headers: bearer(accessToken) })).statusCode,
      200,
    );
    const other = await p.app.inject({ url: '/api/probe/departments/330100-SW/queue', headers: bearer(accessToken) });
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().code, 'FORBIDDEN_RESOURCE');
  });

  test('a password-only session gets a step-up challenge on a multi-factor route', async () => {
    const { accessToken } = await apiTokenFor('citizen');
    const r = await p.app.inject({ url: '/api/probe/my-records', headers: bearer(accessToken) });
    assert.equal(r.statusCode, 401);
    assert.equal(r.json().code, 'STEP_UP_REQUIRED');
    assert.match(
      String(r.headers['www-authenticate']),
      /insufficient_user_authentication.*acr_values="urn:tongban:acr:mfa"/,
    );
    const strong = await apiTokenFor('citizen', { mfa: true });
    assert.equal(
      (await p.app.inject({ url: '/api/probe/my-records', headers: bearer(strong.accessToken) })).statusCode,
      200,
    );
  });

  test('a token from a userinfo-only exchange or with a flipped signature is refused', async () => {
    const { tokens, accessToken } = await apiTokenFor('citizen', { mfa: true });
    assert.equal(
      (await p.app.inject({ url: '/api/probe/my-records', headers: bearer(tokens.access_token) })).statusCode,
      401,
    );
    const [h, b, s] = accessToken.split('.');
    const flipped = `${h}.${b}.${s!.slice(0, -2)}${s!.endsWith('AA') ? 'BB' : 'AA'}`;
    const r = await p.app.inject({ url: '/api/probe/my-records', headers: bearer(flipped) });
    assert.equal(r.statusCode, 401);
    assert.equal(r.json().code, 'TOKEN_INVALID');
  });

  test("a session the person ends stops its refresh token and, once the guard hears of it, its access tokens; an operator can end all of an account's", async () => {
    const { accessToken, refreshToken } = await apiTokenFor('citizen', { mfa: true });
    const list = await p.app.inject({ url: '/api/identity/me/sessions', headers: bearer(accessToken) });
    assert.equal(list.statusCode, 200);
    const sessions = list.json() as { id: string; current: boolean }[];
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]!.current, true);
    const ended = await p.app.inject({
      method: 'DELETE',
      url: `/api/identity/me/sessions/${sessions[0]!.id}`,
      headers: bearer(accessToken),
    });
    assert.equal(ended.statusCode, 204);
    await assert.rejects(
      client.refreshTokenGrant(rp.config, refreshToken),
      (e: { error?: string }) => e.error === 'invalid_grant',
    );
    // Its access token, kept by the guard since its first use, is refused once the event is delivered.
    await p.bus.settled();
    const after = await p.app.inject({ url: '/api/probe/my-records', headers: bearer(accessToken) });
    assert.equal(after.statusCode, 401);
    assert.equal(after.json().code, 'TOKEN_INVALID');

    // Two devices of another person; the operator ends both at once.
    const other = await createAccount(p, 'citizen');
    const phone = await rp.signIn(other);
    const laptop = await rp.signIn(other);
    const apiTokens: string[] = [];
    for (const device of [phone, laptop]) {
      const { accessToken: token, refreshToken: rotated } = await rp.apiToken(device.tokens.refresh_token!);
      assert.equal((await p.app.inject({ url: '/api/identity/me/sessions', headers: bearer(token) })).statusCode, 200);
      apiTokens.push(token);
      (device.tokens as { refresh_token?: string }).refresh_token = rotated;
    }
    const revoke = await p.app.inject({
      method: 'POST',
      url: `/api/identity/accounts/${other.id}/sessions/revoke`,
      headers: operatorHeaders(),
    });
    assert.deepEqual(revoke.json(), { ended: 2 });
    await p.bus.settled();
    for (const token of apiTokens) {
      const r = await p.app.inject({ url: '/api/identity/me/sessions', headers: bearer(token) });
      assert.equal(r.statusCode, 401, "an ended session's access token is refused");
    }
    for (const device of [phone, laptop]) {
      await assert.rejects(
        client.refreshTokenGrant(rp.config, device.tokens.refresh_token!),
        (e: { error?: string }) => e.error === 'invalid_grant',
      );
    }
  });
});
