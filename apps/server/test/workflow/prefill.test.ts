// The workflow's side of prefill (issue 11), against a stand-in hub (fake-datahub.ts) that answers
// what each test says: what is asked (the form's elements, the matter as purpose, the workflow's own
// token), how values land (verified ones locked, others editable, refused ones missing), the lock
// at save, submission and correction, 秒批 over verified data, and a hub that is absent, refuses or
// breaks its contract — the draft is made without prefill and says so, never a 500.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import type { PrefillValue } from '@tongban/contracts';
import identity from '@tongban/identity';
import { databaseLabel } from '@tongban/kernel/testing';
import workflow from '@tongban/workflow';
import { fakeDatahub } from './fake-datahub.ts';
import { act, birthCertificateForm, M, startWorkflow, taskOf, type Harness } from './fixtures.ts';

const MOTHER = '330106199201011226';
const source = (resource: string, item: string) => ({
  resource,
  department: resource === 'population' ? '330100-GA' : '330100-WJW',
  collectedAt: '2026-11-20T08:00:00.000Z',
  item,
});
const verified = (element: string, value: unknown, resource = 'birth-record', item = 'x'): PrefillValue => ({
  element,
  value,
  source: source(resource, item),
  verified: true,
});
/** What the hospital's record gives for 出生医学证明. */
const hospitalRecord = () => [
  verified('mother.idNumber', MOTHER, 'birth-record', 'motherIdNumber'),
  verified('mother.name', '李梅', 'population', 'name'),
  verified('child.birthDate', '2026-11-20', 'birth-record', 'birthDate'),
  verified('child.name', '张小宝', 'birth-record', 'childName'),
];

const fields = (r: { body: { errors: { field: string; code: string }[] } }) =>
  r.body.errors.map((e) => [e.field, e.code]);

