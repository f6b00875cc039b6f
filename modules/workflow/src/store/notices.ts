// The applicant's notices (消息).

import type { WorkflowDb } from './tables.ts';

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
