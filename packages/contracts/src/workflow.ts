// The workflow's answers as the portal and the workbench read them: an application with its
// department tasks and what is needed from the applicant, the timeline, an officer's queue and
// task, a counter filing, notices. The workflow's routes answer with these schemas (Fastify
// serialises by them, so a field missing here never leaves), and the web app imports their types.
import Type, { type Static, type TSchema } from 'typebox';
import { MATTER_PROCESSES, type ApiRoute } from './catalog.ts';
import { PrefillSource } from './datahub.ts';
import { PaymentFactsView } from './payments.ts';
import { DocumentView } from './workflow-documents.ts';

/**
 * One of some strings, typed as their union. A JSON Schema enum (not a union of literals): the
 * serialiser writes it as a plain string and a validator checks the value.
 */
const oneOf = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const NullableString = Nullable(Type.String());
/** A name in both languages, as the workflow's process tables give it (zh first). */
const Names = Type.Object({ zh: Type.String(), en: Type.String() });

/** The states of a department task (部门办件); the workflow's process table (domain/process.ts) names them. */
export const WORKFLOW_TASK_STATES = [
  'waiting',
  /** Issue 15: a matter with fees, started but waiting for payments.order.paid; no deadline clock runs. */
  'awaiting_payment',
  'submitted',
  'accepted',
  'reviewed',
  'correction',
  'approved',
  'rejected',
  'cancelled',
  'withdrawn',
] as const;
export type WorkflowTaskState = (typeof WORKFLOW_TASK_STATES)[number];

