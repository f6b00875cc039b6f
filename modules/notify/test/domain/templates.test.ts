// Templates: typed placeholders checked at publish, values formatted by type, SMS segments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOTICE_KINDS } from '@tongban/contracts';
import {
  allDefaults,
  checkTemplate,
  formatValue,
  placeholdersIn,
  renderMessage,
  smsSegments,
  SMS_MAX_CHARS,
} from '../../src/domain/templates.ts';

test('every default template publishes: its placeholders are its kind’s, both languages, SMS short', () => {
  const defaults = allDefaults();
  assert.equal(defaults.length, NOTICE_KINDS.length * 3);
  for (const d of defaults) assert.deepEqual(checkTemplate(d.kind, d.channel, d.text), [], `${d.kind}/${d.channel}`);
});

test('a placeholder the kind does not supply, an empty language, a stray brace, a subject where none goes are refused', () => {
  const codes = (problems: { field: string; code: string }[]) => problems.map((p) => `${p.field}:${p.code}`);
  assert.deepEqual(codes(checkTemplate('submitted', 'inbox', { subject: null, body: { zh: '{amount}', en: 'x' } })), [
    'body.body.zh:unknown_placeholder',
  ]);
  assert.deepEqual(codes(checkTemplate('submitted', 'inbox', { subject: null, body: { zh: ' ', en: 'x' } })), [
    'body.body.zh:required',
  ]);
  assert.deepEqual(codes(checkTemplate('submitted', 'sms', { subject: null, body: { zh: '{caseNumber', en: 'x' } })), [
    'body.body.zh:unbalanced_brace',
  ]);
  assert.deepEqual(
    codes(checkTemplate('submitted', 'sms', { subject: { zh: 'a', en: 'b' }, body: { zh: 'a', en: 'b' } })),
    ['body.subject:not_allowed'],
  );
  assert.deepEqual(codes(checkTemplate('submitted', 'email', { subject: null, body: { zh: 'a', en: 'b' } })), [
    'body.subject:required',
  ]);
  const long = '长'.repeat(SMS_MAX_CHARS);
  assert.deepEqual(codes(checkTemplate('submitted', 'sms', { subject: null, body: { zh: long, en: 'x' } })), [
    'body.body.zh:too_long',
  ]);
});

test('values are formatted by their type: fen as yuan, times in China Standard Time', () => {
  assert.equal(formatValue('amountFen', '12550', 'zh-CN'), '125.50元');
  assert.equal(formatValue('amountFen', '5', 'en'), 'CNY 0.05');
  assert.equal(formatValue('date', '2026-12-01T16:30:00Z', 'zh-CN'), '2026-12-02 00:30');
  assert.equal(formatValue('caseNumber', 'A1', 'en'), 'A1');
  assert.deepEqual(placeholdersIn('{a} {b} {a}'), ['a', 'b']);
});

test('an SMS is signed in front; 70 characters are one segment, past that 67 each', () => {
  const t = allDefaults().find((d) => d.kind === 'submitted' && d.channel === 'sms')!.text;
  assert.equal(
    renderMessage('submitted', 'sms', t, { caseNumber: 'X1' }, 'zh-CN').text,
    '【通办】您的申请已提交，办件编号X1。',
  );
  assert.equal(
    renderMessage('submitted', 'sms', t, { caseNumber: 'X1' }, 'en').text,
    '[Tongban] Application submitted: X1.',
  );
  assert.deepEqual(smsSegments('字'.repeat(70)), { length: 70, segments: 1 });
  assert.deepEqual(smsSegments('字'.repeat(71)), { length: 71, segments: 2 });
  assert.deepEqual(smsSegments('字'.repeat(134)), { length: 134, segments: 2 });
  assert.deepEqual(smsSegments('字'.repeat(135)), { length: 135, segments: 3 });
  assert.deepEqual(smsSegments(''), { length: 0, segments: 0 });
});
