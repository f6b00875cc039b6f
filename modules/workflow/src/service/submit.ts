// Submission (一表申请; drafts are service/drafts.ts): submitting checks the form and materials against the pinned catalog versions, then in one
// transaction gives the case number, creates one task per matter, logs and publishes it all and
// starts what can start. The applicant's idempotency key makes a retried submit — even many at
// once — yield the one application the first created.
import { WorkflowError } from '../errors.ts';
import { createHash } from 'node:crypto';
import { DomainError, ProblemError, uuidv7, type Lang, type ModuleContext } from '@tongban/kernel';
import { serviceDate } from '../domain/deadlines.ts';
import { checkSubjectForm } from '../domain/form-check.ts';
import { checkMaterials, planTasks, type Subject } from '../domain/plan.ts';
import type { CatalogPort } from '../service/catalog.ts';
import type { DatahubPort } from '../service/datahub.ts';
import { caseLicenceSlots } from '../domain/licence-materials.ts';
import { insertLicenceMaterials } from '../store/licence-materials.ts';
import { checkHolderLicences, type LicencePort } from './licences.ts';
import { lockedChanges, type StoredPrefill } from '../domain/prefill.ts';
import {
  findApplication,
  findByKey,
  insertSubmitted,
  lockApplication,
  submitDraft,
  type Submission,
} from '../store/applications.ts';
import { typed, type ApplicationRow, type MaterialRef, type TaskRow, type Trx } from '../store/tables.ts';
import { checkDocumentRefs, linkDocuments } from './documents.ts';
import { prefetch, type Engine } from './engine.ts';
import type { LiveFeed } from './live.ts';

export interface Services {
  readonly ctx: ModuleContext;
  readonly catalog: CatalogPort;
  readonly engine: Engine;
  readonly live: LiveFeed;
  readonly datahub: DatahubPort;
  readonly licences: LicencePort;
}

export interface SubjectRef {
  readonly kind: 'matter' | 'bundle';
  readonly code: string;
  readonly version?: number;
}

export interface Applicant {
  readonly id: string;
  readonly kind: 'citizen' | 'business';
}

export async function resolveSubject(catalog: CatalogPort, ref: SubjectRef): Promise<Subject> {
  try {
    if (ref.kind === 'matter') return { kind: 'matter', matter: await catalog.matter(ref.code, ref.version) };
    const bundle = await catalog.bundle(ref.code, ref.version);
    const matters = await Promise.all(
      Object.entries(bundle.matterVersions).map(([code, v]) => catalog.matter(code, v)),
    );
    return { kind: 'bundle', bundle, matters: new Map(matters.map((m) => [m.code, m])) };
  } catch (error) {
    if (error instanceof ProblemError && error.problem.status === 404) {
      throw new WorkflowError('WORKFLOW_UNKNOWN_SUBJECT', { code: ref.code }, [
        { field: 'subject.code', code: 'unknown_subject', message: error.problem.title },
      ]);
    }
    throw error;
  }
}

export const subjectVersion = (s: Subject) => (s.kind === 'matter' ? s.matter.version : s.bundle.version);
export const subjectCode = (s: Subject) => (s.kind === 'matter' ? s.matter.code : s.bundle.code);

// ── submission ───────────────────────────────────────────────────────────────────────────────

export type SubmitContent =
  | { readonly draftId: string }
  | { readonly subject: SubjectRef; readonly form: Record<string, unknown>; readonly materials: MaterialRef[] };

export interface SubmitInput {
  readonly applicant: Applicant;
  readonly content: SubmitContent;
  readonly idempotencyKey: string;
  /** Filed at a service counter (窗口) by this officer, on the applicant's behalf. */
  readonly counterOfficer?: string;
  /** The language of field errors (Accept-Language); zh-CN unless said. */
  readonly lang?: Lang;
}

export interface Submitted {
  readonly application: ApplicationRow;
  /** The tasks as written, when this call created the application (the answer needs no read). */
  readonly tasks?: readonly TaskRow[];
  /** The key had been used before: this is the application it created then. */
  readonly replayed: boolean;
}

/** The digest of what a key is used for: the same key with other content is refused, not replayed. */
function digestOf(input: SubmitInput): string {
  return createHash('sha256')
    .update(JSON.stringify({ content: input.content, counter: input.counterOfficer ?? null }))
    .digest('base64url');
}

function replay(existing: ApplicationRow, digest: string): Submitted {
  if (existing.request_digest !== digest) {
    throw new WorkflowError('WORKFLOW_IDEMPOTENCY_KEY_REUSED', {}, [
      { field: 'headers.idempotency-key', code: 'key_reused', message: 'the key was used for other content' },
    ]);
  }
  return { application: existing, replayed: true };
}

