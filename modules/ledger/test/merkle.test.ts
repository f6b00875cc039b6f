// Proofs against RFC 9162 itself: a reference implementation written straight from §2.1 (MTH,
// PATH, PROOF over lists of leaves) beside the module's stored-subtree implementation; every
// proof is checked with the RFC's verification algorithms (§2.1.3.2, §2.1.4.2), and a flipped
// bit anywhere makes it fail.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  appendLeaf,
  consistencyProof,
  edgeKeys,
  edgeRoot,
  emptyRoot,
  hasher,
  inclusionProof,
  leafHash,
  rootHash,
  verifyConsistency,
  verifyInclusion,
  type EdgeNode,
  type NodeLookup,
} from '../src/domain/merkle.ts';

const h = hasher('sha256');
const N = 1000;
const entries = Array.from({ length: N }, (_, i) => Buffer.from(`entry ${i}`));

// ── the reference: RFC 9162 §2.1, word for word, memoised by leaf range ──────────────────────
const k = (n: number) => {
  let x = 1;
  while (x * 2 < n) x *= 2;
  return x;
};
const H = (...parts: Uint8Array[]) => h.digest(...parts);
const memo = new Map<string, Buffer>();
function MTH(a: number, b: number): Buffer {
  const key = `${a}:${b}`;
  let r = memo.get(key);
  if (!r) {
    const n = b - a;
    r =
      n === 0
        ? H()
        : n === 1
          ? H(Buffer.from([0]), entries[a]!)
          : H(Buffer.from([1]), MTH(a, a + k(n)), MTH(a + k(n), b));
    memo.set(key, r);
  }
  return r;
}
function PATH(m: number, a: number, b: number): Buffer[] {
  const n = b - a;
  if (n === 1) return [];
  return m < k(n) ? [...PATH(m, a, a + k(n)), MTH(a + k(n), b)] : [...PATH(m - k(n), a + k(n), b), MTH(a, a + k(n))];
}
function SUBPROOF(m: number, a: number, b: number, whole: boolean): Buffer[] {
  const n = b - a;
  if (m === n) return whole ? [] : [MTH(a, b)];
  return m <= k(n)
    ? [...SUBPROOF(m, a, a + k(n), whole), MTH(a + k(n), b)]
    : [...SUBPROOF(m - k(n), a + k(n), b, false), MTH(a, a + k(n))];
}

// ── the module's tree: nodes as the appender stores them ─────────────────────────────────────
const nodes = new Map<string, Uint8Array>();
const edges: EdgeNode[][] = [[]];
{
  const edge: EdgeNode[] = [];
  entries.forEach((e, i) => {
    for (const n of appendLeaf(h, edge, i, leafHash(h, e))) nodes.set(`${n.level}/${n.index}`, n.hash);
    edges.push([...edge]);
  });
}
const lookup: NodeLookup = (level, index) => {
  const v = nodes.get(`${level}/${index}`);
  if (!v) throw new Error(`no node ${level}/${index}`);
  return v;
};
const flip = (proof: Uint8Array[], i: number, bit: number) =>
  proof.map((p, j) => (j === i ? Buffer.from(p.map((b, x) => (x === bit >> 3 ? b ^ (1 << (bit & 7)) : b))) : p));

