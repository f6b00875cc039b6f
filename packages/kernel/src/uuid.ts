// UUIDv7 (RFC 9562 §5.7): 48 bits of Unix time in milliseconds, then random bits, so that keys
// made one after another sort one after another. For the high-volume tables: a random (v4) key
// lands anywhere in its B-tree, so every insert dirties some other leaf page of every index on it
// and, after each checkpoint, writes that whole page to the WAL again (full-page writes); keys in
// time order fill the rightmost leaves, which stay hot. At a million applications that was up to
// 109 KB of WAL per submission against ~12 KB (issue 10).
//
// Monotonic within a process (RFC 9562 §6.2, method 1): within one millisecond the 12 bits after
// the version count up from a random start; should they run out, the timestamp moves on by 1 ms.
import { randomFillSync } from 'node:crypto';

const POOL = 4096;
const pool = Buffer.alloc(POOL);
let offset = POOL;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

let lastMs = -1;
let counter = 0;

function random(n: number): Buffer {
  if (offset + n > POOL) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + n);
  offset += n;
  return bytes;
}

/** A time-ordered UUID, version 7, in the usual 8-4-4-4-12 form. `now` is the clock in ms (tests). */
export function uuidv7(now: number = Date.now()): string {
  const r = random(10);
  let ms = Math.max(now, lastMs);
  if (ms === lastMs) {
    counter++;
    if (counter > 0xfff) {
      ms++;
      counter = r[0]! & 0x7f; // a fresh start, leaving room to count
    }
  } else {
    counter = ((r[0]! << 4) | (r[1]! >> 4)) & 0x7ff; // 11 random bits: at least 2048 more per ms
  }
  lastMs = ms;
  const b = new Array<number>(16);
  // 48-bit big-endian timestamp (JavaScript's bit operators are 32-bit: split it).
  const high = Math.floor(ms / 2 ** 16);
  b[0] = (high >>> 24) & 0xff;
  b[1] = (high >>> 16) & 0xff;
  b[2] = (high >>> 8) & 0xff;
  b[3] = high & 0xff;
  b[4] = (ms >>> 8) & 0xff;
  b[5] = ms & 0xff;
  b[6] = 0x70 | (counter >>> 8); // version 7, then the counter's top 4 bits
  b[7] = counter & 0xff;
  b[8] = 0x80 | (r[2]! & 0x3f); // variant 10
  for (let i = 9; i < 16; i++) b[i] = r[i - 6]!;
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += HEX[b[i]!]!;
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}

/** The millisecond timestamp a UUIDv7 carries. */
export function uuidv7Time(uuid: string): number {
  return parseInt(uuid.replace(/-/g, '').slice(0, 12), 16);
}