export async function submit(s: Services, input: SubmitInput): Promise<Submitted> {
  try {
    return await submitOnce(s, input);
  } catch (error) {
    // Two drafts submitted at once with one key: the loser's UPDATE waits for the winner and then
    // breaks the key's unique index. Its transaction is gone; asked again, it is a replay (or 422).
    if (!isKeyConflict(error)) throw error;
    return submitOnce(s, input);
  }
}

function isKeyConflict(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  return e?.code === '23505' && String(e.constraint ?? e.message ?? '').includes('idempotency_key');
}

async function submitOnce(s: Services, input: SubmitInput): Promise<Submitted> {
  const db = typed(s.ctx.db);
  const digest = digestOf(input);

  // Everything from the catalog first, and every check: nothing is written for a bad submission.
  let draft: ApplicationRow | undefined;
  let ref: SubjectRef;
  let form: Record<string, unknown>;
  let materials: MaterialRef[];
  if ('draftId' in input.content) {
    // A draft's replay is found before the draft is judged (a submitted draft is no longer one).
    const seen = await findByKey(db, input.applicant.id, input.idempotencyKey);
    if (seen) return replay(seen, digest);
    draft = await findApplication(db, input.content.draftId);
    if (!draft || draft.applicant_id !== input.applicant.id)
      throw new WorkflowError('WORKFLOW_APPLICATION_NOT_FOUND', { id: input.content.draftId });
    if (draft.status !== 'draft')
      throw new WorkflowError('WORKFLOW_ALREADY_SUBMITTED', { caseNumber: draft.case_number ?? '' });
    ref = { kind: draft.subject_kind, code: draft.subject_code, version: draft.subject_version };
    form = draft.form;
    materials = draft.materials;
  } else {
    ({ subject: ref, form, materials } = input.content);
  }
  let checked: Awaited<ReturnType<typeof checkAndLoad>>;
  try {
    checked = await checkAndLoad(s, ref, form, materials, input.lang, draft?.prefill ?? null);
  } catch (error) {
    // No pre-read of the key for a form (the insert finds a replay): a retry whose content no
    // longer passes — the catalog or the date moved on — is still answered with what it created.
    if (draft || !(error instanceof DomainError)) throw error;
    const seen = await findByKey(db, input.applicant.id, input.idempotencyKey);
    if (seen) return replay(seen, digest);
    throw error;
  }
  const { subject, planned, loaded } = checked;
  // A `doc:<id>` must be the applicant's own upload (an officer of this case could open it).
  const materialsField = draft ? 'materials' : 'body.materials';
  await checkDocumentRefs(s, input.applicant.id, materials, materialsField);
  // 免证办: a `lic:<identifier>` must be the applicant's own valid licence of the material's type.
  let heldLicences: Awaited<ReturnType<typeof checkHolderLicences>>;
  try {
    heldLicences = await checkHolderLicences(
      s.licences,
      subject,
      input.applicant.id,
      materials,
      materialsField,
      s.engine.now(),
    );
  } catch (error) {
    // As above: a retry whose licence was revoked since is still answered with what it created.
    if (draft || !(error instanceof DomainError)) throw error;
    const seen = await findByKey(db, input.applicant.id, input.idempotencyKey);
    if (seen) return replay(seen, digest);
    throw error;
  }

  return s.ctx.db.transaction().execute(async (anyTrx) => {
    const trx = anyTrx as unknown as Trx;
    const at = s.engine.now();
    // 办件编号 (store/applications.ts): region, service date, serial — the serial taken in the write itself.
    const region = planned[0]!.regionCode;
    const values: Submission = {
      status: 'in_progress' as const,
      form,
      materials,
      idempotency_key: input.idempotencyKey,
      request_digest: digest,
      submitted_at: at,
      updated_at: at,
      channel: input.counterOfficer ? ('counter' as const) : ('online' as const),
      filed_by: input.counterOfficer ?? null,
    };
    let app: ApplicationRow | undefined;
    if (draft) {
      // The draft row is locked: of two submits of one draft, the second sees it submitted.
      const locked = await lockApplication(trx, draft.id);
      if (locked.status !== 'draft') {
        if (locked.idempotency_key === input.idempotencyKey) return replay(locked, digest);
        throw new WorkflowError('WORKFLOW_ALREADY_SUBMITTED', { caseNumber: locked.case_number ?? '' });
      }
      const other = await findByKey(trx, input.applicant.id, input.idempotencyKey);
      if (other) return replay(other, digest);
      // Saved on another device since it was read and checked: submitting what was read would
      // drop that save. The applicant reloads and submits what the draft now says.
      if (locked.version !== draft.version)
        throw new WorkflowError('WORKFLOW_STALE_DRAFT', {}, [], { current: { version: locked.version } });
      app = await submitDraft(trx, draft.id, values, { region, at, version: locked.version + 1 });
    } else {
      app = await insertSubmitted(
        trx,
        {
          id: uuidv7(),
          applicant_id: input.applicant.id,
          applicant_kind: input.applicant.kind,
          subject_kind: subject.kind,
          subject_code: subjectCode(subject),
          subject_version: subjectVersion(subject),
          region_code: region,
        },
        values,
        at,
      );
      if (!app) {
        // The key was used before (a retry), or a concurrent submit with it committed first: this
        // statement sees its row.
        return replay((await findByKey(trx, input.applicant.id, input.idempotencyKey))!, digest);
      }
    }
    const created = app;
    await linkDocuments(trx, input.applicant.id, created.id, materials, materialsField, at);
    await insertLicenceMaterials(trx, created.id, caseLicenceSlots(subject, materials), heldLicences, at);
    const tasks: TaskRow[] = planned.map((p) => ({
      id: uuidv7(),
      application_id: created.id,
      matter_code: p.matterCode,
      matter_version: p.matterVersion,
      department_code: p.departmentCode,
      region_code: p.regionCode,
      depends_on: [...p.dependsOn],
      process: loaded.matters.get(p.matterCode)!.process ?? 'standard',
      state: 'waiting',
      resume_state: null,
      assignee: null,
      promised_days: loaded.matters.get(p.matterCode)!.promisedDays,
      due_on: null,
      warn_on: null,
      remaining_days: null,
      correction: null,
      pending_materials: [],
      warned_at: null,
      escalated_at: null,
      version: 1,
      started_at: null,
      finished_at: null,
    }));
    const submitter = input.counterOfficer
      ? { kind: 'officer' as const, id: input.counterOfficer }
      : { kind: 'applicant' as const, id: input.applicant.id };
    // The submit action and its notice, then the first moves (start what can start, 秒批), all in
    // memory; then written in one statement, and the events.
    const staged = await s.engine.stage(created, tasks, loaded, (st) => {
      st.actions.push({
        application_id: created.id,
        task_id: null,
        task_version: null,
        action: 'submit',
        actor_kind: submitter.kind,
        actor_id: submitter.id,
        from_state: draft ? 'draft' : null,
        to_state: 'in_progress',
        reason: null,
        rule: null,
        detail: { channel: values.channel, tasks: tasks.length },
        at,
      });
    });
    const after = [...staged.tasks.values()];
    staged.events.push({
      type: 'workflow.application.submitted',
      data: {
        // Who filed it: at a counter the officer acts, and the ledger names them (staff act under their ids).
        applicationId: created.id,
        caseNumber: created.case_number ?? '',
        applicantId: created.applicant_id,
        channel: values.channel,
        actor: submitter,
        subject: { kind: subject.kind, code: subjectCode(subject), version: subjectVersion(subject) },
        tasks: after.map((x) => ({
          taskId: x.id,
          matterCode: x.matter_code,
          departmentCode: x.department_code,
          state: x.state,
        })),
      },
    });
    await s.engine.write(trx, staged);
    return { application: staged.app, tasks: after, replayed: false };
  });
}

