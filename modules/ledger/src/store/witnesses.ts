// The witnesses the logs here ask (name and key), and what this process's witness last signed of
// each log (witness_state: its size and root, locked while a request is checked against it).
import type { Insertable, Selectable } from 'kysely';
import type { Db, LedgerTrx, WitnessStateRow, WitnessTable } from './tables.ts';

/** The witnesses the logs here ask, by name. */
export async function listWitnesses(db: Db) {
  return db.selectFrom('ledger.witness').selectAll().orderBy('name').execute();
}

/** Every witness, in no particular order (the offline verifier). */
export async function allWitnesses(db: Db) {
  return db.selectFrom('ledger.witness').selectAll().execute();
}

/** Registers a witness; one with its name stays as it is. */
export async function registerWitness(db: Db, row: Insertable<WitnessTable>): Promise<void> {
  await db
    .insertInto('ledger.witness')
    .values(row)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** The key the witness is recorded with (it must be registered). */
export async function recordedWitnessKey(db: Db, name: string): Promise<string> {
  const row = await db
    .selectFrom('ledger.witness')
    .select(['public_key'])
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.public_key;
}

/** The witness's state for a log as given (the empty tree), unless it has one. */
export async function ensureWitnessState(trx: LedgerTrx, row: Insertable<WitnessStateRow>): Promise<void> {
  await trx
    .insertInto('ledger.witness_state')
    .values(row)
    .onConflict((oc) => oc.columns(['witness', 'origin']).doNothing())
    .execute();
}

/** The witness's state for a log, locked until the transaction ends (it must exist). */
export async function lockWitnessState(
  trx: LedgerTrx,
  witness: string,
  origin: string,
): Promise<Selectable<WitnessStateRow>> {
  return trx
    .selectFrom('ledger.witness_state')
    .selectAll()
    .where('witness', '=', witness)
    .where('origin', '=', origin)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** What the witness now stands at for the log: the checkpoint it is about to co-sign. */
export async function advanceWitnessState(
  trx: LedgerTrx,
  witness: string,
  origin: string,
  to: { size: number; root: Uint8Array; updated_at: Date },
): Promise<void> {
  await trx
    .updateTable('ledger.witness_state')
    .set(to)
    .where('witness', '=', witness)
    .where('origin', '=', origin)
    .execute();
}
