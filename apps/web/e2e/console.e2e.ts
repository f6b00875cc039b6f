// The operator console at /console as people's browsers get it: a signed-out visitor is asked to
// sign in, a citizen is told it is for operators, and the operator signs in (password +
// authenticator code), sees the dashboard, and publishes a new version of a matter after one
// validation error shown in place — which the citizen's service guide then shows. Every console
// page has no WCAG 2.2 AA violations in zh-CN, in English and in 长辈版 elder mode.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  account,
  checkA11y,
  checkReflow,
  newPage,
  setElderMode,
  shoot,
  signInOnIdentity,
  switchLanguage,
  useStack,
} from './harness.ts';
import { openMatterEditor, publishMatterWithOneError, signInToConsole } from './console.steps.ts';

const stack = useStack();
/** A matter outside the demo bundles the other tests apply for: 供水过户. */
const MATTER = '330100-GS-001';

/** The console's pages, each with what shows once its data has arrived. */
const PAGES = [
  { name: 'dashboard', path: '/console', ready: 'table' },
  { name: 'departments', path: '/console/departments', ready: 'table' },
  { name: 'department', path: '/console/departments/330100-GS', ready: '#name-zh' },
  { name: 'department-new', path: '/console/departments/new', ready: '#code' },
  { name: 'staff', path: '/console/staff', ready: '#account' },
  { name: 'matters', path: '/console/matters', ready: 'table' },
  { name: 'matter', path: `/console/matters/${MATTER}`, ready: '.preview .form-group' },
  { name: 'bundles', path: '/console/bundles', ready: 'table' },
  { name: 'bundle', path: '/console/bundles/BIRTH', ready: '#items' },
  { name: 'grants', path: '/console/grants', ready: 'table' },
] as const;

async function ready(page: Page, selector: string) {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.locator(selector).first().waitFor();
  await page.locator('main .loading').waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1, `one h1 on ${page.url()}`);
}

