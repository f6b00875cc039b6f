// 免证办 (issue 13): a material an electronic licence satisfies is never asked for on paper. In
// 出生一件事 the 出生医学证明 that 卫健委's task issues becomes 落户's material by itself — once,
// whenever the licence event lands and however often it is delivered — and the officer sees it
// verified. A later application may name the holder's own licence (`lic:<identifier>`): the
// workflow checks with the licences module, over a service route only its token may call, that
// it is the applicant's, valid, and of the material's type.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import { databaseLabel } from '@tongban/kernel/testing';
import licenses from '@tongban/licenses';
import workflow from '@tongban/workflow';
import { sql } from 'kysely';
import { birthForm, M, startWorkflow, submitBirth, taskOf, type Harness } from './fixtures.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely and asserted field by field
type Json = any;

const MOTHER = 'c-exempt-mother';

/** 生育津贴 applied for alone, by the matter's own keys, with the given materials. */
function maternityClaim(
  h: Harness,
  headers: Record<string, string>,
  materials: { code: string; ref: string }[],
  key: string = randomUUID(),
) {
  const f = birthForm();
  return h.call(
    'POST',
    '/api/workflow/applications',
    { ...headers, 'idempotency-key': key },
    {
      subject: { kind: 'matter', code: M.maternityBenefits },
      form: {
        motherName: f['mother.name'],
        motherIdNumber: f['mother.idNumber'],
        employer: f['mother.employerName'],
        childBirthDate: f['child.birthDate'],
        deliveryMethod: f['birth.deliveryMethod'],
        bankAccount: f['bank.accountNumber'],
        applicantMobile: f['person.mobile'],
      },
      materials,
    },
  );
}

