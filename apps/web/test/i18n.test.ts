import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogs, formatters, LOCALES, placeholders, plural, translate } from '../src/i18n/messages.ts';
import { zh } from '../src/i18n/zh-CN.ts';

const keys = Object.keys(zh).sort();

test('every catalog has exactly the zh-CN keys, none of them empty', () => {
  for (const locale of LOCALES) {
    assert.deepEqual(Object.keys(catalogs[locale]).sort(), keys, locale);
    for (const [key, text] of Object.entries(catalogs[locale])) assert.ok(text.trim() !== '', `${locale} ${key}`);
  }
});

test('a message uses the same placeholders in every language', () => {
  for (const key of keys) {
    const want = placeholders(zh[key as keyof typeof zh]);
    for (const locale of LOCALES)
      assert.deepEqual(placeholders(catalogs[locale][key as keyof typeof zh]), want, `${locale} ${key}`);
  }
});

test('the English catalog is English, not an untranslated copy', () => {
  const han = /\p{Script=Han}/u;
  const copies = keys.filter((k) => k !== 'header.language.switch' && han.test(catalogs.en[k as keyof typeof zh]));
  assert.deepEqual(copies, []);
});

test('translate fills placeholders and leaves an unknown one visible', () => {
  assert.equal(translate('zh-CN', 'guide.days', { count: 20 }), '20 个工作日');
  assert.equal(translate('en', 'guide.days', { count: 20 }), '20 working days');
  assert.equal(translate('en', 'guide.days'), '{count} working days');
});

test('money is shown in yuan, per locale', () => {
  assert.match(formatters('zh-CN').money(12_345), /123\.45/);
  assert.match(formatters('en').money(12_345), /CN¥123\.45|¥123\.45/);
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
