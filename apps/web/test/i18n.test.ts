import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consoleEn } from '../src/i18n/console.en.ts';
import { consoleZh } from '../src/i18n/console.zh-CN.ts';
import {
  addMessages,
  catalogs,
  type MessageKey,
  formatters,
  LOCALES,
  placeholders,
  plural,
  translate,
} from '../src/i18n/messages.ts';
import { notifyEn } from '../src/i18n/notify.en.ts';
import { notifyZh } from '../src/i18n/notify.zh-CN.ts';
import { paymentsEn } from '../src/i18n/payments.en.ts';
import { paymentsZh } from '../src/i18n/payments.zh-CN.ts';
import { securityEn } from '../src/i18n/security.en.ts';
import { securityZh } from '../src/i18n/security.zh-CN.ts';
import { workbenchEn } from '../src/i18n/workbench.en.ts';
import { workbenchZh } from '../src/i18n/workbench.zh-CN.ts';
import { zh } from '../src/i18n/zh-CN.ts';

const portalKeys = Object.keys(zh).sort();

// Read before the areas' words are added below (tests run after the module's top level).
const atStart = {
  keys: LOCALES.map((l) => Object.keys(catalogs[l]).sort()),
  title: translate('en', 'workbench.title'),
};

test("the portal's catalogs hold the portal's keys alone: an area's words load with its chunk", () => {
  for (const keysOf of atStart.keys) assert.deepEqual(keysOf, portalKeys);
  assert.equal(atStart.title, 'workbench.title', 'not loaded yet: the key shows itself');
});

// The areas' chunks add theirs (workbench/, console/, security/, payments/ and notify/messages.ts);
// the checks below cover every key.
addMessages({ 'zh-CN': workbenchZh, en: workbenchEn });
addMessages({ 'zh-CN': consoleZh, en: consoleEn });
addMessages({ 'zh-CN': securityZh, en: securityEn });
addMessages({ 'zh-CN': paymentsZh, en: paymentsEn });
addMessages({ 'zh-CN': notifyZh, en: notifyEn });
const all = { ...zh, ...workbenchZh, ...consoleZh, ...securityZh, ...paymentsZh, ...notifyZh };
const keys = Object.keys(all).sort();

test('every catalog has exactly the zh-CN keys, none of them empty', () => {
  for (const locale of LOCALES) {
    assert.deepEqual(Object.keys(catalogs[locale]).sort(), keys, locale);
    for (const [key, text] of Object.entries(catalogs[locale])) assert.ok(text.trim() !== '', `${locale} ${key}`);
  }
});

test('a message uses the same placeholders in every language', () => {
  for (const key of keys) {
    const want = placeholders(all[key as keyof typeof all]);
    for (const locale of LOCALES)
      assert.deepEqual(placeholders(catalogs[locale][key as MessageKey]), want, `${locale} ${key}`);
  }
});

test('the English catalog is English, not an untranslated copy', () => {
  const han = /\p{Script=Han}/u;
  const copies = keys.filter((k) => k !== 'header.language.switch' && han.test(catalogs.en[k as MessageKey]));
  assert.deepEqual(copies, []);
});

test('translate fills placeholders and leaves an unknown one visible', () => {
  assert.equal(translate('zh-CN', 'guide.days', { count: 20 }), '20 个工作日');
  assert.equal(translate('en', 'guide.days', { count: 20 }), '20 working days');
  assert.equal(translate('en', 'guide.days'), '{count} working days');
});

test('money is shown in yuan, per locale', () => {
  assert.equal(formatters('zh-CN').money(12_345), '¥123.45');
  assert.equal(formatters('en').money(12_345), '¥123.45');
  assert.equal(formatters('zh-CN').money(2000), '¥20.00');
});

test('dates are in China Standard Time, per locale', () => {
  // 2026-12-02T20:27Z is 3 December in Beijing.
  assert.equal(formatters('zh-CN').date('2026-12-02T20:27:04.794Z'), '2026年12月3日');
  assert.equal(formatters('en').date('2026-12-02T20:27:04.794Z'), 'December 3, 2026');
});

test('a count takes the plural form its language needs', () => {
  assert.equal(plural('en', 'guide.days', 1), '1 working day');
  assert.equal(plural('en', 'guide.days', 20), '20 working days');
  assert.equal(plural('zh-CN', 'guide.days', 1), '1 个工作日');
  assert.equal(plural('en', 'search.results', 1234), '1,234 services found');
});
