// Acting on a department task: officers accept, review, decide, ask for corrections, claim and
// assign; applicants answer corrections and send the materials that were to follow. Each call
// names the task version it was looking at; anything else in between is a 409 with what is there now.
import { WorkflowError } from '../errors.ts';
import { checkDocumentRefs, linkDocuments } from './documents.ts';
import { checkHolderLicences } from './licences.ts';
import { replaceHolderLicences } from '../store/licence-materials.ts';
import { type FieldError, type Lang } from '@tongban/kernel';
import { pauseClock, resumeClock, serviceDate } from '../domain/deadlines.ts';
import { lockedChanges } from '../domain/prefill.ts';
import { checkSubjectForm } from '../domain/form-check.ts';
import { matterFields } from '../domain/plan.ts';
import { ACTIONS, isTerminal, STAFF, type ActionName, type ActionSpec } from '../domain/process.ts';
import { getApplication, lockApplication, saveAnswer } from '../store/applications.ts';
import { typed, type ApplicationRow, type MaterialRef, type TaskRow, type Trx } from '../store/tables.ts';
import { findTask, lockTask, matterKeysOf } from '../store/tasks.ts';
import { prefetch, refuseInvalidTransition, type Actor, type Loaded } from './engine.ts';
import { resolveSubject, type Services } from './submit.ts';

export interface Officer {
  readonly id: string;
  readonly roles: readonly string[];
}

export interface OfficerAction {
  readonly action: ActionName;
  readonly version: number;
  readonly reason?: string;
  /** requestCorrection: what the applicant may change. */
  readonly correction?: { readonly fields: readonly string[]; readonly materials: readonly string[] };
  /** acceptPending: the materials that may follow (容缺受理). */
  readonly pendingMaterials?: readonly string[];
}

async function loadForAction(
  s: Services,
  taskId: string,
): Promise<{ app: ApplicationRow; task: TaskRow; loaded: Loaded }> {
  const db = typed(s.ctx.db);
  const task = await findTask(db, taskId);
  if (!task) throw new WorkflowError('WORKFLOW_TASK_NOT_FOUND', { id: taskId });
  const app = await getApplication(db, task.application_id);
  const all = await matterKeysOf(db, app.id);
  return { app, task, loaded: await prefetch(s.catalog, all) };
}

/** Runs `body` on the task locked at the version the caller saw, then settles the application. */
async function withTask<T>(
  s: Services,
  taskId: string,
  version: number,
  body: (trx: Trx, app: ApplicationRow, task: TaskRow, loaded: Loaded) => Promise<T>,
): Promise<T> {
  const { loaded, app: seen } = await loadForAction(s, taskId);
  return s.ctx.db.transaction().execute(async (anyTrx) => {
    const trx = typed(anyTrx);
    // Application first, then its tasks (settle locks them all): every writer takes the same
    // order, so two officers acting on two tasks of one application queue, never deadlock.
    const app = await lockApplication(trx, seen.id);
    const task = await lockTask(trx, taskId);
    if (task.version !== version) throw await s.engine.stale(trx, taskId);
    const result = await body(trx, app, task, loaded);
    await s.engine.settle(trx, app, loaded);
    return result;
  });
}

const invalid = (field: string, code: string, message: string): FieldError => ({ field, code, message });

/** A material given twice in one answer is refused, as at submission (plan.ts checkMaterials): one answer a material. */
function refuseRepeatedMaterials(materials: readonly MaterialRef[]): void {
  const seen = new Set<string>();
  const errors = materials.flatMap((m, i) => {
    const again = seen.has(m.code);
    seen.add(m.code);
    return again ? [invalid(`body.materials.${i}.code`, 'duplicate_material', `${m.code} is given twice`)] : [];
  });
  if (errors.length > 0) throw new WorkflowError('WORKFLOW_MATERIALS_INVALID', { count: errors.length }, errors);
}

