// The action log (workflow.action): an entry, an entry with its sequence number (a task's move,
// whose event carries it), a new application's rows written with its entries in one statement, and
// the reads of the live feed (service/live.ts), which follows the log by its sequence number.
import type { ActionRow, ApplicationRow, TaskRow, Trx, WorkflowDb } from './tables.ts';

/** One entry of the log; its detail is stored as JSON. */
export async function insertAction(trx: Trx, entry: Omit<ActionRow, 'seq'>): Promise<void> {
  await trx
    .insertInto('workflow.action')
    .values({ ...entry, detail: JSON.stringify(entry.detail) as never })
    .execute();
}

/** One entry of the log, and the sequence number it was given. */
export async function logAction(trx: Trx, row: Omit<ActionRow, 'seq'>): Promise<number> {
  const { seq } = await trx
    .insertInto('workflow.action')
    .values({ ...row, detail: JSON.stringify(row.detail) as never })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return seq;
}

/** A new application's rows, staged in memory (service/engine.ts): what `writeStaged` writes. */
export interface StagedRows {
  readonly tasks: readonly TaskRow[];
  readonly actions: readonly Omit<ActionRow, 'seq'>[];
  /** The application's new status when the first moves finished it; undefined when they did not. */
  readonly application?: Pick<ApplicationRow, 'id' | 'status' | 'finished_at' | 'updated_at' | 'version'>;
}

/**
 * Tasks, the application's end and the log entries in one statement (data-modifying
 * CTEs; the foreign keys are checked at its end); each entry's seq comes back with its task and version.
 */
export async function writeStaged(
  trx: Trx,
  staged: StagedRows,
): Promise<{ seq: number; task_id: string | null; task_version: number | null }[]> {
  const json = (v: unknown) => JSON.stringify(v) as never;
  const tasks = staged.tasks.map((row) => ({
    ...row,
    correction: row.correction === null ? null : json(row.correction),
  }));
  const actions = staged.actions.map((a) => ({ ...a, detail: json(a.detail) }));
  const app = staged.application;
  let q = trx.with('staged_task', (db) => db.insertInto('workflow.task').values(tasks));
  if (app) {
    q = q.with('staged_application', (db) =>
      db
        .updateTable('workflow.application')
        .set({ status: app.status, finished_at: app.finished_at, updated_at: app.updated_at, version: app.version })
        .where('id', '=', app.id),
    ) as unknown as typeof q;
  }
  return q.insertInto('workflow.action').values(actions).returning(['seq', 'task_id', 'task_version']).execute();
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
