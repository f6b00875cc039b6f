// Every ChannelError the adapters can throw has its entry in CHANNEL_ERRORS, with the same
// retry decision, so the citizen and the operator always read a text, never a bare code.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CHANNEL_ERRORS } from '../../src/service/channels/types.ts';

const dir = new URL('../../src/service/channels/', import.meta.url);

test('each thrown code is in the catalog with the same retry decision, and each entry is used', () => {
  const used = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const src = readFileSync(new URL(file, dir), 'utf8');
    for (const [, code, retryable] of src.matchAll(/new ChannelError\(\s*'([a-z_]+)',\s*(true|false)/g)) {
      const entry = CHANNEL_ERRORS[code as keyof typeof CHANNEL_ERRORS];
      assert.ok(entry, `${file}: ${code} has no text`);
      assert.equal(String(entry.retryable), retryable, `${file}: ${code}`);
      used.add(code as string);
    }
  }
  assert.deepEqual([...used].sort(), Object.keys(CHANNEL_ERRORS).sort());
});

test('every text is there in both languages', () => {
  for (const [code, t] of Object.entries(CHANNEL_ERRORS)) {
    assert.ok(t.zh.length > 0 && /[\u4e00-\u9fff]/.test(t.zh), code);
    assert.ok(t.en.length > 0, code);
  }
});
