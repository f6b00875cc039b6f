// W3C Bitstring Status List v1.0: the bitstring. A reference decoder written straight from the
// spec's words (base64url → gunzip → bit i = (byte[i >> 3] >> (7 − (i & 7))) & 1) must agree with ours.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import {
  decodeStatusList,
  encodeStatusList,
  MAX_STATUS_LIST_BYTES,
  MIN_STATUS_LIST_BITS,
} from '../src/domain/status-list/bitstring.ts';
import { findFreeIndex } from '../src/domain/status-list/allocation.ts';
import { StatusListError, type StatusListErrorCode } from '../src/domain/status-list/errors.ts';

function referenceBit(encodedList: string, i: number): number {
  assert.equal(encodedList[0], 'u', 'multibase base64url');
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  return (bytes[i >> 3]! >> (7 - (i & 7))) & 1;
}

const fails = (code: StatusListErrorCode) => (error: unknown) =>
  error instanceof StatusListError && error.code === code;

test('index 0 is the most significant bit of the first byte; the list is multibase base64url of GZIP', () => {
  const encoded = encodeStatusList([
    { index: 0, set: true },
    { index: 9, set: true },
  ]);
  assert.match(encoded, /^u[A-Za-z0-9_-]+$/, "prefix 'u', base64url alphabet, no padding");
  const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  assert.equal(bytes.length, MIN_STATUS_LIST_BITS / 8, '16 KB by default');
  assert.equal(bytes[0], 0b1000_0000);
  assert.equal(bytes[1], 0b0100_0000);
  const list = decodeStatusList(encoded);
  assert.deepEqual(
    [list.get(0), list.get(1), list.get(8), list.get(9), list.get(10)],
    [true, false, false, true, false],
  );
});

test('our decoder agrees with the reference decoder for random sets of bits (fast-check)', () => {
  const size = MIN_STATUS_LIST_BITS * 2;
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: 300 }),
      fc.nat(size - 1),
      (set, probe) => {
        const encoded = encodeStatusList(
          set.map((index) => ({ index, set: true })),
          size,
        );
        const list = decodeStatusList(encoded);
        assert.equal(list.size, size);
        for (const index of [...set, probe, 0, size - 1]) {
          assert.equal(list.get(index) ? 1 : 0, referenceBit(encoded, index), `bit ${index}`);
        }
        assert.equal(list.get(probe), set.includes(probe));
      },
    ),
    { numRuns: 60 },
  );
});

test('a later entry for the same index wins, so a cleared suspension reads as clear', () => {
  const list = decodeStatusList(
    encodeStatusList([
      { index: 42, set: true },
      { index: 42, set: false },
      { index: 43, set: true },
    ]),
  );
  assert.equal(list.get(42), false);
  assert.equal(list.get(43), true);
});

test('herd privacy: no list smaller than 131,072 entries is made or accepted', () => {
  assert.equal(MIN_STATUS_LIST_BITS, 131_072);
  assert.throws(() => encodeStatusList([], 131_064), fails('STATUS_LIST_LENGTH_ERROR'));
  assert.throws(() => encodeStatusList([], 131_073), fails('STATUS_LIST_LENGTH_ERROR'), 'whole bytes');
  const short = `u${gzipSync(Buffer.alloc(16_383)).toString('base64url')}`;
  assert.throws(() => decodeStatusList(short), fails('STATUS_LIST_LENGTH_ERROR'));
  assert.equal(decodeStatusList(`u${gzipSync(Buffer.alloc(16_384)).toString('base64url')}`).size, 131_072);
});

test('an index outside the list is a RANGE_ERROR, when setting and when reading', () => {
  assert.throws(() => encodeStatusList([{ index: MIN_STATUS_LIST_BITS, set: true }]), fails('RANGE_ERROR'));
  assert.throws(() => encodeStatusList([{ index: -1, set: true }]), fails('RANGE_ERROR'));
  const list = decodeStatusList(encodeStatusList([]));
  assert.throws(() => list.get(MIN_STATUS_LIST_BITS), fails('RANGE_ERROR'));
  assert.throws(() => list.get(1.5), fails('RANGE_ERROR'));
});

