// Submitting once: the idempotency key under concurrent retries, drafts resumed elsewhere, the
// checks at the edge (form, materials, subject, key), and no half-written fan-out.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { databaseLabel, operatorHeaders, testPostgresUrl } from '@tongban/kernel/testing';
import pg from 'pg';
import { sql } from 'kysely';
import { birthForm, birthMaterials, M, startWorkflow, submitBirth, type Harness } from './fixtures.ts';
import { withNotify } from '../notify/inbox.ts';

describe(`submission (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({ modules: withNotify });
  });
  after(() => h.p.dispose());

  const count = async (table: string, where: [string, string]) =>
    Number(
      (
        await h.p.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where(where[0], '=', where[1])
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('twenty concurrent submits with one key make one application; every answer names it', async () => {
    const citizen = await h.citizen('c-idem');
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => submitBirth(h, citizen, key)));
    const ids = new Set(answers.map((a) => a.body.id));
    assert.equal(ids.size, 1, JSON.stringify(answers.map((a) => [a.status, a.body.code])));
    assert.deepEqual(
      answers.map((a) => a.status).sort((x, y) => x - y),
      [...Array(19).fill(200), 201],
    );
    assert.equal(await count('workflow.application', ['applicant_id', 'c-idem']), 1);
    assert.equal(await count('workflow.task', ['application_id', [...ids][0]!]), 6);
  });

  test('the same key for different content is refused (422), a new key makes a new application', async () => {
    const citizen = await h.citizen('c-idem-2');
    const key = randomUUID();
    assert.equal((await submitBirth(h, citizen, key)).status, 201);
    const other = await submitBirth(h, citizen, key, birthForm({ 'child.name': '张二宝' }));
    assert.equal(other.status, 422);
    assert.equal(other.body.code, 'WORKFLOW_IDEMPOTENCY_KEY_REUSED');
    assert.equal((await submitBirth(h, citizen)).status, 201);
    assert.equal(await count('workflow.application', ['applicant_id', 'c-idem-2']), 2);
  });

  test('a key belongs to one applicant: another citizen with the same key gets their own application', async () => {
    const key = randomUUID();
    const a = await submitBirth(h, await h.citizen('c-key-a'), key);
    const b = await submitBirth(h, await h.citizen('c-key-b'), key);
    assert.deepEqual([a.status, b.status], [201, 201]);
    assert.notEqual(a.body.id, b.body.id);
  });

  test('without an Idempotency-Key a submission is refused', async () => {
    const r = await h.call('POST', '/api/workflow/applications', await h.citizen(), {
      subject: { kind: 'bundle', code: 'BIRTH' },
      form: birthForm(),
      materials: birthMaterials,
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'WORKFLOW_IDEMPOTENCY_KEY_REQUIRED');
  });

  test('two drafts submitted at once with one key: one application, the other answer is 422 and its draft stays a draft', async () => {
    const citizen = await h.citizen('c-two-drafts');
    const drafts = await Promise.all(
      [1, 2].map(
        async () =>
          (
            await h.call('POST', '/api/workflow/drafts', citizen, {
              subject: { kind: 'bundle', code: 'BIRTH' },
              form: birthForm(),
              materials: birthMaterials,
            })
          ).body.id as string,
      ),
    );
    const key = randomUUID();
    const answers = await Promise.all(
      drafts.map((draftId) =>
        h.call('POST', '/api/workflow/applications', { ...citizen, 'idempotency-key': key }, { draftId }),
      ),
    );
    assert.deepEqual(
      answers.map((a) => a.status).sort(),
      [201, 422],
      JSON.stringify(answers.map((a) => [a.status, a.body.code])),
    );
    assert.equal(answers.find((a) => a.status === 422)!.body.code, 'WORKFLOW_IDEMPOTENCY_KEY_REUSED');
    const statuses = await h.p.database.db
      .selectFrom('workflow.application')
      .select('status')
      .where('applicant_id', '=', 'c-two-drafts')
      .execute();
    assert.deepEqual(statuses.map((r) => r.status).sort(), ['draft', 'in_progress']);
  });

  test(
    'a draft saved while it is being submitted: the submission is refused as stale, the save is kept',
    {
      timeout: 20_000,
      skip: testPostgresUrl ? false : 'needs PostgreSQL: set TONGBAN_TEST_DATABASE_URL (two transactions at once)',
    },
    async () => {
      const citizen = await h.citizen('c-save-vs-submit');
      const draft = (
        await h.call('POST', '/api/workflow/drafts', citizen, {
          subject: { kind: 'bundle', code: 'BIRTH' },
          form: birthForm(),
          materials: birthMaterials,
        })
      ).body;
      const other = new pg.Client({ connectionString: h.p.config.databaseUrl });
      await other.connect();
      try {
        // Another device's save, holding the draft while the submission reads it and waits.
        await other.query('begin');
        await other.query('select id from workflow.application where id = $1 for update', [draft.id]);
        const submitting = h.call(
          'POST',
          '/api/workflow/applications',
          { ...citizen, 'idempotency-key': randomUUID() },
          { draftId: draft.id },
        );
        while (
          Number(
            (
              await other.query(
                "select count(*)::int n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
              )
            ).rows[0].n,
          ) === 0
        ) {
          await new Promise((resolve) => setImmediate(resolve)); // until the submission waits for the row
        }
        await other.query(
          'update workflow.application set form = form || \'{"person.mobile": "13999999999"}\', version = version + 1 where id = $1',
          [draft.id],
        );
        await other.query('commit');
        const r = await submitting;
        assert.equal(r.status, 409, JSON.stringify(r.body));
        assert.equal(r.body.code, 'WORKFLOW_STALE_DRAFT');
      } finally {
        await other.end();
      }
      const after = (await h.call('GET', `/api/workflow/applications/${draft.id}`, citizen)).body;
      assert.equal(after.status, 'draft');
      assert.equal(after.form['person.mobile'], '13999999999', 'the save is what the draft says');
    },
  );

  test('a draft saved on one device is resumed on another, guarded by its version, then submitted once', async () => {
    const phone = await h.citizen('c-draft');
    const laptop = await h.citizen('c-draft');
    const created = await h.call('POST', '/api/workflow/drafts', phone, {
      subject: { kind: 'bundle', code: 'BIRTH' },
      form: { 'child.name': '张小宝' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, 'draft');
    assert.equal(created.body.caseNumber, null);
    const id = created.body.id;
    const list = (await h.call('GET', '/api/workflow/applications?status=draft', laptop)).body;
    assert.deepEqual(
      list.map((a: { id: string }) => a.id),
      [id],
    );
    const saved = await h.call('PUT', `/api/workflow/drafts/${id}`, laptop, {
      version: 1,
      form: birthForm(),
      materials: birthMaterials,
    });
    assert.equal(saved.status, 200);
    const stale = await h.call('PUT', `/api/workflow/drafts/${id}`, phone, { version: 1, form: {}, materials: [] });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, 'WORKFLOW_STALE_DRAFT');
    const key = randomUUID();
    const submitted = await h.call(
      'POST',
      '/api/workflow/applications',
      { ...laptop, 'idempotency-key': key },
      { draftId: id },
    );
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    assert.equal(submitted.body.id, id, 'the draft becomes the application');
    assert.ok(submitted.body.caseNumber);
    const retried = await h.call(
      'POST',
      '/api/workflow/applications',
      { ...phone, 'idempotency-key': key },
      { draftId: id },
    );
    assert.equal(retried.status, 200);
    const twice = await h.call(
      'POST',
      '/api/workflow/applications',
      { ...phone, 'idempotency-key': randomUUID() },
      { draftId: id },
    );
    assert.equal(twice.status, 409);
    assert.equal(twice.body.code, 'WORKFLOW_ALREADY_SUBMITTED');
    const edit = await h.call('PUT', `/api/workflow/drafts/${id}`, laptop, {
      version: submitted.body.version,
      form: {},
      materials: [],
    });
    assert.equal(edit.status, 409);
    assert.equal(edit.body.code, 'WORKFLOW_NOT_A_DRAFT');
    const foreign = await h.call('GET', `/api/workflow/applications/${id}`, await h.citizen('c-stranger'));
    assert.equal(foreign.status, 403);
  });

  test('a form that breaks the pinned schema is 422 naming every field; nothing is written', async () => {
    const citizen = await h.citizen('c-bad-form');
    const form = birthForm({ 'child.gender': '3', 'person.mobile': '12345', 'child.unknown': 'x' });
    delete form['mother.name'];
    const r = await submitBirth(h, citizen, randomUUID(), form);
    assert.equal(r.status, 422);
    assert.equal(r.body.code, 'WORKFLOW_FORM_INVALID');
    assert.match(r.headers['content-type'] as string, /application\/problem\+json/);
    const fields = r.body.errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, ['form.child.gender', 'form.child.unknown', 'form.mother.name', 'form.person.mobile']);
    assert.equal(await count('workflow.application', ['applicant_id', 'c-bad-form']), 0);
  });

  test('missing and unknown materials are 422; a licence issued by a prerequisite is not asked for (免证办)', async () => {
    const citizen = await h.citizen('c-bad-materials');
    const r = await h.call(
      'POST',
      '/api/workflow/applications',
      { ...citizen, 'idempotency-key': randomUUID() },
      {
        subject: { kind: 'bundle', code: 'BIRTH' },
        form: birthForm(),
        materials: [
          { code: 'mother-id-card', ref: 'x' },
          { code: 'passport', ref: 'y' },
        ],
      },
    );
    assert.equal(r.status, 422);
    assert.equal(r.body.code, 'WORKFLOW_MATERIALS_INVALID');
    const fields = r.body.errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, [
      'materials.1.code',
      'materials.guardian-id-card',
      'materials.parent-household-register',
      'materials.parent-id-cards',
    ]);
    assert.ok(!fields.includes('materials.birth-certificate'), '出生医学证明 comes from 卫健委 within the bundle');
  });

  test('an unknown subject and a malformed body are 4xx problems', async () => {
    const citizen = await h.citizen();
    const unknown = await h.call(
      'POST',
      '/api/workflow/applications',
      { ...citizen, 'idempotency-key': randomUUID() },
      { subject: { kind: 'bundle', code: 'NOPE' }, form: {}, materials: [] },
    );
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.code, 'WORKFLOW_UNKNOWN_SUBJECT');
    assert.equal(unknown.body.errors[0].field, 'subject.code');
    const malformed = await h.call(
      'POST',
      '/api/workflow/applications',
      { ...citizen, 'idempotency-key': randomUUID() },
      { subject: { kind: 'thing', code: 'BIRTH' } },
    );
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.code, 'VALIDATION_FAILED');
    const badKey = await h.call(
      'POST',
      '/api/workflow/applications',
      { ...citizen, 'idempotency-key': 'has spaces' },
      { draftId: randomUUID() },
    );
    assert.equal(badKey.status, 400);
  });

  test('the answer to a submission is what a read of it gives afterwards', async () => {
    const citizen = await h.citizen('c-answer');
    const created = await submitBirth(h, citizen);
    assert.equal(created.status, 201);
    const read = await h.call('GET', `/api/workflow/applications/${created.body.id}`, citizen);
    assert.equal(read.status, 200);
    assert.deepEqual(created.body, read.body);
  });

  test('秒批 at submission: a rule that holds at once approves the task and completes the application in the same write', async () => {
    const op = operatorHeaders();
    const text = (zh: string, en: string) => ({ zh, en });
    const code = '330100-WJW-903';
    assert.equal(
      (
        await h.call('PUT', `/api/catalog/matters/${code}/draft`, op, {
          name: text('即时办结测试事项', 'Decided-at-once test matter'),
          description: text('测试', 'Test'),
          departmentCode: '330100-WJW',
          legalDays: 5,
          promisedDays: 1,
          fees: [],
          materials: [],
          lifeEvents: [],
          form: { type: 'object', properties: { name: { 'x-data-element': 'person.name' } }, required: ['name'] },
          autoApprove: [
            { id: 'any-citizen', name: text('任何居民', 'Any citizen'), when: 'applicant.kind == "citizen"' },
          ],
        })
      ).status,
      200,
    );
    assert.equal((await h.call('POST', `/api/catalog/matters/${code}/publish`, op)).status, 201);
    const citizen = await h.citizen('c-instant');
    const r = await h.call(
      'POST',
      '/api/workflow/applications',
      { ...citizen, 'idempotency-key': randomUUID() },
      { subject: { kind: 'matter', code }, form: { name: '张三' }, materials: [] },
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'completed');
    assert.ok(r.body.finishedAt);
    assert.equal(r.body.tasks[0].state, 'approved');
    assert.deepEqual(r.body, (await h.call('GET', `/api/workflow/applications/${r.body.id}`, citizen)).body);

    const timeline = (await h.call('GET', `/api/workflow/applications/${r.body.id}/timeline`, citizen)).body as {
      action: string;
      rule: string | null;
    }[];
    assert.deepEqual(
      timeline.map((e) => e.action),
      ['submit', 'start', 'autoApprove', 'complete'],
    );
    assert.equal(timeline[2]!.rule, 'any-citizen');
    await h.p.bus.settled();
    const notices = await h.p.database.db
      .selectFrom('notify.notice')
      .select('kind')
      .where('application_id', '=', r.body.id)
      .orderBy('created_at')
      .execute();
    assert.deepEqual(notices.map((n) => n.kind).sort(), ['approved', 'completed', 'submitted']);
    const events = await h.p.database.db
      .selectFrom('workflow.outbox')
      .select(['type', 'data'])
      .where(sql`data->>'applicationId'`, '=', r.body.id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'workflow.task.started',
        'workflow.task.approved',
        'workflow.application.completed',
        'workflow.application.submitted',
      ],
    );
    // Each task event names the seq of its action in the log.
    const actions = await h.p.database.db
      .selectFrom('workflow.action')
      .select(['seq', 'action'])
      .where('application_id', '=', r.body.id)
      .execute();
    for (const e of events.slice(0, 2)) {
      const data = (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as { seq: number; action: string };
      assert.equal(Number(actions.find((a) => a.action === data.action)!.seq), data.seq);
    }
  });

  test('a failure in the middle of the fan-out leaves nothing behind: no application, task, action or event', async () => {
    // A trigger that fails the insert of one task stands for a crash between two steps.
    await sql
      .raw(
        `create function workflow.fail_task() returns trigger language plpgsql as $$
      begin if new.matter_code = '${M.socialSecurityCard}' then raise exception 'injected failure'; end if; return new; end $$;
      create trigger fail_task before insert on workflow.task for each row execute function workflow.fail_task();`,
      )
      .execute(h.p.database.db);
    try {
      const before = Number(
        (
          await h.p.database.db
            .selectFrom('workflow.outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const r = await submitBirth(h, await h.citizen('c-crash'));
      assert.equal(r.status, 500);
      assert.equal(r.body.code, 'INTERNAL');
      assert.equal(r.body.detail, undefined, 'no internals in the answer');
      assert.equal(await count('workflow.application', ['applicant_id', 'c-crash']), 0);
      const after = Number(
        (
          await h.p.database.db
            .selectFrom('workflow.outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      assert.equal(after, before);
      const orphans = await sql<{
        n: number;
      }>`select count(*)::int as n from workflow.task t left join workflow.application a on a.id = t.application_id where a.id is null`.execute(
        h.p.database.db,
      );
      assert.equal(orphans.rows[0]!.n, 0);
    } finally {
      await sql
        .raw('drop trigger fail_task on workflow.task; drop function workflow.fail_task();')
        .execute(h.p.database.db);
    }
    assert.equal((await submitBirth(h, await h.citizen('c-crash'))).status, 201);
  });
});
