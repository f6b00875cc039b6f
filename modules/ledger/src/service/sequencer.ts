// The sequencer gives entries their place in a log, many per transaction (group commit: one
// fsync for a batch, not one per entry). Entries come from two doors: appended directly (the
// caller awaits its receipt) and from the queue table, where producers' events were written in
// their own transactions. A batch locks the log row, so replicas take turns; each keeps the
// tree's right edge in memory and reloads it when another replica moved the log on.
import type { Logger } from '@tongban/kernel';
import { appendLeaf, edgeKeys, edgeRoot, leafHash, type EdgeNode } from '../domain/merkle.ts';
import { lockLog, setLogHead } from '../store/logs.ts';
import { deleteQueued, queuedLogIds, takeQueued } from '../store/queue.ts';
import type { LedgerDb, LedgerTrx, LogRow } from '../store/tables.ts';
import { fetchNodes, hasherOf, insertEntries, insertNodes } from '../store/tree.ts';

export interface Appended {
  readonly log: string;
  readonly index: number;
  readonly leafHash: string;
  /** The tree size once this entry's batch committed. */
  readonly treeSize: number;
}

interface Waiting {
  readonly body: string;
  readonly subjectId: string | null;
  resolve(receipt: Appended): void;
  reject(error: unknown): void;
}

export interface SequencerOptions {
  readonly db: LedgerDb;
  readonly log: Logger;
  readonly batchSize: number;
  readonly now: () => Date;
  /** Called after a batch committed (the checkpointer looks whether a checkpoint is due). */
  readonly afterBatch?: (logId: string) => void;
  /** Makes a queued event an entry (canonical body and whose data it concerns). */
  readonly entryOf: (event: unknown) => { body: string; subjectId: string | null };
}

const MAX_BATCHES_PER_TURN = 8;

export class Sequencer {
  readonly #o: SequencerOptions;
  readonly #waiting = new Map<string, Waiting[]>();
  readonly #edges = new Map<string, { size: number; edge: EdgeNode[] }>();
  #running: Promise<void> | undefined;
  #again = false;

  constructor(options: SequencerOptions) {
    this.#o = options;
  }

  /** Appends one entry (canonical JSON) and resolves once its batch has committed. */
  append(logId: string, body: string, subjectId: string | null): Promise<Appended> {
    return new Promise<Appended>((resolve, reject) => {
      let list = this.#waiting.get(logId);
      if (!list) this.#waiting.set(logId, (list = []));
      list.push({ body, subjectId, resolve, reject });
      this.kick();
    });
  }

  /** Sequences what is waiting, now or right after the batch in progress. */
  kick(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #drain(): Promise<void> {
    do {
      this.#again = false;
      const logs = new Set([...this.#waiting.keys()]);
      for (const logId of await queuedLogIds(this.#o.db)) logs.add(logId);
      for (const logId of logs) {
        // A few batches per log, then the next: a busy log's queue does not starve the others.
        for (let i = 0; i < MAX_BATCHES_PER_TURN && (await this.#batch(logId)); i++)
          this.#again ||= i === MAX_BATCHES_PER_TURN - 1;
      }
    } while (this.#again);
  }

  /** One batch of one log; false when there was nothing to do. */
  async #batch(logId: string): Promise<boolean> {
    const list = this.#waiting.get(logId) ?? [];
    const waiting = list.splice(0, this.#o.batchSize);
    if (list.length === 0) this.#waiting.delete(logId);
    let committed: { edge: EdgeNode[]; size: number; first: number; leaves: Buffer[] } | undefined;
    try {
      committed = await this.#o.db.transaction().execute(async (trx) => {
        const log = await lockLog(trx, logId);
        if (!log) throw new Error(`no log ${logId}`);
        const queued = await takeQueued(trx, logId, Math.max(0, this.#o.batchSize - waiting.length));
        const items = [
          ...waiting.map((w) => ({ body: w.body, subjectId: w.subjectId })),
          ...queued.map((q) =>
            q.body !== null
              ? { body: q.body, subjectId: q.subject_id }
              : this.#o.entryOf(typeof q.event === 'string' ? JSON.parse(q.event) : q.event),
          ),
        ];
        if (items.length === 0) return undefined;
        const edge = [...(await this.#edge(trx, log))];
        const h = hasherOf(log);
        const at = this.#o.now();
        const nodes: { log_id: string; level: number; idx: number; hash: Buffer }[] = [];
        const leaves: Buffer[] = [];
        items.forEach((item, i) => {
          const leaf = leafHash(h, Buffer.from(item.body));
          leaves.push(leaf);
          for (const n of appendLeaf(h, edge, log.size + i, leaf))
            nodes.push({ log_id: logId, level: n.level, idx: n.index, hash: Buffer.from(n.hash) });
        });
        const entries = items.map((item, i) => ({
          log_id: logId,
          idx: log.size + i,
          body: item.body,
          subject_id: item.subjectId,
          appended_at: at,
        }));
        await insertEntries(trx, entries);
        await insertNodes(trx, nodes);
        if (queued.length > 0)
          await deleteQueued(
            trx,
            queued.map((q) => q.seq),
          );
        const size = log.size + items.length;
        await setLogHead(trx, logId, size, Buffer.from(edgeRoot(h, edge)));
        return { edge, size, first: log.size, leaves };
      });
    } catch (error) {
      this.#edges.delete(logId); // reload from the database next time
      for (const w of waiting) w.reject(error);
      this.#o.log.error({ err: error, log: logId }, 'ledger batch failed');
      return false;
    }
    if (!committed) return false;
    this.#edges.set(logId, { size: committed.size, edge: committed.edge });
    waiting.forEach((w, i) =>
      w.resolve({
        log: logId,
        index: committed.first + i,
        leafHash: committed.leaves[i]!.toString('base64'),
        treeSize: committed.size,
      }),
    );
    this.#o.afterBatch?.(logId);
    return true;
  }

  /** The right edge of the log as it is in the database (cached while this replica is the only writer). */
  async #edge(trx: LedgerTrx, log: LogRow): Promise<EdgeNode[]> {
    const cached = this.#edges.get(log.id);
    // Same size and same root: the log is as this replica left it (not moved on, not restored).
    if (
      cached &&
      cached.size === log.size &&
      Buffer.compare(Buffer.from(edgeRoot(hasherOf(log), cached.edge)), Buffer.from(log.root)) === 0
    )
      return cached.edge;
    const keys = edgeKeys(log.size);
    const found = await fetchNodes(trx, log.id, keys);
    return keys.map(([level, index]) => {
      const hash = found.get(`${level}/${index}`);
      if (!hash) throw new Error(`log ${log.id} is missing node ${level}/${index}`);
      return { level, index, hash };
    });
  }
}
