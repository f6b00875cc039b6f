// The portal's backend-for-frontend, tried as a browser would: sign in through identity's pages
// via /portal/login, come back to the path asked for with only an opaque HttpOnly cookie, call
// the APIs through /portal/api with the token the portal holds (never handed to the browser),
// unsafe calls refused without the anti-forgery token, another browser's cookie-less calls
// signed out, open redirects refused, a replayed callback refused, and sign-out ending it all.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import portal from '@tongban/portal';
import { databaseLabel, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { Browser, formAction } from '../../../../modules/identity/test/browser.ts';
import { createAccount, totpNow } from '../../../../modules/identity/test/fixtures.ts';
import { safeReturnPath } from '../../../../modules/portal/src/domain/paths.ts';

describe(`portal backend-for-frontend (${databaseLabel})`, () => {
  let p: TestPlatform;
  let origin: string;

  before(async () => {
    p = await startTestPlatform([catalog, identity, portal], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    origin = p.contexts.get('portal')!.origin();
  });
  after(() => p.dispose());

  /** Walks /portal/login → identity's pages → /portal/callback; returns the browser and where the callback sent it. */
  async function signIn(returnTo = '/applications?x=1') {
    // A fresh account each time: a TOTP code is accepted once, and sign-ins here follow within seconds.
    const account = await createAccount(p, 'citizen', { mfa: true });
    const browser = new Browser();
    const callback = `${origin}/portal/callback`;
    const page = await browser.follow(`${origin}/portal/login?return=${encodeURIComponent(returnTo)}`, callback);
    assert.equal(page.response?.status, 200, 'identity shows its sign-in page');
    let next = await browser.follow(formAction(await page.response!.text(), page.url), callback, {
      form: { login: account.login, password: account.password },
    });
    if (account.totpSecret)
      next = await browser.follow(formAction(await next.response!.text(), next.url), callback, {
        form: { code: await totpNow(account.totpSecret) },
      });
    assert.ok(
      next.url.href.startsWith(callback),
      `identity sends the browser back to the portal, not ${next.url.href}`,
    );
    const back = await browser.request(next.url);
    assert.equal(back.status, 302, await back.clone().text());
    return { browser, account, landed: new URL(back.headers.get('location')!, origin) };
  }

  test('sign-in comes back to the path asked for, with an HttpOnly SameSite cookie and no token in the browser', async () => {
    const { browser, landed, account } = await signIn();
    assert.equal(landed.href, `${origin}/applications?x=1`);
    const session = await browser.request(`${origin}/portal/session`);
    const body = (await session.json()) as { signedIn: boolean; csrf: string; user: Record<string, unknown> };
    assert.equal(body.signedIn, true);
    assert.equal(body.user.id, account.id);
    assert.equal(body.user.kind, 'citizen');
    assert.equal(body.user.assurance, 'mfa');
    assert.ok(!JSON.stringify(body).match(/eyJ[\w-]+\.eyJ/), 'no JWT reaches the browser');
    assert.equal(session.headers.get('cache-control'), 'no-store');
  });

  test('the session cookie is HttpOnly and SameSite=Lax; its value is not stored, only its hash; tokens are sealed', async () => {
    const browser = new Browser();
    const login = await browser.request(`${origin}/portal/login`);
    assert.equal(login.status, 302);
    const setCookie = login.headers.getSetCookie().join('\n');
    assert.match(setCookie, /tongban_portal_login=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Lax/);
    const { browser: signedIn } = await signIn();
    void signedIn;
    const rows = await p.database.db.selectFrom('portal.session').selectAll().execute();
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.ok(!String(row.access_token).startsWith('eyJ'), 'the access token is sealed');
      assert.match(String(row.access_token), /^tb1\./);
      assert.match(String(row.refresh_token), /^tb1\./);
    }
  });

  test('API calls through /portal/api carry the session’s token; without the cookie they are signed out', async () => {
    const { browser } = await signIn();
    const mine = await browser.request(`${origin}/portal/api/identity/me/sessions`);
    assert.equal(mine.status, 200, await mine.clone().text());
    const stranger = new Browser();
    const refused = await stranger.request(`${origin}/portal/api/identity/me/sessions`);
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { code: string }).code, 'PORTAL_SIGNED_OUT');
    // a public route answers without a session
    const regions = await stranger.request(`${origin}/portal/api/catalog/regions`);
    assert.equal(regions.status, 200);
  });

  test('a signed-out browser’s unsafe calls reach public routes (registration) and are signed out of guarded ones', async () => {
    const stranger = new Browser();
    const json = { 'content-type': 'application/json' };
    // identity's own answer to a bad registration: its validation, not the portal's refusal
    const register = await stranger.request(`${origin}/portal/api/identity/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ residentId: 'short' }),
    });
    assert.equal(register.status, 400, await register.clone().text());
    assert.equal(((await register.json()) as { code: string }).code, 'VALIDATION_FAILED');
    const guarded = await stranger.request(`${origin}/portal/api/identity/me/passkeys/options`, { method: 'POST' });
    assert.equal(guarded.status, 401);
    assert.equal(((await guarded.json()) as { code: string }).code, 'PORTAL_SIGNED_OUT');
  });

  test('a file body is passed on as bytes (the route it reaches decides), and above the upload limit refused here', async () => {
    const { browser } = await signIn();
    const { csrf } = (await (await browser.request(`${origin}/portal/session`)).json()) as { csrf: string };
    const pdf = Buffer.from('%PDF-1.7\n%\xe2\xe3\n');
    const passed = await browser.request(`${origin}/portal/api/identity/me/passkeys`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', 'x-csrf-token': csrf },
      body: pdf,
    });
    // identity takes JSON here: its own 415 comes back through the portal
    assert.equal(passed.status, 415, await passed.clone().text());
    assert.match(passed.headers.get('content-type') ?? '', /application\/problem\+json/);
    const huge = await browser.request(`${origin}/portal/api/identity/me/passkeys`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', 'x-csrf-token': csrf },
      body: Buffer.alloc(12 * 1024 * 1024),
    });
    assert.equal(huge.status, 413);
  });

  test('unsafe calls need the session’s anti-forgery token (a cross-site form cannot send it)', async () => {
    const { browser } = await signIn();
    const { csrf } = (await (await browser.request(`${origin}/portal/session`)).json()) as { csrf: string };
    const without = await browser.request(`${origin}/portal/logout`, { method: 'POST' });
    assert.equal(without.status, 403);
    assert.equal(((await without.json()) as { code: string }).code, 'PORTAL_CSRF');
    const wrong = await browser.request(`${origin}/portal/api/identity/me/passkeys/options`, {
      method: 'POST',
      headers: { 'x-csrf-token': 'forged' },
    });
    assert.equal(wrong.status, 403);
    // still signed in, then signed out with the token
    assert.equal(
      ((await (await browser.request(`${origin}/portal/session`)).json()) as { signedIn: boolean }).signedIn,
      true,
    );
    const out = await browser.request(`${origin}/portal/logout`, { method: 'POST', headers: { 'x-csrf-token': csrf } });
    assert.equal(out.status, 200);
    const { endSession } = (await out.json()) as { endSession: string };
    assert.ok(endSession.startsWith(origin), endSession);
    assert.match(endSession, /id_token_hint=/);
    assert.equal(
      ((await (await browser.request(`${origin}/portal/session`)).json()) as { signedIn: boolean }).signedIn,
      false,
    );
    assert.equal((await browser.request(`${origin}/portal/api/identity/me/sessions`)).status, 401);
  });

  test('a sign-in started at another name of this server moves to the issuer’s origin first', async () => {
    const other = origin.replace('://localhost', '://127.0.0.1');
    assert.notEqual(other, origin);
    const r = await new Browser().request(`${other}/portal/login?return=/search`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), `${origin}/portal/login?return=/search`);
    assert.equal(r.headers.getSetCookie().length, 0);
  });

  test('a return path to another site is replaced by /; a replayed or cookieless callback is refused', async () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      '/a\u0000b',
    ])
      assert.equal(safeReturnPath(bad), '/', bad);
    const { landed } = await signIn('https://evil.example/steal');
    assert.equal(landed.href, `${origin}/`);
    // The callback URL replayed by a browser that did not start the sign-in.
    const browser = new Browser();
    const started = await browser.request(`${origin}/portal/login`);
    const state = new URL(started.headers.get('location')!).searchParams.get('state');
    const forged = await new Browser().request(`${origin}/portal/callback?code=abc&state=${state}`);
    assert.equal(forged.status, 400);
    assert.equal(((await forged.json()) as { code: string }).code, 'PORTAL_LOGIN_EXPIRED');
    // the right browser with a wrong state
    const wrongState = await browser.request(`${origin}/portal/callback?code=abc&state=other`);
    assert.equal(wrongState.status, 400);
  });
});
