// The document store (材料上传): an upload checked and sealed, opened for its owner or an officer
// (the officer's opening recorded), the `doc:<id>` references of a submission held to the caller's
// own documents, and the lapse of uploads no submitted application names.
import { createHash } from 'node:crypto';
import type { FieldError } from '@tongban/kernel';
import { uuidv7 } from '@tongban/kernel';
import { WorkflowError } from '../errors.ts';
import {
  contentAad,
  DOCUMENT_MAX_BYTES,
  documentRefs,
  isDocumentMediaType,
  LAPSE_DAYS,
  magicMatches,
  sanitiseFileName,
  UNCONFIRMED_QUOTA,
  bareMediaType,
} from '../domain/documents.ts';
import {
  countUnconfirmed,
  deleteLapsed,
  deleteUnconfirmed,
  findDocument,
  getSealedContent,
  insertDocument,
  lockOwnerUploads,
  ownedDocumentIds,
  useDocuments,
} from '../store/documents.ts';
import { typed, type DocumentRow, type MaterialRef, type Trx } from '../store/tables.ts';
import type { Services } from './submit.ts';

export interface Upload {
  readonly contentType: string | undefined;
  readonly fileName: string | undefined;
  readonly bytes: Buffer;
}

/**
 * Checks and stores an upload: a type we take, bytes that are that type, not empty, within the
 * owner's quota. The bytes are sealed as base64 text (FieldCipher seals strings): about 1.78× the
 * file in the column (4/3 for the base64 inside, 4/3 again for the sealed value's own base64url).
 */
export async function uploadDocument(s: Services, ownerId: string, upload: Upload): Promise<DocumentRow> {
  const mediaType = bareMediaType(upload.contentType);
  if (!isDocumentMediaType(mediaType)) throw new WorkflowError('WORKFLOW_DOCUMENT_TYPE_UNSUPPORTED');
  if (upload.bytes.length === 0)
    throw new WorkflowError('WORKFLOW_DOCUMENT_EMPTY', {}, [{ field: 'body', code: 'empty', message: 'no bytes' }]);
  if (upload.bytes.length > DOCUMENT_MAX_BYTES) throw tooLarge();
  if (!magicMatches(mediaType, upload.bytes))
    throw new WorkflowError('WORKFLOW_DOCUMENT_TYPE_MISMATCH', { mediaType }, [
      { field: 'headers.content-type', code: 'type_mismatch', message: `the bytes are not ${mediaType}` },
    ]);
  const name = sanitiseFileName(upload.fileName, mediaType);
  if (name === undefined)
    throw new WorkflowError('WORKFLOW_DOCUMENT_NAME_INVALID', {}, [
      { field: 'headers.x-file-name', code: 'bad_encoding', message: 'percent-encoded UTF-8 expected' },
    ]);
  const id = uuidv7();
  // Sealed before the transaction: the cipher's work does not hold a connection.
  const sealed = await s.ctx.fields.seal(upload.bytes.toString('base64'), contentAad(id));
  const row: DocumentRow = {
    id,
    owner_id: ownerId,
    media_type: mediaType,
    name,
    size: upload.bytes.length,
    sha256: createHash('sha256').update(upload.bytes).digest('hex'),
    created_at: s.engine.now(),
    confirmed_at: null,
  };
  await s.ctx.db.transaction().execute(async (anyTrx) => {
    const trx = anyTrx as unknown as Trx;
    await lockOwnerUploads(trx, ownerId);
    if ((await countUnconfirmed(trx, ownerId)) >= UNCONFIRMED_QUOTA)
      throw new WorkflowError('WORKFLOW_DOCUMENT_QUOTA_EXCEEDED', { limit: UNCONFIRMED_QUOTA });
    await insertDocument(trx, row, sealed);
  });
  return row;
}

export const tooLarge = () => new WorkflowError('WORKFLOW_DOCUMENT_TOO_LARGE', { limit: DOCUMENT_MAX_BYTES });

