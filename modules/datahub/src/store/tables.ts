// The datahub schema's tables (store/migrations/*.sql) as the compiler sees them: the one place
// they are declared. Every query of the module goes through `typed(...)`. The kernel's bus tables
// in the schema (outbox, inbox, pending, dead_letter) are the kernel's and are not declared here.
//
// Read as both drivers return them: timestamptz as Date, jsonb parsed (written as JSON text),
// text[] as string[].
import { narrowTo } from '@tongban/kernel';
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface ResourceTable {
  code: string;
  latest: number;
  department_code: string;
}

export interface ResourceVersionTable {
  code: string;
  version: number;
  definition: Json<unknown>;
  published_by: string;
  published_at: Generated<Date>;
}

export interface RecordTable {
  resource_code: string;
  record_key: string;
  lookup: TextArray;
  subjects: TextArray;
  /** Sealed JSON of the row's items (ctx.fields, aad `datahub.record.data:<resource>:<record_key>`, service/rows.ts). */
  data: string;
  source: string;
  collected_at: Timestamp;
  stored_at: Generated<Date>;
  tags: TextArray;
  batch_id: string | null;
  /** Keyed digest of the row's cleaned items (0002_imports.sql): an unchanged re-import is not rewritten. */
  data_digest: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AccessGrantTable {
  id: string;
  consumer: string;
  resource_code: string;
  purpose: string;
  items: string[];
  granted_by: string;
  granted_at: Generated<Date>;
  revoked_at: NullableTimestamp;
  revoked_by: string | null;
}

export interface ConsentTable {
  id: string;
  account_id: string;
  purpose: string;
  items: string[];
  given_at: Generated<Date>;
  revoked_at: NullableTimestamp;
}

export interface RevealTable {
  id: string;
  officer_id: string;
  resource_code: string;
  record_key: string;
  item: string;
  reason: string;
  revealed_at: Generated<Date>;
}

export interface ImportRunTable {
  id: string;
  resource_code: string;
  source: string;
  digest: string;
  format: string;
  encoding: string;
  batch_size: number;
  total_rows: number | null;
  committed_rows: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  duplicates: Generated<number>;
  status: 'running' | 'completed';
  started_at: Generated<Date>;
  finished_at: NullableTimestamp;
}

export interface ImportRejectTable {
  run_id: string;
  row_number: number;
  line: number;
  kind: 'rejected' | 'duplicate';
  item: string;
  code: string;
  reason: string;
}

export interface DatahubTables {
  'datahub.resource': ResourceTable;
  'datahub.resource_version': ResourceVersionTable;
  'datahub.record': RecordTable;
  'datahub.access_grant': AccessGrantTable;
  'datahub.consent': ConsentTable;
  'datahub.reveal': RevealTable;
  'datahub.import_run': ImportRunTable;
  'datahub.import_reject': ImportRejectTable;
}

export type DatahubDb = Kysely<DatahubTables>;
export type DatahubTrx = Transaction<DatahubTables>;
export type Db = DatahubDb | DatahubTrx;

export const typed = narrowTo<DatahubTables>();
