// Live updates for every open channel (web, app, kiosk): one poller per process reads new rows of
// the action log — the one place every replica writes to — and hands each to the applicant's open
// streams, so a change made by any replica reaches a browser connected to any other. A commit in
// this process nudges the poller at once; others are seen within one interval.
//
// Sequence numbers are handed out before commit, so a row can appear after a higher one was
// read: the cursor stops at such a gap and rows past it are remembered as delivered, until the
// gap is filled or is older than GAP_MS (a rolled-back transaction never fills it).
import type { AnyKysely, Logger } from '@tongban/kernel';
import { actionLoggedAt, feedAfter, feedBefore, lastActionSeq, type FeedRow } from '../store/actions.ts';
import { typed, type WorkflowDb } from '../store/tables.ts';

export interface LiveEvent {
  readonly seq: number;
  readonly applicationId: string;
  readonly caseNumber: string | null;
  readonly taskId: string | null;
  readonly action: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly at: string;
}

type Listener = (event: LiveEvent) => void;

const GAP_MS = 2_000;
const BATCH = 500;

export class LiveFeed {
  readonly #db: WorkflowDb;
  readonly #log: Logger;
  readonly #intervalMs: number;
  readonly #listeners = new Map<string, Set<Listener>>();
  /** Open streams' ends: closing the feed (the server shutting down) ends them, so shutdown never waits on a browser. */
  readonly #ends = new Set<() => void>();
  #cursor: number | undefined;
  readonly #delivered = new Set<number>();
  #gapSince: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(db: AnyKysely, log: Logger, intervalMs = 250) {
    this.#db = typed(db);
    this.#log = log;
    this.#intervalMs = intervalMs;
  }

  /** Streams `applicantId`'s events to `listener` until the returned function is called; `end` is called if the feed closes first. */
  async subscribe(applicantId: string, listener: Listener, end?: () => void): Promise<() => void> {
    if (this.#cursor === undefined) {
      const max = await lastActionSeq(this.#db);
      this.#cursor ??= max;
    }
    let set = this.#listeners.get(applicantId);
    if (!set) this.#listeners.set(applicantId, (set = new Set()));
    set.add(listener);
    if (end) this.#ends.add(end);
    this.#timer ??= setInterval(() => void this.poll(), this.#intervalMs).unref();
    return () => {
      if (end) this.#ends.delete(end);
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(applicantId);
      if (this.#listeners.size === 0) {
        // Nobody listens: stop, and start afresh from the log's end for the next stream.
        clearInterval(this.#timer);
        this.#timer = undefined;
        this.#cursor = undefined;
        this.#delivered.clear();
        this.#gapSince = undefined;
      }
    };
  }

  /** Events of an applicant after `seq`, a page at a time: what a reconnecting stream missed (SSE Last-Event-ID). */
  async since(applicantId: string, seq: number): Promise<LiveEvent[]> {
    const rows = await feedAfter(this.#db, seq, BATCH, applicantId);
    return rows.map(toEvent);
  }

  /**
   * Events of an applicant numbered below `seq` but logged within GAP_MS of it: a step whose
   * number came before the last one a stream sent, but whose commit came after the stream ended,
   * is not "after" the Last-Event-ID — this finds it. (Sent again if it was seen: clients dedupe by seq.)
   */
  async lateBefore(applicantId: string, seq: number): Promise<LiveEvent[]> {
    const at = await actionLoggedAt(this.#db, seq);
    if (!at) return [];
    const from = new Date(new Date(at).getTime() - GAP_MS);
    const rows = await feedBefore(this.#db, applicantId, seq, from, BATCH);
    return rows.map(toEvent);
  }

  /** A commit here may concern an open stream: look now rather than at the next tick. */
  nudge(): void {
    if (this.#listeners.size > 0) setImmediate(() => void this.poll());
  }

  poll(): Promise<void> {
    if (this.#closed || this.#cursor === undefined) return Promise.resolve();
    this.#running ??= this.#pass()
      .catch((error: unknown) => this.#log.warn({ err: error }, 'live feed poll failed'))
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const end of [...this.#ends]) end();
    await this.#running;
  }

  async #pass(): Promise<void> {
    const rows = await feedAfter(this.#db, this.#cursor!, BATCH);
    for (const row of rows) {
      if (this.#delivered.has(row.seq)) continue;
      this.#delivered.add(row.seq);
      for (const listener of this.#listeners.get(row.applicant_id) ?? []) listener(toEvent(row));
    }
    // Advance over every delivered seq that follows the cursor without a gap.
    while (this.#delivered.has(this.#cursor! + 1)) {
      this.#delivered.delete(++this.#cursor!);
      this.#gapSince = undefined;
    }
    if (this.#delivered.size === 0) {
      this.#gapSince = undefined;
      return;
    }
    this.#gapSince ??= Date.now();
    if (Date.now() - this.#gapSince > GAP_MS) {
      // The missing seq is not coming: skip to the next delivered one and carry on from there.
      this.#cursor = Math.min(...this.#delivered) - 1;
      this.#gapSince = undefined;
      while (this.#delivered.has(this.#cursor + 1)) this.#delivered.delete(++this.#cursor);
    }
  }
}

function toEvent(row: FeedRow): LiveEvent {
  return {
    seq: row.seq,
    applicationId: row.application_id,
    caseNumber: row.case_number,
    taskId: row.task_id,
    action: row.action,
    from: row.from_state,
    to: row.to_state,
    at: new Date(row.at).toISOString(),
  };
}
