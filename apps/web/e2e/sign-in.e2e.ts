// Identity's sign-in pages in a real browser: reached by an authorization request of the
// development client (as the welcome page's link starts one), free of WCAG 2.2 AA violations in
// zh-CN and English, and a demo citizen signs in with password and authenticator code using the
// keyboard alone, arriving at the client's loopback redirect with a code that buys a token.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import {
  checkA11y,
  checkFocusVisible,
  checkReflow,
  focused,
  newPage,
  shoot,
  switchLanguage,
  type DemoAccount,
  type Locale,
  useStack,
} from './harness.ts';

const CLIENT = 'tongban-dev';
const REDIRECT = 'http://127.0.0.1/callback';

const stack = useStack();

/** An authorization request with a fresh PKCE pair, as the development client (curl, Postman) makes one. */
function authorizationRequest(): { url: string; verifier: string } {
  const verifier = randomBytes(32).toString('base64url');
  const params = new URLSearchParams({
    client_id: CLIENT,
    response_type: 'code',
    scope: 'openid api',
    redirect_uri: REDIRECT,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  return { url: `${stack.platform.url}/oidc/auth?${params}`, verifier };
}

/** The demo citizen whose account has an authenticator (the start summary prints its TOTP secret). */
function citizenWithAuthenticator(): DemoAccount & { totpSecret: string } {
  const account = stack.platform.accounts.find((a) => a.kind === 'citizen' && a.totpSecret);
  assert.ok(account?.totpSecret, `no demo citizen with a TOTP secret in ${JSON.stringify(stack.platform.accounts)}`);
  return { ...account, totpSecret: account.totpSecret };
}

/** Nothing listens on the loopback redirect: the browser is answered here. */
async function answerRedirect(page: Page): Promise<void> {
  await page.route(`${REDIRECT}**`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html lang="en"><title>callback</title><main><h1>callback</h1></main></html>',
    }),
  );
}

const HEADING: Record<Locale, { signIn: string; totp: string; problem: string }> = {
  'zh-CN': { signIn: '登录', totp: '输入动态验证码', problem: '出现了问题' },
  en: { signIn: 'Sign in', totp: 'Enter your authenticator code', problem: 'There is a problem' },
};

const READ_ALOUD: Record<Locale, { start: string; stop: string }> = {
  'zh-CN': { start: '朗读本页', stop: '停止朗读' },
  en: { start: 'Read this page aloud', stop: 'Stop reading' },
};

