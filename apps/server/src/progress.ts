// A progress bar for long commands (import, seed): on a terminal one line redrawn in place, in a
// log or a pipe a plain line every few seconds — rows done, rows/s, and the time left.
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressOptions {
  readonly label: string;
  readonly total: number | undefined;
  /** Rows already done before this run (a resumed import): counted in the bar, not in the rate. */
  readonly startAt?: number;
  readonly out?: ProgressOutput;
  /** Lines at most this often when not on a terminal. Default 5 s. */
  readonly lineEveryMs?: number;
  readonly now?: () => number;
}

const WIDTH = 24;
const n = (v: number) => v.toLocaleString('en-US');

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (x: number) => String(x).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export class Progress {
  readonly #options: ProgressOptions;
  readonly #out: ProgressOutput;
  readonly #now: () => number;
  readonly #started: number;
  #startAt: number;
  #done = 0;
  #lastLine = -Infinity;
  #lastPrinted = -1;
  #drawn = false;

  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#out = options.out ?? process.stderr;
    this.#now = options.now ?? (() => performance.now());
    this.#started = this.#now();
    this.#startAt = options.startAt ?? 0;
    this.#done = this.#startAt;
  }

  /** A resumed run learns where it starts from its first batch. */
  resumedFrom(rows: number): void {
    if (this.#done === this.#startAt) this.#startAt = rows;
  }

  /** The line as it reads now. */
  line(): string {
    const elapsed = (this.#now() - this.#started) / 1000;
    const rate = elapsed > 0 ? (this.#done - this.#startAt) / elapsed : 0;
    const total = this.#options.total;
    const parts = [this.#options.label];
    if (total !== undefined && total > 0) {
      const share = Math.min(1, this.#done / total);
      const full = Math.round(share * WIDTH);
      parts.push(`[${'█'.repeat(full)}${'░'.repeat(WIDTH - full)}]`, `${Math.floor(share * 100)}%`.padStart(4));
      parts.push(`${n(this.#done)}/${n(total)} rows`);
    } else parts.push(`${n(this.#done)} rows`);
    parts.push(`${n(Math.round(rate))} rows/s`);
    if (total !== undefined) parts.push(`ETA ${formatDuration(rate > 0 ? (total - this.#done) / rate : Infinity)}`);
    parts.push(`elapsed ${formatDuration(elapsed)}`);
    return parts.join('  ');
  }

  update(done: number): void {
    this.#done = done;
    if (this.#out.isTTY) {
      this.#out.write(`\r${this.line()}\x1b[K`);
      this.#drawn = true;
      return;
    }
    const now = this.#now();
    if (now - this.#lastLine >= (this.#options.lineEveryMs ?? 5000)) {
      this.#lastLine = now;
      this.#lastPrinted = done;
      this.#out.write(`${this.line()}\n`);
    }
  }

  /** The last state, on its own line. */
  finish(done: number = this.#done): void {
    this.#done = done;
    if (this.#out.isTTY) this.#out.write(`\r${this.line()}\x1b[K\n`);
    else if (this.#lastPrinted !== done) this.#out.write(`${this.line()}\n`);
    this.#drawn = false;
  }

  get drawn(): boolean {
    return this.#drawn;
  }
}
