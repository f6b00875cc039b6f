// The payments schema's tables (store/migrations/0001_payments.sql) as the compiler sees them:
// int8 read as number, timestamptz as Date, jsonb parsed (written as JSON text).
import { narrowTo } from '@tongban/kernel';
import type { AssessedFeeView, PaymentOrderStatus } from '@tongban/contracts';
import type { ColumnType, Generated, Kysely, Selectable, Transaction } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
type Text = { zh: string; en: string };

export interface PendingAssessmentTable {
  task_id: string;
  event: Json<unknown>;
  received_at: Generated<Date>;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface OrderTable {
  id: string;
  task_id: string;
  application_id: string;
  case_number: string;
  matter_code: string;
  matter_version: number;
  matter_name: Json<Text>;
  department_code: string;
  payer_id: string;
  payer_kind: string;
  /** 交款人 as the receipt shows it (张*); null when the workflow named nobody. */
  payer_name_masked: string | null;
  amount_fen: number;
  refunded_fen: Generated<number>;
  items: Json<AssessedFeeView[]>;
  status: PaymentOrderStatus;
  channel: string | null;
  channel_trade_no: string | null;
  paid_via: 'notify' | 'query' | 'exempt' | null;
  paid_at: Date | null;
  created_at: Date;
  expires_at: Date;
  receipt_licence_id: string | null;
  receipt_identifier: string | null;
}
export type OrderRow = Selectable<OrderTable>;

export interface PaymentTable {
  order_id: string;
  channel: string;
  channel_trade_no: string;
  amount_fen: number;
  via: 'notify' | 'query';
  paid_at: Date;
  recorded_at: Date;
}

export interface CheckoutTable {
  token: string;
  order_id: string;
  payer_id: string;
  channel: string;
  session_id: string;
  next_url: string;
  idempotency_key: string | null;
  created_at: Date;
  expires_at: Date;
}
export type CheckoutRow = Selectable<CheckoutTable>;

export interface RefundTable {
  id: string;
  order_id: string;
  amount_fen: number;
  reason: string;
  idempotency_key: string;
  status: 'pending' | 'succeeded' | 'failed';
  requested_by: string;
  created_at: Date;
  succeeded_at: Date | null;
  last_error: string | null;
}
export type RefundRow = Selectable<RefundTable>;

export interface CallbackLogTable {
  id: Generated<number>;
  channel: string;
  notify_id: string | null;
  order_id: string | null;
  outcome: 'accepted' | 'duplicate' | 'refused';
  reason: string | null;
  ip: string;
  body_sha256: string;
  received_at: Date;
}

export interface ReconciliationTable {
  id: string;
  channel: string;
  day: string;
  matched: number;
  discrepancies: number;
  statement_lines: number;
  completed_at: Date;
  requested_by: string;
}
export type ReconciliationRow = Selectable<ReconciliationTable>;

export interface DiscrepancyTable {
  id: Generated<number>;
  reconciliation_id: string;
  kind: 'missing_ours' | 'missing_channel' | 'amount_differs';
  type: 'pay' | 'refund';
  entry_key: string;
  order_id: string | null;
  channel_trade_no: string | null;
  ours_fen: number | null;
  channel_fen: number | null;
  resolution: string;
}
export type DiscrepancyRow = Selectable<DiscrepancyTable>;

export interface PaymentsTables {
  'payments.pending_assessment': PendingAssessmentTable;
  'payments.payment_order': OrderTable;
  'payments.payment': PaymentTable;
  'payments.checkout': CheckoutTable;
  'payments.refund': RefundTable;
  'payments.callback_log': CallbackLogTable;
  'payments.reconciliation': ReconciliationTable;
  'payments.discrepancy': DiscrepancyTable;
}

export type PaymentsDb = Kysely<PaymentsTables> | Transaction<PaymentsTables>;
export const typed = narrowTo<PaymentsTables>();
