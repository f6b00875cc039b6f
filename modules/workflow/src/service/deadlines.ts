// The deadline sweep (a scheduled job, one replica at a time): a task whose warning day has come
// is flagged to its officers once; a task past its due day is escalated to the department lead
// once. Both are logged actions and events; a paused task (补正) has no due day and is skipped.
import type { AnyTransaction } from '@tongban/kernel';
import { serviceDate } from '../domain/deadlines.ts';
import { typed, type Trx } from '../store/tables.ts';
import { SYSTEM } from './engine.ts';
import type { Services } from './submit.ts';

const BATCH = 500;
// The states the sweep's indexes (migration 0002) are made for: keep the two lists the same.
const RUNNING = ['submitted', 'accepted', 'reviewed'] as const;

export async function sweepDeadlines(s: Services, anyTrx: AnyTransaction): Promise<{ warned: number; escalated: number }> {
  const trx = anyTrx as unknown as Trx;
  const t = typed(trx);
  const today = serviceDate(s.engine.now());
  const overdue = await t.selectFrom('workflow.task').selectAll()
    .where('state', 'in', RUNNING).where('due_on', '<', today).where('escalated_at', 'is', null)
    .orderBy('due_on').limit(BATCH).forUpdate().skipLocked().execute();
  const soon = await t.selectFrom('workflow.task').selectAll()
    .where('state', 'in', RUNNING).where('warn_on', '<=', today).where('due_on', '>=', today).where('warned_at', 'is', null)
    .orderBy('warn_on').limit(BATCH).forUpdate().skipLocked().execute();
  const ids = [...new Set([...overdue, ...soon].map((x) => x.application_id))];
  if (ids.length === 0) return { warned: 0, escalated: 0 };
  const apps = new Map((await t.selectFrom('workflow.application').selectAll().where('id', 'in', ids).execute()).map((a) => [a.id, a]));
  const at = s.engine.now();
  for (const task of overdue) {
    await s.engine.note(trx, apps.get(task.application_id)!, task, 'escalate', SYSTEM, {
      patch: { escalated_at: at, ...(task.warned_at ? {} : { warned_at: at }) }, detail: { dueOn: task.due_on, today, to: 'lead' },
    });
  }
  const escalated = new Set(overdue.map((x) => x.id));
  for (const task of soon.filter((x) => !escalated.has(x.id))) {
    await s.engine.note(trx, apps.get(task.application_id)!, task, 'warn', SYSTEM, { patch: { warned_at: at }, detail: { dueOn: task.due_on, today } });
  }
  return { warned: soon.length, escalated: overdue.length };
}
