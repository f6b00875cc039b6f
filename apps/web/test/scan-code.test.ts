import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanScanCode } from '../src/lib/scan-code.ts';

test("a scan code's own spaces are kept: at its end and in a run (base45 has a space)", () => {
  assert.equal(cleanScanCode('TB1:AB  C '), 'TB1:AB  C ');
});

test('what a paste or a scanner adds around a code goes', () => {
  assert.equal(cleanScanCode('  \nTB1:ABC \r\n'), 'TB1:ABC ');
  assert.equal(cleanScanCode('TB1:ABC\t'), 'TB1:ABC');
  assert.equal(cleanScanCode('   '), '');
});
