// Per-matter processes as states and actions with roles (DIGIT's model), declared in typed tables
// and checked when this file loads: an action from or to an unknown state, a state no action
// reaches, or a terminal state with a way out stops the module before it serves anything.
// A matter names its process in the catalog: 'standard' (受理 → 审核 → 决定) or 'immediate'
// (即办件: 受理 → 决定, no separate review).
import { StaffRoles, type MatterProcess, type TASK_EVENT_VERBS } from '@tongban/contracts';

/** A task's event type: one of the contracts' verbs, so a new one cannot be published without a schema. */
export type TaskEventType = `workflow.task.${(typeof TASK_EVENT_VERBS)[number]}`;

/** The states of a department task (部门办件). Few statuses; flags (overdue, paused) live beside them. */
export const TASK_STATES = {
  waiting: { zh: '等待前置事项', en: 'Waiting for prerequisites', terminal: false },
  // A matter with fees (收费事项): started, but not submitted to the department until paid; no clock runs.
  awaiting_payment: { zh: '待缴费', en: 'Awaiting payment', terminal: false },
  submitted: { zh: '待受理', en: 'Awaiting acceptance', terminal: false },
  accepted: { zh: '审核中', en: 'Under review', terminal: false },
  reviewed: { zh: '待决定', en: 'Awaiting decision', terminal: false },
  correction: { zh: '待补正', en: 'Awaiting correction', terminal: false },
  approved: { zh: '已办结（准予）', en: 'Approved', terminal: true },
  rejected: { zh: '已办结（不予）', en: 'Rejected', terminal: true },
  cancelled: { zh: '已终止', en: 'Ended', terminal: true },
  withdrawn: { zh: '已撤回', en: 'Withdrawn by the applicant', terminal: true },
} as const satisfies Record<string, { zh: string; en: string; terminal: boolean }>;
export type TaskState = keyof typeof TASK_STATES;

/** Who performs an action: the applicant, a department officer (by role), or the system itself. */
export type ActorKind = 'applicant' | 'officer' | 'system';

export interface ActionSpec {
  readonly zh: string;
  readonly en: string;
  readonly actor: ActorKind;
  /** For officers: any of these roles (staff roles from identity). */
  readonly roles?: readonly string[];
  readonly from: readonly TaskState[];
  /** The state after; 'resume' goes back to the state the correction interrupted. */
  readonly to: TaskState | 'resume' | 'same';
  /** The action must say why (a rejection, a correction request). */
  readonly needsReason?: boolean;
  /** The event type this action publishes (workflow.task.<verb>). */
  readonly event: TaskEventType;
}

// Roles: 'officer' (受理 and 审核 staff), 'approver' (who signs the decision), 'lead' (科室负责人:
// assigns work, receives escalations); 'counter' (窗口) files at a service counter. An officer with
// 'officer' alone can run the simple process.
/** Who may take up a task at all: act on it, or claim it (认领). */
export const STAFF = [StaffRoles.officer, StaffRoles.approver, StaffRoles.lead] as const;
/**
 * 窗口: staff of a service counter, who file applications on a person's behalf (any department's
 * matters, within their own jurisdiction). Not a staff role on tasks: filing is not handling.
 */
export const COUNTER_ROLE = StaffRoles.counter;
/** Every role the workflow gives meaning to (granted by identity as staff roles). */
export type StaffRole = (typeof STAFF)[number] | typeof COUNTER_ROLE;
const DECIDERS = ['officer', 'approver', 'lead'] as const;