describe('RFC 9162 Merkle tree', () => {
  test('roots: the right edge, the stored subtrees and the reference agree for every size 0..1000', () => {
    assert.deepEqual(emptyRoot(h), MTH(0, 0));
    for (let n = 1; n <= N; n++) {
      const reference = MTH(0, n);
      assert.deepEqual(Buffer.from(rootHash(h, n, lookup)), reference, `size ${n}`);
      assert.deepEqual(Buffer.from(edgeRoot(h, edges[n]!)), reference, `edge of ${n}`);
      assert.deepEqual(
        edgeKeys(n),
        edges[n]!.map((e) => [e.level, e.index]),
        `edge keys of ${n}`,
      );
    }
  });

  test('inclusion: for every size 1..1000, the proof of every leaf equals PATH and verifies (§2.1.3.2)', () => {
    let checked = 0;
    for (let n = 1; n <= N; n++) {
      const root = MTH(0, n);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(h, m, n, lookup);
        assert.deepEqual(
          proof.map((p) => Buffer.from(p)),
          PATH(m, 0, n),
        );
        assert.ok(verifyInclusion(h, m, n, MTH(m, m + 1), proof, root), `leaf ${m} of ${n}`);
        checked++;
      }
    }
    assert.equal(checked, (N * (N + 1)) / 2);
  });

  test('consistency: for every pair m < n ≤ 64 the proof equals PROOF and verifies (§2.1.4.2)', () => {
    for (let n = 1; n <= 64; n++) {
      for (let m = 1; m < n; m++) {
        const proof = consistencyProof(h, m, n, lookup);
        assert.deepEqual(
          proof.map((p) => Buffer.from(p)),
          SUBPROOF(m, 0, n, true),
          `${m} → ${n}`,
        );
        assert.ok(verifyConsistency(h, m, n, MTH(0, m), MTH(0, n), proof), `${m} → ${n}`);
      }
      assert.ok(verifyConsistency(h, n, n, MTH(0, n), MTH(0, n), []));
    }
  });

  test('a flipped bit anywhere in an inclusion proof, the leaf or the root fails', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: N })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.nat(255))),
        ([n, m, bit]) => {
          const proof = inclusionProof(h, m, n, lookup);
          const root = MTH(0, n);
          const leaf = MTH(m, m + 1);
          for (let i = 0; i < proof.length; i++)
            assert.equal(verifyInclusion(h, m, n, leaf, flip(proof, i, bit), root), false);
          assert.equal(verifyInclusion(h, m, n, flip([leaf], 0, bit)[0]!, proof, root), false);
          assert.equal(verifyInclusion(h, m, n, leaf, proof, flip([root], 0, bit)[0]!), false);
          assert.equal(verifyInclusion(h, (m + 1) % n, n, leaf, proof, root), n === 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a flipped bit anywhere in a consistency proof or either root fails', () => {
    for (let n = 2; n <= 64; n++) {
      for (let m = 1; m < n; m++) {
        const proof = consistencyProof(h, m, n, lookup);
        const bit = (m * 31 + n) % 256;
        for (let i = 0; i < proof.length; i++)
          assert.equal(verifyConsistency(h, m, n, MTH(0, m), MTH(0, n), flip(proof, i, bit)), false, `${m}→${n} #${i}`);
        assert.equal(verifyConsistency(h, m, n, flip([MTH(0, m)], 0, bit)[0]!, MTH(0, n), proof), false);
        assert.equal(verifyConsistency(h, m, n, MTH(0, m), flip([MTH(0, n)], 0, bit)[0]!, proof), false);
      }
    }
  });

  test('SM3 trees follow the same structure with GB/T 32905 hashing', () => {
    const sm3 = hasher('sm3');
    // GB/T 32905-2016 Appendix A example 1: SM3("abc").
    assert.equal(
      sm3.digest(Buffer.from('abc')).toString('hex'),
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
    const edge: EdgeNode[] = [];
    const store = new Map<string, Uint8Array>();
    for (let i = 0; i < 7; i++)
      for (const x of appendLeaf(sm3, edge, i, leafHash(sm3, entries[i]!))) store.set(`${x.level}/${x.index}`, x.hash);
    const get: NodeLookup = (l, i) => store.get(`${l}/${i}`)!;
    const root = rootHash(sm3, 7, get);
    assert.ok(verifyInclusion(sm3, 5, 7, leafHash(sm3, entries[5]!), inclusionProof(sm3, 5, 7, get), root));
    assert.notDeepEqual(Buffer.from(root), MTH(0, 7));
  });

  test('sizes past 2^49 still split where RFC 9162 says (no rounding in the power-of-two test)', () => {
    const calls: string[] = [];
    rootHash(h, 2 ** 49 + 1, (level, index) => {
      calls.push(`${level}/${index}`);
      return Buffer.alloc(32);
    });
    assert.deepEqual(calls, ['49/0', `0/${2 ** 49}`]);
  });
});