describe(`免证办: licences instead of paper materials (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({ modules: [catalog, identity, workflow, licenses], identity: true });
  });
  after(() => h.p.dispose());

  const issuer = () => h.p.instanceOf(licenses);
  let licence: { id: string; identifier: string };
  let birthRegistrationTask: string;

  async function decide(taskId: string) {
    const { department_code: department } = await h.p.database.db
      .selectFrom('workflow.task')
      .select('department_code')
      .where('id', '=', taskId)
      .executeTakeFirstOrThrow();
    const officer = await h.officer(department, ['officer', 'approver']);
    const { task } = (await h.call('GET', `/api/workflow/tasks/${taskId}`, officer)).body;
    let version = task.version;
    const act = async (action: string) => {
      const r = await h.call('POST', `/api/workflow/tasks/${taskId}/actions`, officer, { action, version });
      assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
      version = r.body.version;
    };
    if (task.state === 'submitted') await act('accept');
    if (task.process === 'standard') await act('review');
    await act('approve');
  }

  const officerView = async (taskId: string): Promise<Json> => {
    const r = await h.call('GET', `/api/workflow/tasks/${taskId}`, await h.officer('330100-GA'));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const birthCertificates = (view: Json) =>
    (view.application.materials as Json[]).filter((m) => m.code === 'birth-certificate');

  test('落户 uses the 出生医学证明 its case issued, verified, once — though the licence lands after 落户 started and is delivered twice', async () => {
    const citizen = await h.citizen(MOTHER);
    const { body: submitted, status } = await submitBirth(h, citizen);
    assert.equal(status, 201, JSON.stringify(submitted));
    birthRegistrationTask = taskOf(submitted, M.birthRegistration).id;

    await decide(taskOf(submitted, M.birthCertificate).id);
    await h.p.bus.settled();
    // 落户 has started on the approval; the licence is not issued yet (the issuer has not run).
    const before = await officerView(birthRegistrationTask);
    assert.equal(before.task.state, 'submitted');
    assert.deepEqual(birthCertificates(before), [], 'no material before the licence exists');

    await issuer().kick();
    await h.p.bus.settled();
    const mine = (await h.call('GET', '/api/licenses/me', citizen)).body.licences as Json[];
    licence = mine.find((l) => l.type.code === 'birth-medical-certificate');
    assert.ok(licence, JSON.stringify(mine));

    const view = await officerView(birthRegistrationTask);
    const verifiedAt = birthCertificates(view)[0]?.licence?.verifiedAt;
    assert.ok(!Number.isNaN(Date.parse(verifiedAt)), `verified at ${verifiedAt}`);
    assert.deepEqual(birthCertificates(view), [
      {
        code: 'birth-certificate',
        ref: `lic:${licence.identifier}`,
        source: 'licence',
        identifier: licence.identifier,
        verified: true,
        typeName: { zh: '出生医学证明', en: 'Medical Certificate of Birth' },
        licence: {
          id: licence.id,
          typeCode: 'birth-medical-certificate',
          status: 'valid',
          verifiedAt,
          origin: 'case',
          issuedByTaskId: taskOf(submitted, M.birthCertificate).id,
          issuedByMatterCode: M.birthCertificate,
        },
      },
    ]);
    const used = (view.timeline as Json[]).filter((e) => e.action === 'licence_material');
    assert.equal(used.length, 1);
    assert.equal(used[0].reason, '电子证照 出生医学证明');
    assert.equal(used[0].actionName.en, 'Electronic licence used as material');

    // The same licence heard again (a redelivery under another id, a replayed outbox): nothing more.
    const w = h.p.instanceOf(workflow);
    const ctx = h.p.contexts.get('workflow')!;
    const { rows } = await sql<{ type: string; data: Json }>`
      select type, data from licenses.outbox where type = 'licenses.licence.issued'`.execute(h.p.database.db);
    const event = rows.find((r) => r.data.licenceId === licence.id)!;
    assert.ok(event);
    await ctx.db.transaction().execute((trx) =>
      workflow.consumers!['licenses.licence.issued']!(
        {
          id: randomUUID(),
          type: event.type,
          source: 'licenses',
          occurredAt: new Date().toISOString(),
          data: event.data,
        },
        { trx: trx as never, log: ctx.log, attempt: 1 },
        w,
      ),
    );
    const again = await officerView(birthRegistrationTask);
    assert.equal(birthCertificates(again).length, 1);
    assert.equal((again.timeline as Json[]).filter((e) => e.action === 'licence_material').length, 1);

    // The applicant gave none, and the platform filled it in: the applicant's own view is unchanged.
    assert.ok(!(submitted.materials as Json[]).some((m) => m.code === 'birth-certificate'));
  });

  const claimWithLicence = () => [
    { code: 'birth-certificate', ref: `lic:${licence.identifier}` },
    { code: 'mother-id-card', ref: 'licence:resident-id-card:mother' },
  ];
  const claimKey = randomUUID();
  let claimId: string;

  test('a later application by the holder names her licence by `lic:`, checked with the licences module', async () => {
    const r = await maternityClaim(h, await h.citizen(MOTHER), claimWithLicence(), claimKey);
    claimId = r.body.id;
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const view = await h.call('GET', `/api/workflow/tasks/${r.body.tasks[0].id}`, await h.officer('330100-YB'));
    assert.equal(view.status, 200, JSON.stringify(view.body));
    const [material] = (view.body.application.materials as Json[]).filter((m) => m.code === 'birth-certificate');
    assert.equal(material.ref, `lic:${licence.identifier}`);
    assert.equal(material.source, 'licence');
    assert.equal(material.verified, true);
    assert.equal(material.licence.origin, 'holder');
    assert.equal(material.typeName.zh, '出生医学证明');
  });

  test("another citizen's licence, an unknown one, a wrong type: 422 naming materials.<i>.ref, nothing written", async () => {
    const count = async () =>
      Number(
        (
          await h.p.database.db
            .selectFrom('workflow.application')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const n = await count();
    const other = await maternityClaim(h, await h.citizen('c-exempt-other'), [
      { code: 'mother-id-card', ref: 'licence:resident-id-card:other' },
      { code: 'birth-certificate', ref: `lic:${licence.identifier}` },
    ]);
    assert.equal(other.status, 422, JSON.stringify(other.body));
    assert.equal(other.body.code, 'WORKFLOW_MATERIALS_INVALID');
    assert.deepEqual(
      other.body.errors.map((e: Json) => [e.field, e.code]),
      [['body.materials.1.ref', 'licence_not_yours']],
    );
    const unknown = await maternityClaim(h, await h.citizen(MOTHER), [
      { code: 'birth-certificate', ref: `lic:${licence.identifier.replace(/.$/, 'Z')}x` },
      { code: 'mother-id-card', ref: 'licence:resident-id-card:mother' },
    ]);
    assert.deepEqual(
      unknown.body.errors.map((e: Json) => [e.field, e.code]),
      [['body.materials.0.ref', 'licence_not_yours']],
    );
    const wrongType = await maternityClaim(h, await h.citizen(MOTHER), [
      { code: 'birth-certificate', ref: 'licence:birth:paper' },
      { code: 'mother-id-card', ref: `lic:${licence.identifier}` },
    ]);
    assert.equal(wrongType.status, 422);
    assert.deepEqual(
      wrongType.body.errors.map((e: Json) => [e.field, e.code]),
      [['body.materials.1.ref', 'licence_wrong_type']],
    );
    assert.equal(await count(), n, 'no application written');
  });

  test('a revoked licence: 422 licence_not_valid; the 落户 officer sees it no longer verified and asks for the material again', async () => {
    const revoke = await h.call(
      'POST',
      `/api/licenses/${licence.id}/status`,
      await h.officer('330100-WJW', ['officer']),
      { action: 'revoke', reason: '信息有误' },
    );
    assert.equal(revoke.status, 200, JSON.stringify(revoke.body));
    await h.p.bus.settled();
    const r = await maternityClaim(h, await h.citizen(MOTHER), [
      { code: 'birth-certificate', ref: `lic:${licence.identifier}` },
      { code: 'mother-id-card', ref: 'licence:resident-id-card:mother' },
    ]);
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.deepEqual(
      r.body.errors.map((e: Json) => [e.field, e.code]),
      [['body.materials.0.ref', 'licence_not_valid']],
    );
    // A retry of the claim made while the licence was valid is still answered with what it created.
    const retried = await maternityClaim(h, await h.citizen(MOTHER), claimWithLicence(), claimKey);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.id, claimId);

    const view = await officerView(birthRegistrationTask);
    const [material] = birthCertificates(view);
    assert.equal(material.verified, false);
    assert.equal(material.licence.status, 'revoked');
    assert.equal((view.timeline as Json[]).filter((e) => e.action === 'licence_status').length, 1);

    // What the officer does then: ask for the material again (补正). The revoked licence cannot
    // answer it; another material can, and replaces the licence in the officer's view.
    const officer = await h.officer('330100-GA');
    const asked = await h.call('POST', `/api/workflow/tasks/${birthRegistrationTask}/actions`, officer, {
      action: 'requestCorrection',
      version: view.task.version,
      reason: '出生医学证明已撤销，请重新提供',
      correction: { fields: [], materials: ['birth-certificate'] },
    });
    assert.equal(asked.status, 200, JSON.stringify(asked.body));
    const citizenHeaders = await h.citizen(MOTHER);
    const answer = (ref: string) =>
      h.call(
        'POST',
        `/api/workflow/applications/${view.application.id}/tasks/${birthRegistrationTask}/correction`,
        citizenHeaders,
        { version: asked.body.version, form: {}, materials: [{ code: 'birth-certificate', ref }] },
      );
    const refused = await answer(`lic:${licence.identifier}`);
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.deepEqual(
      refused.body.errors.map((e: Json) => [e.field, e.code]),
      [['body.materials.0.ref', 'licence_not_valid']],
    );
    // One material twice in one answer: refused naming the second, as at submission (was a 500).
    const twice = await h.call(
      'POST',
      `/api/workflow/applications/${view.application.id}/tasks/${birthRegistrationTask}/correction`,
      citizenHeaders,
      {
        version: asked.body.version,
        form: {},
        materials: [
          { code: 'birth-certificate', ref: 'licence:birth-certificate:reissued-on-paper' },
          { code: 'birth-certificate', ref: 'licence:birth-certificate:reissued-on-paper' },
        ],
      },
    );
    assert.equal(twice.status, 422, JSON.stringify(twice.body));
    assert.deepEqual(
      twice.body.errors.map((e: Json) => [e.field, e.code]),
      [['body.materials.1.code', 'duplicate_material']],
    );
    const answered = await answer('licence:birth-certificate:reissued-on-paper');
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    assert.deepEqual(birthCertificates(await officerView(birthRegistrationTask)), [
      { code: 'birth-certificate', ref: 'licence:birth-certificate:reissued-on-paper' },
    ]);
  });

  test("the licences' holder check answers the workflow's service token only", async () => {
    const url = `/api/licenses/services/holders/${MOTHER}/licences/${encodeURIComponent(licence.identifier)}`;
    assert.equal((await h.call('GET', url, await h.citizen(MOTHER))).status, 403, 'the holder herself');
    assert.equal((await h.call('GET', url, await h.officer('330100-WJW'))).status, 403, 'an officer');
    assert.equal((await h.call('GET', url, {})).status, 401, 'anonymous');
    const licencesOwn = await h.call('GET', url, { authorization: `Bearer ${await issuer().ctx.serviceToken()}` });
    assert.equal(licencesOwn.status, 403, 'another service without the role');
    const bearer = { authorization: `Bearer ${await h.p.contexts.get('workflow')!.serviceToken()}` };
    const own = await h.call('GET', url, bearer);
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.identifier, licence.identifier);
    assert.equal(own.body.status, 'revoked');
    const notHers = `/api/licenses/services/holders/c-exempt-other/licences/${encodeURIComponent(licence.identifier)}`;
    assert.equal((await h.call('GET', notHers, bearer)).status, 404, "another holder's: as if none");
  });
});
