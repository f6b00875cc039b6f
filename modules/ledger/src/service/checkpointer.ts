// Checkpoints (signed tree heads): at least one per interval (a second by default) while entries
// arrive, signed by the log's key; then every witness is asked to co-sign, with the consistency
// proof from the last checkpoint it signed. A witness that refuses leaves the checkpoint as it is
// (signed by the log alone) and the refusal in the log; the next checkpoint asks again.
import type { Logger } from '@tongban/kernel';
import { checkpointText } from '../domain/checkpoint.ts';
import { consistencyProof } from '../domain/merkle.ts';
import type { Signer } from '../domain/signing.ts';
import { insertCheckpoint, insertCosignature, lastCosignedSize, latestCheckpoint } from '../store/checkpoints.ts';
import { findLog } from '../store/logs.ts';
import type { CheckpointRow, LedgerDb, LogRow } from '../store/tables.ts';
import { hasherOf, overNodes } from '../store/tree.ts';

/** A witness as the log sees it: a name and a way to ask it (in-process or over HTTP). */
export interface WitnessClient {
  readonly name: string;
  cosign(request: CosignRequest): Promise<{ witness: string; keyId: string; signature: string }>;
}

export interface CosignRequest {
  readonly origin: string;
  /** The size of the last checkpoint of this log the witness co-signed, 0 if none. */
  readonly oldSize: number;
  readonly checkpoint: string;
  readonly signature: string;
  /** base64 hashes: consistency from oldSize to the new size. */
  readonly proof: readonly string[];
}

export interface CheckpointerOptions {
  readonly db: LedgerDb;
  readonly log: Logger;
  readonly intervalMs: number;
  readonly now: () => Date;
  readonly signerFor: (log: LogRow) => Signer;
  readonly witnesses: () => readonly WitnessClient[];
}

export class Checkpointer {
  readonly #o: CheckpointerOptions;
  readonly #running = new Map<string, Promise<CheckpointRow | undefined>>();

  constructor(options: CheckpointerOptions) {
    this.#o = options;
  }

  /** Issues a checkpoint when the log grew and the last one is older than the interval (or `force`). */
  async checkpointIfDue(logId: string, force = false): Promise<CheckpointRow | undefined> {
    // One run per log at a time; a forced one waits for the run in progress and then runs itself.
    for (let running = this.#running.get(logId); running; running = this.#running.get(logId)) {
      const result = await running.catch(() => undefined);
      if (!force) return result;
    }
    const run = this.#issue(logId, force).finally(() => this.#running.delete(logId));
    this.#running.set(logId, run);
    return run;
  }

  /** Resolves when no checkpoint is being issued: a stopping ledger waits for these before the database closes. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  async #issue(logId: string, force: boolean): Promise<CheckpointRow | undefined> {
    const { db } = this.#o;
    const log = await findLog(db, logId);
    if (!log || log.size === 0) return undefined;
    const last = await latestCheckpoint(db, logId);
    const now = this.#o.now();
    if (
      last &&
      (last.size >= log.size || (!force && now.getTime() - new Date(last.issued_at).getTime() < this.#o.intervalMs))
    )
      return undefined;
    const body = checkpointText({ origin: log.origin, size: log.size, root: log.root, time: now.toISOString() });
    const row = {
      log_id: logId,
      size: log.size,
      root: Buffer.from(log.root),
      issued_at: now,
      body,
      signature: this.#o.signerFor(log).sign(body),
    };
    const inserted = await insertCheckpoint(db, row);
    if (!inserted) return undefined; // another replica signed this size
    await this.#cosign(log, inserted);
    return inserted;
  }

  async #cosign(log: LogRow, checkpoint: CheckpointRow): Promise<void> {
    const { db } = this.#o;
    for (const witness of this.#o.witnesses()) {
      try {
        const previous = await lastCosignedSize(db, log.id, witness.name);
        const ask = async (oldSize: number) => {
          const proof =
            oldSize > 0 && oldSize < checkpoint.size
              ? await overNodes(db, log, (node) => consistencyProof(hasherOf(log), oldSize, checkpoint.size, node))
              : [];
          return witness.cosign({
            origin: log.origin,
            oldSize,
            checkpoint: checkpoint.body,
            signature: checkpoint.signature,
            proof: proof.map((p) => Buffer.from(p).toString('base64')),
          });
        };
        // The witness may have signed a later checkpoint than we recorded (a lost answer): it says
        // which, and we prove consistency from there instead.
        const signed = await ask(Number(previous ?? 0)).catch((error: unknown) => {
          const seen = witnessSizeOf(error);
          if (seen === undefined || seen > checkpoint.size) throw error;
          return ask(seen);
        });
        await insertCosignature(db, {
          log_id: log.id,
          size: checkpoint.size,
          witness: signed.witness,
          key_id: signed.keyId,
          signature: signed.signature,
          signed_at: this.#o.now(),
        });
      } catch (error) {
        this.#o.log.warn(
          { err: error, witness: witness.name, size: checkpoint.size },
          'a witness did not co-sign the checkpoint',
        );
      }
    }
  }
}

/** The size a witness says it last co-signed, from its 409 LEDGER_WITNESS_CONFLICT. */
function witnessSizeOf(error: unknown): number | undefined {
  const e = error as { code?: string; extensions?: { witnessSize?: unknown }; witnessSize?: unknown };
  if (e.code !== 'LEDGER_WITNESS_CONFLICT') return undefined;
  const size = e.extensions?.witnessSize ?? e.witnessSize;
  return typeof size === 'number' ? size : undefined;
}
