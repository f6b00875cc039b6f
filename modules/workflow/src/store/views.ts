// What applicants and officers read: an application with its tasks and what is needed from the
// applicant now, the timeline (from the action log, the source of truth), officer queues.
import { WorkflowError } from '../errors.ts';
import type { AnyKysely } from '@tongban/kernel';
import { sql } from 'kysely';
import { deadlineStatus, serviceDate } from '../domain/deadlines.ts';
import { prefillFields, type StoredPrefill } from '../domain/prefill.ts';
import { ACTIONS, NOTES, TASK_STATES, actionsFor, type TaskState } from '../domain/process.ts';
import { typed, type ApplicationRow, type TaskRow } from './tables.ts';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function taskView(task: TaskRow, today: string) {
  return {
    id: task.id,
    matterCode: task.matter_code,
    matterVersion: task.matter_version,
    departmentCode: task.department_code,
    regionCode: task.region_code,
    process: task.process,
    state: task.state,
    stateName: { zh: TASK_STATES[task.state].zh, en: TASK_STATES[task.state].en },
    dependsOn: task.depends_on,
    dueOn: task.due_on,
    deadline: deadlineStatus(today, { dueOn: task.due_on, warnOn: task.warn_on }) ?? null,
    paused: task.state === 'correction',
    remainingDays: task.remaining_days,
    escalated: task.escalated_at !== null,
    assignee: task.assignee,
    pendingMaterials: task.pending_materials,
    correction: task.correction,
    version: task.version,
    startedAt: iso(task.started_at),
    finishedAt: iso(task.finished_at),
    ...paymentOf(task),
  };
}

/** The payment order named on a task (payments.order.created), when there is one. */
function paymentOf(task: TaskRow): { orderId?: string; amountFen?: number } {
  return {
    ...(task.payment_order_id ? { orderId: task.payment_order_id } : {}),
    ...(task.payment_amount_fen !== null && task.payment_amount_fen !== undefined
      ? { amountFen: Number(task.payment_amount_fen) }
      : {}),
  };
}

/** What the applicant has to do now: answer a correction, send materials that were to follow. */
export interface Needed {
  readonly taskId: string;
  readonly matterCode: string;
  readonly kind: 'correction' | 'materials' | 'payment';
  readonly fields: string[];
  readonly materials: string[];
  readonly reason: string;
  readonly version: number;
  readonly orderId?: string;
  readonly amountFen?: number;
}

export function neededFrom(tasks: readonly TaskRow[]): Needed[] {
  return tasks.flatMap((t): Needed[] => {
    // 待缴费: the fee to pay, with its order once payments assessed it.
    if (t.state === 'awaiting_payment') {
      return [
        {
          taskId: t.id,
          matterCode: t.matter_code,
          kind: 'payment',
          fields: [],
          materials: [],
          reason: '',
          version: t.version,
          ...paymentOf(t),
        },
      ];
    }
    if (t.state === 'correction' && t.correction) {
      return [
        {
          taskId: t.id,
          matterCode: t.matter_code,
          kind: 'correction',
          fields: t.correction.fields,
          materials: t.correction.materials,
          reason: t.correction.reason,
          version: t.version,
        },
      ];
    }
    if (t.pending_materials.length > 0 && !TASK_STATES[t.state].terminal) {
      return [
        {
          taskId: t.id,
          matterCode: t.matter_code,
          kind: 'materials',
          fields: [],
          materials: t.pending_materials,
          reason: '',
          version: t.version,
        },
      ];
    }
    return [];
  });
}

/** `forApplicant`: officers' ids stay out (who handles a case is shown by kind, as in the timeline). */
export function applicationView(app: ApplicationRow, tasks: readonly TaskRow[], today: string, forApplicant = false) {
  const view = applicationFields(app, tasks, today);
  return forApplicant ? { ...view, filedBy: null, tasks: view.tasks.map((t) => ({ ...t, assignee: null })) } : view;
}

function applicationFields(app: ApplicationRow, tasks: readonly TaskRow[], today: string) {
  return {
    id: app.id,
    caseNumber: app.case_number,
    status: app.status,
    channel: app.channel,
    filedBy: app.filed_by,
    subject: { kind: app.subject_kind, code: app.subject_code, version: app.subject_version },
    regionCode: app.region_code,
    form: app.form,
    materials: app.materials,
    prefill: prefillView(app.prefill),
    version: app.version,
    createdAt: iso(app.created_at),
    submittedAt: iso(app.submitted_at),
    finishedAt: iso(app.finished_at),
    withdrawalReason: app.withdrawal_reason,
    tasks: tasks.map((t) => taskView(t, today)),
    needed: neededFrom(tasks),
  };
}

/**
 * What the data hub filled in: per form key its source and whether it is locked, what waits for
 * the applicant's consent at the hub, what the hub had nothing for. `only`: the keys a reader may
 * see (an officer: their matter's fields, without the applicant's consent business).
 */
export function prefillView(prefill: StoredPrefill | null, only?: (key: string) => boolean) {
  if (!prefill) return null;
  return {
    status: prefill.status,
    at: prefill.at,
    problem: prefill.problem,
    fields: prefillFields(prefill, only),
    consentNeeded: only ? [] : [...prefill.consentNeeded],
    missing: only ? [] : [...prefill.missing],
  };
}

/** Tasks as getApplication orders them: by start (not started last), then matter code. */
export function inViewOrder(tasks: readonly TaskRow[]): TaskRow[] {
  const started = (t: TaskRow) => (t.started_at ? new Date(t.started_at).getTime() : Infinity);
  return [...tasks].sort(
    (a, b) => started(a) - started(b) || (a.matter_code < b.matter_code ? -1 : a.matter_code > b.matter_code ? 1 : 0),
  );
}

