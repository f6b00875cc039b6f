// Row shapes of the ledger's tables (store/migrations/0001_ledger.sql).
import type { AnyKysely, AnyTransaction } from '@tongban/kernel';
import type { Generated, Kysely, Selectable, Transaction } from 'kysely';
import type { HashAlgorithm } from '../domain/merkle.ts';
import type { SignatureAlgorithm } from '../domain/signing.ts';

export interface LogTable {
  id: string;
  origin: string;
  hash_algorithm: HashAlgorithm;
  signature_algorithm: SignatureAlgorithm;
  public_key: string;
  signer_id: string | null;
  size: number;
  root: Buffer;
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
  hash: Buffer;
}

export interface CheckpointRow {
  log_id: string;
  size: number;
  root: Buffer;
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
  event: unknown;
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
  root: Buffer;
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
export type Trx = Transaction<LedgerTables>;
export const typed = (db: AnyKysely | AnyTransaction): LedgerDb => db as unknown as LedgerDb;
