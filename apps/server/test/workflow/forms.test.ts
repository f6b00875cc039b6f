// Form values against their data elements, over HTTP: catalog patterns match in linear time (a
// ReDoS pattern cannot hold the server), and each field is checked with its data element's
// type, format, range and check digit at draft save and at submission, in zh-CN and English.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { databaseLabel, operatorHeaders } from '@tongban/kernel/testing';
import {
  act,
  birthCertificateForm,
  birthForm,
  birthMaterials,
  M,
  startWorkflow,
  submitBirth,
  submitBirthCertificate,
  type Harness,
} from './fixtures.ts';

const text = (zh: string, en: string) => ({ zh, en });

describe(`a catalog pattern cannot freeze the platform (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow();
    const op = operatorHeaders();
    const put = async (url: string, body: object) =>
      assert.equal((await h.call('PUT', url, op, body)).status, 200, url);
    await put('/api/catalog/data-elements/test.evil', {
      name: text('测试', 'Test'),
      type: 'string',
      pattern: '^(a|a)*$',
      maxLength: 5000,
    });
    await put('/api/catalog/matters/330100-WJW-902/draft', {
      name: text('测试事项', 'Test matter'),
      description: text('测试', 'Test'),
      departmentCode: '330100-WJW',
      legalDays: 5,
      promisedDays: 1,
      fees: [],
      materials: [],
      lifeEvents: [],
      form: {
        type: 'object',
        properties: { value: { 'x-data-element': 'test.evil', pattern: '^(a+)+$' } },
        required: ['value'],
      },
    });
    assert.equal((await h.call('POST', '/api/catalog/matters/330100-WJW-902/publish', op)).status, 201);
  });
  after(() => h.p.dispose());

  // A backtracking engine takes seconds on 30 characters (the event loop blocked throughout);
  // the timeout makes such a regression fail. Longer inputs are in the workflow's unit corpus.
  test(
    'a submission with the evil input is answered 422, and /healthz issued during it answers too',
    { timeout: 5_000 },
    async () => {
      const citizen = await h.citizen('c-redos');
      for (const evil of [`${'a'.repeat(30)}!`]) {
        const [submission, health] = await Promise.all([
          h.call(
            'POST',
            '/api/workflow/applications',
            { ...citizen, 'idempotency-key': randomUUID(), 'accept-language': 'en' },
            {
              subject: { kind: 'matter', code: '330100-WJW-902' },
              form: { value: evil },
              materials: [],
            },
          ),
          h.call('GET', '/healthz', {}),
        ]);
        assert.equal(health.status, 200);
        assert.equal(submission.status, 422, JSON.stringify(submission.body));
        assert.equal(submission.body.code, 'WORKFLOW_FORM_INVALID');
        assert.deepEqual([...new Set(submission.body.errors.map((e: { field: string }) => e.field))], ['form.value']);
      }
      const ok = await h.call(
        'POST',
        '/api/workflow/applications',
        { ...citizen, 'idempotency-key': randomUUID() },
        {
          subject: { kind: 'matter', code: '330100-WJW-902' },
          form: { value: 'aaaa' },
          materials: [],
        },
      );
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
    },
  );
});

describe(`form values are checked against their data elements (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow();
  });
  after(() => h.p.dispose());

  type Problem = { status: number; body: { code: string; errors: { field: string; code: string; message: string }[] } };
  const fieldsOf = (r: Problem) => r.body.errors.map((e) => `${e.field} ${e.code}`).sort();
  const messageOf = (r: Problem, field: string) => r.body.errors.find((e) => e.field === field)?.message;
  const refused = (r: Problem) => {
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.code, 'WORKFLOW_FORM_INVALID');
    return r;
  };
  const matterBody = (form: Record<string, unknown>) => ({
    subject: { kind: 'matter', code: M.birthCertificate },
    form,
    materials: [{ code: 'mother-id-card', ref: 'licence:resident-id-card:mother' }],
  });
  const ISSUE_5 = { motherIdNumber: 'not-an-id-number', applicantMobile: 'call me maybe', childGender: '9' };

  test("330100-WJW-001 refuses the issue's values at submission, in zh-CN by default and in English when asked", async () => {
    const citizen = await h.citizen('c-forms-1');
    const post = (lang?: string) =>
      h.call(
        'POST',
        '/api/workflow/applications',
        { ...citizen, 'idempotency-key': randomUUID(), ...(lang ? { 'accept-language': lang } : {}) },
        matterBody(birthCertificateForm(ISSUE_5)),
      );
    const zh = refused(await post());
    assert.deepEqual(fieldsOf(zh), [
      'form.applicantMobile maxLength',
      'form.childGender enum',
      'form.motherIdNumber pattern',
    ]);
    assert.equal(messageOf(zh, 'form.childGender'), '取值不在允许范围内');
    assert.equal(messageOf(zh, 'form.applicantMobile'), '过长（至多 11 个字符）');
    const en = refused(await post('en-GB,en;q=0.9'));
    assert.equal(messageOf(en, 'form.childGender'), 'must be one of the allowed values');
    assert.equal(messageOf(en, 'form.motherIdNumber'), 'does not match the required format');
    const wrongCheck = refused(
      await h.call(
        'POST',
        '/api/workflow/applications',
        { ...citizen, 'idempotency-key': randomUUID(), 'accept-language': 'en' },
        matterBody(birthCertificateForm({ motherIdNumber: '330106199201011228' })),
      ),
    );
    assert.deepEqual(fieldsOf(wrongCheck), ['form.motherIdNumber check_digit']);
    assert.match(messageOf(wrongCheck, 'form.motherIdNumber')!, /resident ID number \(GB 11643\)/);
    const ok = await h.call(
      'POST',
      '/api/workflow/applications',
      { ...citizen, 'idempotency-key': randomUUID() },
      matterBody(birthCertificateForm()),
    );
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });

  test('the same values are refused at draft save (POST /drafts and PUT /drafts/:id); an incomplete but valid draft is kept', async () => {
    const citizen = await h.citizen('c-forms-2');
    const started = refused(
      await h.call(
        'POST',
        '/api/workflow/drafts',
        { ...citizen, 'accept-language': 'en' },
        { subject: { kind: 'matter', code: M.birthCertificate }, form: ISSUE_5 },
      ),
    );
    assert.deepEqual(fieldsOf(started), [
      'form.applicantMobile maxLength',
      'form.childGender enum',
      'form.motherIdNumber pattern',
    ]);
    const draft = await h.call('POST', '/api/workflow/drafts', citizen, {
      subject: { kind: 'matter', code: M.birthCertificate },
      form: { childName: '张小宝' },
    });
    assert.equal(draft.status, 201, JSON.stringify(draft.body));
    const saved = refused(
      await h.call('PUT', `/api/workflow/drafts/${draft.body.id}`, citizen, {
        version: draft.body.version,
        form: { childName: '张小宝', ...ISSUE_5 },
        materials: [],
      }),
    );
    assert.equal(messageOf(saved, 'form.childGender'), '取值不在允许范围内');
    const after = await h.call('GET', `/api/workflow/applications/${draft.body.id}`, citizen);
    assert.equal(after.body.version, draft.body.version, 'the refused save changed nothing');
  });

  test('the BIRTH bundle refuses impossible and future birth dates, impossible weights and wrong check digits, at submission and at draft save', async () => {
    const citizen = await h.citizen('c-forms-3');
    const cases: [Record<string, unknown>, string][] = [
      [{ 'child.birthDate': '2026-13-45' }, 'form.child.birthDate format'],
      [{ 'child.birthDate': '2026-02-30' }, 'form.child.birthDate format'],
      [{ 'child.birthDate': '2030-01-01' }, 'form.child.birthDate maxDate'],
      [{ 'child.birthDate': '1899-12-31' }, 'form.child.birthDate minDate'],
      [{ 'child.birthWeight': -5 }, 'form.child.birthWeight minimum'],
      [{ 'child.birthWeight': 999999 }, 'form.child.birthWeight maximum'],
      [{ 'mother.idNumber': '330106199201011228' }, 'form.mother.idNumber check_digit'],
      [{ 'mother.idNumber': '000000000000000000' }, 'form.mother.idNumber check_digit'],
    ];
    for (const [values, expected] of cases) {
      assert.deepEqual(
        fieldsOf(refused(await submitBirth(h, citizen, randomUUID(), birthForm(values)))),
        [expected],
        JSON.stringify(values),
      );
      const draft = await h.call('POST', '/api/workflow/drafts', citizen, {
        subject: { kind: 'bundle', code: 'BIRTH' },
        form: values,
      });
      assert.deepEqual(fieldsOf(refused(draft)), [expected], `draft ${JSON.stringify(values)}`);
    }
    const future = refused(
      await h.call(
        'POST',
        '/api/workflow/applications',
        { ...citizen, 'idempotency-key': randomUUID(), 'accept-language': 'en' },
        {
          subject: { kind: 'bundle', code: 'BIRTH' },
          form: birthForm({ 'child.birthDate': '2026-12-02' }),
          materials: birthMaterials,
        },
      ),
    );
    assert.equal(
      messageOf(future, 'form.child.birthDate'),
      'must not be after 2026-12-01',
      "today is the platform clock's day in China",
    );
    const born = await submitBirth(
      h,
      citizen,
      randomUUID(),
      birthForm({ 'child.birthDate': '2026-12-01', 'child.birthWeight': 300 }),
    );
    assert.equal(born.status, 201, JSON.stringify(born.body));
    assert.equal((await submitBirth(h, citizen)).status, 201, 'the demo data is valid');
  });

  test('a correction (补正) is checked against the data elements too: a corrected ID number with a wrong check digit is refused', async () => {
    const citizen = await h.citizen('c-forms-4');
    const officer = await h.officer('330100-WJW', ['officer']);
    const view = await submitBirthCertificate(h, citizen);
    const task = view.tasks[0];
    const accepted = await act(h, officer, task.id, { action: 'accept', version: task.version });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const asked = await act(h, officer, task.id, {
      action: 'requestCorrection',
      version: accepted.body.version,
      reason: '母亲身份证号码有误',
      correction: { fields: ['motherIdNumber'], materials: [] },
    });
    assert.equal(asked.status, 200, JSON.stringify(asked.body));
    const answer = (motherIdNumber: string) =>
      h.call(
        'POST',
        `/api/workflow/applications/${view.id}/tasks/${task.id}/correction`,
        { ...citizen, 'accept-language': 'en' },
        { version: asked.body.version, form: { motherIdNumber }, materials: [] },
      );
    const wrong = refused(await answer('330106199201011228'));
    assert.deepEqual(fieldsOf(wrong), ['form.motherIdNumber check_digit']);
    assert.match(messageOf(wrong, 'form.motherIdNumber')!, /GB 11643/);
    const right = await answer('330106199201011226');
    assert.equal(right.status, 200, JSON.stringify(right.body));
  });
});
