// UUIDv7: the format (version, variant), the timestamp it carries, and order — one after another,
// within a millisecond, across a clock that steps back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uuidv7, uuidv7Time } from '../src/index.ts';

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('a UUIDv7 has version 7, the RFC variant and the time it was made', () => {
  const at = Date.UTC(2026, 11, 2, 6, 0, 0, 123);
  const id = uuidv7(at);
  assert.match(id, FORMAT);
  assert.equal(uuidv7Time(id), at);
});

test('keys sort in the order they were made, many within one millisecond', () => {
  const at = Date.UTC(2027, 0, 1);
  const ids = Array.from({ length: 10_000 }, () => uuidv7(at));
  for (const id of ids) assert.match(id, FORMAT);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(uuidv7Time(ids.at(-1)!) >= at, 'the counter ran out at most into the next milliseconds');
  assert.ok(uuidv7Time(ids.at(-1)!) <= at + 10);
});

test('a clock that steps back does not break the order', () => {
  const first = uuidv7(Date.UTC(2028, 0, 1, 0, 0, 1));
  const second = uuidv7(Date.UTC(2028, 0, 1, 0, 0, 0));
  assert.ok(second > first);
});

test('later milliseconds sort later', () => {
  const a = uuidv7(Date.UTC(2029, 0, 1));
  const b = uuidv7(Date.UTC(2029, 0, 1) + 1);
  assert.ok(b > a);
  assert.equal(uuidv7Time(b) - uuidv7Time(a), 1);
});