test('what is not a multibase base64url GZIP bitstring is refused as malformed', () => {
  const good = encodeStatusList([{ index: 7, set: true }]);
  assert.equal(decodeStatusList(good).get(7), true, 'the unaltered list reads');
  assert.throws(() => decodeStatusList(good.slice(1)), fails('MALFORMED_VALUE_ERROR'), 'no multibase prefix');
  assert.throws(() => decodeStatusList(`z${good.slice(1)}`), fails('MALFORMED_VALUE_ERROR'), 'base58 prefix');
  assert.throws(() => decodeStatusList(`${good}==`), fails('MALFORMED_VALUE_ERROR'), 'padding');
  assert.throws(() => decodeStatusList(`${good.slice(0, -1)}+`), fails('MALFORMED_VALUE_ERROR'), 'base64 alphabet');
  assert.throws(() => decodeStatusList(good.slice(0, -8)), fails('MALFORMED_VALUE_ERROR'), 'truncated');
  assert.throws(
    () => decodeStatusList(`u${Buffer.alloc(16_384).toString('base64url')}`),
    fails('MALFORMED_VALUE_ERROR'),
    'not compressed',
  );
});

test('a decompression bomb stops at the limit instead of filling memory', () => {
  const bomb = `u${gzipSync(Buffer.alloc(MAX_STATUS_LIST_BYTES + 1)).toString('base64url')}`;
  assert.ok(bomb.length < 40_000, 'small on the wire');
  assert.throws(() => decodeStatusList(bomb), fails('STATUS_LIST_LENGTH_ERROR'));
});

test('size: a million entries with 1 % revoked compress to about 14 KB (measured, not asserted)', (t) => {
  const size = 1_000_000;
  // A deterministic 1 % sample, so the figure is comparable between runs.
  let seed = 13;
  const revoked = new Set<number>();
  while (revoked.size < size / 100) {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    revoked.add(seed % size);
  }
  const encoded = encodeStatusList(
    [...revoked].map((index) => ({ index, set: true })),
    size,
  );
  const compressed = Buffer.from(encoded.slice(1), 'base64url').length;
  t.diagnostic(
    `1,000,000 entries, ${revoked.size} revoked: ${compressed} bytes GZIP (${(compressed / 1024).toFixed(1)} KiB), ` +
      `${encoded.length} characters as encodedList; an empty 16 KB list: ${encodeStatusList([]).length} characters`,
  );
  const list = decodeStatusList(encoded);
  for (const index of [...revoked].slice(0, 50)) assert.equal(list.get(index), true);
  assert.ok(compressed < size / 8, 'compression helps at all');
});

test('a new licence takes a random free index, never a taken one, and none when the list is full', () => {
  const size = MIN_STATUS_LIST_BITS;
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: 200 }), (taken) => {
      const set = new Set(taken);
      const index = findFreeIndex(size, (i) => set.has(i));
      assert.ok(index !== undefined && index >= 0 && index < size && !set.has(index));
    }),
    { numRuns: 50 },
  );
  // Not sequential: a hundred picks from an empty list spread over it.
  const picks = new Set<number>();
  for (let n = 0; n < 100; n++) picks.add(findFreeIndex(size, (i) => picks.has(i))!);
  assert.equal(picks.size, 100);
  assert.ok(Math.max(...picks) - Math.min(...picks) > size / 2, 'spread over the list');
  // Nearly full: the scan finds the one free place even when every draw hits a taken one.
  assert.equal(
    findFreeIndex(
      16,
      (i) => i !== 11,
      () => 3,
    ),
    11,
  );
  assert.equal(
    findFreeIndex(16, () => true),
    undefined,
  );
});
