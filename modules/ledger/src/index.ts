// 存证 — the ledger: RFC 9162 Merkle logs of audit and provenance events, signed checkpoints,
// witnesses, proofs, receipts, "my records", and the offline verifier (`tongban ledger verify`).
import { defineModule, type ConsumerTable, type EventHandler } from '@tongban/kernel';
import { EVENT_CATALOG, type EventType } from '@tongban/contracts';
import { logRoutes } from './api/logs.ts';
import { meRoutes } from './api/me.ts';
import { witnessRoutes } from './api/witness.ts';
import { LedgerErrors } from './errors.ts';
import { AUDIT_LOG, Ledger } from './service/ledger.ts';
import { enqueueEvent } from './store/queue.ts';
import { typed } from './store/tables.ts';

/**
 * Every identity, workflow, data hub, licence and sentinel event (the guard's denials aside): the security record, the case record, the
 * record of every use of a person's data and of every licence issued or changed (contracts' catalog).
 */
export const RECORDED_EVENTS: readonly EventType[] = (Object.keys(EVENT_CATALOG) as EventType[]).filter(
  (type) =>
    // The guard's refusals (`<module>.request.denied`) are sentinel's signals, not records: a
    // flood of them must not become a flood of entries (sentinel keeps those it cites).
    !type.endsWith('.request.denied') &&
    (type.startsWith('identity.') ||
      type.startsWith('workflow.') ||
      type.startsWith('datahub.') ||
      type.startsWith('licenses.') ||
      // Alerts, responses and their lifts: every response is reversible, and ledgered.
      type.startsWith('sentinel.')),
);

/**
 * Queued in the consumer's delivery transaction (with the inbox row: exactly once) as the event
 * itself, like the bus's own pending row; the sequencer makes it an entry (service/ledger.ts).
 */
const record: EventHandler = async (event, { trx }) => {
  await enqueueEvent(typed(trx), AUDIT_LOG, event);
};

export default defineModule({
  name: 'ledger',
  title: { zh: '存证', en: 'Ledger' },
  migrations: new URL('./store/migrations/', import.meta.url),
  errors: LedgerErrors,
  secrets: ['ledger-log-key', 'ledger-witness-key', 'ledger-digest-pepper'],
  // The audit log, this process's witness, and the sequencer's and checkpointer's timers.
  async start(ctx) {
    const ledger = new Ledger(ctx);
    await ledger.start();
    return ledger;
  },
  stop: (ledger) => ledger.stop(),
  routes(app, _ctx, ledger) {
    logRoutes(app, ledger);
    witnessRoutes(app, ledger);
    meRoutes(app, ledger);
  },
  consumers: Object.fromEntries(RECORDED_EVENTS.map((type) => [type, record])) as ConsumerTable<Ledger>,
});

// What a client of the ledger needs to check it without trusting the server.
export { canonicalize } from './domain/canonical.ts';
export { checkpointText, parseCheckpoint, type Checkpoint } from './domain/checkpoint.ts';
export { hasher, leafHash, verifyConsistency, verifyInclusion, type HashAlgorithm } from './domain/merkle.ts';
export { verifySignature, type PublicKey } from './domain/signing.ts';
export { databaseSource, httpSource } from './service/source.ts';
export { describeVerdict, verifyLog, type LogSource, type Verdict } from './service/verify.ts';
export type { Ledger } from './service/ledger.ts';
