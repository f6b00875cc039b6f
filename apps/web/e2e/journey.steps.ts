// The citizen's application journey as reusable steps, for journey.e2e.ts and for tests that
// compose the whole birth journey with the officers' workbench: sign in from a service's start
// page, start a draft, consent to prefill, answer every question group, give the materials, check
// the answers, declare and submit, read the confirmation, open the case. Each step finds things by
// role and by the words of the message catalogs (the page's language), never by CSS layout, and
// waits for what the next page shows — never for time.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { catalogs, type MessageKey } from '../src/i18n/messages.ts';
import {
  checkA11y,
  checkFocusVisible,
  checkReflow,
  focused,
  shoot,
  signInOnIdentity,
  type DemoAccount,
  type Locale,
} from './harness.ts';

/** The words of a message key in a locale, placeholders filled. */
export function words(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  return catalogs[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** The page's current language (the app sets <html lang>). */
export async function pageLocale(page: Page): Promise<Locale> {
  return (await page.getAttribute('html', 'lang')) === 'en' ? 'en' : 'zh-CN';
}

export const h1 = (page: Page, name: string | RegExp) =>
  page.getByRole('heading', { level: 1, name, exact: typeof name === 'string' }).waitFor();

/** The DOM id the journey gives a form key's field (journey/model.ts fieldId). */
export const fieldId = (key: string) => `q-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/**
 * Answers for every question of the 出生一件事 (BIRTH) form that the data hub may leave open; a
 * value the hub verified is locked and not asked. Codes for radios; the first option of each
 * where the keyboard test must reach it with Tab and Space alone.
 */
export const BIRTH_ANSWERS: Readonly<Record<string, string>> = {
  'person.name': '李四',
  'person.idNumber': '330102199203152342',
  'person.mobile': '13800000002',
  'person.address': '浙江省杭州市西湖区文三路 1 号',
  'child.applicantRelation': '1',
  'child.name': '张小宝',
  'child.gender': '1',
  'child.birthDate': '2026-11-30',
  'child.birthPlace': '浙江大学医学院附属妇产科医院',
  'child.birthWeight': '3400',
  'child.registeredWith': '1',
  'child.vaccinationClinic': '西湖区北山街道社区卫生服务中心',
  'birth.deliveryMethod': '1',
  'mother.name': '李四',
  'mother.idNumber': '330102199203152342',
  'mother.employerName': '杭州通办示范科技有限公司',
  'father.name': '张三',
  'father.idNumber': '33010619900101123X',
  'household.address': '浙江省杭州市上城区解放路 18 号',
  'bank.branch': '中国工商银行杭州文三路支行',
  'bank.accountNumber': '6222021202001234567',
};

/** Every page the journey visits passes axe, and a screenshot is kept when `shot` names it. */
async function visited(page: Page, label: string, shot?: string): Promise<void> {
  await checkA11y(page, label);
  await checkReflow(page, label);
  if (shot) await shoot(page, shot);
}

/** From a service's start page, signed out: its sign-in button, identity's pages, and back to the start page. */
export async function signInFromStart(page: Page, url: string, code: string, who: DemoAccount): Promise<void> {
  const locale = await pageLocale(page);
  await page.goto(`${url}/apply/${code}`);
  await page.getByRole('link', { name: words(locale, 'apply.signIn.button') }).click();
  await page.locator('#login').waitFor();
  await signInOnIdentity(page, who, locale);
  await page.waitForURL(`${url}/apply/${code}`);
  await page.getByRole('button', { name: words(locale, 'header.signOut') }).waitFor();
}

/** The start page, signed in: start now; lands on the consent page (or the task list when nothing needs consent). */
export async function startDraft(page: Page, shot?: string): Promise<string> {
  const locale = await pageLocale(page);
  const start = page.getByRole('button', { name: words(locale, 'journey.start.button') });
  await start.waitFor();
  await visited(page, 'the start page', shot);
  await start.click();
  await page.waitForURL(/\/apply\/[^/]+\/[0-9a-f-]{36}(\/consent)?$/);
  const id = /\/apply\/[^/]+\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  assert.ok(id, `a draft's address: ${page.url()}`);
  return id;
}

/** The consent page: yes, fill in what government holds; lands on the task list. */
export async function consentToPrefill(page: Page, shot?: string): Promise<void> {
  const locale = await pageLocale(page);
  await h1(page, words(locale, 'journey.consent.title'));
  await visited(page, 'the consent page', shot);
  await page.getByLabel(words(locale, 'journey.consent.yes')).check();
  await page.getByRole('button', { name: words(locale, 'journey.continue') }).click();
  await page.getByRole('heading', { level: 2, name: words(locale, 'journey.tasks.questions') }).waitFor();
}

/** The task list: every question group's link, in order, and its status. */
export async function taskList(page: Page): Promise<{ title: string; status: string }[]> {
  const locale = await pageLocale(page);
  await page.getByRole('heading', { level: 2, name: words(locale, 'journey.tasks.questions') }).waitFor();
  return page.locator('.task-list__item').evaluateAll((items) =>
    items.map((li) => ({
      title: (li.querySelector('.task-list__name a, .task-list__name')?.textContent ?? '').trim(),
      status: (li.querySelector('.task-list__status')?.textContent ?? '').trim(),
    })),
  );
}

/** The locked (verified) values a question page shows, with their source tags. */
export async function lockedValues(page: Page): Promise<{ label: string; value: string; source: string }[]> {
  return page.locator('.verified .summary-list__row').evaluateAll((rows) =>
    rows.map((row) => ({
      label: (row.querySelector('dt')?.textContent ?? '').trim(),
      value: (row.querySelector('.verified__value')?.textContent ?? '').trim(),
      source: (row.querySelector('.tag')?.textContent ?? '').trim(),
    })),
  );
}

/** Fills the open questions of the page shown (empty ones only) from `answers`, by their form keys. */
export async function answerOpenQuestions(page: Page, answers: Readonly<Record<string, string>>): Promise<void> {
  const form = page.locator('main form');
  for (const [key, value] of Object.entries(answers)) {
    const id = fieldId(key);
    const field = form.locator(`[id="${id}"]`);
    if ((await field.count()) === 0) continue;
    const tag = await field.evaluate(
      (e) => `${e.tagName.toLowerCase()}:${String((e as unknown as { type?: string }).type)}`,
    );
    if (tag === 'input:radio') await form.locator(`input[name="${key}"][value="${value}"]`).check();
    else if (tag.startsWith('select')) await field.selectOption(value);
    else if ((await field.inputValue()) === '') await field.fill(value);
  }
}

/**
 * From the task list: each question group in turn (save and continue), then the materials page,
 * back on the task list with every section done. Returns the locked values seen on the way.
 */
export async function answerEveryGroup(
  page: Page,
  answers: Readonly<Record<string, string>> = BIRTH_ANSWERS,
  shots?: string,
): Promise<{ label: string; value: string; source: string }[]> {
  const locale = await pageLocale(page);
  const seen: { label: string; value: string; source: string }[] = [];
  const first = (await taskList(page))[0];
  assert.ok(first, 'the task list has question groups');
  await page.getByRole('link', { name: first.title }).click();
  for (let i = 0; i < 30; i++) {
    await page.locator('main form').waitFor();
    const title = (await page.locator('h1').textContent())?.trim() ?? '';
    const materials = title === words(locale, 'journey.materials.title');
    await visited(
      page,
      `the question page "${title}"`,
      shots && i < 2 ? `${shots}-${i === 0 ? 'questions' : 'questions-2'}` : undefined,
    );
    seen.push(...(await lockedValues(page)));
    if (materials) {
      for (const input of await page.locator('main form input[type="text"]').all())
        if ((await input.inputValue()) === '') await input.fill(`licence:${(await input.getAttribute('id')) ?? ''}`);
      if (shots) await shoot(page, `${shots}-materials`);
    } else await answerOpenQuestions(page, answers);
    const before = page.url();
    await page.getByRole('button', { name: words(locale, 'journey.saveContinue') }).click();
    await page.waitForURL((u) => u.href !== before);
    if (!/\/(questions\/[^/]+|materials)$/.test(new URL(page.url()).pathname)) break;
  }
  await page.getByRole('heading', { level: 2, name: words(locale, 'journey.tasks.submit') }).waitFor();
  return seen;
}

/** The task list, complete: open "check your answers". */
export async function openCheckAnswers(page: Page, shot?: string): Promise<void> {
  const locale = await pageLocale(page);
  await visited(page, 'the task list', shot);
  await page.getByRole('link', { name: words(locale, 'journey.check.title') }).click();
  await h1(page, words(locale, 'journey.check.title'));
}

/** Check your answers: the declaration ticked, submitted; returns the case number the confirmation shows. */
export async function declareAndSubmit(page: Page, shot?: string): Promise<string> {
  const locale = await pageLocale(page);
  await visited(page, 'check your answers', shot);
  await page.getByLabel(words(locale, 'journey.declaration.label')).check();
  await page.getByRole('button', { name: words(locale, 'journey.submit') }).click();
  return confirmation(page);
}

/** The confirmation page: its panel, and the case number in it. */
export async function confirmation(page: Page, shot?: string): Promise<string> {
  const locale = await pageLocale(page);
  await h1(page, words(locale, 'journey.submitted.title'));
  const number = (await page.locator('.case-number').textContent())?.trim() ?? '';
  assert.ok(number.length > 0, 'the confirmation shows a case number');
  await visited(page, 'the confirmation', shot);
  return number;
}

/** From the confirmation: the case page, with each department's section. */
export async function openCase(page: Page, shot?: string): Promise<void> {
  const locale = await pageLocale(page);
  await page.getByRole('link', { name: words(locale, 'journey.submitted.follow') }).click();
  await page.getByRole('heading', { level: 2, name: words(locale, 'journey.case.departments') }).waitFor();
  await page.locator('.timeline__step').first().waitFor();
  await visited(page, 'the case page', shot);
}

/** The case page's per-department sections: department, state and the steps of its timeline. */
export async function departmentTimelines(page: Page): Promise<{ department: string; steps: string[] }[]> {
  return page.locator('.department').evaluateAll((sections) =>
    sections.map((s) => ({
      department: (s.querySelector('h3')?.textContent ?? '').trim(),
      steps: [...s.querySelectorAll('.timeline__action')].map((a) => (a.textContent ?? '').trim()),
    })),
  );
}

/**
 * Keyboard only: Tab (Shift+Tab back) until the focus is on an element `matches` accepts, checking
 * that each stop shows its focus; fails after `max` stops.
 */
export async function tabUntil(
  page: Page,
  matches: (f: Awaited<ReturnType<typeof focused>>) => boolean,
  where: string,
  max = 80,
): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.tag !== 'body') await checkFocusVisible(page, where);
    if (matches(now)) return;
  }
  assert.fail(`${where}: no focusable element matched within ${max} Tab presses`);
}
