// The person's known devices: a multi-factor sign-in makes the browser one; its owner lists and
// forgets it, and a forgotten device's cookie exempts nothing; nobody else reaches another's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ModuleContext } from '@tongban/kernel';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import identity from '../src/index.ts';
import { deviceCookieName, knownDeviceOf, parseCookies } from '../src/service/known-devices.ts';
import { createAccount } from './fixtures.ts';
import { relyingParty, type RelyingParty } from './flows.ts';

describe('known devices', () => {
  let p: TestPlatform;
  let ctx: ModuleContext;
  let rp: RelyingParty;
  let host: string;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    ctx = p.contexts.get('identity')!;
    rp = await relyingParty(p, 'rp-devices');
    host = new URL(((await p.app.inject({ url: '/api/identity/keys' })).json() as { issuer: string }).issuer).host;
  });
  after(() => p.dispose());

  test('the owner lists a known device and forgets it: its cookie exempts nothing after', async () => {
    const owner = await createAccount(p, 'citizen', { mfa: true });
    const { tokens, browser } = await rp.signIn(owner);
    const { accessToken } = await rp.apiToken(tokens.refresh_token!);
    const name = deviceCookieName(ctx, owner.id);
    const cookies = parseCookies(`${name}=${browser.cookie(host, name)}`);
    const device = await knownDeviceOf(ctx, owner.id, cookies, new Date());
    assert.ok(device, 'the browser is a known device');

    // The sign-in (with its consent after it) is one success, naming the session its tokens name.
    const { sid } = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string };
    const succeeded = (
      await p.database.db
        .selectFrom('identity.outbox')
        .select('data')
        .where('type', '=', 'identity.sign-in.succeeded')
        .execute()
    )
      .map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>)
      .filter((e) => e.accountId === owner.id);
    assert.deepEqual(
      succeeded.map((e) => e.sessionId),
      [sid],
    );

    const listed = await p.app.inject({ url: '/api/identity/me/devices', headers: bearer(accessToken) });
    assert.equal(listed.statusCode, 200);
    assert.deepEqual(
      (listed.json() as { id: string }[]).map((d) => d.id),
      [device],
    );
    // Another person cannot forget it, nor see it.
    const other = await createAccount(p, 'citizen', { mfa: true });
    const otherToken = (await rp.apiToken((await rp.signIn(other)).tokens.refresh_token!)).accessToken;
    const theirs = await p.app.inject({
      method: 'DELETE',
      url: `/api/identity/me/devices/${device}`,
      headers: bearer(otherToken),
    });
    assert.equal(theirs.statusCode, 404);
    assert.equal(theirs.json().errors[0].field, 'params.deviceId');
    const notAnAccount = await p.app.inject({ url: '/api/identity/me/devices', headers: operatorHeaders() });
    assert.equal(notAnAccount.statusCode, 403);
    assert.equal((await p.app.inject({ url: '/api/identity/me/devices' })).statusCode, 401);

    const forgotten = await p.app.inject({
      method: 'DELETE',
      url: `/api/identity/me/devices/${device}`,
      headers: bearer(accessToken),
    });
    assert.equal(forgotten.statusCode, 204);
    assert.equal(await knownDeviceOf(ctx, owner.id, cookies, new Date()), undefined, 'the cookie no longer counts');
    assert.deepEqual(
      (await p.app.inject({ url: '/api/identity/me/devices', headers: bearer(accessToken) })).json(),
      [],
    );
    assert.equal(await knownDeviceOf(ctx, other.id, cookies, new Date()), undefined, "a device is only its account's");
  });
});
