// The moves every flow shares, inside the caller's transaction: a task transition (checked
// against the process table, guarded by the task's version, appended to the action log, published
// through the outbox), starting a task (its deadline clock and 秒批), and settling an application
// after a task finishes (start what was waiting, end what can no longer happen, finish the whole).
import { WorkflowError } from '../errors.ts';
import type { EventData, TaskTransitioned } from '@tongban/contracts';
import type { DomainError, DraftEvent, ModuleContext, WorkingCalendar } from '@tongban/kernel';
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
import { verifiedOf } from '../domain/prefill.ts';
import { firstRuleThatHolds } from '../domain/rules.ts';
import type { CatalogPort, MatterVersion } from '../service/catalog.ts';
import { insertAction, logAction, writeStaged } from '../store/actions.ts';
import { getApplication, markFinished } from '../store/applications.ts';
import type { ActionRow, ApplicationRow, TaskRow, Trx } from '../store/tables.ts';
import { findTaskState, lockTasksOf, updateTaskAtVersion } from '../store/tasks.ts';

/** An event a batch of moves publishes once its rows are written: a task's step (its action's seq still to come) or the application's end. */
type StagedEvent =
  | { readonly type: TaskEventType; readonly data: Omit<TaskTransitioned, 'seq'>; readonly action: NewAction }
  | {
      readonly type: 'workflow.application.completed' | 'workflow.application.closed';
      readonly data: EventData<'workflow.application.completed'>;
      readonly action?: undefined;
    }
  | {
      readonly type: 'workflow.application.submitted';
      readonly data: EventData<'workflow.application.submitted'>;
      readonly action?: undefined;
    };

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

/**
 * Where the engine's moves go. Straight to the database, one statement each, with the task's
 * version guarding every update (the officers' flows); or staged in memory and written in a few
 * multi-row statements at the end (a new application, whose rows nobody else can see yet).
 */
interface Moves {
  transition(
    app: ApplicationRow,
    task: TaskRow,
    action: ActionName,
    actor: Actor,
    options?: TransitionOptions,
  ): Promise<TaskRow>;
  /** The application's tasks as they stand, by matter code (locked, in the database). */
  tasks(app: ApplicationRow): Promise<TaskRow[]>;
  /** Every task finished: the application completes or closes. */
  finish(app: ApplicationRow, outcome: 'completed' | 'closed'): Promise<ApplicationRow>;
}

type NewAction = Omit<ActionRow, 'seq'>;

/**
 * A new application's writes, made in memory by the same moves as ever (`Engine.stage`) and then
 * written at once (`Engine.write`): tasks and actions in one statement, then its events.
 */
export class Staged {
  /** The application as inserted, and as the moves left it (finished, when every task was decided at once). */
  readonly inserted: ApplicationRow;
  app: ApplicationRow;
  readonly tasks = new Map<string, TaskRow>();
  readonly actions: NewAction[] = [];
  /** Events in order; a task's transition names its action (its seq is known once written). */
  readonly events: StagedEvent[] = [];

