// The queue of entries to sequence: other modules' events, written in their own transactions (a
// consumer's delivery), until the sequencer makes them entries and deletes them in its batch.
import type { Db, LedgerTrx } from './tables.ts';

/** Queues an event as itself (JSON text): the sequencer makes it an entry. */
export async function enqueueEvent(trx: LedgerTrx, logId: string, event: unknown): Promise<void> {
  await trx
    .insertInto('ledger.queue')
    .values({ log_id: logId, body: null, event: JSON.stringify(event) })
    .execute();
}

/** The logs that have something queued. */
export async function queuedLogIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('ledger.queue').select('log_id').distinct().execute()).map((r) => r.log_id);
}

/**
 * The log's oldest queued rows, at most `limit`, locked; rows another replica's batch holds are
 * skipped, not waited for.
 */
export async function takeQueued(trx: LedgerTrx, logId: string, limit: number) {
  return trx
    .selectFrom('ledger.queue')
    .select(['seq', 'body', 'event', 'subject_id'])
    .where('log_id', '=', logId)
    .orderBy('seq')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function deleteQueued(trx: LedgerTrx, seqs: readonly number[]): Promise<void> {
  await trx.deleteFrom('ledger.queue').where('seq', 'in', seqs).execute();
}
