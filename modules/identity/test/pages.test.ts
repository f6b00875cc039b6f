// The sign-in pages follow 长辈版 as the portal keeps it (the cookie tongban_elder): larger text
// and targets, with no script of their own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { elderOf, signInPage } from '../src/api/pages.ts';

const input = { lang: 'zh' as const, heading: 'heading' as const, action: '/x', here: '/step', fields: [] };

test('the cookie turns 长辈版 on; any other value, or a look-alike name, does not', () => {
  assert.equal(elderOf('a=b; tongban_elder=1'), true);
  assert.equal(elderOf('tongban_elder=1'), true);
  assert.equal(elderOf('tongban_elder=0'), false);
  assert.equal(elderOf('xtongban_elder=1'), false);
  assert.equal(elderOf('tongban_elder=10'), false);
  assert.equal(elderOf(undefined), false);
});

test('a page in 长辈版 says so on <html>, where its style sheet raises text and targets', () => {
  assert.match(signInPage({ ...input, elder: true }), /<html lang="zh-CN" class="elder">/);
  assert.match(signInPage({ ...input, elder: true }), /\.elder input[^}]*min-height:60px/);
  assert.match(signInPage(input), /<html lang="zh-CN">/);
});
