// Lockout that an attacker cannot turn against the owner (keycloak#46164, GHSA-cq42-vhv7-xr7p),
// through the real sign-in pages as a browser walks them, each request from the address an
// X-Forwarded-For of a trusted proxy names: a thousand wrong passwords — from a thousand addresses
// or from a handful, the owner's own among them — do not stop the owner signing in with password
// and authenticator code from their usual device; password and code failures count apart; one
// login's failures lock no other login; and nothing but a code failure locks the whole account.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ModuleContext } from '@tongban/kernel';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import * as client from 'openid-client';
import identity from '../src/index.ts';
import { dummyHash } from '../src/domain/passwords.ts';
import { DEFAULT_THROTTLE } from '../src/domain/throttle.ts';
import { deviceCookieName, KNOWN_DEVICE_PATH } from '../src/service/known-devices.ts';
import { Browser, formAction } from './browser.ts';
import { createAccount, registerBrowserClient, totpNow, type TestAccount } from './fixtures.ts';

const REDIRECT = 'http://rp.example.test/callback';
const SECOND = 1000;

type Outcome =
  | { readonly step: 'password'; readonly status: number }
  | { readonly step: 'code'; readonly status: number }
  | { readonly step: 'done'; readonly setCookie: readonly string[] };

describe('lockout abuse', () => {
  let p: TestPlatform;
  let ctx: ModuleContext;
  let rp: client.Configuration;
  let host: string;
  let now = new Date('2026-12-01T09:00:00Z');
  const clock = { now: () => now };
  const tick = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  before(async () => {
    p = await startTestPlatform([identity], {
      clock,
      // The test's requests come from loopback, as from a proxy that names the client's address.
      env: { TONGBAN_PORT: '0', TONGBAN_HTTP_TRUST_PROXY: '127.0.0.1', TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000' },
    });
    await p.listen();
    ctx = p.contexts.get('identity')!;
    await dummyHash();
    const { issuer } = (await p.app.inject({ url: '/api/identity/keys' })).json() as { issuer: string };
    host = new URL(issuer).host;
    await registerBrowserClient(p, 'rp-lockout-abuse', REDIRECT);
    rp = await client.discovery(new URL(issuer), 'rp-lockout-abuse', undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    });
  });
  after(() => p.dispose());

  const authorizationUrl = async () =>
    client.buildAuthorizationUrl(rp, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      // The relying party asks for a fresh sign-in, whatever session the browser has.
      prompt: 'login',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });

  /** Opens a sign-in and returns the password form's action. */
  async function openSignIn(browser: Browser): Promise<URL> {
    const page = await browser.follow(await authorizationUrl(), REDIRECT);
    assert.equal(page.response?.status, 200, 'the sign-in page is shown');
    return formAction(await page.response!.text(), page.url);
  }

  /** Password, then the authenticator's code (right unless `code` is given), as the pages ask. */
  async function signIn(browser: Browser, account: TestAccount, options: { code?: string } = {}): Promise<Outcome> {
    const afterPassword = await browser.follow(await openSignIn(browser), REDIRECT, {
      form: { login: account.login, password: account.password },
    });
    const page = afterPassword.response ? await afterPassword.response.text() : '';
    if (afterPassword.response?.status !== 200 || !/action="[^"]*\/code\?/.test(page))
      return { step: 'password', status: afterPassword.response?.status ?? 0 };
    const code = options.code ?? (await totpNow(account.totpSecret!, now));
    const posted = await browser.request(formAction(page, afterPassword.url), { form: { code } });
    if (posted.status !== 303) return { step: 'code', status: posted.status };
    const setCookie = posted.headers.getSetCookie();
    const end = await browser.follow(new URL(posted.headers.get('location')!, afterPassword.url), REDIRECT);
    assert.ok(end.url.href.startsWith(REDIRECT) && end.url.searchParams.has('code'), 'the relying party gets a code');
    return { step: 'done', setCookie };
  }

  /** A browser at an address, having finished one multi-factor sign-in there: the owner's usual device. */
  async function usualDevice(account: TestAccount, ip: string): Promise<Browser> {
    const browser = new Browser({ 'x-forwarded-for': ip });
    assert.equal((await signIn(browser, account)).step, 'done');
    assert.ok(browser.cookie(host, deviceCookieName(ctx, account.id)), 'the browser is now a known device');
    tick(31 * SECOND); // the next authenticator code
    return browser;
  }

  /** `count` wrong passwords through one sign-in page, each from `addressOf(i)`; the statuses seen. */
  async function attack(account: TestAccount, count: number, addressOf: (i: number) => string): Promise<number[]> {
    const browser = new Browser();
    const action = await openSignIn(browser);
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      const r = await browser.request(action, {
        form: { login: account.login, password: `wrong guess ${i}` },
        headers: { 'x-forwarded-for': addressOf(i) },
      });
      await r.body?.cancel();
      statuses.push(r.status);
      tick(SECOND);
    }
    return statuses;
  }

  const events = async (type: string, accountId: string) =>
    (await p.database.db.selectFrom('identity.outbox').select('data').where('type', '=', type).execute())
      .map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>)
      .filter((e) => e.accountId === accountId);
  const tally = (statuses: number[]) =>
    statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

  test('the known-device cookie is HttpOnly, SameSite=Lax, for the sign-in pages only, long-lived, and hashed at rest', async () => {
    const owner = await createAccount(p, 'citizen', { mfa: true });
    const outcome = await signIn(new Browser({ 'x-forwarded-for': '198.51.100.20' }), owner);
    assert.equal(outcome.step, 'done');
    const line = (outcome as { setCookie: readonly string[] }).setCookie.find((c) =>
      c.startsWith(`${deviceCookieName(ctx, owner.id)}=`),
    );
    assert.ok(line, 'set with the multi-factor sign-in');
    assert.match(line, /; HttpOnly/);
    assert.match(line, /; SameSite=Lax/);
    assert.ok(line.includes(`; Path=${KNOWN_DEVICE_PATH}`));
    assert.ok(Number(/Max-Age=(\d+)/.exec(line)?.[1]) >= 90 * 86_400, 'long-lived');
    assert.doesNotMatch(line, /; Secure/, 'Secure only on an https issuer (this one is http)');
    const token = line.split(';')[0]!.split('=')[1]!;
    const rows = await p.database.db
      .selectFrom('identity.known_device')
      .select('token_hash')
      .where('account_id', '=', owner.id)
      .execute();
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]!.token_hash, token, 'the token is not stored');
    assert.ok(!rows[0]!.token_hash.includes(token));
    tick(31 * SECOND);
  });

  test('1,000 wrong passwords from 1,000 addresses: the owner still signs in from their device, and from home', async () => {
    const home = '198.51.100.7';
    const owner = await createAccount(p, 'citizen', { mfa: true });
    const device = await usualDevice(owner, home);
    const statuses = await attack(owner, 1000, (i) => `100.64.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    const seen = tally(statuses);
    assert.equal((seen[401] ?? 0) + (seen[429] ?? 0), 1000, `only refusals: ${JSON.stringify(seen)}`);
    assert.ok((seen[429] ?? 0) > 900, `the login is slowed after ${DEFAULT_THROTTLE.loginFailures} failures`);

    assert.equal((await signIn(device, owner)).step, 'done', 'the usual device, at home, gets in');
    tick(31 * SECOND);
    device.setHeader('x-forwarded-for', '192.0.2.77'); // the same laptop, on a train's Wi-Fi
    assert.equal((await signIn(device, owner)).step, 'done', 'the usual device gets in from a new address too');
    tick(31 * SECOND);
    assert.equal(
      (await signIn(new Browser({ 'x-forwarded-for': home }), owner)).step,
      'done',
      'a new browser at home gets in: home is a known address of the login',
    );
    tick(31 * SECOND);
    await attack(owner, 3, (i) => `100.65.0.${i + 1}`); // the attack goes on, taking the minute's slot
    assert.deepEqual(
      await signIn(new Browser({ 'x-forwarded-for': '192.0.2.78' }), owner),
      { step: 'password', status: 429 },
      'a stranger at a new address is slowed (one attempt a minute for the whole login)',
    );
    const locks = await events('identity.account.locked', owner.id);
    assert.deepEqual(locks, [], 'no address tried five times: nothing was locked');
  });

  test('1,000 wrong passwords from five addresses, the owner’s own among them: the usual device still gets in', async () => {
    const shared = '203.0.113.9'; // a carrier-grade NAT the owner and the attacker are both behind
    const owner = await createAccount(p, 'citizen', { mfa: true });
    const device = await usualDevice(owner, shared);
    const addresses = [shared, '203.0.113.10', '203.0.113.11', '203.0.113.12', '203.0.113.13'];
    const statuses = await attack(owner, 1000, (i) => addresses[i % addresses.length]!);
    assert.ok(
      statuses.every((s) => s === 401 || s === 429),
      JSON.stringify(tally(statuses)),
    );

    assert.equal(
      (await signIn(device, owner)).step,
      'done',
      'the known device is not the attacker, whatever the address',
    );
    tick(31 * SECOND);
    assert.deepEqual(
      await signIn(new Browser({ 'x-forwarded-for': shared }), owner),
      { step: 'password', status: 401 },
      'without the cookie the shared address is locked for this login: it cannot tell the owner from the attacker',
    );
    const locks = await events('identity.account.locked', owner.id);
    assert.ok(locks.length > 0, 'the attacker’s addresses were locked');
    assert.deepEqual(
      [...new Set(locks.map((e) => e.scope))],
      ['address'],
      'only login-and-address locks: never the account, never the device',
    );
  });

  test('wrong codes lock the code step, not the password step; wrong passwords lock neither the code step nor the device', async () => {
    const owner = await createAccount(p, 'citizen', { mfa: true });
    const device = await usualDevice(owner, '198.51.100.30');
    const right = await totpNow(owner.totpSecret!, now);
    const wrong = right === '000000' ? '111111' : '000000';
    // Someone with the password floods wrong codes: the account's code step locks…
    const thief = new Browser({ 'x-forwarded-for': '192.0.2.90' });
    for (let i = 0; i < 5; i++)
      assert.deepEqual(await signIn(thief, owner, { code: wrong }), { step: 'code', status: 401 });
    const codeLocks = await events('identity.account.locked', owner.id);
    assert.deepEqual(
      codeLocks.map((e) => [e.scope, e.factor]),
      [['account', 'code']],
    );
    // …and the password step is untouched: the right password still reaches the code page.
    assert.deepEqual(
      await signIn(device, owner),
      { step: 'code', status: 401 },
      'past the password, the code step refuses while locked',
    );
    tick(16 * 60 * SECOND); // the code lock ends
    assert.equal((await signIn(device, owner)).step, 'done');

    // The other way round: a flood of wrong passwords from one address leaves the code step alone.
    tick(31 * SECOND);
    const statuses = await attack(owner, DEFAULT_THROTTLE.addressFailures + 5, () => '192.0.2.91');
    assert.ok(statuses.every((s) => s === 401 || s === 429));
    assert.equal((await signIn(device, owner)).step, 'done', 'code budget untouched');
    const locks = await events('identity.account.locked', owner.id);
    assert.deepEqual(
      locks.filter((e) => e.scope === 'account').length,
      1,
      'wrong passwords added no account-wide lock',
    );
  });

  test('one login’s failures do not lock another login, at the same address or in the code step', async () => {
    const ip = '192.0.2.100';
    const a = await createAccount(p, 'citizen', { mfa: true });
    const b = await createAccount(p, 'citizen', { mfa: true });
    // A's login is locked from this address…
    await attack(a, 5, () => ip);
    assert.deepEqual(await signIn(new Browser({ 'x-forwarded-for': ip }), a), { step: 'password', status: 401 });
    // …B signs in from it.
    assert.equal((await signIn(new Browser({ 'x-forwarded-for': ip }), b)).step, 'done');
    tick(31 * SECOND);
    // A's code step is locked from everywhere; B's is not.
    const wrong = (await totpNow(a.totpSecret!, now)) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      await signIn(new Browser({ 'x-forwarded-for': `192.0.2.${110 + i}` }), a, { code: wrong });
    assert.ok((await events('identity.account.locked', a.id)).some((e) => e.scope === 'account'));
    assert.equal((await signIn(new Browser({ 'x-forwarded-for': '192.0.2.110' }), b)).step, 'done');
    assert.deepEqual(await events('identity.account.locked', b.id), []);
  });

  test('a failure names the login by an HMAC of it, the same from every address; a success names its session', async () => {
    const owner = await createAccount(p, 'citizen', { mfa: true });
    await attack(owner, 2, (i) => `192.0.2.${120 + i}`);
    await attack({ ...owner, login: '330106199001019999' }, 1, () => '192.0.2.122');
    const failures = (
      await p.database.db
        .selectFrom('identity.outbox')
        .select('data')
        .where('type', '=', 'identity.sign-in.failed')
        .execute()
    )
      .map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>)
      .filter((e) => ['192.0.2.120', '192.0.2.121', '192.0.2.122'].includes(e.ip as string));
    assert.equal(failures.length, 3);
    const keys = failures.map((e) => e.loginKey as string);
    const expected = createHmac('sha256', ctx.secret('identity-otp-pepper'))
      .update(['event-login', owner.login].join('\u0000'))
      .digest('hex');
    assert.deepEqual(keys.slice(0, 2), [expected, expected], 'one key for one login, from any address');
    assert.notEqual(keys[2], expected, 'another login, another key (an unknown one too)');
    assert.equal(failures[2]!.accountId, null);
    for (const e of failures) assert.ok(!JSON.stringify(e).includes(owner.login), 'the login itself is never in it');

    // A success names the session it made; signing in again in the same browser continues it.
    const browser = new Browser({ 'x-forwarded-for': '198.51.100.40' });
    assert.equal((await signIn(browser, owner)).step, 'done');
    tick(31 * SECOND);
    assert.equal((await signIn(browser, owner)).step, 'done');
    tick(31 * SECOND);
    assert.equal((await signIn(new Browser({ 'x-forwarded-for': '198.51.100.41' }), owner)).step, 'done');
    const sessions = await p.database.db
      .selectFrom('identity.oidc_model')
      .select('payload')
      .where('model', '=', 'Session')
      .where('account_id', '=', owner.id)
      .execute();
    const uids = sessions.map((s) => (typeof s.payload === 'string' ? JSON.parse(s.payload) : s.payload).uid);
    const succeeded = await events('identity.sign-in.succeeded', owner.id);
    assert.deepEqual(
      succeeded.map((e) => e.ip),
      ['198.51.100.40', '198.51.100.40', '198.51.100.41'],
      'one event per sign-in (not one more for the consent after it), from the address the proxy named',
    );
    const [first, again, elsewhere] = succeeded.map((e) => e.sessionId);
    assert.equal(first, again, 'the same browser continues its session');
    assert.notEqual(first, elsewhere);
    assert.deepEqual(new Set(uids), new Set([first, elsewhere]), 'the sessions the tokens name (sid)');
  });
});
