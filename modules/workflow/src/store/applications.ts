// Reads, locks and writes of applications for the services that act on them (service/submit.ts,
// service/engine.ts, service/act.ts, service/withdraw.ts, service/deadlines.ts). Every writer locks
// an application before its tasks.
import { sql } from 'kysely';
import { serviceDate } from '../domain/deadlines.ts';
import type { StoredPrefill } from '../domain/prefill.ts';
import type { ApplicationRow, MaterialRef, Trx, WorkflowDb } from './tables.ts';

export async function getApplication(db: WorkflowDb, id: string): Promise<ApplicationRow> {
  return db.selectFrom('workflow.application').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The application, or undefined when there is none. */
export async function findApplication(db: WorkflowDb, id: string): Promise<ApplicationRow | undefined> {
  return db.selectFrom('workflow.application').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The application, locked until the transaction ends: taken before any of its tasks. */
export async function lockApplication(trx: Trx, id: string): Promise<ApplicationRow> {
  return trx.selectFrom('workflow.application').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

/** The application locked, or undefined when someone else holds it (or it is gone): the sweep does not wait. */
export async function lockApplicationUnlessBusy(trx: Trx, id: string): Promise<ApplicationRow | undefined> {
  return trx
    .selectFrom('workflow.application')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** The applicant's answer: a corrected form (when given) and materials, as a new version of the application. */
export async function saveAnswer(
  trx: Trx,
  id: string,
  answer: { form?: Record<string, unknown>; materials: readonly MaterialRef[]; version: number; at: Date },
): Promise<ApplicationRow> {
  return trx
    .updateTable('workflow.application')
    .set({
      ...(answer.form ? { form: JSON.stringify(answer.form) as never } : {}),
      materials: JSON.stringify(answer.materials) as never,
      version: answer.version,
      updated_at: answer.at,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** 撤回: the application ends 'withdrawn' with the applicant's reason, as a new version. */
export async function markWithdrawn(
  trx: Trx,
  id: string,
  withdrawal: { reason: string; version: number; at: Date },
): Promise<ApplicationRow> {
  return trx
    .updateTable('workflow.application')
    .set({
      status: 'withdrawn',
      withdrawal_reason: withdrawal.reason,
      finished_at: withdrawal.at,
      updated_at: withdrawal.at,
      version: withdrawal.version,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Whose application it is (the guard's ownership check), or undefined when there is none. */
export async function findApplicationOwner(db: WorkflowDb, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('workflow.application')
    .select(['applicant_id', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.applicant_id;
}

/** Every task finished: the application completes or closes, as a new version. */
export async function markFinished(
  trx: Trx,
  id: string,
  end: { outcome: 'completed' | 'closed'; version: number; at: Date },
): Promise<ApplicationRow> {
  const { outcome, at } = end;
  return trx
    .updateTable('workflow.application')
    .set({ status: outcome, finished_at: at, updated_at: at, version: end.version })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ── drafts and submission (service/submit.ts) ─────────────────────────────────────────────────

/** A new draft: no case number, no key, version 1; its form and materials are stored as JSON. */
export async function insertDraft(
  db: WorkflowDb,
  draft: Pick<
    ApplicationRow,
    | 'id'
    | 'applicant_id'
    | 'applicant_kind'
    | 'subject_kind'
    | 'subject_code'
    | 'subject_version'
    | 'region_code'
    | 'form'
    | 'materials'
    | 'prefill'
  > & { at: Date },
): Promise<ApplicationRow> {
  const { at } = draft;
  return db
    .insertInto('workflow.application')
    .values({
      id: draft.id,
      case_number: null,
      applicant_id: draft.applicant_id,
      applicant_kind: draft.applicant_kind,
      subject_kind: draft.subject_kind,
      subject_code: draft.subject_code,
      subject_version: draft.subject_version,
      region_code: draft.region_code,
      status: 'draft',
      channel: 'online',
      filed_by: null,
      form: JSON.stringify(draft.form) as never,
      materials: JSON.stringify(draft.materials) as never,
      prefill: draft.prefill === null ? null : (JSON.stringify(draft.prefill) as never),
      idempotency_key: null,
      request_digest: null,
      version: 1,
      created_at: at,
      updated_at: at,
      submitted_at: null,
      finished_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The catalog versions an application is pinned to and what was prefilled, or undefined when there is none. */
export async function findPinnedSubject(
  db: WorkflowDb,
  id: string,
): Promise<Pick<ApplicationRow, 'subject_kind' | 'subject_code' | 'subject_version' | 'prefill'> | undefined> {
  return db
    .selectFrom('workflow.application')
    .select(['subject_kind', 'subject_code', 'subject_version', 'prefill'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * The draft's new form and materials (and prefill, when the hub was asked again), only while it
 * is a draft at `version`; undefined otherwise.
 */
export async function saveDraftContent(
  db: WorkflowDb,
  id: string,
  content: {
    form: Record<string, unknown>;
    materials: readonly MaterialRef[];
    prefill?: StoredPrefill;
    version: number;
    at: Date;
  },
): Promise<ApplicationRow | undefined> {
  return db
    .updateTable('workflow.application')
    .set({
      form: JSON.stringify(content.form) as never,
      materials: JSON.stringify(content.materials) as never,
      ...(content.prefill ? { prefill: JSON.stringify(content.prefill) as never } : {}),
      version: content.version + 1,
      updated_at: content.at,
    })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .where('version', '=', content.version)
    .returningAll()
    .executeTakeFirst();
}

/** The application's status and version (it must exist). */
export async function getApplicationVersion(
  db: WorkflowDb,
  id: string,
): Promise<Pick<ApplicationRow, 'status' | 'version'>> {
  return db
    .selectFrom('workflow.application')
    .select(['status', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Deletes the application if it is a draft; false when there is no such draft. */
export async function deleteDraftRow(db: WorkflowDb, id: string): Promise<boolean> {
  const deleted = await db
    .deleteFrom('workflow.application')
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}

/** The application this applicant's idempotency key created, or undefined when none did. */
export async function findByKey(db: WorkflowDb, applicantId: string, key: string): Promise<ApplicationRow | undefined> {
  return db
    .selectFrom('workflow.application')
    .selectAll()
    .where('applicant_id', '=', applicantId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** What submitting writes on an application, a draft's or a new one; form and materials are stored as JSON. */
export interface Submission {
  readonly status: 'in_progress';
  readonly form: Record<string, unknown>;
  readonly materials: readonly MaterialRef[];
  readonly idempotency_key: string;
  readonly request_digest: string;
  readonly submitted_at: Date;
  readonly updated_at: Date;
  readonly channel: 'online' | 'counter';
  readonly filed_by: string | null;
}

function submitted(s: Submission) {
  return { ...s, form: JSON.stringify(s.form) as never, materials: JSON.stringify(s.materials) as never };
}

/** 办件编号: region, service date, serial — the serial taken in the statement itself. */
function caseNumber(region: string, at: Date) {
  return sql<string>`${`${region}-${serviceDate(at).replace(/-/g, '')}-`} || lpad(nextval('workflow.case_serial')::text, 7, '0')`;
}

/** The (locked) draft submitted: its case number given, as a new version. */
export async function submitDraft(
  trx: Trx,
  id: string,
  submission: Submission,
  numbering: { region: string; at: Date; version: number },
): Promise<ApplicationRow> {
  return trx
    .updateTable('workflow.application')
    .set({
      ...submitted(submission),
      case_number: caseNumber(numbering.region, numbering.at),
      version: numbering.version,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A new application, submitted with its case number; undefined when the applicant's key was used
 * before (a retry) or a concurrent submit with it committed first.
 */
export async function insertSubmitted(
  trx: Trx,
  app: Pick<
    ApplicationRow,
    'id' | 'applicant_id' | 'applicant_kind' | 'subject_kind' | 'subject_code' | 'subject_version' | 'region_code'
  >,
  submission: Submission,
  at: Date,
): Promise<ApplicationRow | undefined> {
  return trx
    .insertInto('workflow.application')
    .values({
      id: app.id,
      case_number: caseNumber(app.region_code, at),
      applicant_id: app.applicant_id,
      applicant_kind: app.applicant_kind,
      subject_kind: app.subject_kind,
      subject_code: app.subject_code,
      subject_version: app.subject_version,
      region_code: app.region_code,
      version: 1,
      created_at: at,
      finished_at: null,
      ...submitted(submission),
    })
    .onConflict((oc) => oc.columns(['applicant_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
}
