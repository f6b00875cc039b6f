// Sign-in through the pages a browser sees: brute-force lockout (and its doubling and reset),
// no account enumeration, staff must use a second factor, a TOTP code works once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import * as client from 'openid-client';
import identity from '../src/index.ts';
import { Browser, formAction } from './browser.ts';
import { createAccount, registerBrowserClient, totpNow, type TestAccount } from './fixtures.ts';

const REDIRECT = 'http://rp.example.test/callback';
const MINUTE = 60_000;

describe('signing in', () => {
  let p: TestPlatform;
  let rp: client.Configuration;
  let now = new Date('2026-11-24T09:00:00Z');
  const clock = { now: () => now };
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' }, clock });
    await p.listen();
    const { issuer } = (await p.app.inject({ url: '/api/identity/keys' })).json() as { issuer: string };
    await registerBrowserClient(p, 'rp-signin', REDIRECT);
    rp = await client.discovery(new URL(issuer), 'rp-signin', undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    });
  });
  after(() => p.dispose());

  /** Opens a sign-in page; returns a function that submits the password form. */
  async function signInPage(extra: Record<string, string> = {}) {
    const url = client.buildAuthorizationUrl(rp, {
      ...extra,
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const browser = new Browser();
    const page = await browser.follow(url, REDIRECT);
    const action = formAction(await page.response!.text(), page.url);
    return {
      browser,
      async password(login: string, password: string) {
        const next = await browser.follow(action, REDIRECT, { form: { login, password } });
        return {
          status: next.response?.status ?? 303,
          html: (await next.response?.text()) ?? '',
          done: next.url.href.startsWith(REDIRECT),
          url: next.url,
        };
      },
    };
  }

  const wrong = (a: TestAccount) => ({ login: a.login, password: `${a.password}!` });

  test('a refused sign-in page’s language and 长辈版 links open the step’s page, which remembers 长辈版 in the portal’s cookie', async () => {
    const page = await signInPage();
    const refused = await page.password('nobody', 'wrong-password');
    assert.equal(refused.status, 401);
    assert.match(refused.html, /<a href="\/register">/, 'the first page links to registration');
    const links = [
      ...refused.html.matchAll(/<p class="switches"><a href="([^"]+)"[^>]*>[^<]*<\/a>\s*<a href="([^"]+)">/g),
    ][0]!;
    const at = (href: string) => new URL(href.replaceAll('&amp;', '&'), refused.url);
    const language = at(links[1]!);
    const elder = at(links[2]!);
    // the test's browser asks for English: the other language is Chinese
    const chinese = await page.browser.request(language);
    assert.equal(chinese.status, 200, 'a GET of the link answers with the page, not a JSON 404');
    assert.match(await chinese.text(), /<html lang="zh-CN">/);
    assert.equal(elder.searchParams.get('elder'), '1');
    const big = await page.browser.request(elder);
    assert.equal(big.status, 200);
    assert.match(big.headers.get('set-cookie') ?? '', /^tongban_elder=1; Path=\/; Max-Age=31536000; SameSite=Lax$/);
    const html = await big.text();
    assert.match(html, /<html lang="en" class="elder">/);
    assert.match(html, /elder=0">Standard view</, 'and it offers the way back');
    // the cookie is now in the browser: the next page follows it without the query
    assert.match(await (await page.browser.request(language)).text(), /<html lang="zh-CN" class="elder">/);
  });

  test('five wrong passwords lock the account for 15 minutes, even against the right password', async () => {
    const citizen = await createAccount(p, 'citizen');
    const page = await signInPage();
    for (let i = 0; i < 5; i++)
      assert.equal((await page.password(wrong(citizen).login, wrong(citizen).password)).status, 401);
    assert.equal(
      (await page.password(citizen.login, citizen.password)).done,
      false,
      'locked: the right password is refused',
    );
    advance(14 * MINUTE);
    assert.equal(
      (await (await signInPage()).password(citizen.login, citizen.password)).done,
      false,
      'still locked after 14 minutes',
    );
    advance(2 * MINUTE);
    assert.equal(
      (await (await signInPage()).password(citizen.login, citizen.password)).done,
      true,
      'open again after 15 minutes',
    );
  });

  test('a second lock lasts twice as long as the first', async () => {
    const citizen = await createAccount(p, 'citizen');
    for (const minutes of [15, 30]) {
      const page = await signInPage();
      for (let i = 0; i < 5; i++) await page.password(wrong(citizen).login, wrong(citizen).password);
      advance((minutes - 1) * MINUTE);
      assert.equal(
        (await (await signInPage()).password(citizen.login, citizen.password)).done,
        false,
        `locked for ${minutes} minutes`,
      );
      advance(2 * MINUTE);
      if (minutes === 30)
        assert.equal((await (await signInPage()).password(citizen.login, citizen.password)).done, true);
    }
  });

  test('a successful sign-in resets the count of failures', async () => {
    const citizen = await createAccount(p, 'citizen');
    const page = await signInPage();
    for (let i = 0; i < 4; i++) await page.password(wrong(citizen).login, wrong(citizen).password);
    assert.equal((await page.password(citizen.login, citizen.password)).done, true);
    const again = await signInPage();
    for (let i = 0; i < 4; i++) await again.password(wrong(citizen).login, wrong(citizen).password);
    assert.equal((await again.password(citizen.login, citizen.password)).done, true, 'four more failures do not lock');
  });

  test('an unknown account gets exactly the answer a wrong password gets', async () => {
    const citizen = await createAccount(p, 'citizen');
    const page = await signInPage();
    const known = await page.password(citizen.login, 'not the password');
    const unknown = await page.password('110105194912310029', 'not the password');
    assert.equal(known.status, unknown.status);
    const scrub = (html: string, login: string) => html.replace(login, 'LOGIN');
    assert.equal(scrub(known.html, citizen.login), scrub(unknown.html, '110105194912310029'));
    assert.match(known.html, /role="alert"[^>]*autofocus|autofocus[^>]*role="alert"/, 'the error summary takes focus');
  });

  test('staff cannot sign in with a password alone', async () => {
    const officer = await createAccount(p, 'officer', { departments: ['330100-GA'] });
    const result = await (await signInPage()).password(officer.login, officer.password);
    assert.equal(result.done, false);
    assert.match(result.html, /Two-step verification is needed/);
  });

  test('a TOTP code signs in once; the same code again is refused', async () => {
    const citizen = await createAccount(p, 'citizen', { mfa: true });
    const code = await totpNow(citizen.totpSecret!, now);
    const first = await signInPage();
    const step = await first.password(citizen.login, citizen.password);
    const done = await first.browser.follow(formAction(step.html, step.url), REDIRECT, { form: { code } });
    assert.ok(done.url.href.startsWith(REDIRECT));
    const second = await signInPage();
    const step2 = await second.password(citizen.login, citizen.password);
    const replay = await second.browser.follow(formAction(step2.html, step2.url), REDIRECT, { form: { code } });
    assert.equal(replay.response?.status, 401, 'a replayed code is refused');
  });

  test('asked for multi-factor, an account without an authenticator gets an SMS code that works once', async () => {
    const citizen = await createAccount(p, 'citizen', { mobile: '13700000042' });
    const page = await signInPage({ acr_values: 'urn:tongban:acr:mfa' });
    const step = await page.password(citizen.login, citizen.password);
    assert.match(step.html, /Enter the code we texted you/);
    const sms = await p.database.db
      .selectFrom('identity.dev_sms')
      .select('text')
      .where('mobile', '=', '13700000042')
      .execute();
    assert.equal(sms.length, 1, 'one message to the account’s mobile');
    const code = /(\d{6})/.exec(String(sms[0]!.text))![1]!;
    const wrongCode = code === '000000' ? '111111' : '000000';
    const wrong = await page.browser.follow(formAction(step.html, step.url), REDIRECT, { form: { code: wrongCode } });
    assert.equal(wrong.response?.status, 401);
    const done = await page.browser.follow(formAction(step.html, step.url), REDIRECT, { form: { code } });
    assert.ok(done.url.href.startsWith(REDIRECT), 'the right code finishes the sign-in');
    const again = await signInPage({ acr_values: 'urn:tongban:acr:mfa' });
    const step2 = await again.password(citizen.login, citizen.password);
    const replay = await again.browser.follow(formAction(step2.html, step2.url), REDIRECT, { form: { code } });
    assert.equal(replay.response?.status, 401, 'a used code is refused, and no second SMS within a minute');
    assert.equal(
      (await p.database.db.selectFrom('identity.dev_sms').select('id').where('mobile', '=', '13700000042').execute())
        .length,
      1,
    );
  });
});
