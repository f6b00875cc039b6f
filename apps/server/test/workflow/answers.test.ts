// 查看明文 of form answers (issue 12): the officer of a task receives the application's personal
// identifiers masked — ID numbers, mobiles, bank accounts, addresses, other people's names — and
// reveals one at a time with a reason, which is recorded (a sealed row and an outbox event the
// ledger reads) before the value leaves; no reason is 422, another department's officer and a
// citizen are refused, and an hour's reveals are limited.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import { M, startWorkflow, submitBirth, taskOf, type Harness } from './fixtures.ts';

describe(`masked answers in the officer's task view (${databaseLabel})`, () => {
  let h: Harness;
  let taskId: string;
  let applicationId: string;
  const WJW = '330100-WJW';
  before(async () => {
    h = await startWorkflow();
    const r = await submitBirth(h, await h.citizen('c-answers-1'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    applicationId = r.body.id;
    taskId = taskOf(r.body, M.birthCertificate).id;
  });
  after(() => h.p.dispose());

  const view = async (officer?: Record<string, string>) =>
    h.call('GET', `/api/workflow/tasks/${taskId}`, officer ?? (await h.officer(WJW)));
  const reveal = async (body: unknown, officer?: Record<string, string>) =>
    h.call('POST', `/api/workflow/tasks/${taskId}/answers/reveal`, officer ?? (await h.officer(WJW)), body);

  test('personal identifiers are masked by default; what the officer needs to read is whole', async () => {
    const r = await view();
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const form = r.body.application.form;
    assert.equal(form['person.idNumber'], '330106********123X');
    assert.equal(form['mother.idNumber'], '330106********1226');
    assert.equal(form['person.mobile'], '138****0001');
    assert.equal(form['mother.name'], '李*', "another person's name");
    assert.equal(form['child.name'], '张小宝', 'the newborn the certificate is for');
    assert.equal(form['person.name'], '张三', 'the applicant');
    assert.equal(form['child.birthWeight'], 3400);
    assert.equal(r.body.masked['person.idNumber'].mask, 'idNumber');
    // The applicant is the father: one person, looked up once.
    const father = r.body.masked['father.idNumber'];
    const person = r.body.masked['person.idNumber'];
    assert.deepEqual(
      [father.sameAs, person.sameAs].sort(),
      [undefined, father.sameAs ? 'person.idNumber' : 'father.idNumber'].sort(),
      'one of the two points at the other',
    );
    assert.equal(r.body.masked['mother.idNumber'].sameAs, undefined);
    const body = JSON.stringify(r.body);
    for (const clear of ['33010619900101123X', '330106199201011226', '13800000001'])
      assert.ok(!body.includes(clear), `${clear} never leaves unrevealed`);
  });

  test('a bank account is masked for the department that uses it', async () => {
    const yb = taskOf(
      (await h.call('GET', `/api/workflow/applications/${applicationId}`, await h.citizen('c-answers-1'))).body,
      M.maternityBenefits,
    );
    const r = await h.call('GET', `/api/workflow/tasks/${yb.id}`, await h.officer('330100-YB'));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const form = r.body.application.form;
    assert.equal(form['bank.accountNumber'], '***************4567');
    assert.equal(r.body.masked['bank.accountNumber'].mask, 'bankAccount');
  });

  test('a reveal with a reason answers the clear value and is recorded, the reason sealed', async () => {
    const r = await reveal({ field: 'mother.idNumber', reason: '核对母亲身份证件' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { field: 'mother.idNumber', value: '330106199201011226' });
    const db = h.p.database.db;
    const rows = await db
      .selectFrom('workflow.answer_reveal' as never)
      .selectAll()
      .execute();
    assert.equal(rows.length, 1);
    const row = rows[0] as Record<string, unknown>;
    assert.equal(row['officer_id'], `officer-${WJW}`);
    assert.equal(row['field'], 'mother.idNumber');
    assert.notEqual(row['reason'], '核对母亲身份证件', 'the reason is sealed');
    const events = await db
      .selectFrom('workflow.outbox')
      .select(['type', 'data'])
      .where('type', '=', 'workflow.answer.revealed')
      .execute();
    assert.equal(events.length, 1);
    const data = (typeof events[0]!.data === 'string' ? JSON.parse(events[0]!.data) : events[0]!.data) as Record<
      string,
      unknown
    >;
    assert.equal(data['field'], 'mother.idNumber');
    assert.equal(data['element'], 'mother.idNumber');
    assert.equal(data['applicantId'], 'c-answers-1');
    assert.deepEqual(data['actor'], { kind: 'officer', id: `officer-${WJW}` });
    assert.ok(!JSON.stringify(data).includes('330106199201011226'), 'the event holds no value');
    assert.ok(!JSON.stringify(data).includes('核对母亲'), 'nor the reason');
  });

  test('a reveal without a reason is 422 naming body.reason, and records nothing', async () => {
    const before = await h.p.database.db
      .selectFrom('workflow.answer_reveal' as never)
      .selectAll()
      .execute();
    for (const body of [{ field: 'person.mobile' }, { field: 'person.mobile', reason: ' 看 ' }]) {
      const r = await reveal(body);
      assert.equal(r.status, 422, JSON.stringify(r.body));
      assert.equal(r.body.code, 'WORKFLOW_REASON_REQUIRED');
      assert.equal(r.body.errors[0].field, 'body.reason');
    }
    const after = await h.p.database.db
      .selectFrom('workflow.answer_reveal' as never)
      .selectAll()
      .execute();
    assert.equal(after.length, before.length);
  });

  test('only an answer the officer was shown masked is revealed: 422 otherwise', async () => {
    for (const field of ['child.name', 'bank.accountNumber', 'no.such']) {
      const r = await reveal({ field, reason: '核对申请材料' });
      assert.equal(r.status, 422, `${field}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 'WORKFLOW_REVEAL_INVALID');
    }
  });

  test('an officer of another department is refused the view and the reveal; a citizen too', async () => {
    const other = await h.officer('330100-GA');
    assert.equal((await view(other)).status, 403);
    const r = await reveal({ field: 'mother.idNumber', reason: '核对母亲身份证件' }, other);
    assert.equal(r.status, 403, JSON.stringify(r.body));
    const citizen = await h.citizen('c-answers-1');
    assert.equal((await reveal({ field: 'mother.idNumber', reason: '我想看看' }, citizen)).status, 403);
    const register = await h.call('POST', `/api/workflow/tasks/${taskId}/register/query`, other, {
      field: 'mother.idNumber',
      items: ['name'],
    });
    assert.equal(register.status, 403);
  });

  test('the register is asked only for an ID-number answer of the task', async () => {
    const r = await h.call('POST', `/api/workflow/tasks/${taskId}/register/query`, await h.officer(WJW), {
      field: 'person.mobile',
      items: ['name'],
    });
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.errors[0].code, 'not_an_id_number');
  });

  test('past ten reveals in an hour an officer is refused with 429, and the refusal is recorded', async () => {
    const officer = await h.officer(WJW, ['officer'], 'officer-busy');
    for (let i = 0; i < 10; i++)
      assert.equal((await reveal({ field: 'person.mobile', reason: `回访申请人 ${i}` }, officer)).status, 200);
    const r = await reveal({ field: 'person.mobile', reason: '回访申请人 again' }, officer);
    assert.equal(r.status, 429, JSON.stringify(r.body));
    assert.equal(r.body.code, 'WORKFLOW_REVEAL_LIMIT');
    const refused = await h.p.database.db
      .selectFrom('workflow.outbox')
      .select('data')
      .where('type', '=', 'workflow.answer.reveal-refused')
      .execute();
    assert.equal(refused.length, 1, 'the refusal leaves a security event');
    const data = JSON.stringify(refused[0]!.data);
    assert.match(data, /officer-busy/);
    assert.match(data, /reveal_rate_limited/);
  });
});