describe('the operator console at /console', () => {
  test('signed out it offers to sign in; a citizen or an officer is told it is for operators', async () => {
    const { context, page } = await newPage(stack.browser, 'zh-CN');
    try {
      await page.goto(`${stack.platform.url}/console`);
      await page.getByRole('heading', { level: 1, name: '管理控制台' }).waitFor();
      await page.getByRole('main').getByRole('button', { name: '登录', exact: true }).waitFor();
      const signedOut = await page.evaluate(`fetch('/portal/api/workflow/stats').then((r) => r.status)`);
      assert.equal(signedOut, 401, 'the statistics need a signed-in operator');
      await checkA11y(page, '/console signed out, zh-CN');
      await shoot(page, 'console-sign-in');
      await switchLanguage(page, 'en');
      await page.getByRole('heading', { level: 1, name: 'Operator console' }).waitFor();
      await checkA11y(page, '/console signed out, English');
      await setElderMode(page, true);
      await checkA11y(page, '/console signed out, English, elder mode');
      await setElderMode(page, false);
      await switchLanguage(page, 'zh-CN');

      await page.getByRole('main').getByRole('button', { name: '登录', exact: true }).click();
      await page.locator('#login').waitFor();
      await signInOnIdentity(page, account(stack.platform, 'citizen'));
      await page.waitForURL(`${stack.platform.url}/console`);
      await page.getByRole('heading', { level: 1, name: '此页面仅供运营人员使用' }).waitFor();
      await checkA11y(page, '/console as a citizen, zh-CN');
      await checkReflow(page, '/console as a citizen');
      await shoot(page, 'console-refused');
      await switchLanguage(page, 'en');
      await page.getByRole('heading', { level: 1, name: 'This page is for operators only' }).waitFor();
      await checkA11y(page, '/console as a citizen, English');
      await setElderMode(page, true);
      await checkA11y(page, '/console as a citizen, English, elder mode');
      // The API refuses the citizen too, whatever the page shows.
      const status = await page.evaluate(`fetch('/portal/api/workflow/stats').then((r) => r.status)`);
      assert.equal(status, 403);
    } finally {
      await context.close();
    }
    // An officer too, signing in from the console's own button.
    const officer = await newPage(stack.browser, 'zh-CN');
    try {
      await officer.page.goto(`${stack.platform.url}/console/matters`);
      await officer.page.getByRole('main').getByRole('button', { name: '登录', exact: true }).click();
      await officer.page.locator('#login').waitFor();
      await signInOnIdentity(officer.page, account(stack.platform, 'officer'));
      await officer.page.waitForURL(`${stack.platform.url}/console/matters`);
      await officer.page.getByRole('heading', { level: 1, name: '此页面仅供运营人员使用' }).waitFor();
      await checkA11y(officer.page, '/console as an officer');
    } finally {
      await officer.context.close();
    }
  });

  test('the operator signs in, sees the dashboard, and publishes a matter after fixing one error shown in place', async () => {
    const { context, page } = await newPage(stack.browser, 'zh-CN');
    try {
      await signInToConsole(page, stack.platform.url, account(stack.platform, 'operator'));
      await ready(page, 'table');
      await page.getByRole('table', { name: '各部门办理情况' }).waitFor();
      const stats = (await page.evaluate(`fetch('/portal/api/workflow/stats?days=7').then((r) => r.json())`)) as {
        days: number;
        departments: unknown[];
      };
      assert.equal(stats.days, 7);
      assert.ok(Array.isArray(stats.departments));

      // Every page: zh-CN, English, then elder mode (in zh-CN), each with no axe violations.
      for (const pass of ['zh-CN', 'en', 'elder'] as const) {
        if (pass === 'en') await switchLanguage(page, 'en');
        if (pass === 'elder') {
          await switchLanguage(page, 'zh-CN');
          await setElderMode(page, true);
        }
        for (const p of PAGES) {
          await page.goto(`${stack.platform.url}${p.path}`);
          await ready(page, p.ready);
          await checkA11y(page, `${p.path} in ${pass}`);
          if (pass === 'zh-CN') await checkReflow(page, `${p.path}`);
          await shoot(page, pass === 'zh-CN' ? `console-${p.name}` : `console-${p.name}-${pass}`);
        }
      }
      await setElderMode(page, false);

      await openMatterEditor(page, stack.platform.url, MATTER);
      const version = await publishMatterWithOneError(page);
      await checkA11y(page, 'the matter editor after publishing');
      await shoot(page, 'console-matter-published');

      // The citizen's service guide shows the new version.
      const citizen = await newPage(stack.browser, 'zh-CN');
      try {
        await citizen.page.goto(`${stack.platform.url}/matters/${MATTER}`);
        await citizen.page.getByText(`第 ${version} 版`).waitFor();
        await citizen.page.getByText('近期实际办理用时').waitFor();
        await checkA11y(citizen.page, 'the service guide after publishing');
        await shoot(citizen.page, 'console-guide-after-publish');
      } finally {
        await citizen.context.close();
      }
    } finally {
      await context.close();
    }
  });

  test('in English: a refused publish shown without violations, also in elder mode; a grant added and revoked', async () => {
    const { context, page } = await newPage(stack.browser, 'zh-CN');
    try {
      await signInToConsole(page, stack.platform.url, account(stack.platform, 'operator'));
      await switchLanguage(page, 'en');
      await openMatterEditor(page, stack.platform.url, MATTER);
      await page.locator('#promisedDays').fill('9999');
      await page.getByRole('button', { name: 'Publish a new version' }).click();
      await page.locator('.error-summary').waitFor();
      await checkA11y(page, 'the matter editor with an error, English');
      await shoot(page, 'console-matter-error-en');
      await setElderMode(page, true);
      await checkA11y(page, 'the matter editor with an error, English, elder mode');
      await shoot(page, 'console-matter-error-en-elder');
      await setElderMode(page, false);

      // A data-sharing grant added and revoked: an item the first grant listed, to a department.
      await page.goto(`${stack.platform.url}/console/grants`);
      await ready(page, 'table');
      const first = page.locator('tbody tr').first();
      const resource = ((await first.locator('td').nth(0).textContent()) ?? '').trim();
      const item = ((await first.locator('td').nth(2).textContent()) ?? '').split(',')[0]!.trim();
      await page.locator('#consumer').fill('330100-GS');
      // Chosen from the data hub's catalogue: the resource, then its items.
      // A text input until the data hub's catalogue has answered, a select once it has.
      await page.locator('select#resource').waitFor();
      await page.locator('#resource').selectOption(resource);
      await page.locator('#purpose').fill(MATTER);
      await page.locator(`input[name="items"][value="${item}"]`).check();
      await checkA11y(page, 'grants with a resource chosen, English');
      await page.getByRole('button', { name: 'Grant', exact: true }).click();
      await page.locator('.notification-banner--success', { hasText: '330100-GS may now use' }).waitFor();
      const row = page
        .locator('tbody tr', { hasText: MATTER })
        .filter({ has: page.getByRole('rowheader', { name: '330100-GS', exact: true }) });
      await row.waitFor();
      await checkA11y(page, 'grants after adding one, English');
      await row.getByRole('button', { name: /^Revoke/ }).click();
      await page.locator('.notification-banner--success', { hasText: 'has been revoked' }).waitFor();
      await row.waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  });
});
