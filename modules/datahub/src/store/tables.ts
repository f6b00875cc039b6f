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
  /** Sealed JSON of the row's items (ctx.fields, aad 'datahub.record.data'). */
  data: string;
  source: string;
  collected_at: Timestamp;
  stored_at: Generated<Date>;
  tags: TextArray;
  batch_id: string | null;
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

export interface DatahubTables {
  'datahub.resource': ResourceTable;
  'datahub.resource_version': ResourceVersionTable;
  'datahub.record': RecordTable;
  'datahub.access_grant': AccessGrantTable;
  'datahub.consent': ConsentTable;
  'datahub.reveal': RevealTable;
}

export type DatahubDb = Kysely<DatahubTables>;
export type DatahubTrx = Transaction<DatahubTables>;
export type Db = DatahubDb | DatahubTrx;

export const typed = narrowTo<DatahubTables>();
