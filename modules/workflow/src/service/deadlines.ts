// The deadline sweep (a scheduled job, one replica at a time): a task whose warning day has come
// is flagged to its officers once; a task past its due day is escalated to the department lead
// once. Both are logged actions and events; a paused task (补正) has no due day and is skipped.
import type { AnyTransaction } from '@tongban/kernel';
import { serviceDate } from '../domain/deadlines.ts';
import { lockApplicationUnlessBusy } from '../store/applications.ts';
import { overdueTasks, RUNNING, tasksToWarn } from '../store/deadlines.ts';
import { typed } from '../store/tables.ts';
import { lockTasks } from '../store/tasks.ts';
import { SYSTEM } from './engine.ts';
import type { Services } from './submit.ts';

const BATCH = 500;

export async function sweepDeadlines(
  s: Services,
  anyTrx: AnyTransaction,
): Promise<{ warned: number; escalated: number }> {
  const trx = typed(anyTrx);
  const today = serviceDate(s.engine.now());
  // Candidates first, unlocked; then each application and its tasks locked in the order every
  // other writer takes (application, then task), skipping an application someone is acting on —
  // the next sweep gets it. Locking tasks first deadlocked with officers on PostgreSQL.
  const overdue = await overdueTasks(trx, today, BATCH);
  const soon = await tasksToWarn(trx, today, BATCH);
  const byApplication = new Map<string, string[]>();
  for (const c of [...overdue, ...soon])
    byApplication.set(c.application_id, [...(byApplication.get(c.application_id) ?? []), c.id]);
  let warned = 0;
  let escalated = 0;
  const at = s.engine.now();
  for (const [applicationId, taskIds] of byApplication) {
    const app = await lockApplicationUnlessBusy(trx, applicationId);
    if (!app) continue;
    const tasks = await lockTasks(trx, [...new Set(taskIds)]);
    // Read again under the lock: an officer may have moved the task since the candidates were read.
    for (const task of tasks.filter((x) => (RUNNING as readonly string[]).includes(x.state) && x.due_on !== null)) {
      if (task.escalated_at === null && task.due_on! < today) {
        await s.engine.note(trx, app, task, 'escalate', SYSTEM, {
          patch: { escalated_at: at, ...(task.warned_at ? {} : { warned_at: at }) },
          detail: { dueOn: task.due_on, today, to: 'lead' },
        });
        escalated++;
      } else if (task.warned_at === null && task.warn_on !== null && task.warn_on <= today && task.due_on! >= today) {
        await s.engine.note(trx, app, task, 'warn', SYSTEM, {
          patch: { warned_at: at },
          detail: { dueOn: task.due_on, today },
        });
        warned++;
      }
    }
  }
  return { warned, escalated };
}
