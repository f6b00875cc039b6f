// Coalescing concurrent calls into one (DataLoader's idea, admitted the way a database groups
// commits): what callers add while earlier batches are being served is answered together by one
// call of `run`. A batch starts on the next turn of the event loop (setImmediate: every request
// whose bytes arrived in this turn joins it); at most `concurrency` batches are in flight, and what
// arrives meanwhile waits for the next one. So batches grow with the load, and a lone call waits one
// turn of the loop, not a timer.
//
// `run` answers the items in order (one result each). If it throws, every item of that batch
// rejects with the error; the next batch is unaffected.

export interface BatcherOptions {
  /** Most items one call of `run` gets; default 256. */
  readonly maxBatch?: number;
  /** Most calls of `run` in flight at once; default 2. */
  readonly concurrency?: number;
}

interface Waiting<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

export class Batcher<I, O> {
  readonly #run: (items: readonly I[]) => Promise<readonly O[]>;
  readonly #maxBatch: number;
  readonly #concurrency: number;
  #queue: Waiting<I, O>[] = [];
  #inFlight = 0;
  #scheduled = false;
  readonly #running = new Set<Promise<void>>();

  constructor(run: (items: readonly I[]) => Promise<readonly O[]>, options: BatcherOptions = {}) {
    this.#run = run;
    this.#maxBatch = options.maxBatch ?? 256;
    this.#concurrency = options.concurrency ?? 2;
  }

  /** Resolves with this item's result once the batch it joined is answered. */
  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves once nothing is queued or in flight (a module's stop awaits it). */
  async idle(): Promise<void> {
    while (this.#running.size > 0 || this.#queue.length > 0) {
      if (this.#running.size > 0) await Promise.allSettled([...this.#running]);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#concurrency || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#start();
    });
  }

  #start(): void {
    while (this.#inFlight < this.#concurrency && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#inFlight++;
      const running = this.#serve(batch).finally(() => {
        this.#inFlight--;
        this.#running.delete(running);
        this.#schedule();
      });
      this.#running.add(running);
    }
  }

  async #serve(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.#run(batch.map((w) => w.item));
      if (results.length !== batch.length)
        throw new Error(`a batch of ${batch.length} was answered with ${results.length} results`);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