  constructor(app: ApplicationRow, tasks: readonly TaskRow[]) {
    this.inserted = app;
    this.app = app;
    for (const t of [...tasks].sort((a, b) => (a.matter_code < b.matter_code ? -1 : 1))) this.tasks.set(t.id, t);
  }
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
    return this.#direct(trx).transition(app, task, action, actor, options);
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
      const changed = await updateTaskAtVersion(trx, task.id, task.version, {
        ...options.patch,
        ...(options.bump ? { version: task.version + 1 } : {}),
      });
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
    const current = await findTaskState(trx, taskId);
    return new WorkflowError('WORKFLOW_STALE_TASK', { state: current?.state ?? 'unknown' }, [], {
      current: current ?? null,
    });
  }

  /** The action row a move appends to the log. */
  #action(
    app: ApplicationRow,
    task: TaskRow,
    action: string,
    actor: Actor,
    from: string,
    to: string,
    at: Date,
    options: TransitionOptions & { readonly versioned?: boolean },
  ): NewAction {
    return {
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
      detail: options.detail ?? {},
      at,
    };
  }

  /** The event of a logged move, without the action's seq. */
  #transitioned(app: ApplicationRow, task: TaskRow, row: NewAction): Omit<TaskTransitioned, 'seq'> {
    return {
      applicationId: app.id,
      caseNumber: app.case_number ?? '',
      taskId: task.id,
      matterCode: task.matter_code,
      departmentCode: task.department_code,
      applicantId: app.applicant_id,
      action: row.action,
      from: row.from_state!,
      to: row.to_state!,
      actor: { kind: row.actor_kind, id: row.actor_id },
      ...(row.reason ? { reason: row.reason } : {}),
      ...(row.rule ? { rule: row.rule } : {}),
      at: row.at.toISOString(),
    };
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
    const row = this.#action(app, task, action, actor, from, to, at, options);
    const seq = await logAction(trx, row);
    const data: TaskTransitioned = { ...this.#transitioned(app, task, row), seq };
    await this.#ctx.events.publish(trx, event, data);
  }

  /** The task after `action`, in memory (checked against the process table), and its event. */
  #moved(task: TaskRow, action: ActionName, options: TransitionOptions) {
    const spec = refuseInvalidTransition(task, action);
    const to = nextState(action, task.state, task.resume_state ?? undefined);
    const at = this.now();
    const finished = TASK_STATES[to].terminal;
    const row: TaskRow = {
      ...task,
      ...options.patch,
      state: to,
      version: task.version + 1,
      ...(finished ? { finished_at: at } : {}),
    };
    return { spec, to, at, finished, row };
  }

  #direct(trx: Trx): Moves {
    return {
      transition: async (app, task, action, actor, options = {}) => {
        const { spec, to, at, finished } = this.#moved(task, action, options);
        const changed = await updateTaskAtVersion(trx, task.id, task.version, {
          ...options.patch,
          state: to,
          version: task.version + 1,
          ...(finished ? { finished_at: at } : {}),
        });
        if (!changed) throw await this.stale(trx, task.id);
        await this.#log(trx, app, changed, spec.event, action, actor, task.state, to, at, options);
        return changed;
      },
      tasks: (app) => lockTasksOf(trx, app.id),
      finish: async (app, outcome) => {
        const at = this.now();
        const finished = await markFinished(trx, app.id, { outcome, version: app.version + 1, at });
        await insertAction(trx, this.#finishAction(app, outcome, at));
        await this.#ctx.events.publish(trx, `workflow.application.${outcome}`, this.#finishEvent(app));
        return finished;
      },
    };
  }

  #finishAction(app: ApplicationRow, outcome: 'completed' | 'closed', at: Date): NewAction {
    return {
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
      detail: {},
      at,
    };
  }

  #finishEvent(app: ApplicationRow): EventData<'workflow.application.completed'> {
    return { applicationId: app.id, caseNumber: app.case_number ?? '', applicantId: app.applicant_id };
  }

  /** Moves on a new application, kept in memory until `write`. */
  #staged(staged: Staged): Moves {
    return {
      transition: async (app, task, action, actor, options = {}) => {
        const { spec, to, at, row } = this.#moved(task, action, options);
        staged.tasks.set(row.id, row);
        const logged = this.#action(app, row, action, actor, task.state, to, at, options);
        staged.actions.push(logged);
        staged.events.push({ type: spec.event, data: { ...this.#transitioned(app, row, logged) }, action: logged });
        return row;
      },
      tasks: async () => [...staged.tasks.values()],
      finish: async (app, outcome) => {
        const at = this.now();
        staged.app = { ...app, status: outcome, finished_at: at, updated_at: at, version: app.version + 1 };
        staged.actions.push(this.#finishAction(app, outcome, at));
        staged.events.push({ type: `workflow.application.${outcome}`, data: this.#finishEvent(app) });
        return staged.app;
      },
    };
  }

  /** The system starts a task whose prerequisites are done: its clock runs, and 秒批 may decide it at once. */
  async start(
    trx: Trx,
    app: ApplicationRow,
    task: TaskRow,
    loaded: Loaded,
    prerequisites: Readonly<Record<string, string>>,
  ): Promise<TaskRow> {
    return this.#start(this.#direct(trx), app, task, loaded, prerequisites);
  }

  async #start(
    moves: Moves,
    app: ApplicationRow,
    task: TaskRow,
    loaded: Loaded,
    prerequisites: Readonly<Record<string, string>>,
  ): Promise<TaskRow> {
    const matter = loaded.matters.get(task.matter_code)!;
    const at = this.now();
    // 统一支付: a matter with fees waits for payments.order.paid before it is the department's work;
    // its promised days count from payment (service/payments.ts starts the clock). Without a
    // payments module in this deployment, fees are paid as before, outside the platform.
    if (this.awaitsPayment(matter)) {
      return moves.transition(app, task, 'startAwaitingPayment', SYSTEM, { patch: { started_at: at } });
    }
    const row = await moves.transition(app, task, 'start', SYSTEM, {
      patch: this.#clock(task, loaded, at),
    });
    return this.#autoApprove(moves, app, row, matter, prerequisites);
  }

  /** Whether a task of this matter waits for payment when it starts: it has fees, and payments runs. */
  awaitsPayment(matter: MatterVersion): boolean {
    return matter.fees.length > 0 && this.#ctx.modules.locate('payments') !== undefined;
  }

  /** The deadline clock from `at`: due and warning days in the region's working days. */
  #clock(task: TaskRow, loaded: Loaded, at: Date) {
    const clock = startClock(loaded.calendars.get(task.region_code)!, serviceDate(at), task.promised_days);
    return { due_on: clock.dueOn, warn_on: clock.warnOn, started_at: at };
  }

  /**
   * payments.order.paid on a task awaiting payment: it is submitted to the department, its clock
   * starts now, and 秒批 may decide it at once; then the application settles.
   */
  async paymentReceived(
    trx: Trx,
    app: ApplicationRow,
    task: TaskRow,
    loaded: Loaded,
    payment: { readonly orderId: string; readonly amountFen: number; readonly via: string; readonly paidAt: string },
  ): Promise<ApplicationRow> {
    const moves = this.#direct(trx);
    const matter = loaded.matters.get(task.matter_code)!;
    const { started_at: _started, ...clock } = this.#clock(task, loaded, this.now());
    const row = await moves.transition(app, task, 'paymentReceived', SYSTEM, {
      patch: { ...clock, payment_order_id: payment.orderId, payment_amount_fen: payment.amountFen },
      detail: { orderId: payment.orderId, amountFen: payment.amountFen, via: payment.via, paidAt: payment.paidAt },
    });
    const tasks = await moves.tasks(app);
    const outcomes = Object.fromEntries(tasks.map((t) => [t.matter_code, t.state]));
    await this.#autoApprove(
      moves,
      app,
      row,
      matter,
      Object.fromEntries(task.depends_on.map((d) => [d, outcomes[d] as TaskState])),
    );
    return this.settle(trx, app, loaded);
  }

  /** payments.order.expired on a task awaiting payment: it ends, and the application settles (closed). */
  async paymentLapsed(
    trx: Trx,
    app: ApplicationRow,
    task: TaskRow,
    loaded: Loaded,
    orderId: string,
  ): Promise<ApplicationRow> {
    await this.#direct(trx).transition(app, task, 'paymentLapsed', SYSTEM, {
      reason: '逾期未缴费 / the fee was not paid before the order expired',
      detail: { orderId },
    });
    return this.settle(trx, app, loaded);
  }

  async #autoApprove(
    moves: Moves,
    app: ApplicationRow,
    task: TaskRow,
    matter: MatterVersion,
    prerequisites: Readonly<Record<string, string>>,
  ): Promise<TaskRow> {
    let row = task;
    const rules = matter.autoApprove ?? [];
    if (rules.length > 0) {
      const verdict = firstRuleThatHolds(rules, {
        form: matterForm(matter, app.subject_kind, app.form),
        applicant: { id: app.applicant_id, kind: app.applicant_kind, channel: app.channel },
        prerequisites,
        // What a registry verified, by data element; locked in the form since the prefill.
        verified: verifiedOf(app.prefill),
      });
      if (verdict.fired) {
        row = await moves.transition(app, row, 'autoApprove', SYSTEM, {
          rule: verdict.fired.id,
          detail: { ruleName: verdict.fired.name },
        });
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
    const app = await getApplication(trx, given.id);
    // Withdrawn is final: its tasks are all ended, and 'closed' must not overwrite why.
    if (app.status === 'withdrawn') return app;
    return this.#settle(this.#direct(trx), app, loaded);
  }

  /**
   * A new application: its first moves (settling, from all tasks waiting) are made in memory and
   * come back staged, with the caller's own (the submit action) added before `write`.
   */
  async stage(app: ApplicationRow, tasks: readonly TaskRow[], loaded: Loaded, before: (staged: Staged) => void) {
    const staged = new Staged(app, tasks);
    before(staged);
    staged.app = await this.#settle(this.#staged(staged), app, loaded);
    return staged;
  }

  /**
   * Writes what `stage` made: tasks and actions in one statement (data-modifying CTEs; the
   * foreign keys are checked at its end), then the events in order, each task's with its action's seq.
   */
  async write(trx: Trx, staged: Staged): Promise<void> {
    const written = await writeStaged(trx, {
      tasks: [...staged.tasks.values()],
      actions: staged.actions,
      // The moves changed the application (they finished it): its end is written too.
      ...(staged.app !== staged.inserted ? { application: staged.app } : {}),
    });
    const seqs = new Map(written.map((w) => [`${w.task_id}:${w.task_version}`, w.seq]));
    const events: DraftEvent[] = staged.events.map((e): DraftEvent => {
      if (!e.action) return { type: e.type, data: e.data } as DraftEvent;
      const seq = seqs.get(`${e.action.task_id}:${e.action.task_version}`)!;
      return { type: e.type, data: { ...e.data, seq } } as DraftEvent;
    });
    // One insert for them all: a new application's events cost one round trip, not one each.
    await this.#ctx.events.publishAll(trx, events);
  }

  async #settle(moves: Moves, app: ApplicationRow, loaded: Loaded): Promise<ApplicationRow> {
    for (;;) {
      const tasks = await moves.tasks(app);
      const steps = nextSteps(
        tasks.map((t) => ({ matterCode: t.matter_code, state: t.state, dependsOn: t.depends_on })),
      );
      if (steps.start.length === 0 && steps.cancel.length === 0) {
        const outcome = applicationOutcome(
          tasks.map((t) => ({ matterCode: t.matter_code, state: t.state, dependsOn: t.depends_on })),
        );
        if (outcome === 'in_progress' || app.status === outcome) return app;
        return moves.finish(app, outcome);
      }
      const byCode = new Map(tasks.map((t) => [t.matter_code, t]));
      const outcomes = Object.fromEntries(tasks.map((t) => [t.matter_code, t.state]));
      for (const { matterCode, because } of steps.cancel) {
        const prerequisite = loaded.matters.get(because);
        await moves.transition(app, byCode.get(matterCode)!, 'cancel', SYSTEM, {
          reason: `前置事项“${prerequisite?.name.zh ?? because}”未通过 / prerequisite "${prerequisite?.name.en ?? because}" was not granted`,
          detail: { prerequisite: because, prerequisiteState: outcomes[because] },
        });
      }
      for (const matterCode of steps.start) {
        const task = byCode.get(matterCode)!;
        await this.#start(
          moves,
          app,
          task,
          loaded,
          Object.fromEntries(task.depends_on.map((d) => [d, outcomes[d] as TaskState])),
        );
      }
    }
  }
}

/** The action's spec, or 409 with the current state unless `action` may be taken on `task` as it stands. */
export function refuseInvalidTransition(task: TaskRow, action: ActionName): ActionSpec {
  const spec = actionSpec(task.process, action);
  // Not the department's work until paid: a stable code the console can explain (待缴费).
  if (task.state === 'awaiting_payment' && spec?.actor === 'officer') {
    throw new WorkflowError('WORKFLOW_AWAITING_PAYMENT', { action }, [], {
      current: { state: task.state, version: task.version },
    });
  }
  if (!spec || !allows(task.process, action, task.state)) {
    throw new WorkflowError('WORKFLOW_INVALID_TRANSITION', { action, state: task.state }, [], {
      current: { state: task.state, version: task.version },
    });
  }
  return spec;
}
