// A witness (见证方): another party that co-signs a log's checkpoints, but only after checking that
// the new tree contains the one it signed before — so the log cannot show one history to some
// readers and another to others. Each department running Tongban can be one; this process is one
// with its own key. It trusts the logs registered in its database (their origin and key), keeps
// the last checkpoint it signed per log, and refuses — loudly, as a security event — a checkpoint
// the log signed that rewrites, shrinks or forks the history it saw.
import { DomainError, type AnyTransaction, type Logger } from '@tongban/kernel';
import { parseCheckpoint } from '../domain/checkpoint.ts';
import { hasher, verifyConsistency } from '../domain/merkle.ts';
import { keyId, verifySignature, type Signer } from '../domain/signing.ts';
import { typed, type LedgerDb, type Trx } from '../store/tables.ts';
import type { CosignRequest, WitnessClient } from './checkpointer.ts';

export interface WitnessOptions {
  readonly db: LedgerDb;
  readonly name: string;
  readonly signer: Signer;
  readonly log: Logger;
  readonly now: () => Date;
  /** Publishes a security event in its own transaction (the refusal itself writes nothing). */
  readonly securityEvent: (publish: (trx: AnyTransaction) => Promise<unknown>) => Promise<void>;
  readonly publish: (trx: AnyTransaction, type: string, data: unknown) => Promise<unknown>;
}

export class Witness implements WitnessClient {
  readonly #o: WitnessOptions;

  constructor(options: WitnessOptions) {
    this.#o = options;
  }

  get name(): string {
    return this.#o.name;
  }

  get keyId(): string {
    return keyId(this.#o.name, this.#o.signer.publicKey);
  }

  get publicKey() {
    return this.#o.signer.publicKey;
  }

  async cosign(request: CosignRequest): Promise<{ witness: string; keyId: string; signature: string }> {
    const { db } = this.#o;
    const log = await typed(db).selectFrom('ledger.log').selectAll().where('origin', '=', request.origin).executeTakeFirst();
    if (!log) throw new DomainError('LEDGER_WITNESS_UNKNOWN_LOG', { origin: request.origin });
    const key = { algorithm: log.signature_algorithm, key: log.public_key, ...(log.signer_id ? { signerId: log.signer_id } : {}) };
    const checkpoint = parseCheckpoint(request.checkpoint);
    if (!checkpoint || checkpoint.origin !== request.origin || !verifySignature(key, request.checkpoint, request.signature)) {
      // Anyone can post to a witness: a checkpoint the log did not sign is noise, answered and
      // logged but not raised — so junk cannot bury the alarm that matters, a signed fork.
      this.#o.log.warn({ origin: request.origin }, 'witness refused a checkpoint the log did not sign');
      throw new DomainError('LEDGER_WITNESS_BAD_CHECKPOINT');
    }
    const h = hasher(log.hash_algorithm);
    const proof = request.proof.map((p) => Buffer.from(p, 'base64'));
    let refusal: { reason: string; size: number } | undefined;
    const signed = await db.transaction().execute(async (anyTrx) => {
      const trx = anyTrx as unknown as Trx;
      const state = await typed(trx).selectFrom('ledger.witness_state').selectAll().where('witness', '=', this.#o.name).where('origin', '=', request.origin).forUpdate().executeTakeFirst();
      const seenSize = state?.size ?? 0;
      if (seenSize !== request.oldSize) throw new DomainError('LEDGER_WITNESS_CONFLICT', { size: seenSize }, [], { witnessSize: seenSize });
      if (state) {
        const consistent = checkpoint.size === state.size
          ? Buffer.compare(Buffer.from(checkpoint.root), Buffer.from(state.root)) === 0
          : checkpoint.size > state.size && verifyConsistency(h, state.size, checkpoint.size, state.root, checkpoint.root, proof);
        if (!consistent) {
          refusal = { reason: checkpoint.size < state.size ? 'rollback' : 'fork', size: state.size };
          return undefined;
        }
      }
      await typed(trx).insertInto('ledger.witness_state').values({ witness: this.#o.name, origin: request.origin, size: checkpoint.size, root: Buffer.from(checkpoint.root), updated_at: this.#o.now() })
        .onConflict((oc) => oc.columns(['witness', 'origin'])
          .doUpdateSet({ size: checkpoint.size, root: Buffer.from(checkpoint.root), updated_at: this.#o.now() })
          // Two first requests at once find no row to lock: only the larger may be remembered.
          .where('ledger.witness_state.size', '<=', checkpoint.size))
        .returning('size').executeTakeFirst()
        .then((row) => { if (!row) throw new DomainError('LEDGER_WITNESS_CONFLICT', { size: checkpoint.size }, [], { witnessSize: checkpoint.size }); });
      return this.#o.signer.sign(request.checkpoint);
    });
    if (!signed) {
      await this.#refused(request, refusal!.reason, refusal!.size);
      throw new DomainError('LEDGER_WITNESS_FORK', { size: refusal!.size }, [], { witnessSize: refusal!.size });
    }
    return { witness: this.#o.name, keyId: this.keyId, signature: signed };
  }

  async #refused(request: CosignRequest, reason: string, witnessSize: number | undefined): Promise<void> {
    this.#o.log.warn({ origin: request.origin, reason, witnessSize }, 'witness refused a checkpoint');
    await this.#o.securityEvent((trx) => this.#o.publish(trx, 'ledger.witness.refused', {
      witness: this.#o.name, origin: request.origin, reason, witnessSize: witnessSize ?? null, checkpoint: request.checkpoint,
    }));
  }
}
