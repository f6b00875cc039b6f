// Reads of one task, for the officers' routes: its scope (what the guard checks it against) and
// the whole row.
import type { TaskRow, WorkflowDb } from './tables.ts';

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
