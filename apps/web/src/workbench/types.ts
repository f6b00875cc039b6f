// What the workbench reads and sends: the shapes of the workflow's officer routes
// (modules/workflow/src/api/schemas.ts: QueueView, TaskResult, ApplicationView, TimelineView) and the
// data hub's query and reveal (modules/datahub/src/api/schemas.ts), as the browser sees them.
import type { LocalizedText } from '../i18n/messages.ts';

export type Deadline = 'overdue' | 'due_soon' | 'on_time' | null;

export interface QueueRow {
  taskId: string;
  applicationId: string;
  caseNumber: string | null;
  matterCode: string;
  departmentCode: string;
  state: string;
  stateName: LocalizedText;
  dueOn: string | null;
  deadline: Deadline;
  escalated: boolean;
  assignee: string | null;
  version: number;
  pendingMaterials: string[];
  channel: string;
  submittedAt: string | null;
  actions: string[];
  withdrawalReason: string | null;
}

export interface Task {
  id: string;
  matterCode: string;
  matterVersion: number;
  departmentCode: string;
  regionCode: string;
  process: 'standard' | 'immediate';
  state: string;
  stateName: LocalizedText;
  dependsOn: string[];
  dueOn: string | null;
  deadline: Deadline;
  paused: boolean;
  remainingDays: number | null;
  escalated: boolean;
  assignee: string | null;
  pendingMaterials: string[];
  correction: { fields: string[]; materials: string[]; reason: string } | null;
  version: number;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface PrefillField {
  element: string;
  source: { resource: string; department: string; collectedAt: string; item: string };
  verified: boolean;
  locked: boolean;
}

export interface Application {
  id: string;
  caseNumber: string | null;
  status: string;
  channel: string;
  filedBy: string | null;
  subject: { kind: string; code: string; version: number };
  regionCode: string;
  version: number;
  submittedAt: string | null;
  finishedAt: string | null;
  withdrawalReason: string | null;
  tasks: Task[];
  form: Record<string, unknown>;
  materials: { code: string; ref: string }[];
  prefill: { status: string; at: string; fields: Record<string, PrefillField> } | null;
}

export interface TimelineEntry {
  seq: number;
  taskId: string | null;
  action: string;
  actionName: LocalizedText;
  actor: { kind: string; id?: string };
  from: string | null;
  to: string | null;
  reason: string | null;
  rule: string | null;
  at: string | null;
}

/** How an answer was masked for the officer (workflow domain/answer-masking.ts). */
export type AnswerMask = 'idNumber' | 'mobile' | 'bankAccount' | 'address' | 'name';

export interface TaskPage {
  task: Task;
  actions: string[];
  fields: string[];
  application: Application;
  /** The answers the server masked in `application.form`; `sameAs`: an earlier field of the same value. */
  masked: Record<string, { mask: AnswerMask; sameAs?: string }>;
  timeline: TimelineEntry[];
}

/** A data hub query's answer: values masked by the policy of the officer's audience and purpose. */
export interface QueryAnswer {
  resource: string;
  policy: string;
  rows: { values: Record<string, string | number | null>; collectedAt: string; source: string }[];
}

export interface Revealed {
  resource: string;
  item: string;
  value: string | number | null;
}

export interface RevealedAnswer {
  field: string;
  value: string;
}

/** What identity tells a counter of a resident before filing (masked). */
export interface ResidentSummary {
  idNumber: string;
  account: boolean;
  active: boolean;
  name: string | null;
  mobile: string | null;
}

export interface CounterAnswer {
  id: string;
  caseNumber: string | null;
  status: string;
  applicant: { name: string; idNumber: string };
  tasks: Task[];
}

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
