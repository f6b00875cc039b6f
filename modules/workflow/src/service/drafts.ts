// Drafts (草稿): saved on the server and resumed on any device. A new draft is prefilled from the
// data hub (with the applicant's consent, for the data elements its form binds): each value with
// its source, the verified ones locked; after the applicant consents at the hub, asking again
// (`POST /drafts/:id/prefill`) fills what was waiting for consent. A hub that is absent or refuses
// leaves the form as the applicant gave it, and the draft says so (`prefill.status`), never a 500.
import { WorkflowError } from '../errors.ts';
import { uuidv7, type Lang } from '@tongban/kernel';
import { serviceDate } from '../domain/deadlines.ts';
import { checkSubjectForm } from '../domain/form-check.ts';
import { planTasks, subjectForm, type Subject } from '../domain/plan.ts';
import {
  applyPrefill,
  keysByElement,
  lockedChanges,
  prefillUnavailable,
  type StoredPrefill,
} from '../domain/prefill.ts';
import {
  deleteDraftRow,
  findApplication,
  findPinnedSubject,
  getApplicationVersion,
  insertDraft,
  saveDraftContent,
} from '../store/applications.ts';
import { typed, type ApplicationRow, type MaterialRef } from '../store/tables.ts';
import {
  resolveSubject,
  subjectCode,
  subjectVersion,
  type Applicant,
  type Services,
  type SubjectRef,
} from './submit.ts';

async function regionOf(s: Services, subject: Subject): Promise<string> {
  const first = planTasks(subject)[0]!;
  return (await s.catalog.department(first.departmentCode)).regionCode;
}

/**
 * The hub asked for every data element the subject's form binds, for this applicant, with the
 * matter or bundle code as the purpose; its answer merged into `form`. `previous`: what an earlier
 * prefill verified stays locked when the hub cannot be asked now.
 */
async function prefilled(
  s: Services,
  subject: Subject,
  applicantId: string,
  form: Record<string, unknown>,
  previous: StoredPrefill | null,
): Promise<{ form: Record<string, unknown>; prefill: StoredPrefill }> {
  const keysOf = keysByElement(subjectForm(subject).properties);
  const at = s.engine.now().toISOString();
  const answer = await s.datahub.prefill({
    accountId: applicantId,
    purpose: subjectCode(subject),
    elements: [...keysOf.keys()],
  });
  if (!answer.view) return { form, prefill: prefillUnavailable(previous, answer.problem, at) };
  const today = serviceDate(s.engine.now());
  // A value the form would refuse (the registry's data is older than the element's rules) is not
  // filled: the applicant types it, and it is not locked.
  const accepts = (key: string, value: unknown) =>
    !checkSubjectForm(subject, { [key]: value }, { today, partial: true }).some((e) => e.field === `form.${key}`);
  return applyPrefill(form, answer.view, keysOf, accepts, at);
}

export async function createDraft(
  s: Services,
  applicant: Applicant,
  input: { subject: SubjectRef; form?: Record<string, unknown>; materials?: MaterialRef[] },
  lang: Lang = 'zh',
): Promise<ApplicationRow> {
  const subject = await resolveSubject(s.catalog, input.subject);
  checkDraftForm(s, subject, input.form ?? {}, lang);
  const region = await regionOf(s, subject);
  const { form, prefill } = await prefilled(s, subject, applicant.id, input.form ?? {}, null);
  return insertDraft(typed(s.ctx.db), {
    id: uuidv7(),
    applicant_id: applicant.id,
    applicant_kind: applicant.kind,
    subject_kind: subject.kind,
    subject_code: subjectCode(subject),
    subject_version: subjectVersion(subject),
    region_code: region,
    form,
    materials: input.materials ?? [],
    prefill,
    at: s.engine.now(),
  });
}

/** Asks the hub again (after the applicant consented there): verified values replace and lock, others fill what is empty. */
export async function refreshPrefill(s: Services, id: string): Promise<ApplicationRow> {
  const db = typed(s.ctx.db);
  const draft = await findApplication(db, id);
  if (!draft) throw new WorkflowError('WORKFLOW_APPLICATION_NOT_FOUND', { id });
  if (draft.status !== 'draft') throw new WorkflowError('WORKFLOW_NOT_A_DRAFT');
  const subject = await resolveSubject(s.catalog, {
    kind: draft.subject_kind,
    code: draft.subject_code,
    version: draft.subject_version,
  });
  const { form, prefill } = await prefilled(s, subject, draft.applicant_id, draft.form, draft.prefill);
  const saved = await saveDraftContent(db, id, {
    form,
    materials: draft.materials,
    prefill,
    version: draft.version,
    at: s.engine.now(),
  });
  if (saved) return saved;
  return stale(s, id);
}

export async function saveDraft(
  s: Services,
  id: string,
  input: { version: number; form: Record<string, unknown>; materials: MaterialRef[] },
  lang: Lang = 'zh',
): Promise<ApplicationRow> {
  const db = typed(s.ctx.db);
  const pinned = await findPinnedSubject(db, id);
  if (pinned) {
    const subject = await resolveSubject(s.catalog, {
      kind: pinned.subject_kind,
      code: pinned.subject_code,
      version: pinned.subject_version,
    });
    checkDraftForm(s, subject, input.form, lang, pinned.prefill);
  }
  const saved = await saveDraftContent(db, id, {
    form: input.form,
    materials: input.materials,
    version: input.version,
    at: s.engine.now(),
  });
  if (saved) return saved;
  return stale(s, id);
}

async function stale(s: Services, id: string): Promise<never> {
  const current = await getApplicationVersion(typed(s.ctx.db), id);
  if (current.status !== 'draft') throw new WorkflowError('WORKFLOW_NOT_A_DRAFT');
  throw new WorkflowError('WORKFLOW_STALE_DRAFT', {}, [], { current: { version: current.version } });
}

/**
 * A draft may be incomplete, but what it holds must already be valid (checked again at
 * submission), and what a registry verified is kept as it was (the lock).
 */
function checkDraftForm(
  s: Services,
  subject: Subject,
  form: Record<string, unknown>,
  lang: Lang,
  prefill: StoredPrefill | null = null,
): void {
  const errors = [
    ...checkSubjectForm(subject, form, { today: serviceDate(s.engine.now()), lang, partial: true }),
    ...lockedChanges(form, prefill, lang),
  ];
  if (errors.length > 0) throw new WorkflowError('WORKFLOW_FORM_INVALID', { count: errors.length }, errors);
}

export async function deleteDraft(s: Services, id: string): Promise<void> {
  if (!(await deleteDraftRow(typed(s.ctx.db), id))) throw new WorkflowError('WORKFLOW_NOT_A_DRAFT');
}
