// The notification pages' pure parts: 消息设置's form and the API's preferences both ways
// (src/notify/prefs.ts), which text of the template editor a field error is about, and the words
// and order of notify's codes (src/notify/words.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PreferencesView } from '@tongban/contracts';
import { addMessages } from '../src/i18n/messages.ts';
import { notifyEn } from '../src/i18n/notify.en.ts';
import { notifyZh } from '../src/i18n/notify.zh-CN.ts';
import { fieldErrorKey, fromForm, inputOfField, normaliseTime, toForm } from '../src/notify/prefs.ts';
import { templateInputOf } from '../src/notify/template-fields.ts';
import { byKindAndChannel, channelKey, KIND_ORDER, kindKey, newestFirst, reasonText } from '../src/notify/words.ts';

addMessages({ 'zh-CN': notifyZh, en: notifyEn });

const view: PreferencesView = {
  channels: { progress: ['email', 'sms'], payments: ['sms'], licences: [], security: ['sms'] },
  quietHours: null,
  language: 'zh-CN',
  email: 'li.si@example.cn',
  mobile: '138****5678',
};

test('the form shows the answer: channels in a fixed order, quiet hours off with a night ready', () => {
  const form = toForm(view);
  assert.deepEqual(form.channels.progress, ['sms', 'email']);
  assert.equal(form.quiet, 'off');
  assert.deepEqual([form.quietStart, form.quietEnd], ['22:00', '07:00']);
  assert.equal(form.email, 'li.si@example.cn');
});

test('a filled form is the body PUT takes: no mobile, quiet hours as HH:MM, an empty address as null', () => {
  const form = { ...toForm(view), quiet: 'on' as const, quietStart: '7:30', quietEnd: '22:00:00' };
  const result = fromForm(form, true);
  assert.ok(result.ok);
  assert.deepEqual(result.body, {
    channels: { progress: ['sms', 'email'], payments: ['sms'], licences: [], security: ['sms'] },
    quietHours: { start: '07:30', end: '22:00' },
    language: 'zh-CN',
    email: 'li.si@example.cn',
  });
  assert.equal('mobile' in result.body, false);
  const none = fromForm(
    { ...toForm(view), email: '  ', channels: { ...toForm(view).channels, progress: ['sms'] } },
    true,
  );
  assert.ok(none.ok);
  assert.equal(none.body.email, null);
});

test('account security always goes by SMS once a mobile is known (the page says so, it is no choice)', () => {
  const form = { ...toForm(view), channels: { ...toForm(view).channels, security: [] } };
  const withMobile = fromForm(form, true);
  assert.ok(withMobile.ok);
  assert.deepEqual(withMobile.body.channels.security, ['sms']);
  const without = fromForm(form, false);
  assert.ok(without.ok);
  assert.deepEqual(without.body.channels.security, []);
});

test('what is wrong is said by input: an address needed or malformed, a time unreadable or the same twice', () => {
  const needs = fromForm({ ...toForm(view), email: '' }, true);
  assert.deepEqual(needs.ok ? [] : needs.errors, [{ field: 'email', key: 'notify.prefs.error.emailNeeded' }]);
  const bad = fromForm({ ...toForm(view), email: 'li si@example' }, true);
  assert.deepEqual(bad.ok ? [] : bad.errors, [{ field: 'email', key: 'notify.prefs.error.email' }]);
  const times = fromForm({ ...toForm(view), quiet: 'on', quietStart: '25:00', quietEnd: 'noon' }, true);
  assert.deepEqual(times.ok ? [] : times.errors, [
    { field: 'quiet-start', key: 'notify.prefs.error.time' },
    { field: 'quiet-end', key: 'notify.prefs.error.time' },
  ]);
  const same = fromForm({ ...toForm(view), quiet: 'on', quietStart: '22:00', quietEnd: '22:00' }, true);
  assert.deepEqual(same.ok ? [] : same.errors, [{ field: 'quiet-end', key: 'notify.prefs.error.sameTime' }]);
  assert.equal(normaliseTime('23:59'), '23:59');
  assert.equal(normaliseTime('24:00'), null);
});

test('an API field error lands on its input', () => {
  assert.equal(inputOfField('body.email'), 'email');
  assert.equal(inputOfField('body/quietHours/start'), 'quiet-start');
  assert.equal(inputOfField('body.quietHours.end'), 'quiet-end');
  assert.equal(inputOfField('body.quietHours'), 'quiet');
  assert.equal(inputOfField('body.channels.licences.0'), 'channels-licences');
  assert.equal(inputOfField('body.language'), 'language');
  assert.equal(inputOfField('body'), 'channels-progress');
  assert.equal(inputOfField('body.channels'), 'channels-progress');
});

test("notify's field error codes get our words (e-mail off on this platform, an address needed, an empty window)", () => {
  assert.equal(fieldErrorKey('email_unavailable', 'channels-progress'), 'notify.prefs.error.emailOff');
  assert.equal(fieldErrorKey('required', 'email'), 'notify.prefs.error.emailNeeded');
  assert.equal(fieldErrorKey('format', 'email'), 'notify.prefs.error.email');
  assert.equal(fieldErrorKey('empty_window', 'quiet'), 'notify.prefs.error.sameTime');
  assert.equal(fieldErrorKey('something', 'language'), null);
});

test("a template's field error lands on its text (notify answers body.body.zh, body.subject.en, body.subject)", () => {
  assert.equal(templateInputOf('body.body.zh', true), 'bodyZh');
  assert.equal(templateInputOf('body.body.en', false), 'bodyEn');
  assert.equal(templateInputOf('body.subject.en', true), 'subjectEn');
  assert.equal(templateInputOf('body.subject', true), 'subjectZh');
  assert.equal(templateInputOf('body.subject', false), 'bodyZh', 'no subject input: the body');
  assert.equal(templateInputOf('body', true), 'bodyZh');
});

test("every kind and channel has words; templates sort by the contract's order", () => {
  for (const kind of KIND_ORDER) assert.ok(kindKey(kind), kind);
  for (const channel of ['inbox', 'sms', 'email', 'webhook']) assert.ok(channelKey(channel), channel);
  assert.equal(kindKey('nonsense'), null);
  const sorted = byKindAndChannel([
    { kind: 'licence_issued', channel: 'email' },
    { kind: 'submitted', channel: 'webhook' },
    { kind: 'submitted', channel: 'sms' },
  ]);
  assert.deepEqual(
    sorted.map((x) => `${x.kind}/${x.channel}`),
    ['submitted/sms', 'submitted/webhook', 'licence_issued/email'],
  );
  assert.deepEqual(
    newestFirst([
      { id: 'a', at: '2026-12-07T01:00:00Z' },
      { id: 'b', at: '2026-12-07T02:00:00Z' },
    ]).map((x) => x.id),
    ['b', 'a'],
  );
});

test('a failure code has words, an unknown one shows itself', () => {
  assert.equal(reasonText('zh-CN', 'smtp_rejected'), '邮件服务器拒收');
  assert.equal(reasonText('en', 'gateway_5xx'), 'Not sent (gateway_5xx)');
});