/** The subject from the catalog, the form and materials checked against it, and the tasks planned. */
async function checkAndLoad(
  s: Services,
  ref: SubjectRef,
  form: Record<string, unknown>,
  materials: MaterialRef[],
  lang: Lang | undefined,
  prefill: StoredPrefill | null,
) {
  const subject = await resolveSubject(s.catalog, ref);
  // The lock at submit: what a registry verified is what is submitted (and what 秒批 rules read).
  const formErrors = [
    ...checkSubjectForm(subject, form, { today: serviceDate(s.engine.now()), lang }),
    ...lockedChanges(form, prefill, lang),
  ];
  if (formErrors.length > 0) throw new WorkflowError('WORKFLOW_FORM_INVALID', { count: formErrors.length }, formErrors);
  const materialErrors = checkMaterials(subject, materials);
  if (materialErrors.length > 0)
    throw new WorkflowError('WORKFLOW_MATERIALS_INVALID', { count: materialErrors.length }, materialErrors);
  const plan = planTasks(subject);
  const departments = new Map(
    await Promise.all(plan.map(async (p) => [p.departmentCode, await s.catalog.department(p.departmentCode)] as const)),
  );
  const planned = plan.map((p) => ({ ...p, regionCode: departments.get(p.departmentCode)!.regionCode }));
  const loaded = await prefetch(
    s.catalog,
    planned.map((p) => ({ matter_code: p.matterCode, matter_version: p.matterVersion, region_code: p.regionCode })),
  );
  return { subject, planned, loaded };
}
