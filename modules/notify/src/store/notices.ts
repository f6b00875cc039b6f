// The inbox (站内信) and the application projection: every query of them.
import type { NotifyDb, NoticeRow } from './tables.ts';
import type { KnownApplication } from '../domain/notices.ts';

export async function rememberApplication(
  db: NotifyDb,
  a: { applicationId: string; caseNumber: string; applicantId: string; departments: string[]; matterCodes: string[] },
): Promise<void> {
  await db
    .insertInto('notify.application')
    .values({
      application_id: a.applicationId,
      case_number: a.caseNumber,
      applicant_id: a.applicantId,
      departments: JSON.stringify(a.departments),
      matter_codes: JSON.stringify(a.matterCodes),
    })
    .onConflict((oc) => oc.column('application_id').doNothing())
    .execute();
}

export async function knownApplication(db: NotifyDb, id: string | null): Promise<KnownApplication | undefined> {
  if (!id) return undefined;
  const row = await db.selectFrom('notify.application').selectAll().where('application_id', '=', id).executeTakeFirst();
  return row && { caseNumber: row.case_number, applicantId: row.applicant_id, departments: row.departments };
}

/** The notice of an event, once: false when the event already made one (a redelivery). */
export async function insertNotice(db: NotifyDb, row: Omit<NoticeRow, 'read_at'>): Promise<boolean> {
  const done = await db
    .insertInto('notify.notice')
    .values({ ...row, params: JSON.stringify(row.params), read_at: null })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return done !== undefined;
}

export async function noticesOf(db: NotifyDb, recipientId: string, unreadOnly: boolean, limit: number) {
  let q = db.selectFrom('notify.notice').selectAll().where('recipient_id', '=', recipientId);
  if (unreadOnly) q = q.where('read_at', 'is', null);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function findNotice(db: NotifyDb, id: string) {
  return db.selectFrom('notify.notice').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks a notice of this recipient read; false when they have no such notice. */
export async function markNoticeRead(db: NotifyDb, id: string, recipientId: string, at: Date): Promise<boolean> {
  const done = await db
    .updateTable('notify.notice')
    .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(at)) }))
    .where('id', '=', id)
    .where('recipient_id', '=', recipientId)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}
