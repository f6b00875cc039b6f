// The two places `tongban ledger verify` reads a log from: the database itself (as an auditor
// with read access would), or a running server's public API (as anyone can).
import type { AnyKysely, AnyTransaction } from '@tongban/kernel';
import type { PublicKey } from '../domain/signing.ts';
import { allCosignaturesOf, checkpointsOf } from '../store/checkpoints.ts';
import { listLogs } from '../store/logs.ts';
import { typed } from '../store/tables.ts';
import { entryRowsAfter, leafCount, nodesAfter } from '../store/tree.ts';
import { allWitnesses } from '../store/witnesses.ts';
import type { LogSource, SourceCheckpoint, SourceEntry, SourceLog } from './verify.ts';

const PAGE = 1000;

/** Witness keys as the database records them, unless the verifier pins its own (`witnessKeys`). */
export function databaseSource(
  db: AnyKysely | AnyTransaction,
  witnessKeys?: ReadonlyMap<string, PublicKey>,
): LogSource {
  // The caller's handle (the CLI's, a test's): narrowed to the ledger's tables at once.
  const t = typed(db);
  return {
    async logs() {
      const rows = await listLogs(t);
      return rows.map((r) => ({
        id: r.id,
        origin: r.origin,
        hashAlgorithm: r.hash_algorithm,
        signatureAlgorithm: r.signature_algorithm,
        publicKey: r.public_key,
        signerId: r.signer_id,
        size: Number(r.size),
        root: Buffer.from(r.root).toString('base64'),
      }));
    },
    async *entries(log) {
      // Every stored entry row, in index order, with the leaf stored at that index (if any):
      // a gap, a duplicate or a moved row shows up as such.
      let after = -1;
      for (;;) {
        const rows = await entryRowsAfter(t, log.id, after, PAGE);
        for (const r of rows)
          yield {
            index: Number(r.idx),
            body: r.body,
            leafHash: r.hash ? Buffer.from(r.hash).toString('base64') : null,
          } satisfies SourceEntry;
        if (rows.length < PAGE) return;
        after = Number(rows[rows.length - 1]!.idx);
      }
    },
    async checkpoints(log) {
      const rows = await checkpointsOf(t, log.id);
      const cos = await allCosignaturesOf(t, log.id);
      return rows.map((r): SourceCheckpoint => ({
        size: Number(r.size),
        body: r.body,
        signature: r.signature,
        cosignatures: cos
          .filter((c) => Number(c.size) === Number(r.size))
          .map((c) => ({ witness: c.witness, keyId: c.key_id, signature: c.signature })),
      }));
    },
    async witnesses() {
      if (witnessKeys) return witnessKeys;
      const rows = await allWitnesses(t);
      return new Map(
        rows.map((w) => [
          w.name,
          { algorithm: w.algorithm, key: w.public_key, ...(w.signer_id ? { signerId: w.signer_id } : {}) },
        ]),
      );
    },
    async *nodes(log, level) {
      let after = -1;
      for (;;) {
        const rows = await nodesAfter(t, log.id, level, after, PAGE * 10);
        for (const r of rows) yield { index: Number(r.idx), hash: r.hash };
        if (rows.length < PAGE * 10) return;
        after = Number(rows[rows.length - 1]!.idx);
      }
    },
    leafCount: (log) => leafCount(t, log.id),
  };
}

export function httpSource(baseUrl: string, fetchImpl: typeof fetch = fetch): LogSource {
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetchImpl(new URL(`/api/ledger${path}`, baseUrl), { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`GET /api/ledger${path}: ${res.status}`);
    return res.json() as Promise<T>;
  };
  return {
    logs: () => get<SourceLog[]>('/logs'),
    // A running server keeps growing; read after its checkpoints, the log covers all of them.
    refresh: (log) => get<SourceLog>(`/logs/${log.id}`),
    async *entries(log) {
      for (let start = 0; start < log.size; start += PAGE) {
        const end = Math.min(log.size, start + PAGE);
        const page = await get<{ index: number; body: string; leafHash: string }[]>(
          `/logs/${log.id}/entries?start=${start}&end=${end}`,
        );
        for (const e of page) yield { index: e.index, body: e.body, leafHash: e.leafHash };
      }
    },
    async checkpoints(log) {
      const all: SourceCheckpoint[] = [];
      for (let after = -1; ;) {
        const page = await get<SourceCheckpoint[]>(`/logs/${log.id}/checkpoints?after=${after}&limit=1000`);
        all.push(...page);
        if (page.length < 1000) return all;
        after = page[page.length - 1]!.size;
      }
    },
    async witnesses() {
      const list = await get<{ name: string; publicKey: PublicKey }[]>('/witnesses');
      return new Map(list.map((w) => [w.name, w.publicKey]));
    },
  };
}
