// The ledger of one platform: its logs, their sequencer and checkpointer, this process's witness,
// and the reads the API offers (proofs, entries, receipts). Built once per module context.
import { LedgerError } from '../errors.ts';
import type { DomainError } from '@tongban/kernel';
import { type ModuleContext } from '@tongban/kernel';
import { entryBody, entryFromEvent, pseudonym, subjectOf } from '../domain/entry.ts';
import { consistencyProof, emptyRoot, hasher, inclusionProof, type HashAlgorithm } from '../domain/merkle.ts';
import { signedNote } from '../domain/note.ts';
import { signerFromSeed, type PublicKey, type SignatureAlgorithm, type Signer } from '../domain/signing.ts';
import { cosignaturesOf, latestCheckpoint } from '../store/checkpoints.ts';
import { allLogs, findLog, insertLog, logIds } from '../store/logs.ts';
import { typed, type CheckpointRow, type LogRow } from '../store/tables.ts';
import { hasherOf, overNodes } from '../store/tree.ts';
import { recordedWitnessKey, registerWitness } from '../store/witnesses.ts';
import { Checkpointer } from './checkpointer.ts';
import { Sequencer } from './sequencer.ts';
import { Witness } from './witness.ts';

export const AUDIT_LOG = 'audit';
const b64 = (x: Uint8Array) => Buffer.from(x).toString('base64');

export interface NewLog {
  readonly id: string;
  readonly hashAlgorithm: HashAlgorithm;
  readonly signatureAlgorithm: SignatureAlgorithm;
}

export class Ledger {
  readonly ctx: ModuleContext;
  readonly sequencer: Sequencer;
  readonly checkpointer: Checkpointer;
  readonly witness: Witness;
  /** The key of a witness that co-signs here, by name (this process's own, for now). */
  readonly witnessKey = (name: string): PublicKey | undefined =>
    name === this.witness.name ? this.witness.publicKey : undefined;
  readonly #seed: string;
  readonly #pepper: string;
  readonly #signers = new Map<string, Signer>();
  readonly #timers: NodeJS.Timeout[] = [];

