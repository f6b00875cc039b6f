// The portal schema's tables (store/migrations/0001_portal.sql) as the compiler sees them. Token
// columns hold sealed values (ctx.fields), never tokens in clear.
import { narrowTo } from '@tongban/kernel';
import type { ColumnType, Generated, Kysely, Selectable, Transaction } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface LoginTable {
  id_hash: string;
  state: string;
  code_verifier: string;
  return_to: string;
  created_at: Generated<Date>;
}

export interface SessionTable {
  id_hash: string;
  account_id: string;
  access_token: string;
  refresh_token: string | null;
  id_token: string | null;
  access_expires_at: Timestamp;
  csrf: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export type SessionRow = Selectable<SessionTable>;
export type LoginRow = Selectable<LoginTable>;

export interface PortalTables {
  'portal.login': LoginTable;
  'portal.session': SessionTable;
}

export type Db = Kysely<PortalTables> | Transaction<PortalTables>;
export const typed = narrowTo<PortalTables>();
