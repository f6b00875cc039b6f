// The demo seed's department lead (issue 12): 出生一件事's first task is 卫健委's, and its lead
// (lead.330100-wjw, the role 'lead' only) assigns it to the department's officer, who then finds it
// assigned to them in their queue; an officer without the role may not assign.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import workflow from '@tongban/workflow';
import { M, startWorkflow, submitBirth, taskOf, type Harness } from './fixtures.ts';

describe('the demo lead officer assigns a task', () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({ modules: [catalog, identity, workflow], identity: true });
  });
  after(() => h.p.dispose());

  test('the seed has one lead, of the department where 出生一件事 starts', async () => {
    const leads = await h.p.database.db
      .selectFrom('identity.account')
      .select(['login', 'roles', 'departments'])
      .where('login', 'like', 'lead.%')
      .execute();
    assert.deepEqual(
      leads.map((l) => ({ ...l })),
      [{ login: 'lead.330100-wjw', roles: ['lead'], departments: ['330100-WJW'] }],
    );
  });

  test('the lead assigns the task to an officer, who sees it as theirs; an officer cannot assign', async () => {
    const r = await submitBirth(h, await h.citizen('c-lead-1'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const task = taskOf(r.body, M.birthCertificate);
    const lead = await h.officer('330100-WJW', ['lead'], 'lead-1');
    const seen = await h.call('GET', `/api/workflow/tasks/${task.id}`, lead);
    assert.ok(seen.body.actions.length > 0, 'a lead sees what may be done, so the workbench offers assigning');
    const refused = await h.call('POST', `/api/workflow/tasks/${task.id}/assign`, await h.officer('330100-WJW'), {
      version: seen.body.task.version,
      assignee: 'officer-2',
    });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    const assigned = await h.call('POST', `/api/workflow/tasks/${task.id}/assign`, lead, {
      version: seen.body.task.version,
      assignee: 'officer-2',
    });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
    const mine = await h.call(
      'GET',
      '/api/workflow/queue?assignee=me',
      await h.officer('330100-WJW', ['officer'], 'officer-2'),
    );
    assert.deepEqual(
      mine.body.map((t: { taskId: string }) => t.taskId),
      [task.id],
    );
  });
});
