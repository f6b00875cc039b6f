// HTTP shapes of the workflow: one TypeBox schema gives validation, OpenAPI and the handler's types.
import { MATTER_PROCESSES, PrefillSource } from '@tongban/contracts';
import Type from 'typebox';
import { OFFICER_ACTIONS, TASK_STATES } from '../domain/process.ts';

const Code = Type.String({ pattern: '^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$' });
const Uuid = Type.String({ format: 'uuid' });
const Key = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const FieldKey = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.]{0,63}$' });
const Version = Type.Integer({ minimum: 1 });
const Reason = Type.String({ minLength: 1, maxLength: 2000 });
// What an applicant writes is shown to officers: no control characters, no bidirectional overrides
// (which would make the text read differently from what it says).
const ApplicantReason = Type.String({
  minLength: 1,
  maxLength: 500,
  pattern: '^[^\\p{Cc}\\u202A-\\u202E\\u2066-\\u2069]*$',
});
const Localized = Type.Object({ zh: Type.String(), en: Type.String() });

/** One of some strings, typed as their union (a JSON Schema enum). */
const oneOf = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const IdParam = Type.Object({ id: Uuid });
export const TaskParam = Type.Object({ id: Uuid, taskId: Uuid });

/** A matter or bundle by code: an application pins its latest published version (not the caller's choice). */
export const SubjectRef = Type.Object(
  {
    kind: Type.Union([Type.Literal('matter'), Type.Literal('bundle')]),
    code: Code,
  },
  { additionalProperties: false },
);

/** A form: values keyed by the form's field keys, checked in full against the pinned schema at submit. */
export const FormValues = Type.Record(
  FieldKey,
  Type.Union([Type.String({ maxLength: 5000 }), Type.Number(), Type.Boolean(), Type.Null()]),
  { maxProperties: 300 },
);
export const MaterialRefs = Type.Array(
  Type.Object(
    {
      code: Code,
      ref: Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'A stored document id, or an electronic licence identifier (免证办)',
      }),
    },
    { additionalProperties: false },
  ),
  { maxItems: 100 },
);

export const DraftBody = Type.Object(
  {
    subject: SubjectRef,
    form: Type.Optional(FormValues),
    materials: Type.Optional(MaterialRefs),
  },
  { additionalProperties: false },
);

export const SaveDraftBody = Type.Object(
  { version: Version, form: FormValues, materials: MaterialRefs },
  { additionalProperties: false },
);

export const SubmitBody = Type.Union([
  Type.Object({ draftId: Uuid }, { additionalProperties: false }),
  Type.Object({ subject: SubjectRef, form: FormValues, materials: MaterialRefs }, { additionalProperties: false }),
]);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Key),
});

export const CounterBody = Type.Object(
  {
    applicant: Type.Object(
      {
        idNumber: Type.String({
          pattern: '^[0-9]{17}[0-9Xx]$',
          description:
            "The person's resident ID number (公民身份号码, GB 11643): resolved through the population registry to their account",
        }),
      },
      { additionalProperties: false },
    ),
    subject: SubjectRef,
    form: FormValues,
    materials: MaterialRefs,
  },
  { additionalProperties: false },
);

export const WithdrawBody = Type.Object({ reason: ApplicantReason }, { additionalProperties: false });

export const ListQuery = Type.Object(
  {
    status: Type.Optional(oneOf(['draft', 'in_progress', 'completed', 'closed', 'withdrawn'])),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    offset: Type.Integer({ minimum: 0, maximum: 10_000, default: 0 }),
  },
  { additionalProperties: false },
);

const OpenStates = ['submitted', 'accepted', 'reviewed', 'correction'] as const;
export const QueueQuery = Type.Object(
  {
    department: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z-]{2,40}$' })),
    // 'withdrawn': what applicants withdrew from the department's work, with their reasons.
    state: Type.Optional(oneOf([...OpenStates, 'withdrawn'] as const)),
    deadline: Type.Optional(Type.Union([Type.Literal('overdue'), Type.Literal('due_soon')])),
    assignee: Type.Optional(Type.Union([Type.Literal('me'), Type.Literal('unassigned')])),
    escalated: Type.Optional(Type.Boolean()),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 10_000, default: 0 }),
  },
  { additionalProperties: false },
);
export const OPEN_STATES = OpenStates;

