// A witness (见证方): another party that co-signs a log's checkpoints, but only after checking that
// the new tree contains the one it signed before — so the log cannot show one history to some
// readers and another to others. Each department running Tongban can be one; this process is one
// with its own key. It trusts the logs registered in its database (their origin and key), keeps
// the last checkpoint it signed per log, and refuses — loudly, as a security event — a checkpoint
// that forks the history it saw: two signed roots for one size, or, when the log itself asks, a
// tree that no longer extends the one it signed.
import { LedgerError } from '../errors.ts';
import { type AnyTransaction, type EventPublisher, type Logger } from '@tongban/kernel';
import { parseCheckpoint } from '../domain/checkpoint.ts';
import { emptyRoot, hasher, verifyConsistency } from '../domain/merkle.ts';
import { keyId, verifySignature, type Signer } from '../domain/signing.ts';
import { findLogByOrigin } from '../store/logs.ts';
import type { LedgerDb } from '../store/tables.ts';
import { advanceWitnessState, ensureWitnessState, lockWitnessState } from '../store/witnesses.ts';
import type { CosignRequest, WitnessClient } from './checkpointer.ts';

export interface WitnessOptions {
  readonly db: LedgerDb;
  readonly name: string;
  readonly signer: Signer;
  readonly log: Logger;
  readonly now: () => Date;
  /** Publishes a security event in its own transaction (the refusal itself writes nothing). */
  readonly securityEvent: (publish: (trx: AnyTransaction) => Promise<unknown>) => Promise<void>;
  readonly publish: EventPublisher['publish'];
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

  /**
   * `from`: who asks. Anyone may post to the public endpoint, so there a proof that fails is no
   * evidence (a real checkpoint with a junk proof). Asked by the log itself — this process's
   * checkpointer, with a proof from the stored tree — a proof that fails means the tree no longer
   * extends what was witnessed: someone rewrote it, and that is raised.
   */
  async cosign(
    request: CosignRequest,
    from: 'log' | 'anyone' = 'anyone',
  ): Promise<{ witness: string; keyId: string; signature: string }> {
    const { db } = this.#o;
    const log = await findLogByOrigin(db, request.origin);
    if (!log) throw new LedgerError('LEDGER_WITNESS_UNKNOWN_LOG', { origin: request.origin });
    const key = {
      algorithm: log.signature_algorithm,
      key: log.public_key,
      ...(log.signer_id ? { signerId: log.signer_id } : {}),
    };
    const checkpoint = parseCheckpoint(request.checkpoint);
    if (
      !checkpoint ||
      checkpoint.origin !== request.origin ||
      !verifySignature(key, request.checkpoint, request.signature)
    ) {
      // Anyone can post to a witness: a checkpoint the log did not sign is noise, answered and
      // logged but not raised — so junk cannot bury the alarm that matters, a signed fork.
      this.#o.log.warn({ origin: request.origin }, 'witness refused a checkpoint the log did not sign');
      throw new LedgerError('LEDGER_WITNESS_BAD_CHECKPOINT');
    }
    const h = hasher(log.hash_algorithm);
    const proof = request.proof.map((p) => Buffer.from(p, 'base64'));
    let fork: { size: number } | undefined;
    const signed = await db.transaction().execute(async (t) => {
      // A row to lock even on first contact (the empty tree, which every tree extends): two first
      // requests at once queue on it rather than both passing with nothing to check against.
      await ensureWitnessState(t, {
        witness: this.#o.name,
        origin: request.origin,
        size: 0,
        root: emptyRoot(h),
        updated_at: this.#o.now(),
      });
      const state = await lockWitnessState(t, this.#o.name, request.origin);
      const seen = { size: Number(state.size), root: Buffer.from(state.root) };
      // Asked from another size, or shown an older checkpoint (a replica behind, a replay): not
      // evidence of anything — the answer names the size the witness stands at.
      if (seen.size !== request.oldSize || checkpoint.size < seen.size)
        throw new LedgerError('LEDGER_WITNESS_CONFLICT', { size: seen.size }, [], { witnessSize: seen.size });
      if (checkpoint.size === seen.size) {
        // The log signed two roots for one size: that is the fork, proven by the log's own signatures.
        if (Buffer.compare(Buffer.from(checkpoint.root), seen.root) !== 0) {
          fork = { size: seen.size };
          return undefined;
        }
      } else if (
        seen.size > 0 &&
        !verifyConsistency(h, seen.size, checkpoint.size, seen.root, checkpoint.root, proof)
      ) {
        if (from === 'log') {
          fork = { size: seen.size };
          return undefined;
        }
        // Anyone can send a real checkpoint with a junk proof: refused, not raised.
        this.#o.log.warn(
          { origin: request.origin, size: checkpoint.size, witnessSize: seen.size },
          'witness refused a checkpoint whose consistency proof does not verify',
        );
        throw new LedgerError('LEDGER_WITNESS_BAD_PROOF', { size: seen.size }, [], { witnessSize: seen.size });
      }
      await advanceWitnessState(t, this.#o.name, request.origin, {
        size: checkpoint.size,
        root: Buffer.from(checkpoint.root),
        updated_at: this.#o.now(),
      });
      return this.#o.signer.sign(request.checkpoint);
    });
    if (!signed) {
      await this.#refused(request, 'fork', fork!.size);
      throw new LedgerError('LEDGER_WITNESS_FORK', { size: fork!.size }, [], { witnessSize: fork!.size });
    }
    return { witness: this.#o.name, keyId: this.keyId, signature: signed };
  }

  async #refused(request: CosignRequest, reason: string, witnessSize: number | undefined): Promise<void> {
    this.#o.log.warn({ origin: request.origin, reason, witnessSize }, 'witness refused a checkpoint');
    await this.#o.securityEvent((trx) =>
      this.#o.publish(trx, 'ledger.witness.refused', {
        witness: this.#o.name,
        origin: request.origin,
        reason,
        witnessSize: witnessSize ?? null,
        checkpoint: request.checkpoint,
      }),
    );
  }
}
