// 出生一件事 on the demo city: one submission fans out to every department, in the order the
// bundle's dependencies fix; one matter approves itself by rule; a refused prerequisite ends its
// dependants with a reason.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import { M, startWorkflow, submitBirth, taskOf, type Harness } from './fixtures.ts';
import { inbox, withNotify } from '../notify/inbox.ts';

async function decide(h: Harness, taskId: string, outcome: 'approve' | 'reject', reason?: string) {
  const { department_code: department } = await h.p.database.db
    .selectFrom('workflow.task')
    .select('department_code')
    .where('id', '=', taskId)
    .executeTakeFirstOrThrow();
  const officer = await h.officer(department);
  const { task } = (await h.call('GET', `/api/workflow/tasks/${taskId}`, officer)).body;
  let version = task.version;
  const act = async (action: string, extra: Record<string, unknown> = {}) => {
    const r = await h.call('POST', `/api/workflow/tasks/${taskId}/actions`, officer, { action, version, ...extra });
    assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
    version = r.body.version;
    return r.body;
  };
  if (outcome === 'reject') return act('reject', { reason: reason ?? '材料不符' });
  if (task.state === 'submitted') await act('accept');
  // 即办件 (the vaccination certificate) is decided on acceptance; the others are reviewed first.
  if (task.process === 'standard') await act('review');
  return act('approve');
}