export const ActionBody = Type.Object(
  {
    action: oneOf(OFFICER_ACTIONS, {
      description: 'accept · acceptPending (容缺受理) · review · approve · reject · requestCorrection (补正)',
    }),
    version: Version,
    reason: Type.Optional(Reason),
    correction: Type.Optional(
      Type.Object(
        {
          fields: Type.Array(FieldKey, { maxItems: 100 }),
          materials: Type.Array(Code, { maxItems: 100 }),
        },
        { additionalProperties: false },
      ),
    ),
    pendingMaterials: Type.Optional(Type.Array(Code, { minItems: 1, maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false });
export const AssignBody = Type.Object(
  { version: Version, assignee: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export const CorrectionBody = Type.Object(
  { version: Version, form: FormValues, materials: MaterialRefs },
  { additionalProperties: false },
);
export const SupplyBody = Type.Object({ version: Version, materials: MaterialRefs }, { additionalProperties: false });
export const NoticeQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean()),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
  },
  { additionalProperties: false },
);

const TaskView = Type.Object({
  id: Type.String(),
  matterCode: Type.String(),
  matterVersion: Type.Integer(),
  departmentCode: Type.String(),
  regionCode: Type.String(),
  process: oneOf(MATTER_PROCESSES),
  state: oneOf(Object.keys(TASK_STATES) as (keyof typeof TASK_STATES)[]),
  stateName: Localized,
  dependsOn: Type.Array(Type.String()),
  dueOn: Type.Union([Type.String(), Type.Null()]),
  deadline: Type.Union([Type.String(), Type.Null()]),
  paused: Type.Boolean(),
  remainingDays: Type.Union([Type.Integer(), Type.Null()]),
  escalated: Type.Boolean(),
  assignee: Type.Union([Type.String(), Type.Null()]),
  pendingMaterials: Type.Array(Type.String()),
  correction: Type.Union([
    Type.Object({ fields: Type.Array(Type.String()), materials: Type.Array(Type.String()), reason: Type.String() }),
    Type.Null(),
  ]),
  version: Type.Integer(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});
const Needed = Type.Object({
  taskId: Type.String(),
  matterCode: Type.String(),
  kind: Type.String(),
  fields: Type.Array(Type.String()),
  materials: Type.Array(Type.String()),
  reason: Type.String(),
  version: Type.Integer(),
});
const ApplicationSummary = {
  id: Type.String(),
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  channel: Type.String(),
  filedBy: Type.Union([Type.String(), Type.Null()]),
  subject: Type.Object({ kind: Type.String(), code: Type.String(), version: Type.Integer() }),
  regionCode: Type.String(),
  version: Type.Integer(),
  createdAt: Type.Union([Type.String(), Type.Null()]),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  withdrawalReason: Type.Union([Type.String(), Type.Null()]),
  tasks: Type.Array(TaskView),
  needed: Type.Array(Needed),
};
/** What the data hub filled in (issue 11): null when it was never asked (a form submitted without a draft). */
const PrefillSummary = Type.Union([
  Type.Object({
    status: oneOf(['filled', 'unavailable'] as const, {
      description: 'unavailable: the data hub was absent or refused; the form was left as the applicant gave it',
    }),
    at: Type.String({ description: 'When the data hub was asked' }),
    problem: Type.Union([Type.String(), Type.Null()], { description: 'Why it was unavailable (a problem code)' }),
    fields: Type.Record(
      Type.String(),
      Type.Object({
        element: Type.String({ description: 'The data element (数据元) the value is for' }),
        source: PrefillSource,
        verified: Type.Boolean(),
        locked: Type.Boolean({ description: 'Verified by an authoritative registry: a changed value is refused' }),
      }),
      { description: 'Per form key: where its value came from' },
    ),
    consentNeeded: Type.Array(Type.Object({ element: Type.String(), resource: Type.String(), item: Type.String() }), {
      description:
        'What the hub could fill once the applicant consents (POST /api/datahub/me/consents), then POST /drafts/:id/prefill',
    }),
    missing: Type.Array(Type.String(), {
      description: 'Data elements the hub had nothing for: the applicant types them',
    }),
  }),
  Type.Null(),
]);

export const ApplicationView = Type.Object({
  ...ApplicationSummary,
  form: Type.Record(Type.String(), Type.Unknown()),
  materials: Type.Array(Type.Object({ code: Type.String(), ref: Type.String() })),
  prefill: PrefillSummary,
});
export const ApplicationList = Type.Array(Type.Object(ApplicationSummary));

/** A counter filing's answer: the application, and whom it was filed for, masked (张*, 330106********123X). */
export const CounterView = Type.Object({
  ...ApplicationView.properties,
  applicant: Type.Object(
    { name: Type.String(), idNumber: Type.String() },
    { description: 'Whom it was filed for, masked by the data hub' },
  ),
});
export const TaskResult = TaskView;

export const TimelineView = Type.Array(
  Type.Object({
    seq: Type.Integer(),
    taskId: Type.Union([Type.String(), Type.Null()]),
    action: Type.String(),
    actionName: Localized,
    actor: Type.Object({ kind: Type.String(), id: Type.Optional(Type.String()) }),
    from: Type.Union([Type.String(), Type.Null()]),
    to: Type.Union([Type.String(), Type.Null()]),
    reason: Type.Union([Type.String(), Type.Null()]),
    rule: Type.Union([Type.String(), Type.Null()]),
    detail: Type.Record(Type.String(), Type.Unknown()),
    at: Type.Union([Type.String(), Type.Null()]),
  }),
);

export const QueueView = Type.Array(
  Type.Object({
    taskId: Type.String(),
    applicationId: Type.String(),
    caseNumber: Type.Union([Type.String(), Type.Null()]),
    matterCode: Type.String(),
    departmentCode: Type.String(),
    state: Type.String(),
    stateName: Localized,
    dueOn: Type.Union([Type.String(), Type.Null()]),
    deadline: Type.Union([Type.String(), Type.Null()]),
    escalated: Type.Boolean(),
    assignee: Type.Union([Type.String(), Type.Null()]),
    version: Type.Integer(),
    pendingMaterials: Type.Array(Type.String()),
    channel: Type.String(),
    submittedAt: Type.Union([Type.String(), Type.Null()]),
    actions: Type.Array(Type.String()),
    withdrawalReason: Type.Union([Type.String(), Type.Null()]),
  }),
);

export const NoticeList = Type.Array(
  Type.Object({
    id: Type.String(),
    kind: Type.String(),
    applicationId: Type.String(),
    taskId: Type.Union([Type.String(), Type.Null()]),
    text: Type.String(),
    createdAt: Type.Union([Type.String(), Type.Null()]),
    read: Type.Boolean(),
  }),
);
