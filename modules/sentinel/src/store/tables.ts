// The sentinel schema's tables (store/migrations/0001_sentinel.sql) as the compiler sees them.
import { narrowTo } from '@tongban/kernel';
import type { ColumnType, Generated } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
type Stamp = ColumnType<Date, Date | string, Date | string>;

export interface SignalTable {
  event_id: string;
  event_type: string;
  type: string;
  at: Stamp;
  signal: Json<unknown>;
}

export interface WindowStateTable {
  key: string;
  state: Json<unknown>;
  updated_at: Stamp;
}

export interface AlertTable {
  seq: Generated<number>;
  id: string;
  rule_id: string;
  rules_version: number;
  severity: string;
  subject_kind: string;
  subject_value: string;
  title: Json<{ zh: string; en: string }>;
  evidence: Json<string[]>;
  raised_at: Stamp;
  status: string;
  assignee: string | null;
  resolution: string | null;
  updated_at: Stamp;
}

export interface AlertHistoryTable {
  alert_id: string;
  seq: number;
  action: string;
  status: string;
  by_kind: string;
  by_id: string;
  assignee: string | null;
  reason: string | null;
  resolution: string | null;
  at: Stamp;
}

export interface ResponseTable {
  id: string;
  alert_id: string | null;
  action: string;
  target: Json<{ ip?: string; sessionId?: string; accountId?: string }>;
  applied_at: Stamp;
  until: Stamp | null;
  by_kind: string;
  by_id: string;
  reason: string | null;
  delivery_state: string | null;
  delivery_attempts: Generated<number>;
  delivery_error: string | null;
}

export interface ResponseLiftTable {
  response_id: string;
  at: Stamp;
  by_kind: string;
  by_id: string;
  reason: string;
}

export interface IdentityCallTable {
  id: Generated<number>;
  response_id: string;
  call: 'lock' | 'unlock' | 'revoke';
  body: Json<Record<string, unknown>>;
  state: Generated<string>;
  attempts: Generated<number>;
  last_error: string | null;
  next_at: Stamp;
}

export interface ForwardCursorTable {
  target: string;
  seq: number;
}

export interface SentinelTables {
  'sentinel.signal': SignalTable;
  'sentinel.window_state': WindowStateTable;
  'sentinel.alert': AlertTable;
  'sentinel.alert_history': AlertHistoryTable;
  'sentinel.response': ResponseTable;
  'sentinel.response_lift': ResponseLiftTable;
  'sentinel.forward_cursor': ForwardCursorTable;
  'sentinel.identity_call': IdentityCallTable;
}

export const typed = narrowTo<SentinelTables>();
