// Row shapes of the workflow's tables (store/migrations/0001_workflow.sql and later), for typed queries.
import { narrowTo } from '@tongban/kernel';
import type { Generated, Kysely, Transaction } from 'kysely';
import type { MatterProcess } from '@tongban/contracts';
import type { DocumentMediaType } from '../domain/documents.ts';
import type { StoredPrefill } from '../domain/prefill.ts';
import type { TaskState } from '../domain/process.ts';

export type ApplicationStatus = 'draft' | 'in_progress' | 'completed' | 'closed' | 'withdrawn';

export interface MaterialRef {
  readonly code: string;
  /** A stored document's id, or an electronic licence's identifier (免证办). */
  readonly ref: string;
}

export interface Correction {
  fields: string[];
  materials: string[];
  reason: string;
}

export interface ApplicationRow {
  id: string;
  case_number: string | null;
  applicant_id: string;
  applicant_kind: 'citizen' | 'business';
  subject_kind: 'matter' | 'bundle';
  subject_code: string;
  subject_version: number;
  region_code: string;
  status: ApplicationStatus;
  channel: 'online' | 'counter';
  filed_by: string | null;
  form: Record<string, unknown>;
  materials: MaterialRef[];
  idempotency_key: string | null;
  request_digest: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  finished_at: Date | null;
  /** 撤回: why the applicant withdrew it (set exactly when the status is 'withdrawn'). */
  withdrawal_reason: string | null;
  /** What the data hub filled in, with provenance; verified values are locked (migration 0005). Null: never asked. */
  prefill: StoredPrefill | null;
}

export interface TaskRow {
  id: string;
  application_id: string;
  matter_code: string;
  matter_version: number;
  department_code: string;
  region_code: string;
  depends_on: string[];
  process: MatterProcess;
  state: TaskState;
  resume_state: TaskState | null;
  assignee: string | null;
  promised_days: number;
  due_on: string | null;
  warn_on: string | null;
  remaining_days: number | null;
  correction: Correction | null;
  pending_materials: string[];
  warned_at: Date | null;
  escalated_at: Date | null;
  version: number;
  started_at: Date | null;
  finished_at: Date | null;
  /** The payment order for the task's fees (payments.order.created; migration 0010). Optional: a new task has none. */
  payment_order_id?: string | null;
  /** Its amount in fen; int8, read as a string by some drivers. */
  payment_amount_fen?: string | number | null;
}

export interface ActionRow {
  seq: Generated<number>;
  application_id: string;
  task_id: string | null;
  task_version: number | null;
  action: string;
  actor_kind: 'applicant' | 'officer' | 'system';
  actor_id: string;
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  rule: string | null;
  detail: Record<string, unknown>;
  at: Date;
}

export interface NoticeRow {
  id: string;
  recipient_id: string;
  application_id: string;
  task_id: string | null;
  kind: string;
  params: Record<string, string>;
  created_at: Date;
  read_at: Date | null;
}

/** An uploaded document's metadata (migration 0007); its sealed bytes are DocumentContentRow. */
export interface DocumentRow {
  id: string;
  owner_id: string;
  media_type: DocumentMediaType;
  name: string;
  size: number;
  sha256: string;
  created_at: Date;
  confirmed_at: Date | null;
}

export interface DocumentContentRow {
  document_id: string;
  /** The bytes as base64, sealed by ctx.fields (domain/documents.ts contentAad). */
  data: string;
}

export interface DocumentUseRow {
  document_id: string;
  application_id: string;
}

/** A payment settlement heard, waiting for the payment worker (migration 0010). */
export interface PaymentPendingRow {
  task_id: string;
  outcome: 'paid' | 'expired';
  order_id: string;
  event: Record<string, unknown>;
  queued_at: Date;
  attempts: Generated<number>;
  last_error: string | null;
}

/** A material an electronic licence stands in for (免证办, migration 0009). */
export interface LicenceMaterialRow {
  application_id: string;
  code: string;
  type_code: string;
  type_name: { zh: string; en: string };
  /** 'case': a prerequisite task of this application issues it; 'holder': the applicant's own, by consent. */
  source: 'case' | 'holder';
  produced_by: string | null;
  identifier: string | null;
  licence_id: string | null;
  issued_by_task: string | null;
  verified_at: Date | null;
  status: string;
  status_at: Date | null;
}

export interface WorkflowTables {
  'workflow.application': ApplicationRow;
  'workflow.document': DocumentRow;
  'workflow.document_content': DocumentContentRow;
  'workflow.document_use': DocumentUseRow;
  'workflow.payment_pending': PaymentPendingRow;
  'workflow.licence_material': LicenceMaterialRow;
  'workflow.task': TaskRow;
  'workflow.action': ActionRow;
  'workflow.notice': NoticeRow;
}

export type WorkflowDb = Kysely<WorkflowTables>;
export type Trx = Transaction<WorkflowTables>;

/** What the kernel hands out (ctx.db, a job's or a delivery's trx), read through workflow's own tables. */
export const typed = narrowTo<WorkflowTables>();
