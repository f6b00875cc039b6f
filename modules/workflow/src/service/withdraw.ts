// 撤回: the applicant withdraws an application while no department has decided. Every open task
// ends through the process table's `withdraw` action with the applicant's reason, the application
// ends 'withdrawn', and all of it is logged, published and noticed in one transaction.
import { WorkflowError } from '../errors.ts';
import type { ApplicationWithdrawn } from '@tongban/contracts';
import { findDecided, isTerminal } from '../domain/process.ts';
import { insertAction } from '../store/actions.ts';
import { lockApplication, markWithdrawn } from '../store/applications.ts';
import { typed, type ApplicationRow, type TaskRow } from '../store/tables.ts';
import { lockTasksOf } from '../store/tasks.ts';
import type { Actor } from './engine.ts';
import type { Services } from './submit.ts';

const current = (app: ApplicationRow, tasks: readonly TaskRow[]) => ({
  current: {
    status: app.status,
    version: app.version,
    tasks: tasks.map((t) => ({ id: t.id, matterCode: t.matter_code, state: t.state, version: t.version })),
  },
});

export async function withdraw(
  s: Services,
  applicationId: string,
  actor: Actor,
  reason: string,
): Promise<ApplicationRow> {
  const text = reason.trim();
  if (!text)
    throw new WorkflowError('WORKFLOW_REASON_REQUIRED', {}, [
      { field: 'body.reason', code: 'required', message: 'say why' },
    ]);
  return s.ctx.db.transaction().execute(async (anyTrx) => {
    const trx = typed(anyTrx);
    // Application, then its tasks, as every writer locks them: an officer deciding at the same
    // moment either committed first (and this sees the decision) or finds the task moved on (409).
    const app = await lockApplication(trx, applicationId);
    const tasks = await lockTasksOf(trx, app.id);
    if (app.status === 'withdrawn') throw new WorkflowError('WORKFLOW_ALREADY_WITHDRAWN', {}, [], current(app, tasks));
    const decided = findDecided(tasks);
    if (decided)
      throw new WorkflowError(
        'WORKFLOW_WITHDRAW_DECIDED',
        { matterCode: decided.matter_code },
        [],
        current(app, tasks),
      );
    if (app.status !== 'in_progress')
      throw new WorkflowError('WORKFLOW_NOT_WITHDRAWABLE', { status: app.status }, [], current(app, tasks));

    const open = tasks.filter((x) => !isTerminal(x.state));
    for (const task of open) await s.engine.transition(trx, app, task, 'withdraw', actor, { reason: text });
    const at = s.engine.now();
    const withdrawn = await markWithdrawn(trx, app.id, { reason: text, version: app.version + 1, at });
    await insertAction(trx, {
      application_id: app.id,
      task_id: null,
      task_version: null,
      action: 'withdraw',
      actor_kind: actor.kind,
      actor_id: actor.id,
      from_state: app.status,
      to_state: 'withdrawn',
      reason: text,
      rule: null,
      detail: { tasks: open.length },
      at,
    });
    const event: ApplicationWithdrawn = {
      applicationId: app.id,
      caseNumber: app.case_number ?? '',
      applicantId: app.applicant_id,
      actor: { kind: actor.kind, id: actor.id },
      reason: text,
      tasks: open.map((x) => ({
        taskId: x.id,
        matterCode: x.matter_code,
        departmentCode: x.department_code,
        from: x.state,
      })),
      at: at.toISOString(),
    };
    await s.ctx.events.publish(trx, 'workflow.application.withdrawn', event);
    return withdrawn;
  });
}
