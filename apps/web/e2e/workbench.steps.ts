// Reusable steps for the officer workbench's e2e tests (and the whole-journey test to come): sign
// people in through the portal's BFF, call the platform as them from the page (their own session
// cookie and CSRF token, as the SPA does), and drive the workbench's pages the way an officer does.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { checkFocusVisible, focused, signInOnIdentity, type DemoAccount, type Locale } from './harness.ts';

export interface Json {
  [key: string]: unknown;
}

/** Through the BFF as the page's signed-in user: `/portal/api/<path>` with its CSRF token. */
export async function callApi(
  page: Page,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  return (await page.evaluate(
    async ({ method, path, body, headers }) => {
      const session = (await (await fetch('/portal/session')).json()) as { csrf?: string };
      const response = await fetch(`/portal/api/${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(method === 'GET' ? {} : { 'x-csrf-token': session.csrf ?? '' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json().catch(() => ({}))) as Json };
    },
    { method, path, body, headers },
  )) as { status: number; body: Json };
}

/** Signs in through `/portal/login` (identity's pages) and comes back to `returnTo`. */
export async function signInThroughPortal(
  page: Page,
  base: string,
  who: DemoAccount,
  returnTo = '/',
  locale: Locale = 'zh-CN',
): Promise<void> {
  await page.goto(`${base}/portal/login?return=${encodeURIComponent(returnTo)}`);
  await signInOnIdentity(page, who, locale);
  await page.waitForURL((url) => url.pathname === returnTo.split('?')[0]);
}

/** An officer opens the workbench signed out, uses its sign-in button, and lands on the queue. */
export async function signInOfficer(page: Page, base: string, officer: DemoAccount): Promise<void> {
  await page.goto(`${base}/workbench`);
  await page.getByRole('heading', { level: 1, name: '工作台' }).waitFor();
  await page.getByRole('link', { name: '登录工作台' }).click();
  await signInOnIdentity(page, officer);
  await page.waitForURL(`${base}/workbench`);
  await page.getByRole('heading', { level: 1, name: '待办件' }).waitFor();
}

/** The queue's entry for a case: the list item whose heading links to it. */
export function queueRow(page: Page, caseNumber: string): Locator {
  return page.locator('.wb-queue__item').filter({ has: page.getByRole('link', { name: caseNumber, exact: true }) });
}

/** Opens the queue and waits for the case to be listed; returns its row. */
export async function findInQueue(page: Page, base: string, caseNumber: string, query = ''): Promise<Locator> {
  await page.goto(`${base}/workbench${query}`);
  await page.getByRole('heading', { level: 1, name: '待办件' }).waitFor();
  const row = queueRow(page, caseNumber);
  await row.waitFor();
  return row;
}

/** Claims the case from its queue row and waits for the confirmation. */
export async function claimInQueue(page: Page, row: Locator): Promise<void> {
  await row.getByRole('button', { name: /^认领/ }).click();
  await page.getByRole('alert').filter({ hasText: '已认领' }).waitFor();
}

/** Opens a case from the queue: its heading is the case number. */
export async function openCase(page: Page, caseNumber: string): Promise<void> {
  await page.getByRole('link', { name: caseNumber, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `办件 ${caseNumber}` }).waitFor();
}

/**
 * Looks up everyone the case's form names by ID number in the register (the applicant, a parent;
 * some may have no record), then reveals the first masked value with a reason; returns what showed.
 */
export async function revealOne(page: Page, reason: string): Promise<{ masked: string; revealed: string }> {
  const verified = page.locator('section[aria-labelledby="verified-heading"]');
  const people = verified.locator('.wb-person');
  const count = await people.count();
  assert.ok(count > 0, 'somebody to look up');
  for (let i = 0; i < count; i++) {
    const lookUp = people.nth(i).getByRole('button', { name: /^查询.+登记信息$/ });
    await lookUp.click();
    // The record, "no record", or the hub's refusal.
    await people.nth(i).locator('.summary-list, .inset').first().waitFor();
    const refused = people.nth(i).locator('.wb-problem');
    if ((await refused.count()) > 0) throw new Error(`the register refused: ${await refused.innerText()}`);
  }
  const reveal = verified.getByRole('button', { name: /^查看明文/ }).first();
  assert.ok((await reveal.count()) > 0, 'a masked register value to reveal');
  const masked = (await verified.locator('.wb-masked').first().textContent()) ?? '';
  await reveal.click();
  await page.getByLabel(/明文的理由/).fill(reason);
  await page.getByRole('button', { name: '查看', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '已显示明文' }).waitFor();
  const revealed = (await verified.locator('.wb-revealed').first().textContent()) ?? '';
  return { masked, revealed };
}

/**
 * Reveals one masked answer of the case's form with the keyboard alone: the answer's "查看明文"
 * button (found by the answer's label), Enter, the reason typed where the focus lands, Tab to
 * "查看", Enter; returns the masked and the revealed value.
 */
export async function revealAnswerByKeyboard(
  page: Page,
  label: string,
  reason: string,
): Promise<{ masked: string; revealed: string }> {
  const row = page
    .locator('.summary-list__row')
    .filter({ has: page.locator('.summary-list__key', { hasText: new RegExp(`^${label}$`) }) })
    .first();
  const masked = ((await row.locator('.wb-masked').textContent()) ?? '').trim();
  await row.getByRole('button', { name: /^查看明文/ }).focus();
  await checkFocusVisible(page, `reveal ${label}`);
  await page.keyboard.press('Enter');
  const field = row.getByLabel(/明文的理由/);
  await field.waitFor();
  assert.equal((await focused(page)).id, await field.getAttribute('id'), 'the reason field takes focus');
  await page.keyboard.type(reason);
  await tabTo(page, (f) => f.tag === 'button' && f.text === '查看', 3);
  await page.keyboard.press('Enter');
  await row.getByRole('status').filter({ hasText: '已显示明文' }).waitFor();
  const revealed = ((await row.locator('.wb-revealed').textContent()) ?? '').trim();
  return { masked, revealed };
}

/** The signed-in person's account id, as the portal's session says (what a lead assigns to). */
export async function sessionUserId(page: Page): Promise<string> {
  const id = await page.evaluate(async () => {
    const session = (await (await fetch('/portal/session')).json()) as { user?: { id?: string } };
    return session.user?.id ?? '';
  });
  assert.ok(id, 'signed in');
  return id;
}

/** GB 11643's check character for the first 17 digits of a resident ID number. */
export function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((n, d, i) => n + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}

const ACTION_LABELS = {
  accept: '受理',
  review: '审核通过',
  approve: '准予',
  reject: '不予办理',
  requestCorrection: '要求补正',
} as const;

/**
 * Acts on the open case with its action form: the action, a reason when given, and for a
 * correction the answers to be corrected (by their labels); waits for the confirmation.
 */
export async function actOnTask(
  page: Page,
  action: keyof typeof ACTION_LABELS,
  reason?: string,
  correct: string[] = [],
): Promise<void> {
  const form = page.locator('.wb-act');
  await form.getByRole('radio', { name: ACTION_LABELS[action], exact: true }).check();
  for (const label of correct) await form.getByRole('checkbox', { name: label, exact: true }).check();
  if (reason) await form.getByLabel(/理由|意见/).fill(reason);
  await form.getByRole('button', { name: '确认' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: `已${ACTION_LABELS[action]}` })
    .waitFor();
}

/** Presses Tab until the focused element matches, at most `limit` times; fails if it never does. */
async function tabTo(page: Page, what: (f: { tag: string; id: string; text: string }) => boolean, limit = 80) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (what(await focused(page))) return;
  }
  assert.fail('the keyboard never reached the element');
}

/** Accepts the open case with the keyboard alone: Tab to the first action, Space, Tab to Confirm, Enter. */
export async function acceptByKeyboard(page: Page): Promise<void> {
  await page.locator('h1').click(); // a starting point for Tab, as after a page load
  await tabTo(page, (f) => f.tag === 'input' && f.id === 'action');
  await checkFocusVisible(page, 'the first action');
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#action').isChecked(), true);
  await tabTo(page, (f) => f.tag === 'button' && f.text === '确认', 5);
  await checkFocusVisible(page, 'the confirm button');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: '已受理' }).waitFor();
}

/** A day `days` before today in China (UTC+8), as YYYY-MM-DD. */
export const chinaDaysBefore = (days: number) =>
  new Date(Date.now() + 8 * 3600_000 - days * 86400_000).toISOString().slice(0, 10);

/**
 * 出生一件事's merged form, keyed by data element, for the demo citizen 张三 (the father): the
 * birth the data hub's demo registers hold (李四 the mother, three days ago).
 */
export function birthForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'child.name': '张小宝',
    'child.gender': '1',
    'child.birthDate': chinaDaysBefore(3),
    'child.birthPlace': '浙江大学医学院附属妇产科医院',
    'child.birthWeight': 3400,
    'child.applicantRelation': '1',
    'child.registeredWith': '1',
    'child.vaccinationClinic': '西湖区社区卫生服务中心',
    'mother.name': '李四',
    'mother.idNumber': '330102199203152342',
    'mother.employerName': '杭州示范科技有限公司',
    'father.name': '张三',
    'father.idNumber': '33010619900101123X',
    'person.name': '张三',
    'person.idNumber': '33010619900101123X',
    'person.mobile': '13800000001',
    'person.address': '杭州市西湖区文三路 1 号',
    'household.address': '杭州市西湖区文三路 1 号',
    'bank.branch': '中国银行杭州西湖支行',
    'bank.accountNumber': '6216610100001234567',
    'birth.deliveryMethod': '1',
    ...overrides,
  };
}

export const birthMaterials = [
  { code: 'mother-id-card', ref: 'licence:resident-id-card:mother' },
  { code: 'parent-household-register', ref: 'licence:household-register:parents' },
  { code: 'parent-id-cards', ref: 'doc:parent-id-cards' },
  { code: 'guardian-id-card', ref: 'licence:resident-id-card:father' },
];

export interface TaskSummary {
  id: string;
  matterCode: string;
  departmentCode: string;
  state: string;
  process: string;
  version: number;
}

export interface ApplicationSummary {
  id: string;
  caseNumber: string;
  status: string;
  tasks: TaskSummary[];
}

/** The signed-in citizen applies for 出生一件事 through the BFF (the journey's pages are another helper's). */
export async function applyForBirth(page: Page): Promise<ApplicationSummary> {
  const r = await callApi(
    page,
    'POST',
    'workflow/applications',
    { subject: { kind: 'bundle', code: 'BIRTH' }, form: birthForm(), materials: birthMaterials },
    { 'idempotency-key': randomUUID() },
  );
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as unknown as ApplicationSummary;
}

export async function applicationOf(page: Page, id: string): Promise<ApplicationSummary> {
  const r = await callApi(page, 'GET', `workflow/applications/${id}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as unknown as ApplicationSummary;
}

/**
 * 免证办: the task page shows an electronic licence as the material `code` (verified, its
 * identifier, no download link). The licence is issued after the approval that starts this task,
 * so the page may have opened first: waits for the officer's own view of the task to carry it
 * (through the BFF, as the page reads it), then reloads the page and reads what it shows.
 */
export async function licenceMaterialShown(
  page: Page,
  taskId: string,
  caseNumber: string,
  code: string,
): Promise<{ identifier: string; text: string }> {
  await page.waitForFunction(
    async ({ taskId, code }) => {
      const r = await fetch(`/portal/api/workflow/tasks/${taskId}`, { headers: { accept: 'application/json' } });
      if (!r.ok) return false;
      const view = (await r.json()) as { application: { materials: { code: string; source?: string }[] } };
      return view.application.materials.some((m) => m.code === code && m.source === 'licence');
    },
    { taskId, code },
    { polling: 200, timeout: 15_000 },
  );
  await page.reload();
  await page.getByRole('heading', { level: 1, name: `办件 ${caseNumber}` }).waitFor();
  const value = page.locator('.wb-licence').first();
  await value.waitFor();
  const identifier = (await value.locator('code.wb-ref').textContent()) ?? '';
  assert.equal(await value.locator('a').count(), 0, 'a licence is not a file to download');
  return { identifier, text: await value.innerText() };
}
