// The Batcher (batch.ts): calls made in one turn of the event loop are answered by one run, in
// order; no more than `concurrency` runs are in flight and what arrives meanwhile waits for the
// next; a failed run fails its own batch only.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Batcher } from '../src/batch.ts';

/** A run whose batches are recorded and which finishes when told to. */
function heldRun() {
  const batches: number[][] = [];
  const release: (() => void)[] = [];
  const run = async (items: readonly number[]) => {
    batches.push([...items]);
    await new Promise<void>((resolve) => release.push(resolve));
    return items.map((n) => n * 10);
  };
  return { batches, release, run };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Batcher', () => {
  test('calls of one turn are one run, answered in order', async () => {
    const runs: number[][] = [];
    const b = new Batcher<number, string>(async (items) => {
      runs.push([...items]);
      return items.map((n) => `#${n}`);
    });
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => b.add(i)));
    assert.deepEqual(
      answers,
      Array.from({ length: 100 }, (_, i) => `#${i}`),
    );
    assert.equal(runs.length, 1);
    assert.deepEqual(
      runs[0],
      Array.from({ length: 100 }, (_, i) => i),
    );
  });

  test('at most `concurrency` runs in flight; what arrives meanwhile is the next batch', async () => {
    const { batches, release, run } = heldRun();
    const b = new Batcher(run, { concurrency: 1 });
    const first = [b.add(1), b.add(2)];
    await turn();
    assert.deepEqual(batches, [[1, 2]]);
    const second = [b.add(3), b.add(4), b.add(5)];
    await turn();
    await turn();
    assert.deepEqual(batches, [[1, 2]], 'the second batch waits for the first');
    release.shift()!();
    assert.deepEqual(await Promise.all(first), [10, 20]);
    await turn();
    assert.deepEqual(batches, [
      [1, 2],
      [3, 4, 5],
    ]);
    release.shift()!();
    assert.deepEqual(await Promise.all(second), [30, 40, 50]);
  });

  test('no batch is larger than maxBatch', async () => {
    const sizes: number[] = [];
    const b = new Batcher<number, number>(
      async (items) => {
        sizes.push(items.length);
        return items;
      },
      { maxBatch: 7, concurrency: 2 },
    );
    await Promise.all(Array.from({ length: 30 }, (_, i) => b.add(i)));
    assert.ok(Math.max(...sizes) <= 7, `sizes ${sizes.join(', ')}`);
    assert.equal(
      sizes.reduce((a, s) => a + s, 0),
      30,
    );
  });

  test('a failed run rejects every item of its batch, and the next batch is served', async () => {
    let fail = true;
    const b = new Batcher<number, number>(async (items) => {
      if (fail) {
        fail = false;
        throw new Error('database gone');
      }
      return items;
    });
    const failed = await Promise.allSettled([b.add(1), b.add(2)]);
    assert.deepEqual(
      failed.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(await b.add(3), 3);
  });

  test('a run answering the wrong number of results fails its batch', async () => {
    const b = new Batcher<number, number>(async (items) => items.slice(1));
    await assert.rejects(Promise.all([b.add(1), b.add(2)]), /answered with 1 results/);
  });

  test('idle() waits for queued and running batches', async () => {
    const { release, run } = heldRun();
    const b = new Batcher(run);
    const answer = b.add(1);
    let idle = false;
    const waiting = b.idle().then(() => (idle = true));
    await turn();
    await turn();
    assert.equal(idle, false);
    release.shift()!();
    await waiting;
    assert.equal(await answer, 10);
  });
});
