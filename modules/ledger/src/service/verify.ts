// The offline verifier (`tongban ledger verify`): reads a whole log — from a running server's
// public API or straight from the database — recomputes every leaf from its entry and the tree
// from the leaves, and checks every checkpoint's signature, its co-signatures and that all of them
// are prefixes of the one history the entries make. It names the first position where the stored
// log departs from what was committed: an entry changed, missing, added or moved.
import { canonicalize } from '../domain/canonical.ts';
import { parseCheckpoint } from '../domain/checkpoint.ts';
import {
  appendLeaf,
  edgeRoot,
  emptyRoot,
  hasher,
  leafHash,
  nodeHash,
  type EdgeNode,
  type HashAlgorithm,
} from '../domain/merkle.ts';
import { keyId, verifySignature, type PublicKey, type SignatureAlgorithm } from '../domain/signing.ts';

export interface SourceLog {
  readonly id: string;
  readonly origin: string;
  readonly hashAlgorithm: HashAlgorithm;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly publicKey: string;
  readonly signerId?: string | null;
  readonly size: number;
  /** The root the log row records (base64), when the source has it. */
  readonly root?: string;
}

export interface SourceEntry {
  readonly index: number;
  readonly body: string;
  /** The leaf hash the log stored for this position (base64). */
  readonly leafHash: string | null;
}

export interface SourceCheckpoint {
  readonly size: number;
  readonly body: string;
  readonly signature: string;
  readonly cosignatures: readonly { readonly witness: string; readonly keyId: string; readonly signature: string }[];
}

/** Where a log is read from: the database or a server's API (both in source.ts). */
export interface LogSource {
  logs(): Promise<SourceLog[]>;
  /** Entries in index order; pages of any size. */
  entries(log: SourceLog): AsyncIterable<SourceEntry>;
  checkpoints(log: SourceLog): Promise<SourceCheckpoint[]>;
  /**
   * The log as it stands now, for a source that is not one snapshot (a running server): read after
   * the checkpoints, its size covers every one of them unless entries were removed.
   */
  refresh?(log: SourceLog): Promise<SourceLog>;
  /** Witness keys the verifier trusts, by witness name. */
  witnesses(): Promise<ReadonlyMap<string, PublicKey>>;
  /** Leaf hashes stored beyond the entries (a deleted tail entry leaves its leaf behind). */
  leafCount?(log: SourceLog): Promise<number>;
  /** The stored subtree hashes of one level, by index (the database source: proofs are made of them). */
  nodes?(log: SourceLog, level: number): AsyncIterable<{ readonly index: number; readonly hash: Uint8Array }>;
}

export type Verdict =
  | {
      readonly log: string;
      readonly intact: true;
      readonly size: number;
      readonly root: string;
      readonly checkpoints: number;
      readonly cosignatures: number;
    }
  | {
      readonly log: string;
      readonly intact: false;
      readonly position: number | null;
      readonly problem: string;
      readonly unverified?: true;
    };

export interface VerifyOptions {
  /** The log's key as the verifier knows it, rather than as the source says. */
  readonly logKey?: PublicKey;
  /** Witness keys the verifier trusts, rather than the source's; then the latest checkpoint must carry one of their co-signatures. */
  readonly witnessKeys?: ReadonlyMap<string, PublicKey>;
}

