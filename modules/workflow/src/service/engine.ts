// The moves every flow shares, inside the caller's transaction: a task transition (checked
// against the process table, guarded by the task's version, appended to the action log, published
// through the outbox), starting a task (its deadline clock and 秒批), and settling an application
// after a task finishes (start what was waiting, end what can no longer happen, finish the whole).
import { WorkflowError } from '../errors.ts';
import { randomUUID } from 'node:crypto';
import type { TaskTransitioned } from '@tongban/contracts';
import type { DomainError } from '@tongban/kernel';
import { type ModuleContext, type WorkingCalendar } from '@tongban/kernel';
import { serviceDate, startClock } from '../domain/deadlines.ts';
import { applicationOutcome, matterForm, nextSteps } from '../domain/plan.ts';
import {
  NOTES,
  TASK_STATES,
  actionSpec,
  allows,
  nextState,
  type ActionName,
  type ActionSpec,
  type ActorKind,
  type NoteName,
  type TaskState,
  type TaskEventType,
} from '../domain/process.ts';
import { firstRuleThatHolds } from '../domain/rules.ts';
import type { CatalogPort, MatterVersion } from '../service/catalog.ts';
import type { NoticeKind } from '../messages.ts';
import { typed, type ApplicationRow, type TaskRow, type Trx } from '../store/tables.ts';

export interface Actor {
  readonly kind: ActorKind;
  readonly id: string;
}

export const SYSTEM: Actor = { kind: 'system', id: 'workflow' };

/** Catalog data one application needs, fetched before its transaction opens. */
export interface Loaded {
  readonly matters: ReadonlyMap<string, MatterVersion>;
  readonly calendars: ReadonlyMap<string, WorkingCalendar>;
}

export async function prefetch(
  port: CatalogPort,
  tasks: readonly Pick<TaskRow, 'matter_code' | 'matter_version' | 'region_code'>[],
): Promise<Loaded> {
  const [matters, calendars] = await Promise.all([
    Promise.all(tasks.map((t) => port.matter(t.matter_code, t.matter_version))),
    Promise.all([...new Set(tasks.map((t) => t.region_code))].map(async (r) => [r, await port.calendar(r)] as const)),
  ]);
  return { matters: new Map(matters.map((m) => [m.code, m])), calendars: new Map(calendars) };
}

export interface TransitionOptions {
  readonly reason?: string;
  readonly rule?: string;
  readonly detail?: Record<string, unknown>;
  /** Other columns the action changes (deadline, correction, assignee …). */
  readonly patch?: Partial<Omit<TaskRow, 'id' | 'version' | 'state'>>;
}

export class Engine {
  readonly #ctx: ModuleContext;

  constructor(ctx: ModuleContext) {
    this.#ctx = ctx;
  }

  now(): Date {
    return this.#ctx.clock.now();
  }

  /**
   * Applies one action of the process table to a task loaded at `task.version`. The update is
   * conditional on that version and the action row is unique per (task, version): of two officers
   * acting on the same version, one wins and the other gets 409 with the current state.
   */
  async transition(
    trx: Trx,
    app: ApplicationRow,
    task: TaskRow,
    action: ActionName,
    actor: Actor,
    options: TransitionOptions = {},
  ): Promise<TaskRow> {
    const spec = refuseInvalidTransition(task, action);
    const to = nextState(action, task.state, task.resume_state ?? undefined);
    const at = this.now();
    const finished = TASK_STATES[to].terminal;
    const changed = await typed(trx)
      .updateTable('workflow.task')
      .set({ ...options.patch, state: to, version: task.version + 1, ...(finished ? { finished_at: at } : {}) })
      .where('id', '=', task.id)
      .where('version', '=', task.version)
      .returningAll()
      .executeTakeFirst();
    if (!changed) throw await this.stale(trx, task.id);
    await this.#log(trx, app, changed, spec.event, action, actor, task.state, to, at, options);
    return changed;
  }

