// What the workbench reads and sends. The workflow's officer answers are the contracts' own types
// (packages/contracts/src/workflow.ts: QueueRowView, TaskView, OfficerTaskView, CounterView, and the
// data hub's query and reveal as the workflow passes them on); type-only, so nothing of typebox
// reaches the bundle. The counter's resident look-up is identity's (modules/identity).
import type {
  AnswerMaskKind,
  ApplicationView,
  CounterView,
  DeadlineStatus,
  OfficerTaskView,
  PrefillFieldView,
  QueueRowView,
  RegisterQueryView,
  RegisterRevealView,
  RevealedAnswerView,
  TaskView,
  TimelineEntryView,
} from '@tongban/contracts';

export type Deadline = DeadlineStatus | null;
export type QueueRow = QueueRowView;
export type Task = TaskView;
export type PrefillField = PrefillFieldView;
export type Application = ApplicationView;
export type TimelineEntry = TimelineEntryView;
/** How an answer was masked for the officer (workflow domain/answer-masking.ts). */
export type AnswerMask = AnswerMaskKind;
/** `masked`: the answers the server masked in `application.form`; `sameAs`: an earlier field of the same value. */
export type TaskPage = OfficerTaskView;
/** A data hub query's answer: values masked by the policy of the officer's audience and purpose. */
export type QueryAnswer = RegisterQueryView;
export type Revealed = RegisterRevealView;
export type RevealedAnswer = RevealedAnswerView;

/** What identity tells a counter of a resident before filing (masked). */
export interface ResidentSummary {
  idNumber: string;
  account: boolean;
  active: boolean;
  name: string | null;
  mobile: string | null;
}

export type CounterAnswer = CounterView;

const enc = encodeURIComponent;

export const paths = {
  queue: (query: URLSearchParams) => `workflow/queue?${query.toString()}`,
  task: (id: string) => `workflow/tasks/${enc(id)}`,
  claim: (id: string) => `workflow/tasks/${enc(id)}/claim`,
  assign: (id: string) => `workflow/tasks/${enc(id)}/assign`,
  actions: (id: string) => `workflow/tasks/${enc(id)}/actions`,
  counter: () => 'workflow/counter/applications',
  revealAnswer: (id: string) => `workflow/tasks/${enc(id)}/answers/reveal`,
  registerQuery: (id: string) => `workflow/tasks/${enc(id)}/register/query`,
  registerReveal: (id: string) => `workflow/tasks/${enc(id)}/register/reveal`,
  /** A stored document (the uploads' route), opened or downloaded in the same tab. */
  document: (id: string) => `/portal/api/workflow/documents/${enc(id)}`,
  residentLookUp: (idNumber: string) => `identity/accounts/by-resident-id/${enc(idNumber)}/counter-summary`,
  calendar: (region: string) => `catalog/calendars/${enc(region)}`,
  elements: () => 'catalog/data-elements',
};

/** The officer actions the workbench offers, in the order it lists them. */
export const ACTIONS = ['accept', 'acceptPending', 'review', 'approve', 'requestCorrection', 'reject'] as const;
export type ActionName = (typeof ACTIONS)[number];
/** Actions the API refuses without a reason (domain/process.ts: needsReason). */
export const NEEDS_REASON: readonly string[] = ['reject', 'requestCorrection'];