describe('the sign-in pages', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    test(`the sign-in page speaks ${locale} and has no WCAG 2.2 AA violations, nor its error summary`, async () => {
      const { context, page } = await newPage(stack.browser, locale);
      try {
        await page.goto(authorizationRequest().url);
        await page.getByRole('heading', { level: 1, name: HEADING[locale].signIn, exact: true }).waitFor();
        assert.equal(await page.getAttribute('html', 'lang'), locale);
        await checkA11y(page, `the sign-in page in ${locale}`);
        await checkReflow(page, `the sign-in page in ${locale}`);
        await shoot(page, `sign-in-${locale}`);

        // Continuing with nothing filled in: the error summary takes focus and links to the field.
        await page.locator('button[type="submit"]').click();
        const summary = page.getByRole('alert');
        await summary.getByRole('heading', { name: HEADING[locale].problem }).waitFor();
        assert.equal((await focused(page)).tag, 'div', 'the error summary has focus');
        assert.equal(await summary.getByRole('link').getAttribute('href'), '#login');
        await checkA11y(page, `the sign-in page's error summary in ${locale}`);
        await shoot(page, `sign-in-error-${locale}`);
      } finally {
        await context.close();
      }
    });
  }

  test('in 长辈版, in zh-CN and English, the password page, its error summary and the code page have no WCAG 2.2 AA violations', async () => {
    const citizen = citizenWithAuthenticator();
    const { context, page } = await newPage(stack.browser, 'zh-CN');
    try {
      // What the page asks the browser to say is recorded instead of spoken.
      await page.addInitScript({
        content:
          'window.spoken = []; speechSynthesis.speak = (u) => void window.spoken.push({ text: u.text, lang: u.lang });',
      });
      await page.goto(authorizationRequest().url);
      await page.getByRole('heading', { level: 1, name: HEADING['zh-CN'].signIn, exact: true }).waitFor();
      // The sign-in page's own 长辈版 link (it is a link there: the page works without script).
      await page.getByRole('link', { name: /长辈版/ }).click();
      await page.locator('html.elder').waitFor({ state: 'attached' });
      const target = await page.locator('#login').evaluate((el) => el.getBoundingClientRect().height);
      assert.ok(target >= 60, `长辈版's inputs are at least 60 px high: ${target}`);
      const links = await page
        .locator('.switches a')
        .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
      assert.ok(links.length >= 2 && links.every((h) => h >= 60), `长辈版's switch links are 60 px targets: ${links}`);
      for (const locale of ['zh-CN', 'en'] as const) {
        if (locale === 'en') await switchLanguage(page, 'en');
        await page.getByRole('heading', { level: 1, name: HEADING[locale].signIn, exact: true }).waitFor();
        assert.ok(await page.locator('html.elder').count(), `still 长辈版 in ${locale}`);
        await checkA11y(page, `the sign-in page in ${locale}, 长辈版`);
        await checkReflow(page, `the sign-in page in ${locale}, 长辈版`);
        await shoot(page, `sign-in-${locale}-elder`);
        // 朗读本页 reads the page's heading and fields in the page's language, and can be stopped.
        await page.getByRole('button', { name: READ_ALOUD[locale].start }).click();
        await page.getByRole('button', { name: READ_ALOUD[locale].stop, pressed: true }).waitFor();
        const said = (await page.evaluate('window.spoken.at(-1)')) as { text: string; lang: string } | undefined;
        assert.ok(said?.text.includes(HEADING[locale].signIn), `read aloud: ${JSON.stringify(said)}`);
        assert.equal(said?.lang, locale);
        await page.getByRole('button', { name: READ_ALOUD[locale].stop }).click();
        await page.getByRole('button', { name: READ_ALOUD[locale].start, pressed: false }).waitFor();
        await page.locator('button[type="submit"]').click();
        await page.getByRole('alert').getByRole('heading', { name: HEADING[locale].problem }).waitFor();
        await checkA11y(page, `the sign-in page's error summary in ${locale}, 长辈版`);
        await shoot(page, `sign-in-error-${locale}-elder`);
      }
      // The code page, in English 长辈版 (the language and the mode carried over from the password step).
      await page.locator('#login').fill(citizen.login);
      await page.locator('#password').fill(citizen.password);
      await page.locator('button[type="submit"]').click();
      await page.getByRole('heading', { level: 1, name: HEADING.en.totp }).waitFor();
      assert.ok(await page.locator('html.elder').count(), 'the code page is in 长辈版 too');
      await checkA11y(page, 'the authenticator code page in English, 长辈版');
      await shoot(page, 'sign-in-totp-en-elder');
      await switchLanguage(page, 'zh-CN');
      await page.getByRole('heading', { level: 1, name: HEADING['zh-CN'].totp }).waitFor();
      await checkA11y(page, 'the authenticator code page in zh-CN, 长辈版');
      await shoot(page, 'sign-in-totp-zh-CN-elder');
    } finally {
      await context.close();
    }
  });

  test('its language link switches between 中文 and English', async () => {
    const { context, page } = await newPage(stack.browser, 'zh-CN');
    try {
      await page.goto(authorizationRequest().url);
      await switchLanguage(page, 'en');
      await page.getByRole('heading', { level: 1, name: 'Sign in', exact: true }).waitFor();
      await switchLanguage(page, 'zh-CN');
      await page.getByRole('heading', { level: 1, name: '登录', exact: true }).waitFor();
    } finally {
      await context.close();
    }
  });

  test('a citizen signs in with password and authenticator code by keyboard alone', async () => {
    const citizen = citizenWithAuthenticator();
    const { context, page } = await newPage(stack.browser, 'zh-CN');
    try {
      await answerRedirect(page);
      const { url, verifier } = authorizationRequest();
      await page.goto(url);
      await page.getByRole('heading', { level: 1, name: HEADING['zh-CN'].signIn, exact: true }).waitFor();

      /** Tab once; the focus lands on `expect` and shows it. */
      const tabTo = async (expect: { id?: string; text?: string }, where: string) => {
        await page.keyboard.press('Tab');
        const now = await focused(page);
        if (expect.id !== undefined)
          assert.equal(now.id, expect.id, `${where}: focus on #${expect.id}, not ${JSON.stringify(now)}`);
        if (expect.text !== undefined) assert.equal(now.text, expect.text, `${where}: focus on "${expect.text}"`);
        await checkFocusVisible(page, where);
      };

      // The password step: the service's name (home), the language and 长辈版 links, then the two
      // fields and the button, in reading order.
      await tabTo({ text: '通办' }, 'sign-in page');
      await tabTo({ text: 'English' }, 'sign-in page');
      await tabTo({ text: '长辈版（大字）' }, 'sign-in page');
      await tabTo({ id: 'login' }, 'sign-in page');
      await page.keyboard.type(citizen.login);
      await tabTo({ id: 'password' }, 'sign-in page');
      await page.keyboard.type(citizen.password);
      await tabTo({ text: '继续' }, 'sign-in page');
      await page.keyboard.press('Enter');

      // The authenticator step, checked in zh-CN, then switched to English from the keyboard.
      await page.getByRole('heading', { level: 1, name: HEADING['zh-CN'].totp }).waitFor();
      await checkA11y(page, 'the authenticator code page in zh-CN');
      await checkReflow(page, 'the authenticator code page in zh-CN');
      await shoot(page, 'sign-in-totp-zh-CN');
      await tabTo({ text: '通办' }, 'authenticator code page');
      await tabTo({ text: 'English' }, 'authenticator code page');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: HEADING.en.totp }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      await checkA11y(page, 'the authenticator code page in English');
      await shoot(page, 'sign-in-totp-en');

      await tabTo({ text: 'Tongban' }, 'authenticator code page');
      await tabTo({ text: '中文' }, 'authenticator code page');
      await tabTo({ text: 'Elder mode (larger text)' }, 'authenticator code page');
      await tabTo({ id: 'code' }, 'authenticator code page');
      await page.keyboard.type(await generate({ secret: citizen.totpSecret }));
      const [request] = await Promise.all([
        page.waitForRequest((r) => r.url().startsWith(`${REDIRECT}?`)),
        page.keyboard.press('Enter'),
      ]);
      const callback = new URL(request.url());
      const code = callback.searchParams.get('code');
      assert.ok(code, `the redirect carries a code: ${callback.href}`);
      // The code is real: the development client exchanges it for tokens with its PKCE verifier.
      const token = await fetch(`${stack.platform.url}/oidc/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: CLIENT,
          redirect_uri: REDIRECT,
          code_verifier: verifier,
          code,
        }),
      });
      const tokens = (await token.json()) as { access_token?: string; id_token?: string };
      assert.equal(token.status, 200, JSON.stringify(tokens));
      assert.equal(typeof tokens.access_token, 'string');
    } finally {
      await context.close();
    }
  });
});
