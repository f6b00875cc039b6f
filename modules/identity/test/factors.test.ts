// Sign-in factors: adding or removing one needs the multi-factor assurance it would grant, so a
// password alone cannot make itself multi-factor. An account with no second factor steps up with
// the SMS code to its registered mobile; each change is an event and a notice to that mobile.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { generate } from 'otplib';
import identity from '../src/index.ts';
import { ACR_MFA } from '../src/service/provider.ts';
import { creditCodeCheckChar } from '@tongban/kernel';
import { hashPassword } from '../src/domain/passwords.ts';
import { insertAccount } from '../src/store/accounts.ts';
import { createAccount, PASSWORD, type TestAccount } from './fixtures.ts';
import { relyingParty, type RelyingParty } from './flows.ts';

let serial = 0;
const nextMobile = () => `1390000${String(1000 + serial++).padStart(4, '0')}`;

describe('changing sign-in factors', () => {
  let p: TestPlatform;
  let rp: RelyingParty;
  const json = { 'content-type': 'application/json' };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}`, ...json });
  const events = async (accountId: string) =>
    (
      await p.database.db
        .selectFrom('identity.outbox')
        .select('data')
        .where('type', '=', 'identity.mfa.changed')
        .execute()
    )
      .map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>)
      .filter((e) => e.accountId === accountId);
  const texts = async (mobile: string) =>
    (
      await p.database.db
        .selectFrom('identity.dev_sms')
        .select('text')
        .where('mobile', '=', mobile)
        .orderBy('id')
        .execute()
    ).map((r) => String(r.text));

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    rp = await relyingParty(p, 'rp-factors');
  });
  after(() => p.dispose());

  async function apiToken(account: TestAccount, mfa = false, at?: Date) {
    const { tokens } = await rp.signIn(account, { mfa, ...(at ? { at } : {}) });
    return { claims: tokens.claims()!, ...(await rp.apiToken(tokens.refresh_token!)) };
  }

  test('from a password-only session every factor route asks to step up (RFC 9470)', async () => {
    const citizen = await createAccount(p, 'citizen', { mobile: nextMobile() });
    const { accessToken } = await apiToken(citizen);
    const routes = [
      ['POST', '/api/identity/me/totp', undefined],
      ['POST', '/api/identity/me/totp/confirm', { code: '123456' }],
      ['DELETE', '/api/identity/me/totp', undefined],
      ['POST', '/api/identity/me/passkeys/options', {}],
      ['POST', '/api/identity/me/passkeys', {}],
      ['DELETE', '/api/identity/me/passkeys/AAAAAAAAAAAAAAAAAAAAAA', undefined],
    ] as const;
    for (const [method, url, payload] of routes) {
      const r = await p.app.inject({
        method,
        url,
        headers: payload ? bearer(accessToken) : { authorization: `Bearer ${accessToken}` },
        ...(payload ? { payload } : {}),
      });
      assert.equal(r.statusCode, 401, `${method} ${url}: ${r.body}`);
      assert.equal(r.json().code, 'STEP_UP_REQUIRED');
      assert.match(
        String(r.headers['www-authenticate']),
        /insufficient_user_authentication.*acr_values="urn:tongban:acr:mfa"/,
      );
    }
    const row = await p.database.db
      .selectFrom('identity.account')
      .select(['totp_secret', 'totp_pending_secret'])
      .where('id', '=', citizen.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { totp_secret: null, totp_pending_secret: null }, 'nothing was started');
    assert.deepEqual(await events(citizen.id), []);
  });

  test('password + the SMS code is multi-factor; it enrols TOTP, which the next sign-in asks for instead of SMS', async () => {
    const mobile = nextMobile();
    const citizen = await createAccount(p, 'citizen', { mobile });
    const stepped = await apiToken(citizen, true);
    assert.equal(stepped.claims.acr, ACR_MFA);
    assert.deepEqual(stepped.claims.amr, ['pwd', 'sms']);
    const start = await p.app.inject({
      method: 'POST',
      url: '/api/identity/me/totp',
      headers: { authorization: `Bearer ${stepped.accessToken}` },
    });
    assert.equal(start.statusCode, 200, start.body);
    const { secret } = start.json() as { secret: string };
    const confirmed = await p.app.inject({
      method: 'POST',
      url: '/api/identity/me/totp/confirm',
      headers: bearer(stepped.accessToken),
      payload: { code: await generate({ secret }) },
    });
    assert.equal(confirmed.statusCode, 204, confirmed.body);
    assert.deepEqual(
      (await events(citizen.id)).map((e) => [e.factor, e.change]),
      [['totp', 'enrolled']],
    );
    assert.match(
      (await texts(mobile)).at(-1)!,
      /您的账号刚刚添加了动态口令/,
      'the owner is told on the registered mobile',
    );

    // The next sign-in asking for multi-factor takes the authenticator's code, and sends no SMS.
    const before = (await texts(mobile)).length;
    // The next 30-second step: the enrolment used this one, and a used step is refused (replay).
    const withTotp = await apiToken({ ...citizen, totpSecret: secret }, true, new Date(Date.now() + 30_000));
    assert.equal(withTotp.claims.acr, ACR_MFA);
    assert.deepEqual(withTotp.claims.amr, ['pwd', 'otp']);
    assert.equal((await texts(mobile)).length, before, 'no SMS code once an authenticator is enrolled');

    const removed = await p.app.inject({
      method: 'DELETE',
      url: '/api/identity/me/totp',
      headers: { authorization: `Bearer ${withTotp.accessToken}` },
    });
    assert.equal(removed.statusCode, 204);
    assert.deepEqual(
      (await events(citizen.id)).map((e) => [e.factor, e.change]),
      [
        ['totp', 'enrolled'],
        ['totp', 'removed'],
      ],
    );
    assert.match((await texts(mobile)).at(-1)!, /移除了动态口令/);
    const again = await p.app.inject({
      method: 'DELETE',
      url: '/api/identity/me/totp',
      headers: { authorization: `Bearer ${withTotp.accessToken}` },
    });
    assert.equal(again.statusCode, 404, 'nothing left to remove');
  });

  test('the notice is in the language the account registered in', async () => {
    const mobile = nextMobile();
    const citizen = await createAccount(p, 'citizen', { mobile });
    await p.database.db.updateTable('identity.account').set({ lang: 'en' }).where('id', '=', citizen.id).execute();
    const { accessToken } = await apiToken(citizen, true);
    const { secret } = (
      await p.app.inject({
        method: 'POST',
        url: '/api/identity/me/totp',
        headers: { authorization: `Bearer ${accessToken}` },
      })
    ).json() as { secret: string };
    await p.app.inject({
      method: 'POST',
      url: '/api/identity/me/totp/confirm',
      headers: bearer(accessToken),
      payload: { code: await generate({ secret }) },
    });
    assert.match((await texts(mobile)).at(-1)!, /^Tongban: an authenticator app was just added to your account/);
  });

  test("a business (no mobile of its own) steps up with its legal representative's mobile", async () => {
    const mobile = nextMobile();
    const representative = await createAccount(p, 'citizen', { mobile });
    const first17 = '91330100MA2H00777';
    const business: TestAccount = {
      id: randomUUID(),
      login: first17 + creditCodeCheckChar(first17),
      password: PASSWORD,
      mobile,
    };
    await insertAccount(p.database.db, {
      id: business.id,
      kind: 'business',
      login: business.login,
      displayName: '示例公司',
      passwordHash: await hashPassword(PASSWORD),
      legalRepresentative: representative.id,
    });
    const { claims, accessToken } = await apiToken(business, true);
    assert.equal(claims.acr, ACR_MFA);
    assert.equal(
      (
        await p.app.inject({
          method: 'POST',
          url: '/api/identity/me/totp',
          headers: { authorization: `Bearer ${accessToken}` },
        })
      ).statusCode,
      200,
    );
  });
});