export const ACTIONS = {
  start: {
    zh: '开始办理',
    en: 'Started',
    actor: 'system',
    from: ['waiting'],
    to: 'submitted',
    event: 'workflow.task.started',
  },
  // A matter with fees starts awaiting payment: the same started event (to awaiting_payment), no clock yet.
  startAwaitingPayment: {
    zh: '开始办理（待缴费）',
    en: 'Started (awaiting payment)',
    actor: 'system',
    from: ['waiting'],
    to: 'awaiting_payment',
    event: 'workflow.task.started',
  },
  // payments.order.paid (paid through a channel, or waived): the department's work and clock begin.
  paymentReceived: {
    zh: '已缴费',
    en: 'Payment received',
    actor: 'system',
    from: ['awaiting_payment'],
    to: 'submitted',
    event: 'workflow.task.payment-received',
  },
  // payments.order.expired: not paid in time, the task ends and the application settles closed.
  paymentLapsed: {
    zh: '逾期未缴费，终止办理',
    en: 'Ended: the fee was not paid in time',
    actor: 'system',
    from: ['awaiting_payment'],
    to: 'cancelled',
    needsReason: true,
    event: 'workflow.task.payment-lapsed',
  },
  accept: {
    zh: '受理',
    en: 'Accept',
    actor: 'officer',
    roles: STAFF,
    from: ['submitted'],
    to: 'accepted',
    event: 'workflow.task.accepted',
  },
  // 容缺受理: accepted with named materials to follow; the decision waits for them.
  acceptPending: {
    zh: '容缺受理',
    en: 'Accept with materials to follow',
    actor: 'officer',
    roles: STAFF,
    from: ['submitted'],
    to: 'accepted',
    event: 'workflow.task.accepted',
  },
  review: {
    zh: '审核通过',
    en: 'Review passed',
    actor: 'officer',
    roles: STAFF,
    from: ['accepted'],
    to: 'reviewed',
    event: 'workflow.task.reviewed',
  },
  approve: {
    zh: '准予',
    en: 'Approve',
    actor: 'officer',
    roles: DECIDERS,
    from: ['reviewed'],
    to: 'approved',
    event: 'workflow.task.approved',
  },
  reject: {
    zh: '不予办理',
    en: 'Reject',
    actor: 'officer',
    roles: DECIDERS,
    from: ['submitted', 'accepted', 'reviewed'],
    to: 'rejected',
    needsReason: true,
    event: 'workflow.task.rejected',
  },
  requestCorrection: {
    zh: '要求补正',
    en: 'Request a correction',
    actor: 'officer',
    roles: STAFF,
    from: ['submitted', 'accepted'],
    to: 'correction',
    needsReason: true,
    event: 'workflow.task.correction-requested',
  },
  resubmit: {
    zh: '补正后重新提交',
    en: 'Resubmitted after correction',
    actor: 'applicant',
    from: ['correction'],
    to: 'resume',
    event: 'workflow.task.resubmitted',
  },
  supplyMaterial: {
    zh: '补交容缺材料',
    en: 'Materials supplied',
    actor: 'applicant',
    from: ['accepted', 'reviewed'],
    to: 'same',
    event: 'workflow.task.material-supplied',
  },
  // 秒批: the system approves when one of the matter's rules holds, naming the rule.
  autoApprove: {
    zh: '自动审批（秒批）',
    en: 'Approved automatically',
    actor: 'system',
    from: ['submitted'],
    to: 'approved',
    event: 'workflow.task.approved',
  },
  // A prerequisite was rejected or ended: this task cannot go on.
  cancel: {
    zh: '因前置事项未通过而终止',
    en: 'Ended: a prerequisite was not granted',
    actor: 'system',
    from: ['waiting'],
    to: 'cancelled',
    needsReason: true,
    event: 'workflow.task.cancelled',
  },
  // 撤回: the applicant withdraws the whole application, every task at once, while no department
  // has decided (service/withdraw.ts refuses once any task is approved — by 秒批 too — or rejected).
  withdraw: {
    zh: '申请人撤回',
    en: 'Withdrawn by the applicant',
    actor: 'applicant',
    from: ['waiting', 'awaiting_payment', 'submitted', 'accepted', 'reviewed', 'correction'],
    to: 'withdrawn',
    needsReason: true,
    event: 'workflow.task.withdrawn',
  },
} as const satisfies Record<string, ActionSpec>;
export type ActionName = keyof typeof ACTIONS;

/** Actions that do not change the state but are logged all the same. */
export const NOTES = {
  claim: { zh: '认领', en: 'Claimed', event: 'workflow.task.claimed' },
  assign: { zh: '指派', en: 'Assigned', event: 'workflow.task.assigned' },
  warn: { zh: '即将超期提醒', en: 'Deadline approaching', event: 'workflow.task.deadline-approaching' },
  escalate: {
    zh: '超期上报科室负责人',
    en: 'Overdue: escalated to the department lead',
    event: 'workflow.task.escalated',
  },
} as const satisfies Record<string, { zh: string; en: string; event: TaskEventType }>;
export type NoteName = keyof typeof NOTES;

/** 即办件: decided on acceptance, without a separate review step. */
const IMMEDIATE: Partial<Record<ActionName, ActionSpec>> = (() => {
  const { review: _review, ...rest } = ACTIONS;
  return {
    ...rest,
    approve: { ...ACTIONS.approve, from: ['accepted'] },
    reject: { ...ACTIONS.reject, from: ['submitted', 'accepted'] },
    supplyMaterial: { ...ACTIONS.supplyMaterial, from: ['accepted'] },
    withdraw: { ...ACTIONS.withdraw, from: ['waiting', 'awaiting_payment', 'submitted', 'accepted', 'correction'] },
  };
})();