export async function getDocument(s: Services, id: string): Promise<DocumentRow> {
  const doc = await findDocument(typed(s.ctx.db), id);
  if (!doc) throw new WorkflowError('WORKFLOW_DOCUMENT_NOT_FOUND', { id });
  return doc;
}

/** The document's bytes, opened (a ciphertext moved from another row does not open). */
export async function documentBytes(s: Services, doc: DocumentRow): Promise<Buffer> {
  const sealed = await getSealedContent(typed(s.ctx.db), doc.id);
  return Buffer.from(await s.ctx.fields.open(sealed, contentAad(doc.id)), 'base64');
}

/** The task through which an officer reached a document: what the access record names. */
export interface DocumentAccess {
  readonly applicationId: string;
  readonly caseNumber: string | null;
  readonly applicantId: string;
  readonly taskId: string;
  readonly matterCode: string;
  readonly departmentCode: string;
}

/** An officer's opening of a person's document, durable before the bytes are sent (group commit). */
export async function recordOfficerRead(
  s: Services,
  doc: DocumentRow,
  via: DocumentAccess,
  officerId: string,
): Promise<void> {
  await s.ctx.events.commit('workflow.document.read', {
    documentId: doc.id,
    sha256: doc.sha256,
    applicationId: via.applicationId,
    caseNumber: via.caseNumber ?? '',
    taskId: via.taskId,
    matterCode: via.matterCode,
    departmentCode: via.departmentCode,
    applicantId: via.applicantId,
    actor: { kind: 'officer', id: officerId },
  });
}

/** Removes an upload not yet in a submitted application (the web's "remove / replace"). */
export async function removeDocument(s: Services, ownerId: string, id: string): Promise<void> {
  const removed = await s.ctx.db
    .transaction()
    .execute(async (trx) => deleteUnconfirmed(trx as unknown as Trx, ownerId, id));
  if (!removed) throw new WorkflowError('WORKFLOW_DOCUMENT_IN_USE');
}

const notYours = (field: string, id: string): FieldError => ({
  field,
  code: 'not_your_document',
  message: `doc:${id} is not a document you uploaded (or it has lapsed)`,
});

/**
 * Before a submission, a correction or materials sent later: every `doc:<id>` must be one of the
 * owner's documents. Read outside the transaction, so a refusal costs no case number;
 * `linkDocuments` checks again under lock.
 */
export async function checkDocumentRefs(
  s: Services,
  ownerId: string,
  materials: readonly MaterialRef[],
  fieldPrefix: string,
): Promise<void> {
  const refs = documentRefs(materials);
  const held = await ownedDocumentIds(
    typed(s.ctx.db),
    ownerId,
    refs.map((r) => r.id),
  );
  const errors = refs.filter((r) => !held.has(r.id)).map((r) => notYours(`${fieldPrefix}.${r.index}.ref`, r.id));
  if (errors.length > 0) throw new WorkflowError('WORKFLOW_MATERIALS_INVALID', { count: errors.length }, errors);
}

/** In the transaction that names them: the documents are the application's now (confirmed, linked). */
export async function linkDocuments(
  trx: Trx,
  ownerId: string,
  applicationId: string,
  materials: readonly MaterialRef[],
  fieldPrefix: string,
  at: Date,
): Promise<void> {
  const refs = documentRefs(materials);
  if (refs.length === 0) return;
  const held = await useDocuments(
    trx,
    ownerId,
    applicationId,
    refs.map((r) => r.id),
    at,
  );
  const errors = refs.filter((r) => !held.has(r.id)).map((r) => notYours(`${fieldPrefix}.${r.index}.ref`, r.id));
  if (errors.length > 0) throw new WorkflowError('WORKFLOW_MATERIALS_INVALID', { count: errors.length }, errors);
}

/** The document-lapse job: uploads no submitted application named within LAPSE_DAYS go, bytes and all. */
export async function lapseDocuments(s: Services, trx: Trx): Promise<number> {
  const before = new Date(s.engine.now().getTime() - LAPSE_DAYS * 86_400_000);
  return deleteLapsed(trx, before);
}
