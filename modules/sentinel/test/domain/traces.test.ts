// The committed traces are the generator's output: regenerate with
// `npx node modules/sentinel/test/traces/generate.ts` after changing it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { toJsonl, traces } from '../traces/generate.ts';

const DIR = fileURLToPath(new URL('../traces/', import.meta.url));

test('the committed traces are what the seeded generator makes, byte for byte', () => {
  const made = traces();
  assert.equal(made.size, 11);
  for (const [name, signals] of made) assert.equal(readFileSync(join(DIR, name), 'utf8'), toJsonl(signals), name);
});

test('a trace is in time order with unique ids', () => {
  for (const [name, signals] of traces()) {
    assert.equal(new Set(signals.map((s) => s.id)).size, signals.length, name);
    for (let i = 1; i < signals.length; i++) assert.ok(signals[i - 1]!.at <= signals[i]!.at, `${name} at ${i}`);
  }
});
