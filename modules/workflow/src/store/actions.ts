// The action log (workflow.action): an application-level entry (a task's entries are written by
// service/engine.ts), and the reads of the live feed (service/live.ts), which follows the log by
// its sequence number.
import type { ActionRow, Trx, WorkflowDb } from './tables.ts';

/** One entry of the log; its detail is stored as JSON. */
export async function insertAction(trx: Trx, entry: Omit<ActionRow, 'seq'>): Promise<void> {
  await trx
    .insertInto('workflow.action')
    .values({ ...entry, detail: JSON.stringify(entry.detail) as never })
    .execute();
}

/** The highest sequence number in the log (0 when it is empty): where a new feed starts. */
export async function lastActionSeq(db: WorkflowDb): Promise<number> {
  const row = await db
    .selectFrom('workflow.action')
    .select((eb) => eb.fn.max('seq').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

/** When the entry `seq` was logged, or undefined when there is none. */
export async function actionLoggedAt(db: WorkflowDb, seq: number): Promise<Date | undefined> {
  const row = await db.selectFrom('workflow.action').select('at').where('seq', '=', seq).executeTakeFirst();
  return row?.at;
}

/** An entry of the log with what a live stream needs of its application. */
export interface FeedRow {
  seq: number;
  application_id: string;
  task_id: string | null;
  action: string;
  from_state: string | null;
  to_state: string | null;
  at: Date;
  applicant_id: string;
  case_number: string | null;
}

function feed(db: WorkflowDb) {
  return db
    .selectFrom('workflow.action as a')
    .innerJoin('workflow.application as ap', 'ap.id', 'a.application_id')
    .select([
      'a.seq',
      'a.application_id',
      'a.task_id',
      'a.action',
      'a.from_state',
      'a.to_state',
      'a.at',
      'ap.applicant_id',
      'ap.case_number',
    ]);
}

/** Entries after `seq`, in order, at most `limit`: of one applicant's applications, or of all when none is named. */
export async function feedAfter(db: WorkflowDb, seq: number, limit: number, applicantId?: string): Promise<FeedRow[]> {
  let q = feed(db);
  if (applicantId !== undefined) q = q.where('ap.applicant_id', '=', applicantId);
  return q.where('a.seq', '>', seq).orderBy('a.seq').limit(limit).execute();
}

/** An applicant's entries numbered below `seq` but logged at or after `from`, in order, at most `limit`. */
export async function feedBefore(
  db: WorkflowDb,
  applicantId: string,
  seq: number,
  from: Date,
  limit: number,
): Promise<FeedRow[]> {
  return feed(db)
    .where('ap.applicant_id', '=', applicantId)
    .where('a.seq', '<', seq)
    .where('a.at', '>=', from)
    .orderBy('a.seq')
    .limit(limit)
    .execute();
}
