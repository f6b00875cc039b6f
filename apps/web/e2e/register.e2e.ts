// Registration from the portal, as a new citizen finds it: the home page's link, the form's error
// summary, the code read from the development SMS sink (production texts it), a wrong code refused,
// the account confirmed, and a first sign-in on identity's page — where 长辈版 is switched on and the
// portal follows. axe reports nothing on each page, in zh-CN, English and 长辈版.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { residentIdCheckChar } from '@tongban/kernel/identifiers';
import type { Page } from 'playwright-core';
import { checkA11y, checkReflow, focused, newPage, shoot, switchLanguage, useStack } from './harness.ts';

const stack = useStack();

/** A resident ID nobody has registered: a Hangzhou (330106) birth date and a sequence from the clock. */
function newResidentId(): string {
  const sequence = String(Date.now() % 1000).padStart(3, '0');
  const first17 = `33010619950517${sequence}`;
  return first17 + residentIdCheckChar(first17);
}
const newMobile = () => `139${String(Date.now() % 100_000_000).padStart(8, '0')}`;

const h1 = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true }).waitFor();

describe('registration', () => {
  test('a new citizen registers from the home page, confirms the texted code and signs in; 长辈版 switched on the sign-in page stays on', async () => {
    const { context, page } = await newPage(stack.browser, 'zh-CN');
    try {
      await page.goto(`${stack.platform.url}/`);
      await page.getByRole('link', { name: '还没有账号？注册通办账号' }).click();
      await h1(page, '注册通办账号');
      await checkA11y(page, 'the registration page in zh-CN');
      await checkReflow(page, 'the registration page');
      await shoot(page, 'register-zh-CN');

      // Nothing filled in: one error per field, the summary focused and linking to each.
      await page.getByRole('button', { name: '注册并发送验证码' }).click();
      const summary = page.getByRole('alert');
      await summary.waitFor();
      assert.equal((await focused(page)).tag, 'div', 'the error summary has focus');
      assert.deepEqual(
        await summary.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
        ['#residentId', '#name', '#mobile', '#password'],
      );
      await checkA11y(page, 'the registration page with errors');
      await shoot(page, 'register-errors-zh-CN');

      const residentId = newResidentId();
      const mobile = newMobile();
      const password = '西湖边的三棵老柳树';
      await page.locator('#residentId').fill(residentId);
      await page.locator('#name').fill('赵新');
      await page.locator('#mobile').fill(mobile);
      await page.locator('#password').fill(password);
      await page.getByRole('button', { name: '注册并发送验证码' }).click();

      await h1(page, '输入短信验证码');
      assert.equal(new URL(page.url()).pathname, '/register/confirm');
      const sms = await page.locator('#dev-sms').innerText();
      const code = /\b(\d{6})\b/.exec(sms)?.[1];
      assert.ok(code, `the development sink shows the text with its code: ${sms}`);
      await checkA11y(page, 'the code page');
      await shoot(page, 'register-code-zh-CN');

      // A wrong code first: refused at the field, with identity's words for it.
      await page.locator('#code').fill(code === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: '确认', exact: true }).click();
      await page.getByRole('alert').waitFor();
      assert.match(await page.locator('#code-error').innerText(), /验证码不正确/);
      await checkA11y(page, 'the code page with a wrong code');

      await page.locator('#code').fill(code);
      await page.getByRole('button', { name: '确认', exact: true }).click();
      await h1(page, '账号已开通');
      await checkA11y(page, 'the registration is done');
      await shoot(page, 'register-done-zh-CN');

      // The first sign-in: identity's page links back to registration, and switches 长辈版 itself.
      await page.getByRole('main').getByRole('link', { name: '登录', exact: true }).click();
      await page.locator('#login').waitFor();
      assert.equal(await page.getByRole('link', { name: '注册账号' }).getAttribute('href'), '/register');
      await page.getByRole('link', { name: '长辈版（大字）' }).click();
      await page.locator('html.elder').waitFor({ state: 'attached' });
      await checkA11y(page, 'the sign-in page in 长辈版');
      await shoot(page, 'sign-in-elder-zh-CN');
      await page.locator('#login').fill(residentId);
      await page.locator('#password').fill(password);
      await page.getByRole('button', { name: '继续' }).click();

      await page.waitForURL(`${stack.platform.url}/`);
      await page.getByText('你好，赵新').waitFor();
      await page.locator('html.elder').waitFor({ state: 'attached' });
      await page.getByRole('banner').getByRole('button', { name: '标准版' }).waitFor();
    } finally {
      await context.close();
    }
  });

  test('the registration pages in English and 长辈版 have no WCAG 2.2 AA violations', async () => {
    const { context, page } = await newPage(stack.browser, 'en');
    try {
      await page.goto(`${stack.platform.url}/register`);
      await switchLanguage(page, 'en');
      await h1(page, 'Register for a Tongban account');
      await checkA11y(page, 'the registration page in English');
      await shoot(page, 'register-en');
      await page
        .getByRole('banner')
        .getByRole('button', { name: /elder mode/i })
        .click();
      await page.locator('html.elder').waitFor({ state: 'attached' });
      await page.getByRole('button', { name: 'Register and send the code' }).click();
      await page.getByRole('alert').waitFor();
      await checkA11y(page, 'the registration page with errors, English, 长辈版');
      await shoot(page, 'register-errors-en-elder');
    } finally {
      await context.close();
    }
  });
});