export async function officerAct(
  s: Services,
  officer: Officer,
  taskId: string,
  input: OfficerAction,
): Promise<TaskRow> {
  const spec: ActionSpec = ACTIONS[input.action];
  if (spec.actor !== 'officer')
    throw new WorkflowError('WORKFLOW_INVALID_TRANSITION', { action: input.action, state: 'any' });
  if (!(spec.roles ?? []).some((r) => officer.roles.includes(r))) {
    throw new WorkflowError('WORKFLOW_ROLE_REQUIRED', { action: input.action, roles: (spec.roles ?? []).join(', ') });
  }
  const reason = input.reason?.trim();
  if (spec.needsReason && !reason)
    throw new WorkflowError('WORKFLOW_REASON_REQUIRED', {}, [invalid('body.reason', 'required', 'say why')]);
  const actor: Actor = { kind: 'officer', id: officer.id };

  return withTask(s, taskId, input.version, async (trx, app, task, loaded) => {
    // Before anything the action computes from the task (a correction reads its due day).
    refuseInvalidTransition(task, input.action);
    if (task.assignee && task.assignee !== officer.id) {
      throw new WorkflowError('WORKFLOW_TASK_ASSIGNED_TO_OTHER', {}, [], {
        current: { state: task.state, version: task.version, assignee: task.assignee },
      });
    }
    const matter = loaded.matters.get(task.matter_code)!;
    const base = { ...(reason ? { reason } : {}), patch: { assignee: task.assignee ?? officer.id } };
    switch (input.action) {
      case 'acceptPending': {
        const pending = [...new Set(input.pendingMaterials ?? [])];
        const known = new Set(matter.materials.map((m) => m.code));
        const unknown = pending.filter((c) => !known.has(c));
        if (pending.length === 0 || unknown.length > 0) {
          throw new WorkflowError('WORKFLOW_CORRECTION_INVALID', {}, [
            invalid(
              'body.pendingMaterials',
              pending.length === 0 ? 'required' : 'unknown_material',
              pending.length === 0
                ? 'name the materials to follow'
                : `not materials of this matter: ${unknown.join(', ')}`,
            ),
          ]);
        }
        return s.engine.transition(trx, app, task, 'acceptPending', actor, {
          ...base,
          patch: { ...base.patch, pending_materials: pending },
          detail: { pendingMaterials: pending },
        });
      }
      case 'approve':
        if (task.pending_materials.length > 0)
          throw new WorkflowError('WORKFLOW_MATERIALS_PENDING', { materials: task.pending_materials.join(', ') });
        return s.engine.transition(trx, app, task, 'approve', actor, base);
      case 'reject':
        return s.engine.transition(trx, app, task, 'reject', actor, base);
      case 'requestCorrection': {
        const fields = [...new Set(input.correction?.fields ?? [])];
        const materials = [...new Set(input.correction?.materials ?? [])];
        const ownFields = new Set(matterFields(matter, app.subject_kind));
        const ownMaterials = new Set(matter.materials.map((m) => m.code));
        const errors = [
          ...fields
            .filter((f) => !ownFields.has(f))
            .map((f) => invalid('body.correction.fields', 'unknown_field', `${f} is not a field of this matter`)),
          ...materials
            .filter((m) => !ownMaterials.has(m))
            .map((m) =>
              invalid('body.correction.materials', 'unknown_material', `${m} is not a material of this matter`),
            ),
        ];
        if (fields.length + materials.length === 0)
          errors.push(invalid('body.correction', 'required', 'name at least one field or material to correct'));
        if (errors.length > 0) throw new WorkflowError('WORKFLOW_CORRECTION_INVALID', {}, errors);
        // 补正 stops the clock: the legal deadline excludes the time the applicant takes.
        const calendar = loaded.calendars.get(task.region_code)!;
        const remaining = pauseClock(calendar, serviceDate(s.engine.now()), task.due_on!);
        return s.engine.transition(trx, app, task, 'requestCorrection', actor, {
          ...base,
          detail: { fields, materials, remainingDays: remaining },
          patch: {
            ...base.patch,
            correction: JSON.stringify({ fields, materials, reason }) as never,
            resume_state: task.state,
            remaining_days: remaining,
            due_on: null,
            warn_on: null,
          },
        });
      }
      default:
        return s.engine.transition(trx, app, task, input.action, actor, base);
    }
  });
}

