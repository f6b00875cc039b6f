// The citizen portal at `/` as a person's browser gets it: the web app (apps/web, built by CI
// before this runs) in zh-CN by default, English by its switch, 长辈版 by its toggle — each with no
// WCAG 2.2 AA violations and reflowing at 320 px — and a sign-in through the portal's
// backend-for-frontend (identity's pages, password + authenticator code) that comes back to the
// portal signed in, with no token anywhere the page's scripts can read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  checkA11y,
  checkReflow,
  newPage,
  setElderMode,
  shoot,
  signInOnIdentity,
  switchLanguage,
  type DemoAccount,
  useStack,
} from './harness.ts';

const stack = useStack();

const heading = (page: Page, name: RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();

describe('the citizen portal at /', () => {
  test('zh-CN by default, English by its switch, 长辈版 by its toggle: no WCAG 2.2 AA violations, reflow at 320 px', async () => {
    const { context, page } = await newPage(stack.browser, 'zh-CN');
    try {
      // What the page asks the browser to say is recorded instead of spoken.
      await page.addInitScript({
        content:
          'window.spoken = []; speechSynthesis.speak = (u) => void window.spoken.push({ text: u.text, lang: u.lang });',
      });
      const response = await page.goto(`${stack.platform.url}/`);
      assert.equal(response?.status(), 200);
      await heading(page, /一站式办理政务服务/);
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      await checkA11y(page, '/ in zh-CN');
      await checkReflow(page, '/ in zh-CN');
      await shoot(page, 'portal-home-zh-CN');

      await switchLanguage(page, 'en');
      await heading(page, /Government services in one place/);
      await checkA11y(page, '/ in English');
      await checkReflow(page, '/ in English');
      await shoot(page, 'portal-home-en');

      await setElderMode(page, true);
      await checkA11y(page, '/ in English, elder mode');
      await shoot(page, 'portal-home-en-elder');
      await switchLanguage(page, 'zh-CN');
      await heading(page, /一站式办理政务服务/);
      await checkA11y(page, '/ in zh-CN, elder mode');
      await shoot(page, 'portal-home-zh-CN-elder');
      // 朗读本页 reads the main content in the page's language, and stops.
      await page.getByRole('button', { name: '朗读本页' }).click();
      await page.getByRole('button', { name: '停止朗读', pressed: true }).waitFor();
      const said = (await page.evaluate('window.spoken.at(-1)')) as { text: string; lang: string } | undefined;
      assert.match(said?.text ?? '', /一站式办理政务服务/);
      assert.equal(said?.lang, 'zh-CN');
      await page.getByRole('button', { name: '停止朗读' }).click();
      await page.getByRole('button', { name: '朗读本页', pressed: false }).waitFor();
      // Remembered: a new page load keeps the language and the mode.
      await page.reload();
      await heading(page, /一站式办理政务服务/);
      assert.ok(await page.locator('html.elder').count(), 'elder mode is remembered');
      // Identity's sign-in pages (server-rendered, no script) follow it too, by its cookie.
      await page.getByRole('banner').getByRole('link', { name: '登录', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: '登录', exact: true }).waitFor();
      assert.ok(await page.locator('html.elder').count(), 'the sign-in page is in elder mode');
      const target = await page.locator('#login').evaluate((e) => e.getBoundingClientRect().height);
      assert.ok(target >= 60, `elder mode's inputs are at least 60 px high: ${target}`);
      await checkA11y(page, 'the sign-in page in elder mode');
      await shoot(page, 'sign-in-zh-CN-elder');
    } finally {
      await context.close();
    }
  });

  test('signing in goes through identity and back to the portal, signed in; no token reaches the page', async () => {
    // Not the citizen sign-in.e2e.ts uses: an authenticator code is accepted once, and both may run within 30 s.
    const withCode = stack.platform.accounts.filter((a): a is DemoAccount & { totpSecret: string } =>
      Boolean(a.totpSecret),
    );
    const account = withCode.at(-1);
    assert.ok(account, 'a demo account with an authenticator');
    const { context, page } = await newPage(stack.browser, 'zh-CN');
    try {
      await page.goto(`${stack.platform.url}/`);
      await heading(page, /一站式办理政务服务/);
      await page.getByRole('banner').getByRole('link', { name: '登录', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: '登录', exact: true }).waitFor();
      assert.match(new URL(page.url()).pathname, /^\/api\/identity\/interaction\//);
      await signInOnIdentity(page, account);
      await page.waitForURL(`${stack.platform.url}/`);
      await page.getByRole('button', { name: '退出登录' }).waitFor();
      await checkA11y(page, '/ signed in');
      await shoot(page, 'portal-home-signed-in');
      const seen = (await page.evaluate(
        `(async () => ({ cookie: document.cookie, storage: JSON.stringify(localStorage) + JSON.stringify(sessionStorage), session: await (await fetch('/portal/session')).json() }))()`,
      )) as { cookie: string; storage: string; session: { signedIn: boolean; user?: { id: string } } };
      assert.equal(seen.session.signedIn, true);
      assert.doesNotMatch(seen.cookie, /tongban_portal/, 'the session cookie is HttpOnly');
      assert.doesNotMatch(
        seen.storage + JSON.stringify(seen.session),
        /eyJ[\w-]+\.eyJ/,
        'no JWT in storage or the session answer',
      );

      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByRole('banner').getByRole('link', { name: '登录', exact: true }).waitFor();
      const after = (await page.evaluate(`fetch('/portal/session').then((r) => r.json())`)) as { signedIn: boolean };
      assert.equal(after.signedIn, false);
    } finally {
      await context.close();
    }
  });
});
