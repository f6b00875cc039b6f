// Working-day deadlines on a controllable clock: the warning the day before, escalation to the
// department lead after, overdue tasks at the top of the queue; a correction (补正) pauses the clock.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel, testPostgresUrl } from '@tongban/kernel/testing';
import pg from 'pg';
import { inbox, withNotify } from '../notify/inbox.ts';
import {
  act,
  socialSecurityCardForm,
  startWorkflow,
  submitSocialSecurityCard,
  sweep,
  type Harness,
} from './fixtures.ts';

const RS = '330100-RS';
// 10:00 in Hangzhou on a given day.
const at = (date: string) => `${date}T02:00:00Z`;

describe(`deadlines and corrections (${databaseLabel})`, () => {
  let h: Harness;
  let officer: Record<string, string>;
  before(async () => {
    h = await startWorkflow({ now: at('2026-12-01'), modules: withNotify });
    officer = await h.officer(RS, ['officer', 'lead']);
  });
  after(() => h.p.dispose());

  const actionsOf = async (taskId: string) =>
    (
      await h.p.database.db
        .selectFrom('workflow.action')
        .select('action')
        .where('task_id', '=', taskId)
        .orderBy('seq')
        .execute()
    ).map((a) => a.action as string);

  test('a task is warned once on the working day before it is due, and escalated once after', async () => {
    h.clock.set(at('2026-12-01'));
    const app = await submitSocialSecurityCard(h, await h.citizen('c-deadline'));
    const task = app.tasks[0];
    assert.equal(task.dueOn, '2026-12-03', 'Tuesday + 2 working days');
    await sweep(h);
    assert.deepEqual(await actionsOf(task.id), ['start']);

    h.clock.set(at('2026-12-02'));
    await sweep(h);
    await sweep(h);
    assert.deepEqual(await actionsOf(task.id), ['start', 'warn'], 'warned once');
    let q = (await h.call('GET', '/api/workflow/queue?deadline=due_soon', officer)).body;
    assert.ok(q.some((x: { taskId: string; deadline: string }) => x.taskId === task.id && x.deadline === 'due_soon'));

    h.clock.set(at('2026-12-03'));
    await sweep(h);
    assert.deepEqual(await actionsOf(task.id), ['start', 'warn'], 'not overdue on its due day');

    h.clock.set(at('2026-12-04'));
    await sweep(h);
    await sweep(h);
    assert.deepEqual(await actionsOf(task.id), ['start', 'warn', 'escalate'], 'escalated once');
    q = (await h.call('GET', '/api/workflow/queue?escalated=true', officer)).body;
    const item = q.find((x: { taskId: string }) => x.taskId === task.id);
    assert.ok(item, 'escalated tasks are in the lead’s view');
    assert.equal(item.deadline, 'overdue');
    await h.p.bus.settled();
    const events = await h.p.database.db
      .selectFrom('workflow.outbox')
      .select('type')
      .where('type', 'in', ['workflow.task.deadline-approaching', 'workflow.task.escalated'])
      .execute();
    assert.deepEqual(events.map((e) => e.type).sort(), [
      'workflow.task.deadline-approaching',
      'workflow.task.escalated',
    ]);
  });

  test(
    'the sweep passes over an application an officer is acting on, and never deadlocks with them',
    {
      timeout: 20_000,
      skip: testPostgresUrl
        ? false
        : 'needs PostgreSQL: set TONGBAN_TEST_DATABASE_URL (the embedded database has one connection, so nothing runs beside the sweep)',
    },
    async () => {
      h.clock.set(at('2026-12-01'));
      const app = await submitSocialSecurityCard(h, await h.citizen('c-sweep-lock'));
      const task = app.tasks[0];
      h.clock.set(at('2026-12-02')); // its warning day
      // An officer's action, held open: it has the application, and will want the task next.
      const officerSide = new pg.Client({ connectionString: h.p.config.databaseUrl });
      await officerSide.connect();
      try {
        await officerSide.query('begin');
        await officerSide.query('select id from workflow.application where id = $1 for update', [app.id]);
        await sweep(h); // returns: it does not wait for the application
        await officerSide.query("set local lock_timeout = '5s'");
        await officerSide.query('select id from workflow.task where id = $1 for update', [task.id]); // nor holds its task
        await officerSide.query('commit');
      } finally {
        await officerSide.end();
      }
      assert.deepEqual(await actionsOf(task.id), ['start'], 'the busy application was left for the next sweep');
      await sweep(h);
      assert.deepEqual(await actionsOf(task.id), ['start', 'warn'], 'which warns it');
    },
  );

  test('overdue tasks come first in the queue', async () => {
    h.clock.set(at('2026-12-07'));
    await submitSocialSecurityCard(h, await h.citizen('c-later'));
    const q = (await h.call('GET', '/api/workflow/queue', officer)).body as { dueOn: string; deadline: string }[];
    const dues = q.map((x) => x.dueOn);
    assert.deepEqual(dues, [...dues].sort(), 'soonest due first');
    assert.equal(q[0]!.deadline, 'overdue');
  });

  test('a correction pauses the clock; the days left resume when the applicant answers, only with what was asked', async () => {
    h.clock.set(at('2026-12-01'));
    const citizen = await h.citizen('c-correction');
    const app = await submitSocialSecurityCard(h, citizen);
    let task = app.tasks[0];
    h.clock.set(at('2026-12-02'));
    task = (await act(h, officer, task.id, { action: 'accept', version: task.version })).body;
    const badRequest = await act(h, officer, task.id, {
      action: 'requestCorrection',
      version: task.version,
      reason: '地址不完整',
      correction: { fields: ['nosuch'], materials: [] },
    });
    assert.equal(badRequest.status, 422);
    assert.equal(badRequest.body.code, 'WORKFLOW_CORRECTION_INVALID');
    const r = await act(h, officer, task.id, {
      action: 'requestCorrection',
      version: task.version,
      reason: '邮寄地址不完整，请补充门牌号',
      correction: { fields: ['mailingAddress'], materials: ['photo'] },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    task = r.body;
    assert.equal(task.state, 'correction');
    assert.equal(task.paused, true);
    assert.equal(task.dueOn, null, 'no due date while the applicant has the file');
    assert.equal(task.remainingDays, 1, 'Wednesday → Thursday: one working day was left');

    const mine = (await h.call('GET', `/api/workflow/applications/${app.id}`, citizen)).body;
    assert.deepEqual(mine.needed, [
      {
        taskId: task.id,
        matterCode: task.matterCode,
        kind: 'correction',
        fields: ['mailingAddress'],
        materials: ['photo'],
        reason: '邮寄地址不完整，请补充门牌号',
        version: task.version,
      },
    ]);
    const notices = await inbox(h, { ...citizen, 'accept-language': 'en' });
    assert.ok(
      notices.some((n) => n.kind === 'correction_requested' && n.text.includes('a correction is needed')),
      JSON.stringify(notices),
    );

    // The due day passes while paused: nothing is escalated.
    h.clock.set(at('2026-12-07'));
    await sweep(h);
    assert.ok(!(await actionsOf(task.id)).includes('escalate'));

    const url = `/api/workflow/applications/${app.id}/tasks/${task.id}/correction`;
    const notAsked = await h.call('POST', url, citizen, {
      version: task.version,
      form: { childName: '张大宝', mailingAddress: '杭州市西湖区文三路 1 号 3 幢 101' },
      materials: [],
    });
    assert.equal(notAsked.status, 422);
    assert.equal(notAsked.body.code, 'WORKFLOW_CORRECTION_NOT_REQUESTED');
    assert.deepEqual(
      notAsked.body.errors.map((e: { field: string }) => e.field),
      ['form.childName'],
    );
    const invalid = await h.call('POST', url, citizen, {
      version: task.version,
      form: { mailingAddress: 12 },
      materials: [],
    });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.body.code, 'WORKFLOW_FORM_INVALID');
    const someoneElse = await h.call('POST', url, await h.citizen('c-other'), {
      version: task.version,
      form: { mailingAddress: 'x' },
      materials: [],
    });
    assert.equal(someoneElse.status, 403);

    const empty = await h.call('POST', url, citizen, { version: task.version, form: {}, materials: [] });
    assert.equal(empty.status, 422, 'an answer that answers nothing');
    const answered = await h.call('POST', url, citizen, {
      version: task.version,
      form: { mailingAddress: '杭州市西湖区文三路 1 号 3 幢 101' },
      materials: [{ code: 'photo', ref: 'doc:photo-1' }],
    });
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    assert.equal(answered.body.state, 'accepted', 'back where the correction interrupted it');
    assert.equal(answered.body.dueOn, '2026-12-08', 'Monday + the one working day that was left');
    assert.equal(answered.body.correction, null);
    const again = await h.call('POST', url, citizen, {
      version: answered.body.version,
      form: { mailingAddress: 'x' },
      materials: [],
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'WORKFLOW_NOT_AWAITING_CORRECTION');

    const stored = (await h.call('GET', `/api/workflow/applications/${app.id}`, citizen)).body;
    assert.equal(stored.form.mailingAddress, '杭州市西湖区文三路 1 号 3 幢 101');
    assert.equal(stored.form.childName, socialSecurityCardForm().childName);
    assert.ok(stored.materials.some((m: { code: string }) => m.code === 'photo'));
    const log = (await h.call('GET', `/api/workflow/tasks/${task.id}`, officer)).body.timeline as {
      action: string;
      from: string;
      to: string;
      detail: Record<string, unknown>;
    }[];
    const resubmit = log.find((e) => e.action === 'resubmit')!;
    assert.deepEqual([resubmit.from, resubmit.to], ['correction', 'accepted']);
    assert.deepEqual(
      resubmit.detail,
      { fields: ['mailingAddress'], materials: ['photo'] },
      'which fields changed, never their values',
    );
  });
});
