// 撤回: an applicant withdraws an application while no department has decided; every open task
// ends with the reason, departments see it, and it is in the timeline, the events and the ledger.
// Refused after a decision, twice, by anyone else, and when it races an officer's decision.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import { ledgerFor, settle } from '../ledger/fixtures.ts';
import { act, M, startWorkflow, submitBirth, submitBirthCertificate, taskOf, type Harness } from './fixtures.ts';
import catalog from '@tongban/catalog';
import ledger from '@tongban/ledger';
import notify from '@tongban/notify';
import workflow from '@tongban/workflow';
import { inbox } from '../notify/inbox.ts';

const WJW = '330100-WJW';
const REASON = '孩子户口改在外地办理，不再需要';

describe(`withdrawing an application (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({ modules: [catalog, workflow, ledger, notify] });
  });
  after(() => h.p.dispose());

  const withdraw = (id: string, who: Record<string, string>, body: unknown = { reason: REASON }) =>
    h.call('POST', `/api/workflow/applications/${id}/withdraw`, who, body);

  test('before any decision: every open task ends withdrawn with the reason, the application is withdrawn, the departments see why', async () => {
    const citizen = await h.citizen('c-wd-1');
    const { body: app } = await submitBirth(h, citizen);
    const officer = await h.officer(WJW);
    const certificate = taskOf(app, M.birthCertificate);
    const accepted = await act(h, officer, certificate.id, { action: 'accept', version: certificate.version });
    assert.equal(accepted.status, 200, 'accepting is not deciding');

    const r = await withdraw(app.id, citizen);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'withdrawn');
    assert.equal(r.body.withdrawalReason, REASON);
    assert.ok(r.body.finishedAt);
    assert.deepEqual(
      [...new Set(r.body.tasks.map((t: { state: string }) => t.state))],
      ['withdrawn'],
      'waiting, submitted and accepted tasks alike',
    );
    assert.deepEqual(r.body.needed, []);

    const timeline = (await h.call('GET', `/api/workflow/applications/${app.id}/timeline`, citizen)).body as {
      action: string;
      taskId: string | null;
      from: string;
      to: string;
      reason: string;
      actor: { kind: string };
    }[];
    const withdrawals = timeline.filter((e) => e.action === 'withdraw');
    assert.equal(withdrawals.length, 7, 'one per task and one for the application');
    for (const e of withdrawals) assert.deepEqual([e.to, e.reason, e.actor.kind], ['withdrawn', REASON, 'applicant']);
    assert.deepEqual(
      withdrawals
        .filter((e) => e.taskId !== null)
        .map((e) => e.from)
        .sort(),
      ['accepted', 'waiting', 'waiting', 'waiting', 'waiting', 'waiting'],
    );

    // The department: the task is no longer actionable, the reason is in front of them.
    const seen = (await h.call('GET', `/api/workflow/tasks/${certificate.id}`, officer)).body;
    assert.equal(seen.task.state, 'withdrawn');
    assert.equal(seen.task.stateName.zh, '已撤回');
    assert.deepEqual(seen.actions, []);
    assert.equal(seen.application.withdrawalReason, REASON);
    assert.ok(
      seen.timeline.some(
        (e: { action: string; taskId: string; reason: string }) =>
          e.action === 'withdraw' && e.taskId === certificate.id && e.reason === REASON,
      ),
    );
    const open = (await h.call('GET', `/api/workflow/queue?department=${WJW}`, officer)).body as { taskId: string }[];
    assert.equal(
      open.some((q) => q.taskId === certificate.id),
      false,
      'gone from the open queue',
    );
    const gone = (await h.call('GET', `/api/workflow/queue?department=${WJW}&state=withdrawn`, officer)).body as {
      taskId: string;
      withdrawalReason: string;
      actions: string[];
      stateName: { zh: string };
    }[];
    const row = gone.find((q) => q.taskId === certificate.id);
    assert.ok(row, 'listed among the withdrawn');
    assert.deepEqual([row.withdrawalReason, row.actions, row.stateName.zh], [REASON, [], '已撤回']);
    const late = await act(h, officer, certificate.id, { action: 'review', version: accepted.body.version });
    assert.equal(late.status, 409, 'an officer acting on what they loaded before finds it withdrawn');
    const fresh = await act(h, officer, certificate.id, {
      action: 'reject',
      version: seen.task.version,
      reason: '不予',
    });
    assert.equal(fresh.status, 409);
    assert.equal(fresh.body.code, 'WORKFLOW_INVALID_TRANSITION');

    const notices = await inbox(h, citizen);
    assert.deepEqual(
      notices.map((n) => n.kind).sort(),
      ['submitted', 'withdrawn'],
      'told it is withdrawn (the test clock stands still: order by kind)',
    );

    // The events, and the ledger recording them with the applicant as actor, the reason as a digest.
    const events = await h.p.database.db
      .selectFrom('workflow.outbox')
      .select(['type', 'data'])
      .where('type', 'in', ['workflow.application.withdrawn', 'workflow.task.withdrawn'])
      .execute();
    const mine = events.filter((e) => (e.data as { applicationId: string }).applicationId === app.id);
    assert.deepEqual(mine.map((e) => e.type).sort(), [
      'workflow.application.withdrawn',
      ...Array(6).fill('workflow.task.withdrawn'),
    ]);
    const appEvent = mine.find((e) => e.type === 'workflow.application.withdrawn')!.data as {
      reason: string;
      tasks: unknown[];
      actor: { kind: string; id: string };
    };
    assert.deepEqual(
      [appEvent.reason, appEvent.tasks.length, appEvent.actor],
      [REASON, 6, { kind: 'applicant', id: 'c-wd-1' }],
    );
    await settle(h);
    const entries = (
      await h.p.database.db.selectFrom('ledger.entry').select('body').where('subject_id', '=', 'c-wd-1').execute()
    ).map((e) => JSON.parse(e.body as string));
    const recorded = entries.find((e) => e.action === 'workflow.application.withdrawn');
    assert.ok(recorded, 'the withdrawal is in the ledger');
    assert.deepEqual(recorded.actor, { kind: 'applicant', id: ledgerFor(h).pseudonymOf('c-wd-1') });
    assert.equal(recorded.resource.applicationId, app.id);
    assert.match(recorded.digests.reason, /^[0-9a-f]{64}$/);
    assert.equal(JSON.stringify(recorded).includes(REASON), false, 'the free text stays out of the public entry');
    assert.equal(entries.filter((e) => e.action === 'workflow.task.withdrawn').length, 6);
  });

  test('after a department decided: 409 WORKFLOW_WITHDRAW_DECIDED with the current state, nothing changes', async () => {
    const citizen = await h.citizen('c-wd-2');
    const { body: app } = await submitBirth(h, citizen);
    const officer = await h.officer(WJW);
    let t = taskOf(app, M.birthCertificate);
    for (const action of ['accept', 'review', 'approve'])
      t = (await act(h, officer, t.id, { action, version: t.version })).body;
    assert.equal(t.state, 'approved');
    const r = await withdraw(app.id, citizen);
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.code, 'WORKFLOW_WITHDRAW_DECIDED');
    assert.equal(r.body.current.status, 'in_progress');
    assert.equal(r.body.current.tasks.find((x: { id: string }) => x.id === t.id).state, 'approved');
    const after = (await h.call('GET', `/api/workflow/applications/${app.id}`, citizen)).body;
    assert.equal(after.status, 'in_progress');
    assert.equal(after.withdrawalReason, null);
    assert.equal(taskOf(after, M.birthRegistration).state, 'submitted', 'the next departments go on');
    const logged = await h.p.database.db
      .selectFrom('workflow.action')
      .select('action')
      .where('application_id', '=', app.id)
      .where('action', '=', 'withdraw')
      .execute();
    assert.deepEqual(logged, []);
  });

  test('withdrawing a withdrawn application is 409 with its state; a draft is not withdrawn but discarded', async () => {
    const citizen = await h.citizen('c-wd-3');
    const app = await submitBirthCertificate(h, citizen);
    assert.equal((await withdraw(app.id, citizen)).status, 200);
    const again = await withdraw(app.id, citizen, { reason: '再撤一次' });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'WORKFLOW_ALREADY_WITHDRAWN');
    assert.equal(again.body.current.status, 'withdrawn');
    assert.deepEqual(
      again.body.current.tasks.map((x: { state: string }) => x.state),
      ['withdrawn'],
    );
    assert.equal(
      (await h.call('GET', `/api/workflow/applications/${app.id}`, citizen)).body.withdrawalReason,
      REASON,
      'the first reason stands',
    );
    const draft = (
      await h.call('POST', '/api/workflow/drafts', citizen, { subject: { kind: 'matter', code: M.birthCertificate } })
    ).body;
    const r = await withdraw(draft.id, citizen);
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'WORKFLOW_NOT_WITHDRAWABLE');
    const listed = (await h.call('GET', '/api/workflow/applications?status=withdrawn', citizen)).body as {
      id: string;
    }[];
    assert.deepEqual(
      listed.map((a) => a.id),
      [app.id],
    );
  });

  test('another citizen, an officer and an unknown id cannot withdraw', async () => {
    const app = await submitBirthCertificate(h, await h.citizen('c-wd-4'));
    const stranger = await withdraw(app.id, await h.citizen('c-wd-stranger'));
    assert.equal(stranger.status, 403);
    assert.equal(
      (await withdraw(app.id, await h.officer(WJW))).status,
      403,
      'the department cannot withdraw for the applicant',
    );
    const unknown = await withdraw('6f1c2e4a-0d4b-4a8e-9b61-3f0c7d2a9e11', await h.citizen('c-wd-4'));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'WORKFLOW_APPLICATION_NOT_FOUND');
    assert.equal(
      (await h.call('GET', `/api/workflow/applications/${app.id}`, await h.citizen('c-wd-4'))).body.status,
      'in_progress',
    );
  });

  test('the reason is required, at most 500 characters, without control characters', async () => {
    const citizen = await h.citizen('c-wd-5');
    const app = await submitBirthCertificate(h, citizen);
    const blank = await withdraw(app.id, citizen, { reason: '   ' });
    assert.equal(blank.status, 422);
    assert.equal(blank.body.code, 'WORKFLOW_REASON_REQUIRED');
    assert.equal(blank.body.errors[0].field, 'body.reason');
    for (const body of [
      {},
      { reason: '' },
      { reason: 'x'.repeat(501) },
      { reason: '不要了\u0007' },
      { reason: '第一行\n第二行' },
      { reason: '\u202E了要不' },
      { reason: REASON, extra: 1 },
    ]) {
      const r = await withdraw(app.id, citizen, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.code, 'VALIDATION_FAILED');
      assert.ok(
        r.body.errors.some((e: { field: string }) => e.field.startsWith('body')),
        JSON.stringify(r.body.errors),
      );
    }
    assert.equal((await withdraw(app.id, citizen, { reason: 'x'.repeat(500) })).status, 200);
  });

  test("a withdrawal racing an officer's decision: exactly one wins, the other is 409, and the outcome is one or the other", async () => {
    for (let round = 0; round < 4; round++) {
      const citizen = await h.citizen(`c-wd-race-${round}`);
      const app = await submitBirthCertificate(h, citizen);
      const officer = await h.officer(WJW);
      let t = app.tasks[0];
      for (const action of ['accept', 'review']) t = (await act(h, officer, t.id, { action, version: t.version })).body;
      const [decision, withdrawal] = await Promise.all([
        act(h, officer, t.id, { action: 'approve', version: t.version }),
        withdraw(app.id, citizen),
      ]);
      assert.deepEqual(
        [decision.status, withdrawal.status].sort(),
        [200, 409],
        JSON.stringify([decision.body.code, withdrawal.body.code]),
      );
      const final = (await h.call('GET', `/api/workflow/applications/${app.id}`, citizen)).body;
      if (decision.status === 200) {
        assert.equal(withdrawal.body.code, 'WORKFLOW_WITHDRAW_DECIDED');
        assert.deepEqual([final.status, final.tasks[0].state], ['completed', 'approved']);
      } else {
        assert.match(decision.body.code, /^WORKFLOW_(STALE_TASK|INVALID_TRANSITION)$/);
        assert.deepEqual([final.status, final.tasks[0].state], ['withdrawn', 'withdrawn']);
      }
    }
  });
});