/** Claims an unassigned task for oneself (认领). */
export async function claim(s: Services, officer: Officer, taskId: string, version: number): Promise<TaskRow> {
  // Claiming shuts every other officer out of the task: only staff who could work it may.
  if (!STAFF.some((r) => officer.roles.includes(r)))
    throw new WorkflowError('WORKFLOW_ROLE_REQUIRED', { action: 'claim', roles: STAFF.join(', ') });
  return withTask(s, taskId, version, async (trx, app, task) => {
    refuseFinished(task, 'claim');
    if (task.assignee === officer.id) return task;
    if (task.assignee)
      throw new WorkflowError('WORKFLOW_TASK_ASSIGNED_TO_OTHER', {}, [], {
        current: { state: task.state, version: task.version, assignee: task.assignee },
      });
    return s.engine.note(
      trx,
      app,
      task,
      'claim',
      { kind: 'officer', id: officer.id },
      { bump: true, patch: { assignee: officer.id } },
    );
  });
}

/** A department lead assigns (or reassigns) a task to an officer of the department (指派). */
export async function assign(
  s: Services,
  officer: Officer,
  taskId: string,
  version: number,
  assignee: string,
): Promise<TaskRow> {
  if (!officer.roles.includes('lead'))
    throw new WorkflowError('WORKFLOW_ROLE_REQUIRED', { action: 'assign', roles: 'lead' });
  return withTask(s, taskId, version, async (trx, app, task) => {
    refuseFinished(task, 'assign');
    return s.engine.note(
      trx,
      app,
      task,
      'assign',
      { kind: 'officer', id: officer.id },
      { bump: true, patch: { assignee }, detail: { from: task.assignee, to: assignee } },
    );
  });
}

/** Nobody claims or is assigned a finished task, nor one still awaiting payment (not the department's yet). */
function refuseFinished(task: TaskRow, action: string): void {
  if (task.state === 'awaiting_payment')
    throw new WorkflowError('WORKFLOW_AWAITING_PAYMENT', { action }, [], {
      current: { state: task.state, version: task.version },
    });
  if (isTerminal(task.state))
    throw new WorkflowError('WORKFLOW_INVALID_TRANSITION', { action, state: task.state }, [], {
      current: { state: task.state, version: task.version },
    });
}

// ── the applicant's side ─────────────────────────────────────────────────────────────────────

export interface CorrectionAnswer {
  readonly version: number;
  readonly form: Readonly<Record<string, unknown>>;
  readonly materials: readonly MaterialRef[];
}

/** 补正: the applicant changes only what was asked for; the clock resumes with the days that were left. */
export async function answerCorrection(
  s: Services,
  applicantId: string,
  taskId: string,
  input: CorrectionAnswer,
  lang: Lang = 'zh',
): Promise<TaskRow> {
  refuseRepeatedMaterials(input.materials);
  const { app: before } = await loadForAction(s, taskId);
  const subject = await resolveSubject(s.catalog, {
    kind: before.subject_kind,
    code: before.subject_code,
    version: before.subject_version,
  });
  await checkDocumentRefs(s, applicantId, input.materials, 'body.materials');
  // 免证办: a licence named in the answer is checked like one given at submission.
  const held = await checkHolderLicences(
    s.licences,
    subject,
    applicantId,
    input.materials,
    'body.materials',
    s.engine.now(),
  );
  return withTask(s, taskId, input.version, async (trx, app, task, loaded) => {
    if (task.state !== 'correction' || !task.correction) throw new WorkflowError('WORKFLOW_NOT_AWAITING_CORRECTION');
    if (Object.keys(input.form).length === 0 && input.materials.length === 0) {
      throw new WorkflowError('WORKFLOW_CORRECTION_NOT_REQUESTED', {}, [
        invalid('body', 'required', 'answer at least one requested field or material'),
      ]);
    }
    const asked = task.correction;
    const errors = [
      ...Object.keys(input.form)
        .filter((f) => !asked.fields.includes(f))
        .map((f) => invalid(`form.${f}`, 'not_requested', `${f} was not asked for`)),
      ...input.materials
        .filter((m) => !asked.materials.includes(m.code))
        .map((m) => invalid(`materials.${m.code}`, 'not_requested', `${m.code} was not asked for`)),
    ];
    if (errors.length > 0) throw new WorkflowError('WORKFLOW_CORRECTION_NOT_REQUESTED', {}, errors);
    const form = { ...app.form, ...input.form };
    // The corrected form is checked like a submission: schema and data elements (a corrected ID
    // number with a wrong check digit is as false as a submitted one).
    // What a registry verified stays as it was (the lock holds in a correction too).
    const formErrors = [
      ...checkSubjectForm(subject, form, { today: serviceDate(s.engine.now()), lang }),
      ...lockedChanges(form, app.prefill, lang),
    ];
    if (formErrors.length > 0)
      throw new WorkflowError('WORKFLOW_FORM_INVALID', { count: formErrors.length }, formErrors);
    const replaced = new Set(input.materials.map((m) => m.code));
    const materials = [...app.materials.filter((m) => !replaced.has(m.code)), ...input.materials];
    const at = s.engine.now();
    await linkDocuments(trx, applicantId, app.id, input.materials, 'body.materials', at);
    await replaceHolderLicences(trx, app.id, held, at);
    const updated = await saveAnswer(trx, app.id, { form, materials, version: app.version + 1, at });
    const clock = resumeClock(loaded.calendars.get(task.region_code)!, serviceDate(at), task.remaining_days ?? 0);
    // Values stay out of the log (personal data); which fields and materials changed is enough.
    return s.engine.transition(
      trx,
      updated,
      task,
      'resubmit',
      { kind: 'applicant', id: applicantId },
      {
        detail: { fields: Object.keys(input.form), materials: [...replaced] },
        // A new clock: warned and escalated anew if it runs late again.
        patch: {
          correction: null,
          resume_state: null,
          remaining_days: null,
          due_on: clock.dueOn,
          warn_on: clock.warnOn,
          warned_at: null,
          escalated_at: null,
        },
      },
    );
  });
}