export const APPLICATION_STATUSES = ['draft', 'in_progress', 'completed', 'closed', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** Where a task stands against its legal deadline (China Standard Time days); null: no clock runs. */
export const DEADLINE_STATUSES = ['on_time', 'due_soon', 'overdue'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

/** How an answer is masked for an officer (the workflow's domain/answer-masking.ts). */
export const ANSWER_MASK_KINDS = ['idNumber', 'mobile', 'bankAccount', 'address', 'name'] as const;
export type AnswerMaskKind = (typeof ANSWER_MASK_KINDS)[number];

/** A department task of an application: its state, deadline, assignee and what it asked for. */
export const TaskView = Type.Object({
  id: Type.String(),
  matterCode: Type.String(),
  matterVersion: Type.Integer(),
  departmentCode: Type.String(),
  regionCode: Type.String(),
  process: oneOf(MATTER_PROCESSES),
  state: oneOf(WORKFLOW_TASK_STATES),
  stateName: Names,
  dependsOn: Type.Array(Type.String()),
  dueOn: NullableString,
  deadline: Nullable(oneOf(DEADLINE_STATUSES)),
  /** The clock is paused while a correction (补正) waits for the applicant. */
  paused: Type.Boolean(),
  remainingDays: Nullable(Type.Integer()),
  escalated: Type.Boolean(),
  /** Null to applicants: who handles a case is not theirs to see. */
  assignee: NullableString,
  /** 容缺受理: materials accepted as to follow. */
  pendingMaterials: Type.Array(Type.String()),
  correction: Nullable(
    Type.Object({ fields: Type.Array(Type.String()), materials: Type.Array(Type.String()), reason: Type.String() }),
  ),
  version: Type.Integer(),
  startedAt: NullableString,
  finishedAt: NullableString,
  /** The payment order for this task's fees (payments.order.created), once assessed. */
  orderId: Type.Optional(Type.String()),
  /** The order's amount in fen, once assessed. */
  amountFen: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type TaskView = Static<typeof TaskView>;

/** What the applicant has to do now: answer a correction, or send materials that were to follow. */
export const NeededView = Type.Object({
  taskId: Type.String(),
  matterCode: Type.String(),
  /** `payment`: a fee to pay (待缴费); its order and amount once payments assessed it. */
  kind: oneOf(['correction', 'materials', 'payment'] as const),
  fields: Type.Array(Type.String()),
  materials: Type.Array(Type.String()),
  reason: Type.String(),
  version: Type.Integer(),
  orderId: Type.Optional(Type.String()),
  amountFen: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type NeededView = Static<typeof NeededView>;

/** Where a prefilled form value came from, and whether a registry verified (and so locked) it. */
export const PrefillFieldView = Type.Object({
  element: Type.String({ description: 'The data element (数据元) the value is for' }),
  source: PrefillSource,
  verified: Type.Boolean(),
  locked: Type.Boolean({ description: 'Verified by an authoritative registry: a changed value is refused' }),
});
export type PrefillFieldView = Static<typeof PrefillFieldView>;

/** What the data hub filled in (issue 11): null when it was never asked (a form submitted without a draft). */
export const ApplicationPrefillView = Nullable(
  Type.Object({
    status: oneOf(['filled', 'unavailable'] as const, {
      description: 'unavailable: the data hub was absent or refused; the form was left as the applicant gave it',
    }),
    at: Type.String({ description: 'When the data hub was asked' }),
    problem: Type.Union([Type.String(), Type.Null()], { description: 'Why it was unavailable (a problem code)' }),
    fields: Type.Record(Type.String(), PrefillFieldView, { description: 'Per form key: where its value came from' }),
    consentNeeded: Type.Array(Type.Object({ element: Type.String(), resource: Type.String(), item: Type.String() }), {
      description:
        'What the hub could fill once the applicant consents (POST /api/datahub/me/consents), then POST /drafts/:id/prefill',
    }),
    missing: Type.Array(Type.String(), {
      description: 'Data elements the hub had nothing for: the applicant types them',
    }),
  }),
);
export type ApplicationPrefillView = Static<typeof ApplicationPrefillView>;

const ApplicationSummaryFields = {
  id: Type.String(),
  caseNumber: NullableString,
  status: oneOf(APPLICATION_STATUSES),
  channel: oneOf(['online', 'counter'] as const),
  /** The counter officer who filed it; null online, and to applicants. */
  filedBy: NullableString,
  subject: Type.Object({ kind: oneOf(['matter', 'bundle'] as const), code: Type.String(), version: Type.Integer() }),
  regionCode: Type.String(),
  version: Type.Integer(),
  createdAt: NullableString,
  submittedAt: NullableString,
  finishedAt: NullableString,
  withdrawalReason: NullableString,
  tasks: Type.Array(TaskView),
  needed: Type.Array(NeededView),
};

/** An application in a list (`GET /applications`): without its form, materials and prefill. */
export const ApplicationSummaryView = Type.Object(ApplicationSummaryFields);
export type ApplicationSummaryView = Static<typeof ApplicationSummaryView>;
export const ApplicationListView = Type.Array(ApplicationSummaryView);

/**
 * A material of an application: a stored document (`doc:<id>`) or an electronic licence
 * (`lic:<identifier>`, 免证办). A licence carries where it came from: issued by a task of this
 * case, or the applicant's own given with consent — both vouched for by the licences module.
 */
export const MaterialRefView = Type.Object({
  code: Type.String(),
  ref: Type.String(),
  source: Type.Optional(oneOf(['upload', 'licence'] as const)),
  /** `licence`: its GB/T 36904 identifier, the type's name, and whether the licences module vouched for it. */
  identifier: Type.Optional(Type.String()),
  verified: Type.Optional(Type.Boolean()),
  typeName: Type.Optional(Names),
  licence: Type.Optional(
    Type.Object({
      id: Type.String(),
      typeCode: Type.String(),
      /** The licence's status as last heard from the licences module (valid, suspended, revoked, expired…). */
      status: Type.String(),
      verifiedAt: Type.String(),
      /** 'case': issued by a task of this application (`issuedByTaskId`); 'holder': the applicant's own, by consent. */
      origin: oneOf(['case', 'holder'] as const),
      issuedByTaskId: NullableString,
      issuedByMatterCode: NullableString,
    }),
  ),
});
export type MaterialRefView = Static<typeof MaterialRefView>;

/** One application (办件) or draft, with its department tasks and what is needed from the applicant now. */
export const ApplicationView = Type.Object({
  ...ApplicationSummaryFields,
  form: Type.Record(Type.String(), Type.Unknown()),
  materials: Type.Array(MaterialRefView),
  prefill: ApplicationPrefillView,
});
export type ApplicationView = Static<typeof ApplicationView>;

/** A counter filing's answer: the application, and whom it was filed for, masked (张*, 330106********123X). */
export const CounterView = Type.Object({
  ...ApplicationView.properties,
  applicant: Type.Object(
    { name: Type.String(), idNumber: Type.String() },
    { description: 'Whom it was filed for, masked by the data hub' },
  ),
});
export type CounterView = Static<typeof CounterView>;

/** One step of an application's action log. Applicants see who acted by kind only, and no detail. */
export const TimelineEntryView = Type.Object({
  seq: Type.Integer(),
  taskId: NullableString,
  action: Type.String(),
  actionName: Names,
  actor: Type.Object({
    kind: oneOf(['applicant', 'officer', 'system'] as const),
    id: Type.Optional(Type.String()),
  }),
  from: NullableString,
  to: NullableString,
  reason: NullableString,
  rule: NullableString,
  detail: Type.Record(Type.String(), Type.Unknown()),
  at: NullableString,
});
export type TimelineEntryView = Static<typeof TimelineEntryView>;
export const TimelineView = Type.Array(TimelineEntryView);

/** A row of an officer's department queue, with the actions the officer's roles allow. */
export const QueueRowView = Type.Object({
  taskId: Type.String(),
  applicationId: Type.String(),
  caseNumber: NullableString,
  matterCode: Type.String(),
  departmentCode: Type.String(),
  state: oneOf(WORKFLOW_TASK_STATES),
  stateName: Names,
  dueOn: NullableString,
  deadline: Nullable(oneOf(DEADLINE_STATUSES)),
  escalated: Type.Boolean(),
  assignee: NullableString,
  version: Type.Integer(),
  pendingMaterials: Type.Array(Type.String()),
  channel: oneOf(['online', 'counter'] as const),
  submittedAt: NullableString,
  actions: Type.Array(Type.String()),
  withdrawalReason: NullableString,
});
export type QueueRowView = Static<typeof QueueRowView>;
export const QueueView = Type.Array(QueueRowView);

/** Which answers of an officer's task view are masked, and how. */
export const MaskedAnswersView = Type.Record(
  Type.String(),
  Type.Object({
    mask: oneOf(ANSWER_MASK_KINDS),
    sameAs: Type.Optional(
      Type.String({ description: 'An earlier field with the same clear value: one person, looked up once' }),
    ),
  }),
  { description: 'Per form key masked in `application.form`: reveal one with POST /tasks/:id/answers/reveal' },
);
export type MaskedAnswersView = Static<typeof MaskedAnswersView>;

/**
 * An officer's task (`GET /tasks/:id`): the task, what the officer may do, the fields of its matter,
 * the application as far as the matter uses it (answers masked), and the task's timeline.
 */
export const OfficerTaskView = Type.Object({
  task: TaskView,
  actions: Type.Array(Type.String()),
  fields: Type.Array(Type.String()),
  application: ApplicationView,
  masked: MaskedAnswersView,
  timeline: TimelineView,
});
export type OfficerTaskView = Static<typeof OfficerTaskView>;

/** One masked answer in the clear (`POST /tasks/:id/answers/reveal`). */
export const RevealedAnswerView = Type.Object({ field: Type.String(), value: Type.String() });
export type RevealedAnswerView = Static<typeof RevealedAnswerView>;

const RegisterValue = Type.Union([Type.String(), Type.Number(), Type.Null()]);

/** The data hub's register record of a person a form names, masked by its officer policy (passed on as it gave it). */
export const RegisterQueryView = Type.Object({
  resource: Type.String(),
  policy: Type.String(),
  rows: Type.Array(
    Type.Object({
      values: Type.Record(Type.String(), RegisterValue),
      collectedAt: Type.String(),
      source: Type.String(),
    }),
  ),
});
export type RegisterQueryView = Static<typeof RegisterQueryView>;

/** One register value in the clear, as the data hub revealed it. */
export const RegisterRevealView = Type.Object({ resource: Type.String(), item: Type.String(), value: RegisterValue });
export type RegisterRevealView = Static<typeof RegisterRevealView>;

/** An applicant's notice (站内信), in the language asked for. */
export const NoticeView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  applicationId: Type.String(),
  taskId: NullableString,
  text: Type.String(),
  createdAt: NullableString,
  read: Type.Boolean(),
});
export type NoticeView = Static<typeof NoticeView>;
export const NoticeListView = Type.Array(NoticeView);

/** `GET /documents`: the applicant's uploads, newest first. */
export const DocumentListView = Type.Object({ items: Type.Array(DocumentView) });
export type DocumentListView = Static<typeof DocumentListView>;

/** An approved task's answers for the licence its matter produces (licences' issuer, a service role). */
export const ApprovedTaskAnswersView = Type.Object({
  taskId: Type.String(),
  applicationId: Type.String(),
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  matter: Type.Object({ code: Type.String(), version: Type.Integer({ minimum: 1 }) }),
  applicant: Type.Object({ id: Type.String(), kind: Type.Union([Type.Literal('citizen'), Type.Literal('business')]) }),
  /** The fields the task's matter uses, as answered. */
  answers: Type.Record(Type.String(), Type.Unknown()),
});
export type ApprovedTaskAnswersView = Static<typeof ApprovedTaskAnswersView>;

/** What other modules call on the workflow, each with the schema of its answer. */
export const WorkflowApi = {
  approvedTaskAnswers: {
    module: 'workflow',
    method: 'GET',
    path: (taskId: string) => `/tasks/${encodeURIComponent(taskId)}/answers`,
    response: ApprovedTaskAnswersView,
  },
  /** What payments needs to assess a task's fees (service role `workflow.payment-facts.read`, issue 15). */
  paymentFacts: {
    module: 'workflow',
    method: 'GET',
    path: (taskId: string) => `/services/tasks/${encodeURIComponent(taskId)}/payment-facts`,
    response: PaymentFactsView,
  },
} as const satisfies Record<string, ApiRoute<never, TSchema>>;

/**
 * A licence as the licences module vouches for it to the workflow (免证办): found only under its
 * holder, so a workflow that asks for someone else's identifier learns nothing (404).
 */
export const HolderLicenceView = Type.Object({
  licenceId: Type.String(),
  identifier: Type.String(),
  typeCode: Type.String(),
  typeName: Names,
  holderId: Type.String(),
  status: Type.String(),
  validFrom: Type.String(),
  validUntil: NullableString,
});
export type HolderLicenceView = Static<typeof HolderLicenceView>;

/** The licences' service route the workflow calls (service role `licenses.holder-check`). */
export const LicenceCheckApi = {
  holderLicence: {
    module: 'licenses',
    method: 'GET',
    path: (holderId: string, identifier: string) =>
      `/services/holders/${encodeURIComponent(holderId)}/licences/${encodeURIComponent(identifier)}`,
    response: HolderLicenceView,
  },
} as const satisfies Record<string, ApiRoute<never, TSchema>>;
