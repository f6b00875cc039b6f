// The notify schema's tables (store/migrations/0001_notify.sql) as the compiler sees them.
// timestamptz read as Date, jsonb parsed (written as JSON text).
import { narrowTo } from '@tongban/kernel';
import type { DeliveryStatus, NoticeKind } from '@tongban/contracts';
import type { ColumnType, Generated, Kysely, Selectable, Transaction } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
export type Lang2 = 'zh-CN' | 'en';
export interface Localized {
  zh: string;
  en: string;
}

export interface ApplicationTable {
  application_id: string;
  case_number: string;
  applicant_id: string;
  departments: Json<string[]>;
  matter_codes: Json<string[]>;
}

export interface NoticeTable {
  id: string;
  event_id: string;
  recipient_id: string;
  kind: NoticeKind;
  application_id: string | null;
  task_id: string | null;
  params: Json<Record<string, string>>;
  created_at: Date;
  read_at: Date | null;
}
export type NoticeRow = Selectable<NoticeTable>;

export interface MessageTable {
  id: string;
  notice_id: string;
  event_id: string;
  channel: 'sms' | 'email';
  recipient_id: string;
  kind: NoticeKind;
  application_id: string | null;
  status: DeliveryStatus;
  attempts: Generated<number>;
  last_error: string | null;
  not_before: Date | null;
  lease_until: Date | null;
  provider: string | null;
  provider_message_id: string | null;
  to_masked: Generated<string>;
  text: Generated<string>;
  lang: Generated<Lang2>;
  created_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  failed_at: Date | null;
}
export type MessageRow = Selectable<MessageTable>;

export interface PreferenceTable {
  account_id: string;
  channels: Json<Record<string, ('sms' | 'email')[]>>;
  quiet_start: string | null;
  quiet_end: string | null;
  language: Lang2;
  email: string | null;
  updated_at: Date;
}
export type PreferenceRow = Selectable<PreferenceTable>;

export interface TemplateTable {
  kind: NoticeKind;
  channel: string;
  version: number;
  subject: Json<Localized | null>;
  body: Json<Localized>;
  placeholders: Json<{ name: string; type: string; description: Localized }[]>;
  created_at: Date;
  created_by: string;
  published_at: Date | null;
  published_by: string | null;
}
export type TemplateRow = Selectable<TemplateTable>;

export interface DevSmsTable {
  id: string;
  to_number: string;
  text: string;
  at: Date;
}

export interface WebhookSubscriptionTable {
  id: string;
  url: string;
  kinds: Json<NoticeKind[]>;
  department_code: string;
  signing: 'hmac-sha256' | 'ed25519';
  key_sealed: string;
  active: Generated<boolean>;
  created_at: Date;
  created_by: string;
}
export type WebhookSubscriptionRow = Selectable<WebhookSubscriptionTable>;

export interface WebhookDeliveryTable {
  id: string;
  event_id: string;
  subscription_id: string;
  kind: NoticeKind;
  body: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: Generated<number>;
  next_attempt_at: Date;
  lease_until: Date | null;
  last_error: string | null;
  created_at: Date;
  first_attempt_at: Date | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  dead_at: Date | null;
  replayed_at: Date | null;
}
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;

export interface NotifyTables {
  'notify.application': ApplicationTable;
  'notify.notice': NoticeTable;
  'notify.message': MessageTable;
  'notify.preference': PreferenceTable;
  'notify.template': TemplateTable;
  'notify.dev_sms': DevSmsTable;
  'notify.webhook_subscription': WebhookSubscriptionTable;
  'notify.webhook_delivery': WebhookDeliveryTable;
}

export type NotifyDb = Kysely<NotifyTables> | Transaction<NotifyTables>;
export const typed = narrowTo<NotifyTables>();