/** 容缺: the applicant sends materials that were to follow; once all are in, the decision may be made. */
export async function supplyMaterials(
  s: Services,
  applicantId: string,
  taskId: string,
  input: { version: number; materials: readonly MaterialRef[] },
): Promise<TaskRow> {
  refuseRepeatedMaterials(input.materials);
  await checkDocumentRefs(s, applicantId, input.materials, 'body.materials');
  const held = await holderLicencesOf(s, applicantId, taskId, input.materials);
  return withTask(s, taskId, input.version, async (trx, app, task) => {
    const unexpected = input.materials.filter((m) => !task.pending_materials.includes(m.code));
    if (input.materials.length === 0 || unexpected.length > 0) {
      throw new WorkflowError(
        'WORKFLOW_CORRECTION_NOT_REQUESTED',
        {},
        (unexpected.length > 0 ? unexpected : [{ code: '' }]).map((m) =>
          invalid(
            `materials.${m.code}`,
            'not_requested',
            m.code ? `${m.code} is not awaited` : 'send at least one awaited material',
          ),
        ),
      );
    }
    const replaced = new Set(input.materials.map((m) => m.code));
    const at = s.engine.now();
    await linkDocuments(trx, applicantId, app.id, input.materials, 'body.materials', at);
    await replaceHolderLicences(trx, app.id, held, at);
    const updated = await saveAnswer(trx, app.id, {
      materials: [...app.materials.filter((m) => !replaced.has(m.code)), ...input.materials],
      version: app.version + 1,
      at,
    });
    return s.engine.transition(
      trx,
      updated,
      task,
      'supplyMaterial',
      { kind: 'applicant', id: applicantId },
      {
        detail: { materials: [...replaced] },
        patch: { pending_materials: task.pending_materials.filter((c) => !replaced.has(c)) },
      },
    );
  });
}

/** The `lic:` materials of a later sending, checked with the licences module (none: no catalog read). */
async function holderLicencesOf(s: Services, applicantId: string, taskId: string, materials: readonly MaterialRef[]) {
  if (!materials.some((m) => m.ref.startsWith('lic:'))) return [];
  const { app } = await loadForAction(s, taskId);
  const subject = await resolveSubject(s.catalog, {
    kind: app.subject_kind,
    code: app.subject_code,
    version: app.subject_version,
  });
  return checkHolderLicences(s.licences, subject, applicantId, materials, 'body.materials', s.engine.now());
}
