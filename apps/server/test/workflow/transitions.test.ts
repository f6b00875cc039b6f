// Every transition of the process table through the officer API, and the refusals: an invalid
// transition, a stale version, a missing role, another department's task, another officer's claim.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import { act, M, startWorkflow, submitBirth, submitBirthCertificate, taskOf, type Harness } from './fixtures.ts';

const WJW = '330100-WJW';

describe(`task transitions (${databaseLabel})`, () => {
  let h: Harness;
  let officer: Record<string, string>;
  before(async () => {
    h = await startWorkflow();
    officer = await h.officer(WJW);
  });
  after(() => h.p.dispose());

  const newTask = async (citizen = 'c-t') => {
    const app = await submitBirthCertificate(h, await h.citizen(citizen));
    return app.tasks[0] as { id: string; version: number; state: string };
  };

  test('accept → review → approve finishes the task and the application', async () => {
    const t = await newTask('c-t1');
    assert.equal(t.state, 'submitted');
    let r = await act(h, officer, t.id, { action: 'accept', version: t.version });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.state, 'accepted');
    assert.equal(r.body.assignee, `officer-${WJW}`, 'acting claims an unassigned task');
    r = await act(h, officer, t.id, { action: 'review', version: r.body.version });
    assert.equal(r.body.state, 'reviewed');
    r = await act(h, officer, t.id, { action: 'approve', version: r.body.version });
    assert.equal(r.body.state, 'approved');
    assert.ok(r.body.finishedAt);
    const view = (await h.call('GET', `/api/workflow/tasks/${t.id}`, officer)).body;
    assert.equal(view.application.status, 'completed');
    assert.deepEqual(
      view.timeline.map((e: { action: string }) => e.action),
      ['submit', 'start', 'accept', 'review', 'approve', 'complete'],
    );
    const late = await h.call('POST', `/api/workflow/tasks/${t.id}/claim`, officer, { version: r.body.version });
    assert.equal(late.status, 409, 'a finished task is claimed by nobody');
    assert.equal(late.body.code, 'WORKFLOW_INVALID_TRANSITION');
    const accept = view.timeline.find((e: { action: string }) => e.action === 'accept');
    assert.deepEqual(
      [accept.from, accept.to, accept.actor.kind, accept.actor.id],
      ['submitted', 'accepted', 'officer', `officer-${WJW}`],
    );
  });

  for (const from of ['submitted', 'accepted', 'reviewed'] as const) {
    test(`reject from ${from} needs a reason and ends the task`, async () => {
      const t = await newTask(`c-rej-${from}`);
      let version = t.version;
      for (const step of ({ submitted: [], accepted: ['accept'], reviewed: ['accept', 'review'] } as const)[from]) {
        version = (await act(h, officer, t.id, { action: step, version })).body.version;
      }
      const noReason = await act(h, officer, t.id, { action: 'reject', version });
      assert.equal(noReason.status, 422);
      assert.equal(noReason.body.code, 'WORKFLOW_REASON_REQUIRED');
      const r = await act(h, officer, t.id, { action: 'reject', version, reason: '不符合签发条件' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.state, 'rejected');
    });
  }

  test('an action the state does not allow is 409 WORKFLOW_INVALID_TRANSITION with the current state', async () => {
    const t = await newTask('c-inv');
    const r = await act(h, officer, t.id, { action: 'approve', version: t.version });
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'WORKFLOW_INVALID_TRANSITION');
    assert.match(r.headers['content-type'] as string, /application\/problem\+json/);
    assert.deepEqual(r.body.current, { state: 'submitted', version: t.version });
  });

  test('acting on a version that changed since it was loaded is 409 WORKFLOW_STALE_TASK, nothing written', async () => {
    const t = await newTask('c-stale');
    const first = await act(h, officer, t.id, { action: 'accept', version: t.version });
    assert.equal(first.status, 200);
    const second = await act(h, officer, t.id, {
      action: 'requestCorrection',
      version: t.version,
      reason: '照片不清晰',
      correction: { fields: ['childName'], materials: [] },
    });
    assert.equal(second.status, 409);
    assert.equal(second.body.code, 'WORKFLOW_STALE_TASK');
    assert.equal(second.body.current.state, 'accepted');
    assert.equal(second.body.current.version, first.body.version);
    const actions = await h.p.database.db
      .selectFrom('workflow.action')
      .select('action')
      .where('task_id', '=', t.id)
      .execute();
    assert.deepEqual(
      actions.map((a) => a.action),
      ['start', 'accept'],
    );
  });

  test('two officers acting on the same version at once: exactly one wins', async () => {
    const t = await newTask('c-race');
    const other = await h.officer(WJW, ['officer'], 'officer-2');
    const results = await Promise.all([
      act(h, officer, t.id, { action: 'accept', version: t.version }),
      act(h, other, t.id, { action: 'reject', version: t.version, reason: '重复申请' }),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
  });

  test("another department's task is out of reach (403 FORBIDDEN_RESOURCE), and a citizen cannot act", async () => {
    const t = await newTask('c-dept');
    const police = await h.officer('330100-GA');
    const r = await act(h, police, t.id, { action: 'accept', version: t.version });
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'FORBIDDEN_RESOURCE');
    const viaQueue = await h.call('GET', `/api/workflow/queue?department=${WJW}`, police);
    assert.equal(viaQueue.status, 403);
    const citizen = await act(h, await h.citizen('c-dept'), t.id, { action: 'accept', version: t.version });
    assert.equal(citizen.status, 403);
  });

  test('an officer action needs one of its roles', async () => {
    const t = await newTask('c-role');
    const clerk = await h.officer(WJW, ['viewer'], 'clerk-1');
    const r = await act(h, clerk, t.id, { action: 'accept', version: t.version });
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'WORKFLOW_ROLE_REQUIRED');
    const claim = await h.call('POST', `/api/workflow/tasks/${t.id}/claim`, clerk, { version: t.version });
    assert.equal(claim.status, 403, 'nor can it claim the task and shut the officers out');
    assert.equal(claim.body.code, 'WORKFLOW_ROLE_REQUIRED');
  });

  test('a correction asked on a task that has not started is 409 with the current state, not a failure', async () => {
    const app = await submitBirth(h, await h.citizen('c-corr-waiting'));
    const waiting = taskOf(app.body, M.birthRegistration) as { id: string; version: number; departmentCode: string };
    const police = await h.officer(waiting.departmentCode);
    const r = await act(h, police, waiting.id, {
      action: 'requestCorrection',
      version: waiting.version,
      reason: '请补充材料',
      correction: { fields: ['household.address'], materials: [] },
    });
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.code, 'WORKFLOW_INVALID_TRANSITION');
    assert.deepEqual(r.body.current, { state: 'waiting', version: waiting.version });
  });

  test("an officer sees where another department's task stands, not its correction or who works it", async () => {
    const app = (await submitBirth(h, await h.citizen('c-other-dept'))).body;
    const certificate = taskOf(app, M.birthCertificate) as { id: string; version: number };
    const asked = await act(h, officer, certificate.id, {
      action: 'requestCorrection',
      version: certificate.version,
      reason: '母亲身份证照片反光看不清（补正甲）',
      correction: { fields: [], materials: ['mother-id-card'] },
    });
    assert.equal(asked.status, 200, JSON.stringify(asked.body));
    const registration = taskOf(app, M.birthRegistration) as { id: string; departmentCode: string };
    const seen = (
      await h.call('GET', `/api/workflow/tasks/${registration.id}`, await h.officer(registration.departmentCode))
    ).body;
    const other = seen.application.tasks.find((t: { id: string }) => t.id === certificate.id);
    assert.equal(other.state, 'correction', 'the prerequisite is seen to wait for the applicant');
    assert.equal(other.correction, null);
    assert.equal(other.assignee, null);
    assert.deepEqual(seen.application.needed, []);
    assert.equal(JSON.stringify(seen).includes('补正甲'), false, "no word of another department's correction");
    const own = (await h.call('GET', `/api/workflow/tasks/${certificate.id}`, officer)).body;
    assert.equal(
      own.application.tasks.find((t: { id: string }) => t.id === certificate.id).correction.reason,
      '母亲身份证照片反光看不清（补正甲）',
    );
  });

  test('a malformed id is a 400 naming the parameter, never a database error', async () => {
    for (const [url, who] of [
      ['/api/workflow/tasks/not-a-uuid', officer],
      ['/api/workflow/applications/x', await h.citizen()],
    ] as const) {
      const r = await h.call('GET', url, who);
      assert.equal(r.status, 400, `${url}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.errors?.[0]?.field, 'params.id');
    }
    const draft = await h.call('PUT', '/api/workflow/drafts/x', await h.citizen(), {
      version: 1,
      form: {},
      materials: [],
    });
    assert.equal(draft.status, 400);
  });

  test('claim, then another officer is refused; a lead reassigns', async () => {
    const t = await newTask('c-claim');
    const claimed = await h.call('POST', `/api/workflow/tasks/${t.id}/claim`, officer, { version: t.version });
    assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
    assert.equal(claimed.body.assignee, `officer-${WJW}`);
    const other = await h.officer(WJW, ['officer'], 'officer-3');
    const refused = await act(h, other, t.id, { action: 'accept', version: claimed.body.version });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'WORKFLOW_TASK_ASSIGNED_TO_OTHER');
    const notLead = await h.call('POST', `/api/workflow/tasks/${t.id}/assign`, other, {
      version: claimed.body.version,
      assignee: 'officer-3',
    });
    assert.equal(notLead.status, 403);
    const lead = await h.officer(WJW, ['officer', 'lead'], 'lead-1');
    const assigned = await h.call('POST', `/api/workflow/tasks/${t.id}/assign`, lead, {
      version: claimed.body.version,
      assignee: 'officer-3',
    });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
    assert.equal((await act(h, other, t.id, { action: 'accept', version: assigned.body.version })).status, 200);
  });

  test('容缺受理: accepted with a material to follow; no decision until the applicant sends it', async () => {
    const citizen = await h.citizen('c-pending');
    const app = await submitBirthCertificate(h, citizen);
    const t = app.tasks[0];
    let r = await act(h, officer, t.id, {
      action: 'acceptPending',
      version: t.version,
      pendingMaterials: ['father-id-card'],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.pendingMaterials, ['father-id-card']);
    r = await act(h, officer, t.id, { action: 'review', version: r.body.version });
    const blocked = await act(h, officer, t.id, { action: 'approve', version: r.body.version });
    assert.equal(blocked.status, 409);
    assert.equal(blocked.body.code, 'WORKFLOW_MATERIALS_PENDING');
    const mine = (await h.call('GET', `/api/workflow/applications/${app.id}`, citizen)).body;
    assert.deepEqual(
      mine.needed.map((n: { kind: string; materials: string[] }) => [n.kind, n.materials]),
      [['materials', ['father-id-card']]],
    );
    const wrong = await h.call('POST', `/api/workflow/applications/${app.id}/tasks/${t.id}/materials`, citizen, {
      version: r.body.version,
      materials: [{ code: 'mother-id-card', ref: 'x' }],
    });
    assert.equal(wrong.status, 422);
    const sent = await h.call('POST', `/api/workflow/applications/${app.id}/tasks/${t.id}/materials`, citizen, {
      version: r.body.version,
      materials: [{ code: 'father-id-card', ref: 'licence:resident-id-card:father' }],
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.deepEqual(sent.body.pendingMaterials, []);
    const approved = await act(h, officer, t.id, { action: 'approve', version: sent.body.version });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    void M;
  });

  test('the queue lists the department’s open tasks with the actions its roles allow', async () => {
    const t = await newTask('c-queue');
    const q = await h.call('GET', '/api/workflow/queue?state=submitted&assignee=unassigned', officer);
    assert.equal(q.status, 200, JSON.stringify(q.body));
    const item = q.body.find((x: { taskId: string }) => x.taskId === t.id);
    assert.ok(item);
    assert.deepEqual(item.actions.sort(), ['accept', 'acceptPending', 'reject', 'requestCorrection']);
    assert.ok(
      q.body.every(
        (x: { departmentCode: string; state: string }) => x.departmentCode === WJW && x.state === 'submitted',
      ),
    );
  });
});
