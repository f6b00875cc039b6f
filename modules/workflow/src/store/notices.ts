// The applicant's notices (消息).

import type { NoticeRow, Trx, WorkflowDb } from './tables.ts';

/** A new notice, unread; its params are stored as JSON. */
export async function insertNotice(trx: Trx, notice: Omit<NoticeRow, 'read_at'>): Promise<void> {
  await trx
    .insertInto('workflow.notice')
    .values({ ...notice, params: JSON.stringify(notice.params) as never, read_at: null })
    .execute();
}

/** Marks a notice of this recipient read; false when they have no such notice. */
export async function markNoticeRead(db: WorkflowDb, id: string, recipientId: string, at: Date): Promise<boolean> {
  const done = await db
    .updateTable('workflow.notice')
    .set({ read_at: at })
    .where('id', '=', id)
    .where('recipient_id', '=', recipientId)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}
