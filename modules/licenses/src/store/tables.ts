// The licenses schema's tables (store/migrations/0001_licenses.sql) as the compiler sees them.
// bigint read as number, timestamptz as Date, jsonb parsed (written as JSON text).
import { narrowTo } from '@tongban/kernel';
import type { LicenceStatus, TrustEntry } from '@tongban/contracts';
import type { ColumnType, Generated, Kysely, Selectable, Transaction } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

export interface PendingIssueTable {
  task_id: string;
  event: Json<unknown>;
  received_at: Generated<Date>;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface SerialTable {
  type_code: string;
  issuer_code: string;
  last: number;
}

export interface StatusListTable {
  id: string;
  next_index: Generated<number>;
}

export interface LicenceTable {
  id: string;
  identifier: string;
  type_code: string;
  issuer_code: string;
  serial: number;
  version: number;
  department_code: string;
  holder_id: string;
  holder_name_masked: string | null;
  matter_code: string;
  application_id: string;
  task_id: string;
  /** The answers it carries, sealed JSON (`licenses.licence.fields:<id>`). */
  fields: string;
  status: LicenceStatus;
  valid_from: Date;
  valid_until: Date | null;
  status_list_id: string;
  status_index: number;
  issued_at: Date;
  /** A receipt's order (非税收入票据, migration 0004); null for the licence a matter produces. */
  order_id?: string | null;
}
export type LicenceRow = Selectable<LicenceTable>;

/** A paid order waiting for its receipt (migration 0004). */
export interface PendingReceiptTable {
  order_id: string;
  event: Json<unknown>;
  received_at: Generated<Date>;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface StatusActionTable {
  id: Generated<number>;
  licence_id: string;
  action: string;
  from_status: LicenceStatus | null;
  to_status: LicenceStatus;
  reason: string | null;
  actor_kind: string;
  actor_id: string;
  at: Date;
}

export interface LicenseTables {
  'licenses.pending_issue': PendingIssueTable;
  'licenses.pending_receipt': PendingReceiptTable;
  'licenses.serial': SerialTable;
  'licenses.status_list': StatusListTable;
  'licenses.licence': LicenceTable;
  'licenses.status_action': StatusActionTable;
}

export type LicensesDb = Kysely<LicenseTables> | Transaction<LicenseTables>;
export const typed = narrowTo<LicenseTables>();

// The wallet credential's tables (store/migrations/0002_wallet.sql): secrets kept as SHA-256 hex.
export interface WalletOfferTable {
  code_hash: string;
  licence_id: string;
  holder_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export interface WalletTokenTable {
  token_hash: string;
  licence_id: string;
  credential_configuration_id: string;
  jkt: string;
  expires_at: Date;
}

export interface WalletNonceTable {
  nonce_hash: string;
  expires_at: Date;
  used_at: Date | null;
}

export interface WalletDpopJtiTable {
  jkt: string;
  jti: string;
  expires_at: Date;
}

export interface WalletTables {
  'licenses.wallet_offer': WalletOfferTable;
  'licenses.wallet_token': WalletTokenTable;
  'licenses.wallet_nonce': WalletNonceTable;
  'licenses.wallet_dpop_jti': WalletDpopJtiTable;
}

export type WalletDb = Kysely<LicenseTables & WalletTables> | Transaction<LicenseTables & WalletTables>;
export const typedWallet = narrowTo<LicenseTables & WalletTables>();

// 0003_trust.sql: the cross-region trust list's versions, and the cache of other regions' status lists.
export interface TrustListVersionTable {
  version: number;
  entries: Json<TrustEntry[]>;
  jws: string;
  change: 'added' | 'removed';
  changed: Json<{ region: string; issuer: string }[]>;
  actor_kind: string;
  actor_id: string;
  at: Date;
}
export type TrustListVersionRow = Selectable<TrustListVersionTable>;

export interface StatusListCacheTable {
  url: string;
  jwt: string;
  fetched_at: Date;
  valid_until: Date;
}
export type StatusListCacheRow = Selectable<StatusListCacheTable>;

export interface TrustTables {
  'licenses.trust_list_version': TrustListVersionTable;
  'licenses.status_list_cache': StatusListCacheTable;
}
export type TrustDb = Kysely<TrustTables> | Transaction<TrustTables>;
export const typedTrust = narrowTo<TrustTables>();