export async function verifyLog(source: LogSource, given: SourceLog, options: VerifyOptions = {}): Promise<Verdict> {
  const h = hasher(given.hashAlgorithm);
  const key: PublicKey = options.logKey ?? {
    algorithm: given.signatureAlgorithm,
    key: given.publicKey,
    ...(given.signerId ? { signerId: given.signerId } : {}),
  };
  const fail = (position: number | null, problem: string): Verdict => ({
    log: given.id,
    intact: false,
    position,
    problem,
  });

  // Checkpoints first: each must be signed by the log's key and state this log.
  const checkpoints = (await source.checkpoints(given)).sort((a, b) => a.size - b.size);
  const log = source.refresh ? await source.refresh(given) : given;
  const witnessKeys = options.witnessKeys ?? (await source.witnesses());
  let cosignatures = 0;
  const parsed = [];
  for (const c of checkpoints) {
    const cp = parseCheckpoint(c.body);
    if (!cp || cp.origin !== log.origin || cp.size !== c.size)
      return fail(null, `the checkpoint at size ${c.size} is malformed or names another log`);
    if (!verifySignature(key, c.body, c.signature))
      return fail(null, `the checkpoint at size ${c.size} is not signed by the log's key`);
    for (const co of c.cosignatures) {
      const wk = witnessKeys.get(co.witness);
      if (!wk || keyId(co.witness, wk) !== co.keyId)
        return fail(
          null,
          `the checkpoint at size ${c.size} carries a co-signature of an unknown witness ${co.witness}`,
        );
      if (!verifySignature(wk, c.body, co.signature))
        return fail(null, `the co-signature of ${co.witness} on the checkpoint at size ${c.size} does not verify`);
      cosignatures++;
    }
    parsed.push(cp);
  }
  const last = parsed[parsed.length - 1];
  if (last && last.size > log.size)
    return fail(
      log.size,
      `the log claims ${log.size} entries but a checkpoint covers ${last.size}: entries from ${log.size} were removed`,
    );
  if (!last && log.size > 0)
    return fail(
      null,
      `the log has ${log.size} entries and no checkpoint: its checkpoints were removed (or it is seconds old)`,
    );
  if (options.witnessKeys) {
    // Pinned witnesses vouch for a history only through a checkpoint they signed: none, no vouching
    // (a wiped log with its size set back to 0 looks empty and whole otherwise).
    if (!last) {
      // Not proof of tampering — a new log has no checkpoint yet — but nothing to vouch with either.
      return {
        log: given.id,
        intact: false,
        unverified: true,
        position: null,
        problem:
          'no checkpoint carries a co-signature of a witness you trust: the log has none (new, or wiped; ask the witness what it last signed)',
      };
    }
    const lastCosigned = checkpoints[checkpoints.length - 1]!.cosignatures.some((c) =>
      options.witnessKeys!.has(c.witness),
    );
    if (!lastCosigned)
      return fail(null, `the latest checkpoint (size ${last.size}) carries no co-signature of a witness you trust`);
  }

  // Then every entry, in order, against its stored leaf and the checkpoints that cover it.
  const edge: EdgeNode[] = [];
  let expected = 0;
  let next = 0; // the next checkpoint to meet
  let lastGood = 0;
  for await (const entry of source.entries(log)) {
    if (entry.index > expected) return fail(expected, `entry ${expected} is missing (deleted)`);
    if (entry.index < expected) return fail(entry.index, `entry ${entry.index} appears twice (inserted)`);
    if (entry.index >= log.size)
      return fail(entry.index, `entry ${entry.index} lies beyond the log's size ${log.size} (inserted)`);
    let canonical: string;
    try {
      canonical = canonicalize(JSON.parse(entry.body));
    } catch {
      return fail(entry.index, `entry ${entry.index} is not JSON`);
    }
    if (canonical !== entry.body)
      return fail(entry.index, `entry ${entry.index} is not in RFC 8785 canonical form (altered)`);
    const leaf = leafHash(h, Buffer.from(entry.body));
    if (entry.leafHash === null)
      return fail(entry.index, `entry ${entry.index} has no stored leaf hash (its leaf was removed)`);
    if (Buffer.from(entry.leafHash, 'base64').compare(leaf) !== 0) {
      return fail(
        entry.index,
        `entry ${entry.index} does not match its leaf hash (altered, or moved from another position)`,
      );
    }
    appendLeaf(h, edge, entry.index, leaf);
    expected++;
    while (next < parsed.length && parsed[next]!.size === expected) {
      if (Buffer.compare(Buffer.from(edgeRoot(h, edge)), Buffer.from(parsed[next]!.root)) !== 0) {
        return fail(
          lastGood,
          `the entries do not give the root signed at size ${expected}: the first altered entry lies between ${lastGood} and ${expected - 1}`,
        );
      }
      lastGood = expected;
      next++;
    }
  }
  if (expected < log.size)
    return fail(expected, `entry ${expected} is missing (deleted): the log's size is ${log.size}`);
  const stored = await source.leafCount?.(log);
  if (stored !== undefined && stored > expected)
    return fail(expected, `entry ${expected} is missing (deleted): its leaf hash is still stored`);
  // The stored subtrees first: they narrow a rewrite past the last checkpoint to their span.
  const badNode = source.nodes ? await checkNodes(source, log, h, expected) : undefined;
  if (badNode) {
    const first = badNode.index * 2 ** badNode.level;
    const lastOf = Math.min(expected, first + 2 ** badNode.level) - 1;
    return fail(
      first,
      `the stored subtree hash ${badNode.level}/${badNode.index} does not match the leaves beneath it: an entry between ${first} and ${lastOf} was rewritten with its leaf hash, or the subtree hash itself (proofs built on it would not verify)`,
    );
  }
  const root = expected === 0 ? emptyRoot(h) : edgeRoot(h, edge);
  if (log.root !== undefined && Buffer.from(log.root, 'base64').compare(Buffer.from(root)) !== 0) {
    return lastGood < expected
      ? fail(
          lastGood,
          `the entries do not give the root the log records: an entry between ${lastGood} and ${expected - 1} (after the last checkpoint) was rewritten with its leaf hash, or the log row was altered`,
        )
      : fail(null, 'the root the log records does not match its entries (the log row was altered)');
  }
  return {
    log: log.id,
    intact: true,
    size: expected,
    root: Buffer.from(root).toString('hex'),
    checkpoints: checkpoints.length,
    cosignatures,
  };
}

/**
 * Every stored subtree hash against its two children, level by level (level 0 was checked against
 * the entries): the nodes proofs are built from must be the tree the entries make.
 */
async function checkNodes(
  source: LogSource,
  log: SourceLog,
  h: ReturnType<typeof hasher>,
  size: number,
): Promise<{ level: number; index: number } | undefined> {
  for (let level = 1; 2 ** level <= size; level++) {
    const below = source.nodes!(log, level - 1)[Symbol.asyncIterator]();
    let expected = 0;
    for await (const node of source.nodes!(log, level)) {
      if (node.index !== expected) return { level, index: expected };
      const left = await below.next();
      const right = await below.next();
      if (left.done || right.done || left.value.index !== 2 * expected || right.value.index !== 2 * expected + 1)
        return { level, index: expected };
      if (Buffer.compare(Buffer.from(node.hash), Buffer.from(nodeHash(h, left.value.hash, right.value.hash))) !== 0)
        return { level, index: expected };
      expected++;
    }
    if (expected !== Math.floor(size / 2 ** level)) return { level, index: expected };
  }
  return undefined;
}

export function describeVerdict(v: Verdict): string {
  return v.intact
    ? `ledger ${v.log}: intact — ${v.size} entries, root ${v.root}, ${v.checkpoints} checkpoints verified (${v.cosignatures} witness co-signatures), all one history`
    : v.unverified
      ? `ledger ${v.log}: UNVERIFIED — ${v.problem}`
      : `ledger ${v.log}: TAMPERED${v.position === null ? '' : ` at position ${v.position}`} — ${v.problem}`;
}
