// The deadline sweep's candidates (service/deadlines.ts): read unlocked, a batch at a time, by the
// partial indexes of migration 0002.
import type { WorkflowDb } from './tables.ts';

/** The states the sweep's indexes (migration 0002) are made for: keep the two lists the same. */
export const RUNNING = ['submitted', 'accepted', 'reviewed'] as const;

export interface Candidate {
  id: string;
  application_id: string;
}

/** Running tasks past their due day and not yet escalated, the longest overdue first. */
export async function overdueTasks(db: WorkflowDb, today: string, limit: number): Promise<Candidate[]> {
  return db
    .selectFrom('workflow.task')
    .select(['id', 'application_id'])
    .where('state', 'in', RUNNING)
    .where('due_on', '<', today)
    .where('escalated_at', 'is', null)
    .orderBy('due_on')
    .limit(limit)
    .execute();
}

/** Running tasks whose warning day has come, not yet due and not yet warned, the earliest warning first. */
export async function tasksToWarn(db: WorkflowDb, today: string, limit: number): Promise<Candidate[]> {
  return db
    .selectFrom('workflow.task')
    .select(['id', 'application_id'])
    .where('state', 'in', RUNNING)
    .where('warn_on', '<=', today)
    .where('due_on', '>=', today)
    .where('warned_at', 'is', null)
    .orderBy('warn_on')
    .limit(limit)
    .execute();
}
