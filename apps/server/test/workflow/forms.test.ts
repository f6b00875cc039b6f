// Form values against their data elements, over HTTP: catalog patterns match in linear time (a
// ReDoS pattern cannot hold the server), and each field is checked with its data element's
// type, format, range and check digit at draft save and at submission, in zh-CN and English.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { databaseLabel, operatorHeaders } from '@tongban/kernel/testing';
import { startWorkflow, type Harness } from './fixtures.ts';

const text = (zh: string, en: string) => ({ zh, en });

describe(`a catalog pattern cannot freeze the platform (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow();
    const op = operatorHeaders();
    const put = async (url: string, body: object) => assert.equal((await h.call('PUT', url, op, body)).status, 200, url);
    await put('/api/catalog/data-elements/test.evil', { name: text('测试', 'Test'), type: 'string', pattern: '^(a|a)*$', maxLength: 5000 });
    await put('/api/catalog/matters/330100-WJW-902/draft', {
      name: text('测试事项', 'Test matter'), description: text('测试', 'Test'), departmentCode: '330100-WJW', legalDays: 5, promisedDays: 1,
      fees: [], materials: [], lifeEvents: [],
      form: { type: 'object', properties: { value: { 'x-data-element': 'test.evil', pattern: '^(a+)+$' } }, required: ['value'] },
    });
    assert.equal((await h.call('POST', '/api/catalog/matters/330100-WJW-902/publish', op)).status, 201);
  });
  after(() => h.p.dispose());

  // A backtracking engine takes seconds on 30 characters (the event loop blocked throughout);
  // the timeout makes such a regression fail. Longer inputs are in the workflow's unit corpus.
  test('a submission with the evil input is answered 422, and /healthz issued during it answers too', { timeout: 5_000 }, async () => {
    const citizen = await h.citizen('c-redos');
    for (const evil of [`${'a'.repeat(30)}!`]) {
      const [submission, health] = await Promise.all([
        h.call('POST', '/api/workflow/applications', { ...citizen, 'idempotency-key': randomUUID(), 'accept-language': 'en' }, {
          subject: { kind: 'matter', code: '330100-WJW-902' }, form: { value: evil }, materials: [],
        }),
        h.call('GET', '/healthz', {}),
      ]);
      assert.equal(health.status, 200);
      assert.equal(submission.status, 422, JSON.stringify(submission.body));
      assert.equal(submission.body.code, 'WORKFLOW_FORM_INVALID');
      assert.deepEqual([...new Set(submission.body.errors.map((e: { field: string }) => e.field))], ['form.value']);
    }
    const ok = await h.call('POST', '/api/workflow/applications', { ...citizen, 'idempotency-key': randomUUID() }, {
      subject: { kind: 'matter', code: '330100-WJW-902' }, form: { value: 'aaaa' }, materials: [],
    });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });
});
