// The checkpoint text (C2SP tlog-checkpoint body with a time extension line): what it states, and
// what is not a checkpoint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkpointText, parseCheckpoint } from '../src/domain/checkpoint.ts';

const root = Buffer.alloc(32, 9);
const time = '2026-12-01T02:00:00.000Z';

test('a checkpoint reads back as written', () => {
  const text = checkpointText({ origin: 'tongban.example/audit', size: 1234, root, time });
  assert.equal(text, `tongban.example/audit\n1234\n${root.toString('base64')}\ntime ${time}\n`);
  assert.deepEqual(parseCheckpoint(text), { origin: 'tongban.example/audit', size: 1234, root, time });
});

test('leading zeros, sizes past 2^53, a short root or a missing line are not checkpoints', () => {
  const line = (size: string, r = root.toString('base64')) => `o\n${size}\n${r}\ntime ${time}\n`;
  assert.ok(parseCheckpoint(line(String(Number.MAX_SAFE_INTEGER))));
  for (const bad of [
    line('01'),
    line('9007199254740993'),
    line('9999999999999999'),
    line('5', 'AAAA'),
    `o\n5\n${root.toString('base64')}\n`,
  ]) {
    assert.equal(parseCheckpoint(bad), undefined, JSON.stringify(bad));
  }
});