export const PROCESSES = {
  standard: ACTIONS,
  immediate: IMMEDIATE,
} as const satisfies Record<MatterProcess, Partial<Record<ActionName, ActionSpec>>>;

export function actionSpec(process: MatterProcess, action: ActionName): ActionSpec | undefined {
  return (PROCESSES[process] as Partial<Record<ActionName, ActionSpec>>)[action];
}

/** Actions officers may send through the API (the others are the applicant's or the system's). */
export const OFFICER_ACTIONS = (Object.keys(ACTIONS) as ActionName[]).filter((a) => ACTIONS[a].actor === 'officer');

export function isTerminal(state: TaskState): boolean {
  return TASK_STATES[state].terminal;
}

/** The state an action leads to from `from`; `resumeTo` is where a correction returns. */
export function nextState(action: ActionName, from: TaskState, resumeTo?: TaskState): TaskState {
  const spec: ActionSpec = ACTIONS[action];
  if (spec.to === 'same') return from;
  if (spec.to === 'resume') {
    if (!resumeTo) throw new Error('a resumed correction needs the state it interrupted');
    return resumeTo;
  }
  return spec.to;
}

export function allows(process: MatterProcess, action: ActionName, from: TaskState): boolean {
  return actionSpec(process, action)?.from.includes(from) ?? false;
}

/** The actions open to a role in a state: what an officer's queue offers on a task. */
export function actionsFor(process: MatterProcess, state: TaskState, roles: readonly string[]): ActionName[] {
  return OFFICER_ACTIONS.filter(
    (a) => allows(process, a, state) && (actionSpec(process, a)!.roles ?? []).some((r) => roles.includes(r)),
  );
}

/** Load-time check of the table (see the top of this file); returns the problems, empty when sound. */
export function checkProcess(
  states: Record<string, { terminal: boolean }>,
  actions: Partial<Record<string, ActionSpec>>,
): string[] {
  const problems: string[] = [];
  const known = new Set(Object.keys(states));
  const reached = new Set<string>(['waiting', 'submitted']); // where a task is born
  for (const [name, spec] of Object.entries(actions)) {
    if (!spec) continue;
    for (const s of spec.from) {
      if (!known.has(s)) problems.push(`${name}: unknown from-state ${s}`);
      else if (states[s]!.terminal) problems.push(`${name}: leaves the terminal state ${s}`);
    }
    if (spec.to !== 'resume' && spec.to !== 'same') {
      if (!known.has(spec.to)) problems.push(`${name}: unknown to-state ${spec.to}`);
      reached.add(spec.to);
    }
    if (spec.actor === 'officer' && !(spec.roles && spec.roles.length > 0))
      problems.push(`${name}: an officer action names no role`);
    if (!/^workflow\.task\.[a-z][a-z-]*$/.test(spec.event))
      problems.push(`${name}: event ${spec.event} is not workflow.task.<verb>`);
  }
  for (const s of known) if (!reached.has(s)) problems.push(`state ${s} is never reached`);
  for (const [s, spec] of Object.entries(states)) {
    if (!spec.terminal && !Object.values(actions).some((a) => a?.from.includes(s as TaskState)))
      problems.push(`state ${s} has no way out`);
  }
  return problems;
}

for (const [name, actions] of Object.entries(PROCESSES)) {
  // 'reviewed' is reached only where there is a review step.
  const states =
    name === 'immediate'
      ? Object.fromEntries(Object.entries(TASK_STATES).filter(([k]) => k !== 'reviewed'))
      : TASK_STATES;
  const problems = checkProcess(states, actions);
  if (problems.length > 0) throw new Error(`workflow process '${name}' is not sound: ${problems.join('; ')}`);
}

/**
 * States in which a department has decided (决定): approved — by an officer or by 秒批, which is a
 * decision the department made in advance through its rule — or rejected. Once one task is there,
 * the applicant can no longer withdraw the application; a cancelled task follows from a rejection.
 */
export const DECIDED_STATES = ['approved', 'rejected'] as const satisfies readonly TaskState[];

/** The first task a department has decided, if any: what stands in the way of a withdrawal. */
export function findDecided<T extends { readonly state: TaskState }>(tasks: readonly T[]): T | undefined {
  return tasks.find((t) => (DECIDED_STATES as readonly TaskState[]).includes(t.state));
}
