// The Merkle tree of RFC 9162 §2.1 (as RFC 6962): leaf hash H(0x00 ‖ entry), node hash
// H(0x01 ‖ left ‖ right), the empty tree H(""). Pure functions over a hash and a lookup of stored
// subtree hashes: node (level, index) is the hash of the perfect subtree over leaves
// [index·2^level, (index+1)·2^level). Any range the RFC's recursion visits is a run of such
// subtrees, so a root or a proof costs O(log n) lookups and never touches the leaves again.
import { createHash } from 'node:crypto';

export type HashAlgorithm = 'sha256' | 'sm3';
export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sm3'];

export interface Hasher {
  readonly algorithm: HashAlgorithm;
  digest(...parts: readonly Uint8Array[]): Buffer;
}

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

/** SHA-256, or SM3 (GB/T 32905), both from node:crypto (OpenSSL). */
export function hasher(algorithm: HashAlgorithm): Hasher {
  return {
    algorithm,
    digest(...parts) {
      const h = createHash(algorithm);
      for (const p of parts) h.update(p);
      return h.digest();
    },
  };
}

export const leafHash = (h: Hasher, entry: Uint8Array): Buffer => h.digest(LEAF, entry);
export const nodeHash = (h: Hasher, left: Uint8Array, right: Uint8Array): Buffer => h.digest(NODE, left, right);
export const emptyRoot = (h: Hasher): Buffer => h.digest();

/** The largest power of two strictly smaller than n (n ≥ 2): where RFC 9162 splits a tree. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// Math.log2 rounds: 2^49 + 1 would pass an integer test, so compare with the power it rounds to.
const isPowerOfTwo = (n: number) => Number.isSafeInteger(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/** A stored subtree hash: node (level, index) covers [index·2^level, (index+1)·2^level). */
export type NodeLookup = (level: number, index: number) => Uint8Array;

/** MTH(D[start:end]) from stored subtrees (start aligned as every range of the RFC's recursion is). */
export function rangeHash(h: Hasher, start: number, end: number, node: NodeLookup): Uint8Array {
  const n = end - start;
  if (n <= 0) return emptyRoot(h);
  if (isPowerOfTwo(n) && start % n === 0) return node(Math.log2(n), start / n);
  const k = splitPoint(n);
  return nodeHash(h, rangeHash(h, start, start + k, node), rangeHash(h, start + k, end, node));
}

export function rootHash(h: Hasher, size: number, node: NodeLookup): Uint8Array {
  return rangeHash(h, 0, size, node);
}

/** PATH(m, D[0:n]) of RFC 9162 §2.1.3.1: the audit path of leaf m in the tree of size n. */
export function inclusionProof(h: Hasher, index: number, size: number, node: NodeLookup): Uint8Array[] {
  const path: Uint8Array[] = [];
  const walk = (m: number, start: number, end: number) => {
    const n = end - start;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m - start < k) {
      walk(m, start, start + k);
      path.push(rangeHash(h, start + k, end, node));
    } else {
      walk(m, start + k, end);
      path.push(rangeHash(h, start, start + k, node));
    }
  };
  walk(index, 0, size);
  return path;
}

/** PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1: that the tree of size m is a prefix of the tree of size n. */
export function consistencyProof(h: Hasher, first: number, second: number, node: NodeLookup): Uint8Array[] {
  const proof: Uint8Array[] = [];
  const sub = (m: number, start: number, end: number, whole: boolean) => {
    const n = end - start;
    if (m === n) {
      if (!whole) proof.push(rangeHash(h, start, end, node));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      sub(m, start, start + k, whole);
      proof.push(rangeHash(h, start + k, end, node));
    } else {
      sub(m - k, start + k, end, false);
      proof.push(rangeHash(h, start, start + k, node));
    }
  };
  if (first > 0 && first < second) sub(first, 0, second, true);
  return proof;
}

/**
 * Runs a proof or root computation twice: once to learn which stored nodes it reads (the shape
 * of the computation depends on sizes only, never on hash values), then with those fetched.
 */
export async function withNodes<T>(
  compute: (node: NodeLookup) => T,
  fetch: (keys: readonly (readonly [number, number])[]) => Promise<ReadonlyMap<string, Uint8Array>>,
): Promise<T> {
  const wanted = new Map<string, readonly [number, number]>();
  const zero = Buffer.alloc(32);
  compute((level, index) => {
    wanted.set(`${level}/${index}`, [level, index]);
    return zero;
  });
  const found = await fetch([...wanted.values()]);
  return compute((level, index) => {
    const hash = found.get(`${level}/${index}`);
    if (!hash) throw new Error(`the tree has no stored node ${level}/${index}`);
    return hash;
  });
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;

/** RFC 9162 §2.1.3.2: verifies an inclusion proof for the leaf hash at `index` against a root. */
export function verifyInclusion(
  h: Hasher,
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (index >= size || index < 0) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(h, p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(h, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

/** RFC 9162 §2.1.4.2: verifies that the tree (first, firstRoot) is a prefix of (second, secondRoot). */
export function verifyConsistency(
  h: Hasher,
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (first < 1 || first > second) return false;
  if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(h, c, fr);
      sr = nodeHash(h, c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(h, sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return equal(fr, firstRoot) && equal(sr, secondRoot) && sn === 0;
}

/**
 * The right edge of a tree of size n: one perfect subtree per set bit of n, largest first. Appending
 * a leaf pushes it and merges equal levels, yielding every node that became complete: O(1)
 * amortised writes per leaf, and the root from O(log n) hashes.
 */
export interface EdgeNode {
  readonly level: number;
  readonly index: number;
  readonly hash: Uint8Array;
}

export function edgeKeys(size: number): [number, number][] {
  const keys: [number, number][] = [];
  let start = 0;
  for (let level = Math.floor(Math.log2(Math.max(size, 1))) + 1; level >= 0; level--) {
    const width = 2 ** level;
    if (size - start >= width) {
      keys.push([level, start / width]);
      start += width;
    }
  }
  return keys;
}

export function appendLeaf(h: Hasher, edge: EdgeNode[], index: number, leaf: Uint8Array): EdgeNode[] {
  const created: EdgeNode[] = [{ level: 0, index, hash: leaf }];
  edge.push(created[0]!);
  while (edge.length >= 2 && edge[edge.length - 1]!.level === edge[edge.length - 2]!.level) {
    const right = edge.pop()!;
    const left = edge.pop()!;
    const parent = { level: left.level + 1, index: left.index / 2, hash: nodeHash(h, left.hash, right.hash) };
    edge.push(parent);
    created.push(parent);
  }
  return created;
}

export function edgeRoot(h: Hasher, edge: readonly EdgeNode[]): Uint8Array {
  if (edge.length === 0) return emptyRoot(h);
  let r = edge[edge.length - 1]!.hash;
  for (let i = edge.length - 2; i >= 0; i--) r = nodeHash(h, edge[i]!.hash, r);
  return r;
}
