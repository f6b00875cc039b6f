// Reads, locks and writes of tasks: for the officers' routes, a task's scope (what the guard checks
// it against) and the whole row; for the services acting on tasks, the rows they lock and the
// updates the task's version guards.
import type { TaskRow, Trx, WorkflowDb } from './tables.ts';

/** The department and region a task belongs to, or undefined when there is no such task. */
export async function findTaskScope(
  db: WorkflowDb,
  id: string,
): Promise<{ departmentCode: string; regionCode: string } | undefined> {
  const row = await db
    .selectFrom('workflow.task')
    .select(['department_code', 'region_code'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { departmentCode: row.department_code, regionCode: row.region_code };
}

/** The task, which the route's policy has already found (its scope) before this runs. */
export async function getTask(db: WorkflowDb, id: string): Promise<TaskRow> {
  return db.selectFrom('workflow.task').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The task, or undefined when there is no such task. */
export async function findTask(db: WorkflowDb, id: string): Promise<TaskRow | undefined> {
  return db.selectFrom('workflow.task').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Which matter (and version) and region each task of an application is for: what its rules and calendars are prefetched by. */
export async function matterKeysOf(
  db: WorkflowDb,
  applicationId: string,
): Promise<Pick<TaskRow, 'matter_code' | 'matter_version' | 'region_code'>[]> {
  return db
    .selectFrom('workflow.task')
    .select(['matter_code', 'matter_version', 'region_code'])
    .where('application_id', '=', applicationId)
    .execute();
}

/** The task, locked until the transaction ends (its application is locked first: see lockApplication). */
export async function lockTask(trx: Trx, id: string): Promise<TaskRow> {
  return trx.selectFrom('workflow.task').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

/** Every task of an application, locked, in the order every writer locks them (by matter code). */
export async function lockTasksOf(trx: Trx, applicationId: string): Promise<TaskRow[]> {
  return trx
    .selectFrom('workflow.task')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('matter_code')
    .forUpdate()
    .execute();
}

/** These tasks (of one application), locked in id order; a task that is gone is not among them. */
export async function lockTasks(trx: Trx, ids: readonly string[]): Promise<TaskRow[]> {
  return trx
    .selectFrom('workflow.task')
    .selectAll()
    .where('id', 'in', [...ids])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** The application a task belongs to, or undefined when there is no such task. */
export async function applicationOfTask(db: WorkflowDb, taskId: string): Promise<string | undefined> {
  const row = await db.selectFrom('workflow.task').select('application_id').where('id', '=', taskId).executeTakeFirst();
  return row?.application_id;
}

/** What a task stands at now, for a 409's answer; undefined when there is no such task. */
export async function findTaskState(
  db: WorkflowDb,
  id: string,
): Promise<Pick<TaskRow, 'state' | 'version' | 'assignee'> | undefined> {
  return db
    .selectFrom('workflow.task')
    .select(['state', 'version', 'assignee'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The task changed as `changes` say, only while it is still at `version`; undefined when it has moved on (or is gone). */
export async function updateTaskAtVersion(
  trx: Trx,
  id: string,
  version: number,
  changes: Partial<Omit<TaskRow, 'id'>>,
): Promise<TaskRow | undefined> {
  return trx
    .updateTable('workflow.task')
    .set(changes)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}
