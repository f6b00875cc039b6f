// The ledger schema's tables (store/migrations/0001_ledger.sql) as the compiler sees them: the
// one place they are declared. Every query of the module goes through these types, so it can
// name the ledger's tables and columns only — another module's table, an unknown column or a
// value of the wrong type does not compile (apps/server/test/typed-db.test.ts). The kernel's bus
// tables in the schema (outbox, inbox, pending, dead_letter) are the kernel's and are not declared here.
//
// Read as both drivers return them: bigint as number (the kernel's parser), timestamptz as Date,
// bytea as bytes (a Buffer on node-postgres, a plain Uint8Array on PGlite: read it as Uint8Array),
// jsonb parsed (written as JSON text).
import { narrowTo } from '@tongban/kernel';
import type { ColumnType, Generated, Kysely, Selectable, Transaction } from 'kysely';
import type { HashAlgorithm } from '../domain/merkle.ts';
import type { SignatureAlgorithm } from '../domain/signing.ts';

/** bytea: a Buffer or a Uint8Array when read, either when written. */
type Bytes = Uint8Array;

export interface LogTable {
  id: string;
  origin: string;
  hash_algorithm: HashAlgorithm;
  signature_algorithm: SignatureAlgorithm;
  public_key: string;
  signer_id: string | null;
  size: number;
  root: Bytes;
  created_at: Generated<Date>;
}

export type LogRow = Selectable<LogTable>;

export interface EntryRow {
  log_id: string;
  idx: number;
  body: string;
  subject_id: string | null;
  appended_at: Date;
}

export interface NodeRow {
  log_id: string;
  level: number;
  idx: number;
  hash: Bytes;
}

export interface CheckpointRow {
  log_id: string;
  size: number;
  root: Bytes;
  issued_at: Date;
  body: string;
  signature: string;
}

export interface CosignatureRow {
  log_id: string;
  size: number;
  witness: string;
  key_id: string;
  signature: string;
  signed_at: Date;
}

export interface QueueRow {
  seq: Generated<number>;
  log_id: string;
  body: string | null;
  /** The event as JSON text when written (or null with a ready body); parsed when read. */
  event: ColumnType<unknown, string | null | undefined, string | null>;
  subject_id: string | null;
  enqueued_at: Generated<Date>;
}

export interface WitnessTable {
  name: string;
  algorithm: SignatureAlgorithm;
  public_key: string;
  signer_id: string | null;
  url: string | null;
  added_at: Generated<Date>;
}

export interface WitnessStateRow {
  witness: string;
  origin: string;
  size: number;
  root: Bytes;
  updated_at: Generated<Date>;
}

export interface LedgerTables {
  'ledger.log': LogTable;
  'ledger.witness': WitnessTable;
  'ledger.entry': EntryRow;
  'ledger.node': NodeRow;
  'ledger.checkpoint': CheckpointRow;
  'ledger.cosignature': CosignatureRow;
  'ledger.queue': QueueRow;
  'ledger.witness_state': WitnessStateRow;
}

export type LedgerDb = Kysely<LedgerTables>;
export type LedgerTrx = Transaction<LedgerTables>;
/** What a store function runs on: the module's handle or a transaction of it. */
export type Db = LedgerDb | LedgerTrx;

/** What the kernel hands out (ctx.db, a job's or a delivery's trx), read through ledger's own tables. */
export const typed = narrowTo<LedgerTables>();