export async function getApplication(db: AnyKysely, id: string): Promise<{ app: ApplicationRow; tasks: TaskRow[] }> {
  const app = await typed(db).selectFrom('workflow.application').selectAll().where('id', '=', id).executeTakeFirst();
  if (!app) throw new WorkflowError('WORKFLOW_APPLICATION_NOT_FOUND', { id });
  const tasks = await typed(db)
    .selectFrom('workflow.task')
    .selectAll()
    .where('application_id', '=', id)
    .orderBy('started_at')
    .orderBy('matter_code')
    .execute();
  return { app, tasks };
}

export async function listApplications(
  db: AnyKysely,
  applicantId: string,
  status: string | undefined,
  limit: number,
  offset: number,
  today: string,
) {
  let q = typed(db).selectFrom('workflow.application').selectAll().where('applicant_id', '=', applicantId);
  if (status) q = q.where('status', '=', status as ApplicationRow['status']);
  const apps = await q.orderBy('created_at', 'desc').limit(limit).offset(offset).execute();
  const tasks =
    apps.length === 0
      ? []
      : await typed(db)
          .selectFrom('workflow.task')
          .selectAll()
          .where(
            'application_id',
            'in',
            apps.map((a) => a.id),
          )
          .execute();
  return apps.map((a) => {
    const own = tasks.filter((t) => t.application_id === a.id);
    const { form: _form, materials: _materials, prefill: _prefill, ...summary } = applicationView(a, own, today, true);
    return summary;
  });
}

const actionName = (action: string) =>
  (ACTIONS as Record<string, { zh: string; en: string }>)[action] ??
  (NOTES as Record<string, { zh: string; en: string }>)[action] ??
  {
    submit: { zh: '提交申请', en: 'Submitted' },
    complete: { zh: '全部办结', en: 'Completed' },
    close: { zh: '办结', en: 'Closed' },
    licence_material: { zh: '电子证照用作材料（免提交）', en: 'Electronic licence used as material' },
    licence_status: { zh: '作为材料的电子证照状态变更', en: 'Status of a licence used as material changed' },
    payment_order: { zh: '生成缴费订单', en: 'Payment order issued' },
  }[action] ?? { zh: action, en: action };

/** The application's log, oldest first. Applicants see who acted by kind only; officers see ids. */
export async function timeline(db: AnyKysely, applicationId: string, withActorIds: boolean) {
  const rows = await typed(db)
    .selectFrom('workflow.action')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    seq: r.seq,
    taskId: r.task_id,
    action: r.action,
    actionName: { zh: actionName(r.action).zh, en: actionName(r.action).en },
    actor: withActorIds ? { kind: r.actor_kind, id: r.actor_id } : { kind: r.actor_kind },
    from: r.from_state,
    to: r.to_state,
    reason: r.reason,
    rule: r.rule,
    detail: withActorIds ? r.detail : {},
    at: iso(r.at),
  }));
}

export interface QueueFilter {
  readonly departments: readonly string[];
  readonly states: readonly TaskState[];
  readonly deadline?: 'overdue' | 'due_soon';
  readonly assignee?: 'me' | 'unassigned';
  readonly escalated?: boolean;
  readonly limit: number;
  readonly offset: number;
}

/** A department's open tasks, soonest due first (overdue at the top), with the actions the officer's roles allow. */
export async function queue(
  db: AnyKysely,
  officer: { id: string; roles: readonly string[] },
  filter: QueueFilter,
  now: Date,
) {
  if (filter.departments.length === 0) return [];
  const today = serviceDate(now);
  let q = typed(db)
    .selectFrom('workflow.task as t')
    .innerJoin('workflow.application as a', 'a.id', 't.application_id')
    .select([
      't.id',
      't.application_id',
      't.matter_code',
      't.department_code',
      't.region_code',
      't.process',
      't.state',
      't.due_on',
      't.warn_on',
      't.escalated_at',
      't.assignee',
      't.version',
      't.pending_materials',
      'a.case_number',
      'a.channel',
      'a.submitted_at',
      'a.withdrawal_reason',
    ])
    .where('t.department_code', 'in', filter.departments)
    .where('t.state', 'in', filter.states);
  if (filter.deadline === 'overdue') q = q.where('t.due_on', '<', today);
  if (filter.deadline === 'due_soon') q = q.where('t.warn_on', '<=', today).where('t.due_on', '>=', today);
  if (filter.assignee === 'me') q = q.where('t.assignee', '=', officer.id);
  if (filter.assignee === 'unassigned') q = q.where('t.assignee', 'is', null);
  if (filter.escalated) q = q.where('t.escalated_at', 'is not', null);
  const rows = await q
    .orderBy(sql`t.due_on asc nulls last`)
    .orderBy('t.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return rows.map((r) => ({
    taskId: r.id,
    applicationId: r.application_id,
    caseNumber: r.case_number,
    matterCode: r.matter_code,
    departmentCode: r.department_code,
    state: r.state,
    stateName: { zh: TASK_STATES[r.state].zh, en: TASK_STATES[r.state].en },
    dueOn: r.due_on,
    deadline: deadlineStatus(today, { dueOn: r.due_on, warnOn: r.warn_on }) ?? null,
    escalated: r.escalated_at !== null,
    assignee: r.assignee,
    version: r.version,
    pendingMaterials: r.pending_materials,
    channel: r.channel,
    submittedAt: iso(r.submitted_at),
    actions: actionsFor(r.process, r.state, officer.roles),
    withdrawalReason: r.withdrawal_reason,
  }));
}