  constructor(ctx: ModuleContext) {
    this.ctx = ctx;
    const db = typed(ctx.db);
    const now = () => ctx.clock.now();
    this.#seed = ctx.secret('ledger-log-key');
    const witnessAlgorithm: SignatureAlgorithm = ctx.config.ledger.crypto === 'gm' ? 'sm2' : 'ed25519';
    this.witness = new Witness({
      db,
      now,
      log: ctx.log,
      name: `witness.${this.host()}`,
      signer: signerFromSeed(witnessAlgorithm, ctx.secret('ledger-witness-key'), 'witness'),
      securityEvent: async (write) => {
        await ctx.db.transaction().execute(write);
      },
      publish: (trx, type, data) => ctx.events.publish(trx, type, data),
    });
    this.checkpointer = new Checkpointer({
      db,
      now,
      log: ctx.log,
      intervalMs: ctx.config.ledger.checkpointIntervalMs,
      // This process's witness. Witnesses of other parties speak the same protocol (POST
      // /witness/cosign); registering them and the logs they watch is the next increment.
      // Asked by the log itself: a proof from the stored tree that fails is raised (see Witness.cosign).
      signerFor: (log) => this.signerFor(log),
      witnesses: () => [{ name: this.witness.name, cosign: (request) => this.witness.cosign(request, 'log') }],
    });
    const pepper = (this.#pepper = ctx.secret('ledger-digest-pepper'));
    this.sequencer = new Sequencer({
      db,
      now,
      log: ctx.log,
      batchSize: ctx.config.ledger.batchSize,
      entryOf: (event) => {
        const envelope = event as Parameters<typeof entryFromEvent>[0];
        return { body: entryBody(entryFromEvent(envelope, pepper)), subjectId: subjectOf(envelope) };
      },
      afterBatch: (logId) =>
        void this.checkpointer
          .checkpointIfDue(logId)
          .catch((error: unknown) => ctx.log.error({ err: error }, 'checkpoint failed')),
    });
  }

  host(): string {
    return this.ctx.config.publicUrl ? new URL(this.ctx.config.publicUrl).host : 'tongban.localhost';
  }

  signerFor(log: Pick<LogRow, 'id' | 'signature_algorithm' | 'signer_id'>): Signer {
    let s = this.#signers.get(log.id);
    if (!s)
      this.#signers.set(
        log.id,
        (s = signerFromSeed(log.signature_algorithm, this.#seed, `log:${log.id}`, log.signer_id ?? undefined)),
      );
    return s;
  }

  /** What public entries call this account (see `pseudonym`). */
  pseudonymOf(accountId: string): string {
    return pseudonym(accountId, this.#pepper);
  }

  /** Creates the platform's audit log (in the configured crypto suite) and registers this process's witness. */
  async start(): Promise<void> {
    const gm = this.ctx.config.ledger.crypto === 'gm';
    if (!(await findLog(typed(this.ctx.db), AUDIT_LOG))) {
      await this.createLog({
        id: AUDIT_LOG,
        hashAlgorithm: gm ? 'sm3' : 'sha256',
        signatureAlgorithm: gm ? 'sm2' : 'ed25519',
      }).catch((error: unknown) => {
        if ((error as DomainError).code !== 'LEDGER_LOG_EXISTS') throw error; // another replica made it
      });
    }
    const own = this.witness.publicKey;
    await registerWitness(typed(this.ctx.db), {
      name: this.witness.name,
      algorithm: own.algorithm,
      public_key: own.key,
      signer_id: own.signerId ?? null,
      url: null,
    });
    await this.#refuseOtherKeys();
    // The queue is fed by other modules' events in their transactions: look at it often.
    this.#timers.push(setInterval(() => void this.sequencer.kick().catch(() => undefined), 100).unref());
    // At least one checkpoint per interval while entries arrive.
    this.#timers.push(
      setInterval(
        () =>
          void this.checkpointAll().catch((error: unknown) =>
            this.ctx.log.error({ err: error }, 'checkpointing failed'),
          ),
        this.ctx.config.ledger.checkpointIntervalMs,
      ).unref(),
    );
  }

  /**
   * A log is bound to the key it was created with, and a witness to its key: started with other
   * keys (a lost data directory, a wrong secret), every checkpoint or co-signature from now on
   * would fail verification — so the platform does not start, and says why.
   */
  async #refuseOtherKeys(): Promise<void> {
    const db = typed(this.ctx.db);
    if ((await recordedWitnessKey(db, this.witness.name)) !== this.witness.publicKey.key) {
      throw new Error(
        `ledger: witness ${this.witness.name} is recorded with another key than TONGBAN_SECRET_LEDGER_WITNESS_KEY gives (or TONGBAN_LEDGER_CRYPTO changed); restore them — rotating a witness key is not supported yet`,
      );
    }
    for (const log of await allLogs(db)) {
      if (this.signerFor(log).publicKey.key !== log.public_key) {
        throw new Error(
          `ledger: log ${log.id} was created with another key than TONGBAN_SECRET_LEDGER_LOG_KEY gives (or TONGBAN_LEDGER_CRYPTO changed); restore them — a log's key is part of what it is`,
        );
      }
    }
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    await this.sequencer.kick().catch(() => undefined);
    // The last batch may have started a checkpoint (afterBatch does not wait for it).
    await this.checkpointer.idle();
  }

  async checkpointAll(force = false): Promise<void> {
    for (const id of await logIds(typed(this.ctx.db))) await this.checkpointer.checkpointIfDue(id, force);
  }

  async createLog(input: NewLog): Promise<LogRow> {
    const signer = signerFromSeed(input.signatureAlgorithm, this.#seed, `log:${input.id}`);
    const row = {
      id: input.id,
      origin: `${this.host()}/ledger/${input.id}`,
      hash_algorithm: input.hashAlgorithm,
      signature_algorithm: input.signatureAlgorithm,
      public_key: signer.publicKey.key,
      signer_id: signer.publicKey.signerId ?? null,
      size: 0,
      root: Buffer.from(emptyRoot(hasher(input.hashAlgorithm))),
    };
    const created = await insertLog(typed(this.ctx.db), row);
    if (!created) throw new LedgerError('LEDGER_LOG_EXISTS', { log: input.id });
    return created;
  }

  async getLog(id: string): Promise<LogRow> {
    const log = await findLog(typed(this.ctx.db), id);
    if (!log) throw new LedgerError('LEDGER_LOG_NOT_FOUND', { log: id });
    return log;
  }

  async checkpointView(log: LogRow, row: CheckpointRow) {
    const cos = await cosignaturesOf(typed(this.ctx.db), log.id, [row.size]);
    return checkpointJson(log, row, cos, this.witnessKey);
  }

  async latest(log: LogRow) {
    const row = await latestCheckpoint(typed(this.ctx.db), log.id);
    if (!row) throw new LedgerError('LEDGER_NO_CHECKPOINT', { log: log.id });
    return { row, view: await this.checkpointView(log, row) };
  }

  /** An inclusion proof of `index` in the tree of `size` (default: the latest checkpoint's). */
  async inclusion(log: LogRow, index: number, size?: number, checkpoint?: Awaited<ReturnType<Ledger['latest']>>) {
    const latest = checkpoint ?? (size === undefined ? await this.latest(log) : undefined);
    const treeSize = size ?? Number(latest!.row.size);
    // The log may have grown since it was read (a checkpoint newer than that read is no error).
    if (treeSize > log.size) log = await this.getLog(log.id);
    if (treeSize > log.size)
      throw new LedgerError('LEDGER_BEYOND_TREE', { size: log.size }, [
        { field: 'query.size', code: 'beyond_tree', message: `the tree has ${log.size} entries` },
      ]);
    if (index >= treeSize) {
      throw new LedgerError('LEDGER_BEYOND_TREE', { size: treeSize }, [
        { field: 'query.index', code: 'beyond_tree', message: `index ${index} is not in a tree of ${treeSize}` },
      ]);
    }
    const h = hasherOf(log);
    const [proof, leaf] = await overNodes(
      typed(this.ctx.db),
      log,
      (node) => [inclusionProof(h, index, treeSize, node), node(0, index)] as const,
    );
    return {
      log: log.id,
      index,
      treeSize,
      leafHash: b64(leaf),
      proof: proof.map(b64),
      ...(latest ? { checkpoint: latest.view } : {}),
    };
  }

  async consistency(log: LogRow, first: number, second: number) {
    if (second > log.size)
      throw new LedgerError('LEDGER_BEYOND_TREE', { size: log.size }, [
        { field: 'query.second', code: 'beyond_tree', message: `the tree has ${log.size} entries` },
      ]);
    if (first < 1 || first > second)
      throw new LedgerError('LEDGER_RANGE_INVALID', { reason: 'need 1 ≤ first ≤ second' }, [
        { field: 'query.first', code: 'invalid_range', message: 'need 1 ≤ first ≤ second' },
      ]);
    const proof = await overNodes(typed(this.ctx.db), log, (node) =>
      consistencyProof(hasherOf(log), first, second, node),
    );
    return { log: log.id, first, second, proof: proof.map((p) => b64(p)) };
  }
}

/**
 * A checkpoint as the API shows it: the text, the log's signature, the co-signatures, and all of
 * it as a C2SP signed note (witnesses whose key `witnessKey` does not know have no line there).
 */
export function checkpointJson(
  log: Pick<LogRow, 'id' | 'origin' | 'signature_algorithm' | 'public_key' | 'signer_id'>,
  row: CheckpointRow,
  cos: readonly { witness: string; key_id: string; signature: string }[],
  witnessKey: (name: string) => PublicKey | undefined,
) {
  const cosignatures = cos
    .filter((c) => c !== undefined)
    .map((c) => ({ witness: c.witness, keyId: c.key_id, signature: c.signature }));
  const logKey: PublicKey = {
    algorithm: log.signature_algorithm,
    key: log.public_key,
    ...(log.signer_id ? { signerId: log.signer_id } : {}),
  };
  const witnessLines = cosignatures.flatMap((c) => {
    const key = witnessKey(c.witness);
    return key ? [{ name: c.witness, key, signature: c.signature }] : [];
  });
  return {
    log: log.id,
    size: Number(row.size),
    root: b64(row.root),
    issuedAt: new Date(row.issued_at).toISOString(),
    body: row.body,
    signature: row.signature,
    cosignatures,
    note: signedNote(row.body, { name: log.origin, key: logKey, signature: row.signature }, witnessLines),
  };
}