  /** A logged note that leaves the state alone (claim, assign, warning, escalation). */
  async note(
    trx: Trx,
    app: ApplicationRow,
    task: TaskRow,
    note: NoteName,
    actor: Actor,
    options: TransitionOptions & { readonly bump?: boolean } = {},
  ): Promise<TaskRow> {
    const at = this.now();
    let row = task;
    if (options.patch || options.bump) {
      const changed = await typed(trx)
        .updateTable('workflow.task')
        .set({ ...options.patch, ...(options.bump ? { version: task.version + 1 } : {}) })
        .where('id', '=', task.id)
        .where('version', '=', task.version)
        .returningAll()
        .executeTakeFirst();
      if (!changed) throw await this.stale(trx, task.id);
      row = changed;
    }
    await this.#log(trx, app, row, NOTES[note].event, note, actor, task.state, task.state, at, {
      ...options,
      versioned: options.bump ?? false,
    });
    return row;
  }

  async stale(trx: Trx, taskId: string): Promise<DomainError> {
    const current = await typed(trx)
      .selectFrom('workflow.task')
      .select(['state', 'version', 'assignee'])
      .where('id', '=', taskId)
      .executeTakeFirst();
    return new WorkflowError('WORKFLOW_STALE_TASK', { state: current?.state ?? 'unknown' }, [], {
      current: current ?? null,
    });
  }

  async #log(
    trx: Trx,
    app: ApplicationRow,
    task: TaskRow,
    event: TaskEventType,
    action: string,
    actor: Actor,
    from: string,
    to: string,
    at: Date,
    options: TransitionOptions & { readonly versioned?: boolean },
  ): Promise<void> {
    const { seq } = await typed(trx)
      .insertInto('workflow.action')
      .values({
        application_id: app.id,
        task_id: task.id,
        task_version: options.versioned === false ? null : task.version,
        action,
        actor_kind: actor.kind,
        actor_id: actor.id,
        from_state: from,
        to_state: to,
        reason: options.reason ?? null,
        rule: options.rule ?? null,
        detail: JSON.stringify(options.detail ?? {}) as never,
        at,
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    const data: TaskTransitioned = {
      applicationId: app.id,
      caseNumber: app.case_number ?? '',
      taskId: task.id,
      matterCode: task.matter_code,
      departmentCode: task.department_code,
      applicantId: app.applicant_id,
      action,
      from,
      to,
      actor: { kind: actor.kind, id: actor.id },
      ...(options.reason ? { reason: options.reason } : {}),
      ...(options.rule ? { rule: options.rule } : {}),
      at: at.toISOString(),
      seq,
    };
    await this.#ctx.events.publish(trx, event, data);
  }

  /** The system starts a task whose prerequisites are done: its clock runs, and 秒批 may decide it at once. */
  async start(
    trx: Trx,
    app: ApplicationRow,
    task: TaskRow,
    loaded: Loaded,
    prerequisites: Readonly<Record<string, string>>,
  ): Promise<TaskRow> {
    const matter = loaded.matters.get(task.matter_code)!;
    const calendar = loaded.calendars.get(task.region_code)!;
    const at = this.now();
    const clock = startClock(calendar, serviceDate(at), task.promised_days);
    let row = await this.transition(trx, app, task, 'start', SYSTEM, {
      patch: { due_on: clock.dueOn, warn_on: clock.warnOn, started_at: at },
    });
    const rules = matter.autoApprove ?? [];
    if (rules.length > 0) {
      const verdict = firstRuleThatHolds(rules, {
        form: matterForm(matter, app.subject_kind, app.form),
        applicant: { id: app.applicant_id, kind: app.applicant_kind, channel: app.channel },
        prerequisites,
        verified: {},
      });
      if (verdict.fired) {
        row = await this.transition(trx, app, row, 'autoApprove', SYSTEM, {
          rule: verdict.fired.id,
          detail: { ruleName: verdict.fired.name },
        });
        await this.notify(trx, app, row, 'approved', { matterZh: matter.name.zh, matterEn: matter.name.en });
      } else if (verdict.failures.length > 0) {
        this.#ctx.log.warn(
          { taskId: task.id, failures: verdict.failures },
          'auto-approval rules could not be evaluated; the task goes to an officer',
        );
      }
    }
    return row;
  }

  /**
   * After any task changed: start the waiting tasks whose prerequisites are all approved, end those
   * whose prerequisite was refused (with that one named), repeat until nothing moves (an approval
   * by rule may start the next), then finish the application when every task is finished.
   */
  async settle(trx: Trx, given: ApplicationRow, loaded: Loaded): Promise<ApplicationRow> {
    // The caller may have changed the application (a corrected form): rules read the current one.
    const app = await typed(trx)
      .selectFrom('workflow.application')
      .selectAll()
      .where('id', '=', given.id)
      .executeTakeFirstOrThrow();
    // Withdrawn is final: its tasks are all ended, and 'closed' must not overwrite why.
    if (app.status === 'withdrawn') return app;
    for (;;) {
      const tasks = await typed(trx)
        .selectFrom('workflow.task')
        .selectAll()
        .where('application_id', '=', app.id)
        .orderBy('matter_code')
        .forUpdate()
        .execute();
      const steps = nextSteps(
        tasks.map((t) => ({ matterCode: t.matter_code, state: t.state, dependsOn: t.depends_on })),
      );
      if (steps.start.length === 0 && steps.cancel.length === 0) {
        const outcome = applicationOutcome(
          tasks.map((t) => ({ matterCode: t.matter_code, state: t.state, dependsOn: t.depends_on })),
        );
        if (outcome === 'in_progress' || app.status === outcome) return app;
        const at = this.now();
        const finished = await typed(trx)
          .updateTable('workflow.application')
          .set({ status: outcome, finished_at: at, updated_at: at, version: app.version + 1 })
          .where('id', '=', app.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await typed(trx)
          .insertInto('workflow.action')
          .values({
            application_id: app.id,
            task_id: null,
            task_version: null,
            action: outcome === 'completed' ? 'complete' : 'close',
            actor_kind: 'system',
            actor_id: SYSTEM.id,
            from_state: app.status,
            to_state: outcome,
            reason: null,
            rule: null,
            detail: '{}' as never,
            at,
          })
          .execute();
        await this.#ctx.events.publish(trx, `workflow.application.${outcome}`, {
          applicationId: app.id,
          caseNumber: app.case_number ?? '',
          applicantId: app.applicant_id,
        });
        await this.notify(trx, finished, null, outcome, {});
        return finished;
      }
      const byCode = new Map(tasks.map((t) => [t.matter_code, t]));
      const outcomes = Object.fromEntries(tasks.map((t) => [t.matter_code, t.state]));
      for (const { matterCode, because } of steps.cancel) {
        const prerequisite = loaded.matters.get(because);
        await this.transition(trx, app, byCode.get(matterCode)!, 'cancel', SYSTEM, {
          reason: `前置事项“${prerequisite?.name.zh ?? because}”未通过 / prerequisite "${prerequisite?.name.en ?? because}" was not granted`,
          detail: { prerequisite: because, prerequisiteState: outcomes[because] },
        });
      }
      for (const matterCode of steps.start) {
        const task = byCode.get(matterCode)!;
        await this.start(
          trx,
          app,
          task,
          loaded,
          Object.fromEntries(task.depends_on.map((d) => [d, outcomes[d] as TaskState])),
        );
      }
    }
  }

  async notify(
    trx: Trx,
    app: ApplicationRow,
    task: TaskRow | null,
    kind: NoticeKind,
    params: Record<string, string>,
  ): Promise<void> {
    await typed(trx)
      .insertInto('workflow.notice')
      .values({
        id: randomUUID(),
        recipient_id: app.applicant_id,
        application_id: app.id,
        task_id: task?.id ?? null,
        kind,
        params: JSON.stringify({ caseNumber: app.case_number ?? '', ...params }) as never,
        created_at: this.now(),
        read_at: null,
      })
      .execute();
  }
}

/** The action's spec, or 409 with the current state unless `action` may be taken on `task` as it stands. */
export function refuseInvalidTransition(task: TaskRow, action: ActionName): ActionSpec {
  const spec = actionSpec(task.process, action);
  if (!spec || !allows(task.process, action, task.state)) {
    throw new WorkflowError('WORKFLOW_INVALID_TRANSITION', { action, state: task.state }, [], {
      current: { state: task.state, version: task.version },
    });
  }
  return spec;
}
