// HTTP shapes of the workflow: one TypeBox schema gives validation, OpenAPI and the handler's types.
// What the workflow takes is here (its own edge); what it answers is in packages/contracts
// (workflow.ts), the one schema the routes serialise by and the web app reads.
import type {
  ApplicationStatus as ContractApplicationStatus,
  AnswerMaskKind,
  DeadlineStatus as ContractDeadlineStatus,
  WorkflowTaskState,
} from '@tongban/contracts';
import Type from 'typebox';
import type { AnswerMask } from '../domain/answer-masking.ts';
import type { DeadlineStatus } from '../domain/deadlines.ts';
import { OFFICER_ACTIONS, type TaskState } from '../domain/process.ts';
import type { ApplicationStatus } from '../store/tables.ts';

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
/** True only when two unions have the same members. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
/**
 * The contracts' lists of states, statuses and masks are the module's own: a state added to the
 * process table, a status to the store or a mask to the masking rules does not compile until the
 * contract (and so the web app) knows it.
 */
export type ContractUnionsMatch = [
  Holds<Same<TaskState, WorkflowTaskState>>,
  Holds<Same<ApplicationStatus, ContractApplicationStatus>>,
  Holds<Same<DeadlineStatus, ContractDeadlineStatus>>,
  Holds<Same<AnswerMask, AnswerMaskKind>>,
];