describe(`prefill in the workflow (${databaseLabel})`, () => {
  let h: Harness;
  const hub = fakeDatahub();
  before(async () => {
    h = await startWorkflow({ modules: [catalog, identity, workflow, hub.module], identity: true });
  });
  after(() => h.p.dispose());

  const newDraft = async (who: Record<string, string>, form: Record<string, unknown> = {}) =>
    h.call('POST', '/api/workflow/drafts', who, { subject: { kind: 'matter', code: M.birthCertificate }, form });
  const submitDraft = (who: Record<string, string>, draftId: string) =>
    h.call('POST', '/api/workflow/applications', { ...who, 'idempotency-key': randomUUID() }, { draftId });
  /** Saves the rest of the form (what no registry gave) and the materials; returns the saved draft. */
  async function complete(who: Record<string, string>, draft: { id: string; version: number; form: object }) {
    const r = await h.call('PUT', `/api/workflow/drafts/${draft.id}`, who, {
      version: draft.version,
      form: { ...birthCertificateForm(), ...draft.form },
      materials: [{ code: 'mother-id-card', ref: 'licence:resident-id-card:mother' }],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  }

  test("the hub is asked for the form's data elements, for the applicant, with the matter as purpose and the workflow's own token", async () => {
    hub.answer = () => ({ values: hospitalRecord(), consentNeeded: [], missing: [] });
    const r = await newDraft(await h.citizen('c-prefill-ask'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const asked = hub.requests.findLast((q) => q.path === '/prefill')!;
    const body = asked.body as { accountId: string; purpose: string; elements: string[] };
    assert.equal(body.accountId, 'c-prefill-ask');
    assert.equal(body.purpose, M.birthCertificate);
    assert.deepEqual([...body.elements].sort(), [
      'child.applicantRelation',
      'child.birthDate',
      'child.birthPlace',
      'child.birthWeight',
      'child.gender',
      'child.name',
      'father.idNumber',
      'father.name',
      'mother.idNumber',
      'mother.name',
      'person.idNumber',
      'person.mobile',
      'person.name',
    ]);
    assert.deepEqual([asked.principal.kind, asked.principal.id], ['service', 'tongban-workflow']);
    const { form, prefill } = r.body;
    assert.equal(form.motherIdNumber, MOTHER);
    assert.equal(form.childBirthDate, '2026-11-20');
    assert.deepEqual(prefill.fields.childBirthDate, {
      element: 'child.birthDate',
      source: source('birth-record', 'birthDate'),
      verified: true,
      locked: true,
    });
    // The same view when the draft is read again.
    const read = await h.call('GET', `/api/workflow/applications/${r.body.id}`, await h.citizen('c-prefill-ask'));
    assert.deepEqual(read.body.prefill, prefill);
  });

  test('verified values replace what was typed and lock; unverified ones fill only empty fields and stay editable; values the form refuses are missing', async () => {
    hub.answer = () => ({
      values: [
        verified('mother.idNumber', MOTHER, 'population', 'idNumber'),
        { ...verified('child.birthPlace', '某医院', 'self-reported', 'place'), verified: false },
        { ...verified('child.name', '王小明', 'self-reported', 'name'), verified: false },
        verified('child.birthWeight', 99999, 'birth-record', 'birthWeight'),
      ],
      consentNeeded: [{ element: 'father.name', resource: 'population', item: 'name' }],
      missing: ['person.mobile'],
    });
    const who = await h.citizen('c-prefill-merge');
    const r = await newDraft(who, { motherIdNumber: '33010619900101123X', childName: '张小宝' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const { form, prefill } = r.body;
    assert.equal(form.motherIdNumber, MOTHER, 'the verified value wins');
    assert.equal(form.childName, '张小宝', 'an unverified value does not overwrite');
    assert.equal(form.birthPlace, '某医院');
    assert.equal(form.birthWeight, undefined, '99999 g breaks the element: not filled');
    assert.deepEqual(Object.keys(prefill.fields).sort(), ['birthPlace', 'motherIdNumber']);
    assert.equal(prefill.fields.birthPlace.locked, false);
    assert.deepEqual([...prefill.missing].sort(), ['child.birthWeight', 'person.mobile']);
    assert.deepEqual(prefill.consentNeeded, [{ element: 'father.name', resource: 'population', item: 'name' }]);
    // The unverified value may be changed.
    const saved = await h.call('PUT', `/api/workflow/drafts/${r.body.id}`, who, {
      version: r.body.version,
      form: { ...form, birthPlace: '浙江大学医学院附属妇产科医院' },
      materials: [],
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  });

  test('the lock is checked at save, at submission and in a correction, naming the field', async () => {
    // The mother's ID verified, no hospital record: no 秒批, the task waits for an officer.
    hub.answer = () => ({
      values: [verified('mother.idNumber', MOTHER, 'population', 'idNumber')],
      consentNeeded: [],
      missing: [],
    });
    const who = await h.citizen('c-prefill-lock');
    const draft = await complete(who, (await newDraft(who)).body);
    const changed = await h.call('PUT', `/api/workflow/drafts/${draft.id}`, who, {
      version: draft.version,
      form: { ...draft.form, motherIdNumber: '33010619900101123X' },
      materials: draft.materials,
    });
    assert.equal(changed.status, 422, JSON.stringify(changed.body));
    assert.deepEqual(fields(changed), [['form.motherIdNumber', 'locked_value_changed']]);
    assert.match(changed.body.errors[0].message, /已由权威部门核验/);
    const { motherIdNumber: _removed, ...without } = draft.form;
    const removed = await h.call('PUT', `/api/workflow/drafts/${draft.id}`, who, {
      version: draft.version,
      form: without,
      materials: draft.materials,
    });
    assert.deepEqual(fields(removed), [['form.motherIdNumber', 'locked_value_changed']], 'removing is changing');

    // At submission too (a form changed behind the API's back is no less changed).
    await h.p.database.db
      .updateTable('workflow.application')
      .set({ form: JSON.stringify({ ...draft.form, motherIdNumber: '33010619900101123X' }) as never })
      .where('id', '=', draft.id)
      .execute();
    const refused = await submitDraft(who, draft.id);
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.deepEqual(fields(refused), [['form.motherIdNumber', 'locked_value_changed']]);
    await h.p.database.db
      .updateTable('workflow.application')
      .set({ form: JSON.stringify(draft.form) as never })
      .where('id', '=', draft.id)
      .execute();
    const submitted = await submitDraft(who, draft.id);
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    const task = taskOf(submitted.body, M.birthCertificate);
    assert.equal(task.state, 'submitted', 'no hospital record: an officer decides');

    // 补正: the officer asks for the mother's ID again; the verified one is all the applicant may give.
    const officer = await h.officer('330100-WJW');
    const asked = await act(h, officer, task.id, {
      action: 'requestCorrection',
      version: task.version,
      reason: '请核对母亲身份证号码',
      correction: { fields: ['motherIdNumber'], materials: [] },
    });
    assert.equal(asked.status, 200, JSON.stringify(asked.body));
    const answer = await h.call(
      'POST',
      `/api/workflow/applications/${submitted.body.id}/tasks/${task.id}/correction`,
      { ...who, 'accept-language': 'en' },
      { version: asked.body.version, form: { motherIdNumber: '33010619900101123X' }, materials: [] },
    );
    assert.equal(answer.status, 422, JSON.stringify(answer.body));
    assert.deepEqual(fields(answer), [['form.motherIdNumber', 'locked_value_changed']]);
    assert.match(answer.body.errors[0].message, /cannot be changed/);
    // The officer sees which of the matter's fields are verified, and from where.
    const seen = (await h.call('GET', `/api/workflow/tasks/${task.id}`, officer)).body;
    assert.deepEqual(Object.keys(seen.application.prefill.fields), ['motherIdNumber']);
    assert.equal(seen.application.prefill.fields.motherIdNumber.source.resource, 'population');
  });

  test('出生医学证明 is approved by its rule when the hospital record is verified and matches (秒批), named in the timeline', async () => {
    hub.answer = () => ({ values: hospitalRecord(), consentNeeded: [], missing: [] });
    const who = await h.citizen('c-prefill-rule');
    const draft = await complete(who, (await newDraft(who)).body);
    const r = await submitDraft(who, draft.id);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(taskOf(r.body, M.birthCertificate).state, 'approved');
    const timeline = (await h.call('GET', `/api/workflow/applications/${r.body.id}/timeline`, who)).body;
    assert.equal(timeline.find((e: { action: string }) => e.action === 'autoApprove')?.rule, 'hospital-record-matches');
  });

  test('a form submitted without a draft was never prefilled: nothing verified, an officer decides', async () => {
    const who = await h.citizen('c-prefill-none');
    const r = await h.call(
      'POST',
      '/api/workflow/applications',
      { ...who, 'idempotency-key': randomUUID() },
      {
        subject: { kind: 'matter', code: M.birthCertificate },
        form: birthCertificateForm(),
        materials: [{ code: 'mother-id-card', ref: 'licence:resident-id-card:mother' }],
      },
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.prefill, null);
    assert.equal(taskOf(r.body, M.birthCertificate).state, 'submitted');
  });

  test('asking again after consent fills what waited for it; only drafts, only the owner', async () => {
    hub.answer = () => ({
      values: [],
      consentNeeded: [{ element: 'mother.idNumber', resource: 'birth-record', item: 'motherIdNumber' }],
      missing: [],
    });
    const who = await h.citizen('c-prefill-again');
    const first = (await newDraft(who)).body;
    assert.equal(first.prefill.consentNeeded.length, 1);
    hub.answer = () => ({ values: hospitalRecord(), consentNeeded: [], missing: [] });
    const again = await h.call('POST', `/api/workflow/drafts/${first.id}/prefill`, who);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.form.motherIdNumber, MOTHER);
    assert.equal(again.body.version, first.version + 1);
    assert.deepEqual(again.body.prefill.consentNeeded, []);

    const stranger = await h.call('POST', `/api/workflow/drafts/${first.id}/prefill`, await h.citizen('c-stranger'));
    assert.equal(stranger.status, 403, JSON.stringify(stranger.body));
    const officer = await h.call('POST', `/api/workflow/drafts/${first.id}/prefill`, await h.officer('330100-WJW'));
    assert.equal(officer.status, 403, JSON.stringify(officer.body));
    const unknown = await h.call('POST', `/api/workflow/drafts/${randomUUID()}/prefill`, who);
    assert.equal(unknown.status, 404, JSON.stringify(unknown.body));

    const draft = await complete(who, again.body);
    assert.equal((await submitDraft(who, draft.id)).status, 201);
    const late = await h.call('POST', `/api/workflow/drafts/${first.id}/prefill`, who);
    assert.equal(late.status, 409, JSON.stringify(late.body));
    assert.equal(late.body.code, 'WORKFLOW_NOT_A_DRAFT');
  });

  test('a hub that refuses or answers outside its contract: the draft is made unfilled and says why; what was locked stays locked', async () => {
    const who = await h.citizen('c-prefill-refused');
    hub.answer = () => ({
      status: 403,
      body: { type: 'about:blank', status: 403, code: 'FORBIDDEN', title: 'no role' },
    });
    const refused = await newDraft(who, { childName: '张小宝' });
    assert.equal(refused.status, 201, JSON.stringify(refused.body));
    assert.deepEqual(
      [refused.body.prefill.status, refused.body.prefill.problem, refused.body.form],
      ['unavailable', 'FORBIDDEN', { childName: '张小宝' }],
    );
    hub.answer = () => ({ status: 200, body: { values: 'all of them' } });
    const broken = await newDraft(who);
    assert.equal(broken.status, 201, JSON.stringify(broken.body));
    assert.deepEqual(
      [broken.body.prefill.status, broken.body.prefill.problem],
      ['unavailable', 'UPSTREAM_CONTRACT_BROKEN'],
    );

    hub.answer = () => ({ values: hospitalRecord(), consentNeeded: [], missing: [] });
    const filled = (await newDraft(who)).body;
    hub.answer = () => ({ status: 500, body: 'not json' });
    const later = await h.call('POST', `/api/workflow/drafts/${filled.id}/prefill`, who);
    assert.equal(later.status, 200, JSON.stringify(later.body));
    assert.equal(later.body.prefill.status, 'unavailable');
    assert.equal(later.body.prefill.fields.motherIdNumber.locked, true);
    assert.equal(later.body.form.motherIdNumber, MOTHER);
  });
});

describe(`without a data hub (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow();
  });
  after(() => h.p.dispose());

  test('a draft is made unfilled and says the hub is unavailable; counter filing cannot resolve anyone (502)', async () => {
    const r = await h.call('POST', '/api/workflow/drafts', await h.citizen('c-no-hub'), {
      subject: { kind: 'bundle', code: 'BIRTH' },
      form: { 'child.name': '张小宝' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(
      [r.body.prefill.status, r.body.prefill.problem, r.body.form],
      ['unavailable', 'UPSTREAM_UNAVAILABLE', { 'child.name': '张小宝' }],
    );
    const counter = await h.call(
      'POST',
      '/api/workflow/counter/applications',
      { ...(await h.officer('330100-SJZY', ['officer', 'counter'])), 'idempotency-key': randomUUID() },
      {
        applicant: { idNumber: MOTHER },
        subject: { kind: 'matter', code: M.birthCertificate },
        form: birthCertificateForm(),
        materials: [{ code: 'mother-id-card', ref: 'doc:scan' }],
      },
    );
    assert.equal(counter.status, 502, JSON.stringify(counter.body));
    assert.equal(counter.body.code, 'UPSTREAM_UNAVAILABLE');
  });
});
