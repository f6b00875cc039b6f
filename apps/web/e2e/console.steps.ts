// Steps in the operator console that other end-to-end tests can reuse (the whole journey's last
// act: an operator publishes a new version of a matter with one validation error shown and fixed).
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { focused, signInOnIdentity, type DemoAccount, type Locale } from './harness.ts';

const WORDS = {
  'zh-CN': {
    signIn: '登录',
    dashboard: '概览',
    publish: '发布新版本',
    summary: '有问题需要处理',
    promiseError: '承诺办结时限不能超过法定办结时限',
    published: /已发布第 (\d+) 版/,
    current: /当前发布的是第 (\d+) 版/,
    currentIs: (v: number) => `当前发布的是第 ${v} 版`,
    optional: '（选填）',
  },
  en: {
    signIn: 'Sign in',
    dashboard: 'Overview',
    publish: 'Publish a new version',
    summary: 'There is a problem',
    promiseError: 'The promised deadline cannot be longer than the legal deadline',
    published: /Version (\d+) published/,
    current: /Version (\d+) is published/,
    currentIs: (v: number) => `Version ${v} is published`,
    optional: '(optional)',
  },
} as const;

/** From a signed-out /console: its sign-in button, identity's pages, and back to the dashboard. */
export async function signInToConsole(page: Page, baseUrl: string, operator: DemoAccount, locale: Locale = 'zh-CN') {
  const words = WORDS[locale];
  await page.goto(`${baseUrl}/console`);
  await page.getByRole('main').getByRole('button', { name: words.signIn, exact: true }).click();
  await page.locator('#login').waitFor();
  await signInOnIdentity(page, operator, locale);
  await page.waitForURL(`${baseUrl}/console`);
  await page.getByRole('heading', { level: 1, name: words.dashboard }).waitFor();
}

/** The matter editor of `code`, opened from the console's list of matters. */
export async function openMatterEditor(page: Page, baseUrl: string, code: string): Promise<void> {
  await page.goto(`${baseUrl}/console/matters/${encodeURIComponent(code)}`);
  await page.locator('#promisedDays').waitFor();
}

/**
 * On a matter's editor: makes one field of the form optional (the live preview says so at once),
 * promises more days than the law allows, publishes — the API refuses with one field error, shown
 * in an error summary that takes focus and links to the promised-days input — then fixes it and
 * publishes. Returns the version published.
 */
export async function publishMatterWithOneError(page: Page, locale: Locale = 'zh-CN'): Promise<number> {
  const words = WORDS[locale];
  const before = Number(words.current.exec((await page.locator('#current-version').textContent()) ?? '')?.[1]);
  assert.ok(before >= 1, 'the editor names the version published now');

  // The form schema, edited as JSON: its last required field becomes optional in the preview.
  const form = JSON.parse(await page.locator('#form').inputValue()) as { required?: string[] };
  assert.ok(form.required && form.required.length > 0, 'the form has a required field');
  const optionalBefore = await page.locator('.preview').getByText(words.optional).count();
  form.required = form.required.slice(0, -1);
  await page.locator('#form').fill(JSON.stringify(form, null, 2));
  await page.locator('.preview').getByText(words.optional).nth(optionalBefore).waitFor();

  // One error: a promise longer than the legal deadline.
  const legal = Number(await page.locator('#legalDays').inputValue());
  await page.locator('#promisedDays').fill(String(legal + 1));
  await page.getByRole('button', { name: words.publish }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.equal(await summary.getByRole('heading', { name: words.summary }).count(), 1);
  const summaryFocused = await page.evaluate(`document.activeElement?.classList.contains('error-summary')`);
  assert.equal(summaryFocused, true, 'the error summary takes focus');
  const links = summary.getByRole('link');
  assert.equal(await links.count(), 1, 'one error');
  assert.equal(await links.first().getAttribute('href'), '#promisedDays');
  assert.equal((await links.first().textContent())?.trim(), words.promiseError);
  // In place: by the input, which the summary's link focuses.
  assert.equal(await page.locator('#promisedDays-error').count(), 1);
  assert.equal(await page.locator('#promisedDays').getAttribute('aria-invalid'), 'true');
  await links.first().click();
  assert.equal((await focused(page)).id, 'promisedDays');

  // Fixed: the promise is the legal deadline itself.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(String(legal));
  await page.getByRole('button', { name: words.publish }).click();
  const banner = page.locator('.notification-banner--success');
  await banner.waitFor();
  const published = Number(words.published.exec((await banner.textContent()) ?? '')?.[1]);
  assert.equal(published, before + 1, 'a new version');
  assert.equal(await page.locator('.error-summary').count(), 0);
  await page.locator('#current-version', { hasText: words.currentIs(published) }).waitFor();
  return published;
}
