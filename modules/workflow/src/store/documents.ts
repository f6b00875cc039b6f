// Every query of the document store (service/documents.ts): uploads with their sealed bytes, the
// quota, who may open one, which applications name it, and the lapse of unconfirmed uploads.
import { sql } from 'kysely';
import type { DocumentRow, Trx, WorkflowDb } from './tables.ts';

/** Serialises one owner's uploads, so the quota is counted by one writer at a time. */
export async function lockOwnerUploads(trx: Trx, ownerId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`workflow.document:${ownerId}`}))`.execute(trx);
}

export async function countUnconfirmed(trx: Trx, ownerId: string): Promise<number> {
  const row = await trx
    .selectFrom('workflow.document')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_id', '=', ownerId)
    .where('confirmed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertDocument(trx: Trx, row: DocumentRow, sealed: string): Promise<void> {
  await trx.insertInto('workflow.document').values(row).execute();
  await trx.insertInto('workflow.document_content').values({ document_id: row.id, data: sealed }).execute();
}

export async function findDocument(db: WorkflowDb, id: string): Promise<DocumentRow | undefined> {
  return db.selectFrom('workflow.document').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getSealedContent(db: WorkflowDb, id: string): Promise<string> {
  const row = await db
    .selectFrom('workflow.document_content')
    .select('data')
    .where('document_id', '=', id)
    .executeTakeFirstOrThrow();
  return row.data;
}

/**
 * The tasks that let an officer open a document: every task of every submitted application that
 * names it, with the department and region the guard's rule compares, and what the access record
 * names.
 */
export async function documentTaskScopes(db: WorkflowDb, id: string) {
  return db
    .selectFrom('workflow.document_use as u')
    .innerJoin('workflow.application as a', 'a.id', 'u.application_id')
    .innerJoin('workflow.task as t', 't.application_id', 'a.id')
    .select([
      'a.id as applicationId',
      'a.case_number as caseNumber',
      'a.applicant_id as applicantId',
      't.id as taskId',
      't.matter_code as matterCode',
      't.department_code as departmentCode',
      't.region_code as regionCode',
    ])
    .where('u.document_id', '=', id)
    .where('a.status', '<>', 'draft')
    .execute();
}

/** Of these ids, the ones this owner holds (whatever their state). */
export async function ownedDocumentIds(db: WorkflowDb, ownerId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('workflow.document')
    .select('id')
    .where('owner_id', '=', ownerId)
    .where('id', 'in', [...ids])
    .execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * Links the owner's documents to an application and confirms them (they no longer lapse or count
 * towards the quota), in the caller's transaction; the rows are locked, so a lapse sweep cannot
 * delete one in between. Returns the ids it found the owner holding.
 */
export async function useDocuments(
  trx: Trx,
  ownerId: string,
  applicationId: string,
  ids: readonly string[],
  at: Date,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const held = await trx
    .selectFrom('workflow.document')
    .select('id')
    .where('owner_id', '=', ownerId)
    .where('id', 'in', [...ids])
    .forUpdate()
    .execute();
  const found = new Set(held.map((r) => r.id));
  if (found.size === 0) return found;
  await trx
    .updateTable('workflow.document')
    .set({ confirmed_at: at })
    .where('id', 'in', [...found])
    .where('confirmed_at', 'is', null)
    .execute();
  await trx
    .insertInto('workflow.document_use')
    .values([...found].map((id) => ({ document_id: id, application_id: applicationId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  return found;
}

/** Deletes unconfirmed uploads made before `before` (their bytes go with them); how many. */
export async function deleteLapsed(trx: Trx, before: Date): Promise<number> {
  const done = await trx
    .deleteFrom('workflow.document')
    .where('confirmed_at', 'is', null)
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(done.numDeletedRows);
}

/** The owner's documents, newest first (metadata only). */
export async function listDocuments(db: WorkflowDb, ownerId: string, limit: number): Promise<DocumentRow[]> {
  return db
    .selectFrom('workflow.document')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Deletes an unconfirmed upload of this owner; false when there is none (or it is in use). */
export async function deleteUnconfirmed(trx: Trx, ownerId: string, id: string): Promise<boolean> {
  const done = await trx
    .deleteFrom('workflow.document')
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(done.numDeletedRows) > 0;
}
