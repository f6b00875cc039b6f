// Reads of a person's data outside the data hub, each one an event the ledger records (issue 12):
// an officer revealing a masked form answer in the workbench, and a counter looking a resident up
// by ID number before filing for them. Neither carries a personal value: the field's name, the
// account, and free text only as a keyed digest.
import Type from 'typebox';

export const PersonAccessEvents = {
  /** 查看明文: an officer with the task saw one masked answer of its application whole. */
  'workflow.answer.revealed': Type.Object({
    revealId: Type.String(),
    applicationId: Type.String(),
    caseNumber: Type.String(),
    taskId: Type.String(),
    matterCode: Type.String(),
    departmentCode: Type.String(),
    applicantId: Type.String(),
    /** The application's form key, and the data element it carries. */
    field: Type.String(),
    element: Type.String(),
    actor: Type.Object({ kind: Type.Literal('officer'), id: Type.String() }),
    /** The officer's reason as a keyed digest (the workflow keeps the text sealed). */
    reason: Type.String(),
    at: Type.String(),
  }),
  /** A reveal refused past the hourly limit: a security event (committed on its own, before the 429). */
  'workflow.answer.reveal-refused': Type.Object({
    applicationId: Type.String(),
    taskId: Type.String(),
    applicantId: Type.String(),
    field: Type.String(),
    actor: Type.Object({ kind: Type.Literal('officer'), id: Type.String() }),
    reason: Type.Literal('reveal_rate_limited'),
  }),
  /** 窗口核验: a counter officer looked a resident up by ID number (found or not). */
  'identity.resident.looked-up': Type.Object({
    by: Type.String(),
    /** The account of that ID number, when there is one. */
    accountId: Type.Optional(Type.String()),
    found: Type.Boolean(),
    /** The GB/T 2260 region the ID number names (its first six digits). */
    region: Type.String(),
  }),
} as const;