describe(`出生一件事 end to end (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({ modules: withNotify });
  });
  after(() => h.p.dispose());

  test('one submission starts only the matters without prerequisites, with a case number and due dates', async () => {
    const r = await submitBirth(h, await h.citizen('c-bundle-1'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.match(r.body.caseNumber, /^330100-20261201-\d{7}$/);
    assert.equal(r.body.tasks.length, 6);
    const started = r.body.tasks
      .filter((t: { state: string }) => t.state === 'submitted')
      .map((t: { matterCode: string }) => t.matterCode);
    assert.deepEqual(started, [M.birthCertificate]);
    // 2026-12-01 is a Tuesday; the birth certificate promises 1 working day.
    assert.equal(taskOf(r.body, M.birthCertificate).dueOn, '2026-12-02');
    assert.equal(taskOf(r.body, M.birthRegistration).state, 'waiting');
    assert.equal(taskOf(r.body, M.birthRegistration).dueOn, null);
  });

  test('the bundle runs to completion honouring dependencies, 医保参保 approved by its rule', async () => {
    const citizen = await h.citizen('c-bundle-2');
    const { body: submitted } = await submitBirth(h, citizen);
    const id = submitted.id;
    const get = async () => (await h.call('GET', `/api/workflow/applications/${id}`, citizen)).body;

    await decide(h, taskOf(submitted, M.birthCertificate).id, 'approve');
    let view = await get();
    for (const m of [M.vaccination, M.birthRegistration, M.maternityBenefits])
      assert.equal(taskOf(view, m).state, 'submitted', m);
    assert.equal(taskOf(view, M.medicalInsurance).state, 'waiting', '医保参保 waits for 落户');
    assert.equal(taskOf(view, M.vaccination).process, 'immediate', '预防接种证 is 即办: decided on acceptance');
    const officer = await h.officer('330100-CDC');
    const accepted = await h.call('POST', `/api/workflow/tasks/${taskOf(view, M.vaccination).id}/actions`, officer, {
      action: 'accept',
      version: taskOf(view, M.vaccination).version,
    });
    const review = await h.call('POST', `/api/workflow/tasks/${taskOf(view, M.vaccination).id}/actions`, officer, {
      action: 'review',
      version: accepted.body.version,
    });
    assert.equal(review.status, 409, 'no review step in an immediate process');
    assert.equal(review.body.code, 'WORKFLOW_INVALID_TRANSITION');

    await decide(h, taskOf(view, M.birthRegistration).id, 'approve');
    view = await get();
    assert.equal(taskOf(view, M.medicalInsurance).state, 'approved', '秒批 once 落户 is granted');
    assert.equal(taskOf(view, M.socialSecurityCard).state, 'submitted', '社保卡 starts after 医保参保');
    const timeline = (await h.call('GET', `/api/workflow/applications/${id}/timeline`, citizen)).body as {
      action: string;
      rule: string | null;
      actor: { kind: string };
      taskId: string;
    }[];
    const auto = timeline.find((e) => e.action === 'autoApprove');
    assert.ok(auto, 'the automatic approval is in the timeline');
    assert.equal(auto.rule, 'registered-newborn-by-parent');
    assert.equal(auto.actor.kind, 'system');
    assert.equal(auto.taskId, taskOf(view, M.medicalInsurance).id);

    for (const m of [M.vaccination, M.maternityBenefits, M.socialSecurityCard])
      await decide(h, taskOf(view, m).id, 'approve');
    view = await get();
    assert.equal(view.status, 'completed');
    assert.ok(view.finishedAt);
    const notices = await inbox(h, citizen);
    assert.ok(
      notices.some((n) => n.kind === 'completed' && n.text.includes(view.caseNumber)),
      JSON.stringify(notices),
    );
    assert.ok(notices.some((n) => n.kind === 'approved'));
  });

  test('a refused prerequisite ends every matter that depends on it, naming it, and closes the application', async () => {
    const citizen = await h.citizen('c-bundle-3');
    const { body: submitted } = await submitBirth(h, citizen);
    await decide(h, taskOf(submitted, M.birthCertificate).id, 'reject', '出生信息与助产机构记录不符');
    const view = (await h.call('GET', `/api/workflow/applications/${submitted.id}`, citizen)).body;
    assert.equal(taskOf(view, M.birthCertificate).state, 'rejected');
    for (const m of [
      M.vaccination,
      M.birthRegistration,
      M.medicalInsurance,
      M.socialSecurityCard,
      M.maternityBenefits,
    ]) {
      assert.equal(taskOf(view, m).state, 'cancelled', m);
    }
    assert.equal(view.status, 'closed');
    const timeline = (await h.call('GET', `/api/workflow/applications/${submitted.id}/timeline`, citizen)).body as {
      action: string;
      reason: string;
      taskId: string;
    }[];
    const ended = timeline.find((e) => e.action === 'cancel' && e.taskId === taskOf(view, M.socialSecurityCard).id);
    assert.ok(ended);
    assert.match(ended.reason, /城乡居民基本医疗保险参保登记|出生医学证明/);
  });

  test('officers of three departments acting at the same moment on sibling tasks all succeed (no deadlock)', async () => {
    for (let round = 0; round < 5; round++) {
      const citizen = await h.citizen(`c-siblings-${round}`);
      const { body: submitted } = await submitBirth(h, citizen);
      await decide(h, taskOf(submitted, M.birthCertificate).id, 'approve');
      const view = (await h.call('GET', `/api/workflow/applications/${submitted.id}`, citizen)).body;
      const siblings = [M.vaccination, M.birthRegistration, M.maternityBenefits].map((m) => taskOf(view, m));
      const answers = await Promise.all(
        siblings.map(async (t) =>
          h.call('POST', `/api/workflow/tasks/${t.id}/actions`, await h.officer(t.departmentCode), {
            action: 'accept',
            version: t.version,
          }),
        ),
      );
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200],
        JSON.stringify(answers.map((a) => a.body.code)),
      );
    }
  });

  test('the action log accounts for every task: its last versioned action gives the task its state and version', async () => {
    const db = h.p.database.db;
    const tasks = await db.selectFrom('workflow.task').select(['id', 'state', 'version']).execute();
    assert.ok(tasks.length >= 18);
    for (const task of tasks) {
      const log = await db
        .selectFrom('workflow.action')
        .select(['to_state', 'task_version'])
        .where('task_id', '=', task.id)
        .where('task_version', 'is not', null)
        .orderBy('seq')
        .execute();
      const last = log[log.length - 1];
      assert.equal(last?.to_state ?? 'waiting', task.state, task.id);
      assert.equal(last?.task_version ?? 1, task.version, task.id);
      assert.deepEqual(
        log.map((a) => a.task_version),
        log.map((_, i) => i + 2),
        'one action per version, none skipped',
      );
    }
  });

  test('the action log is append-only: the database refuses to change or remove an entry', async () => {
    const db = h.p.database.db;
    await assert.rejects(
      db.updateTable('workflow.action').set({ reason: 'rewritten' }).where('seq', '=', 1).execute(),
      /append-only/,
    );
    await assert.rejects(db.deleteFrom('workflow.action').where('seq', '=', 1).execute(), /append-only/);
  });

  test('every transition leaves through the outbox as an event', async () => {
    await h.p.bus.settled();
    const types = (await h.p.database.db.selectFrom('workflow.outbox').select('type').execute()).map(
      (r) => r.type as string,
    );
    for (const t of [
      'workflow.application.submitted',
      'workflow.task.started',
      'workflow.task.accepted',
      'workflow.task.reviewed',
      'workflow.task.approved',
      'workflow.task.rejected',
      'workflow.task.cancelled',
      'workflow.application.completed',
      'workflow.application.closed',
    ]) {
      assert.ok(types.includes(t), `${t} in ${[...new Set(types)].join(', ')}`);
    }
  });
});
