// The workflow's document store (材料上传): what an upload answers, and the record of an officer
// opening a citizen's document (an access to personal data, kept by the ledger).
import Type, { type Static } from 'typebox';

/** `POST /api/workflow/documents` answers this (201); `ref` is what a material names. */
export const DocumentView = Type.Object({
  id: Type.String(),
  ref: Type.String({ pattern: '^doc:' }),
  size: Type.Integer({ minimum: 1 }),
  mediaType: Type.Union([Type.Literal('application/pdf'), Type.Literal('image/jpeg'), Type.Literal('image/png')]),
  name: Type.String(),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  createdAt: Type.String(),
  /** Null until a submitted application names it; unconfirmed uploads lapse. */
  confirmedAt: Type.Union([Type.String(), Type.Null()]),
});
export type DocumentView = Static<typeof DocumentView>;

export const WorkflowDocumentEvents = {
  /**
   * An officer opened (downloaded) an applicant's uploaded document: one ledger entry each, under
   * the applicant (`applicantId`) so "who used my data" shows it. The task through which the
   * officer reached it names the department.
   */
  'workflow.document.read': Type.Object({
    documentId: Type.String(),
    sha256: Type.String(),
    applicationId: Type.String(),
    caseNumber: Type.String(),
    taskId: Type.String(),
    matterCode: Type.String(),
    departmentCode: Type.String(),
    applicantId: Type.String(),
    actor: Type.Object({ kind: Type.Literal('officer'), id: Type.String() }),
  }),
} as const;
