// 预填: the workflow asks for the elements a form binds; values come from the registries with their
// source, locked as verified; without the applicant's consent an element is "consent needed";
// a revoked consent stops the next prefill; each row read is one datahub.record.read.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import { DEMO, startHub, type HubHarness } from './fixtures.ts';

const BIRTH_ITEMS = [
  'population.name',
  'population.idNumber',
  'population.mobile',
  'population.address',
  'population.householdAddress',
  'birth-record.childName',
  'birth-record.childGender',
  'birth-record.birthDate',
  'birth-record.birthPlace',
  'birth-record.birthWeight',
  'birth-record.motherIdNumber',
  'birth-record.motherName',
  'birth-record.fatherIdNumber',
  'birth-record.fatherName',
];
const BIRTH_ELEMENTS = [
  'child.name',
  'child.birthDate',
  'child.birthWeight',
  'mother.name',
  'mother.idNumber',
  'father.name',
  'father.idNumber',
  'person.name',
  'person.idNumber',
  'person.mobile',
  'household.address',
  'bank.branch',
];

describe(`prefill (${databaseLabel})`, () => {
  let h: HubHarness;
  let zhang: string;
  let zhangCitizen: Record<string, string>;
  before(async () => {
    h = await startHub();
    zhang = await h.accountOf(DEMO.zhang);
    zhangCitizen = await h.citizen(zhang);
  });
  after(() => h.p.dispose());

  const prefill = async (accountId: string, purpose: string, elements: string[], who?: Record<string, string>) =>
    h.call('POST', '/api/datahub/prefill', who ?? (await h.workflow()), { accountId, purpose, elements });

  test('with consent, the birth bundle is prefilled from the population register and the birth record, verified, with sources', async () => {
    const consent = await h.consent(zhangCitizen, 'BIRTH', BIRTH_ITEMS);
    const r = await prefill(zhang, 'BIRTH', BIRTH_ELEMENTS);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const byElement = Object.fromEntries(r.body.values.map((v: { element: string }) => [v.element, v]));
    assert.equal(byElement['person.name'].value, '张三');
    assert.equal(byElement['person.idNumber'].value, DEMO.zhang);
    assert.equal(byElement['child.name'].value, '张小宝');
    assert.equal(byElement['child.birthWeight'].value, 3400);
    assert.equal(byElement['father.idNumber'].value, DEMO.zhang);
    // 李四's own population row (found through the birth record's mother ID number) gives her details.
    assert.equal(byElement['mother.idNumber'].value, DEMO.li);
    assert.equal(byElement['mother.name'].value, '李四');
    assert.deepEqual(byElement['mother.name'].source.resource, 'population');
    assert.equal(byElement['child.name'].verified, true);
    assert.deepEqual(
      { resource: byElement['child.name'].source.resource, item: byElement['child.name'].source.item },
      { resource: 'birth-record', item: 'childName' },
    );
    assert.equal(byElement['child.name'].source.department, '330100-WJW');
    assert.match(byElement['child.name'].source.collectedAt, /^\d{4}-\d{2}-\d{2}T/);
    assert.deepEqual(r.body.missing, ['bank.branch'], 'no registry holds a bank branch');
    assert.deepEqual(r.body.consentNeeded, []);
    await h.call('DELETE', `/api/datahub/me/consents/${consent}`, zhangCitizen);
  });

  test('one BIRTH prefill is one read of each person in each resource, with every item read about them', async () => {
    const consent = await h.consent(zhangCitizen, 'BIRTH', BIRTH_ITEMS);
    const before = (await h.outboxOf('datahub.record.read')).length;
    const r = await prefill(zhang, 'BIRTH', BIRTH_ELEMENTS);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const reads = (await h.outboxOf('datahub.record.read')).slice(before).map((e) => e.data);
    const bySubjectAndResource = new Map<string, Record<string, unknown>[]>();
    for (const read of reads) {
      const key = `${String(read.subject)} ${String(read.resource)}`;
      bySubjectAndResource.set(key, [...(bySubjectAndResource.get(key) ?? []), read]);
    }
    for (const [key, list] of bySubjectAndResource) assert.equal(list.length, 1, `${key} read ${list.length} times`);
    // 张三 (the applicant, also the father) and 李四 (the mother), each in the population register and the birth record.
    assert.equal(reads.length, 4, JSON.stringify(reads));
    const own = reads.filter((e) => e.resource === 'population' && e.accountId === zhang);
    assert.equal(own.length, 1, 'the applicant’s own population row, read as self and as father, is one read');
    assert.deepEqual(own[0]!.items, ['householdAddress', 'idNumber', 'mobile', 'name']);
    const birth = reads.filter((e) => e.resource === 'birth-record');
    assert.equal(new Set(birth.map((e) => e.subject)).size, 2, 'the birth record is read about both parents');
    for (const e of birth) assert.ok((e.items as string[]).includes('childName'));
    await h.call('DELETE', `/api/datahub/me/consents/${consent}`, zhangCitizen);
  });

  test('without consent every element the hub could fill is consent-needed, and nothing is read', async () => {
    const before = (await h.outboxOf('datahub.record.read')).length;
    const r = await prefill(zhang, '330100-WJW-001', ['child.name', 'person.name']);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.values, []);
    assert.deepEqual(
      r.body.consentNeeded.map((c: { element: string }) => c.element),
      ['child.name', 'person.name'],
    );
    assert.equal((await h.outboxOf('datahub.record.read')).length, before, 'no row was opened');
  });

  test('a revoked consent stops the next prefill at once', async () => {
    const id = await h.consent(zhangCitizen, '330100-GA-001', ['population.name', 'population.householdAddress']);
    const first = await prefill(zhang, '330100-GA-001', ['person.name', 'household.address']);
    assert.equal(first.body.values.length, 2, JSON.stringify(first.body));
    const revoked = await h.call('DELETE', `/api/datahub/me/consents/${id}`, zhangCitizen);
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.ok(revoked.body.revokedAt);
    const second = await prefill(zhang, '330100-GA-001', ['person.name', 'household.address']);
    assert.deepEqual(second.body.values, []);
    assert.equal(second.body.consentNeeded.length, 2);
  });

  test('each row read is one datahub.record.read, for the applicant, on the prefill channel', async () => {
    const id = await h.consent(zhangCitizen, '330100-RS-001', ['population.name', 'population.mobile']);
    const before = (await h.outboxOf('datahub.record.read')).length;
    for (let i = 0; i < 3; i++) await prefill(zhang, '330100-RS-001', ['person.name', 'person.mobile']);
    const reads = await h.outboxOf('datahub.record.read');
    assert.equal(reads.length - before, 3, 'one population row per prefill');
    const last = reads.at(-1)!.data;
    assert.equal(last.channel, 'prefill');
    assert.equal(last.accountId, zhang);
    assert.equal(last.resource, 'population');
    assert.match(String(last.subject), /^pk-[0-9a-f]{32}$/);
    assert.deepEqual((last.consumer as { id: string }).id, 'tongban-workflow');
    await h.call('DELETE', `/api/datahub/me/consents/${id}`, zhangCitizen);
  });

  test('elements no grant covers for the purpose are missing, and the refusal is a security event', async () => {
    await h.consent(zhangCitizen, '330100-GS-001', ['population.mobile']);
    const before = (await h.outboxOf('datahub.access.denied')).length;
    // 供水过户 binds person.mobile but not child.name: the birth record is not granted for it.
    const r = await prefill(zhang, '330100-GS-001', ['child.name']);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.missing, ['child.name']);
    const denied = await h.outboxOf('datahub.access.denied');
    assert.equal(denied.length - before, 1);
    assert.equal(denied.at(-1)!.data.reason, 'no_grant');
  });

  test('an unknown applicant is 422; a business has nothing to prefill from', async () => {
    const unknown = await prefill(randomUUID(), 'BIRTH', ['person.name']);
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.code, 'DATAHUB_APPLICANT_UNKNOWN');
    // Not even an account id's shape: the same 422 (identity's 400 for it was answered 502).
    const malformed = await prefill('a', 'BIRTH', ['person.name']);
    assert.deepEqual([malformed.status, malformed.body.code], [422, 'DATAHUB_APPLICANT_UNKNOWN']);
    const business = await h.accountOf(DEMO.creditCode);
    const r = await prefill(business, 'BUSINESS-STARTUP', ['company.name']);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.missing, ['company.name']);
  });

  test('only a service with datahub.prefill may prefill: a service without it, an officer and a citizen are refused', async () => {
    const body = { accountId: zhang, purpose: 'BIRTH', elements: ['person.name'] };
    for (const who of [
      await h.service('tongban-other', ['datahub.read']),
      await h.officer('330100-GA', ['officer', 'datahub.steward']),
      zhangCitizen,
    ]) {
      const r = await h.call('POST', '/api/datahub/prefill', who, body);
      assert.equal(r.status, 403, JSON.stringify(r.body));
    }
  });
});
