// Publishing through the operator API: drafts become immutable numbered versions, each with one
// event in the outbox, all in one transaction — an invalid draft writes nothing at all. Bundles
// pin the matter versions they were published with and ask each data element once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { sql } from 'kysely';
import catalog from '../src/index.ts';

interface Problem {
  code: string;
  title: string;
  errors: { field: string; code: string; message: string }[];
}
interface Form {
  properties: Record<string, { 'x-data-element': string; 'x-matters': string[]; enum?: string[]; maxLength?: number }>;
  required: string[];
}
interface BundleView {
  version: number;
  matterVersions: Record<string, number>;
  form: Form;
}

const STACK_TRACE = /at .*\.ts:\d+/;
const text = (zh: string, en: string) => ({ zh, en });

let platform: TestPlatform;
before(async () => {
  platform = await startTestPlatform([catalog], { seed: true });
});
after(async () => {
  await platform?.dispose();
});

async function call(method: 'GET' | 'PUT' | 'POST', url: string, payload?: object, lang = 'zh') {
  const response = await platform.app.inject({
    method,
    url: `/api/catalog${url}`,
    headers: operatorHeaders({ 'accept-language': lang }),
    ...(payload ? { payload } : {}),
  });
  assert.doesNotMatch(response.body, STACK_TRACE);
  return response;
}
const get = async <T>(url: string): Promise<T> => {
  const response = await call('GET', url);
  assert.equal(response.statusCode, 200, response.body);
  return response.json<T>();
};
async function publish(kind: 'matters' | 'bundles', code: string): Promise<number> {
  const response = await call('POST', `/${kind}/${code}/publish`);
  assert.equal(response.statusCode, 201, response.body);
  return response.json<{ version: number }>().version;
}

/** A matter draft of 卫健委 that binds a few of the demo city's data elements. */
function matterDraft(overrides: Record<string, unknown> = {}) {
  return {
    name: text('测试事项', 'Test matter'),
    description: text('用于测试', 'For tests'),
    departmentCode: '330100-WJW',
    legalDays: 10,
    promisedDays: 3,
    fees: [],
    materials: [{ code: 'id-card', name: text('居民身份证', 'ID card'), required: true }],
    form: {
      type: 'object',
      properties: {
        applicantName: { 'x-data-element': 'person.name', maxLength: 40 },
        born: { 'x-data-element': 'child.birthDate', type: 'string', format: 'date' },
      },
      required: ['applicantName'],
    },
    lifeEvents: ['birth'],
    ...overrides,
  };
}
async function saveMatter(code: string, overrides: Record<string, unknown> = {}) {
  const response = await call('PUT', `/matters/${code}/draft`, matterDraft(overrides));
  assert.equal(response.statusCode, 200, response.body);
}
async function saveBundle(code: string, items: { matterCode: string; dependsOn: string[] }[]) {
  const body = {
    name: text('测试一件事', 'Test bundle'),
    description: text('用于测试', 'For tests'),
    lifeEvent: 'birth',
    items,
    promisedDays: 3,
  };
  const response = await call('PUT', `/bundles/${code}/draft`, body);
  assert.equal(response.statusCode, 200, response.body);
}

async function count(
  table: 'catalog.matter_version' | 'catalog.bundle_version' | 'catalog.outbox' | 'catalog.search_entry',
): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
    platform.database.db,
  );
  return rows[0]!.n;
}
async function events(code: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const { rows } = await sql<{ type: string; data: Record<string, unknown> | string }>`
    select type, data from catalog.outbox where data->>'code' = ${code} order by seq`.execute(platform.database.db);
  return rows.map((r) => ({ type: r.type, data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data }));
}

describe('a matter is published as immutable numbered versions', () => {
  it('a saved draft is not published: the public read is 404 until it is', async () => {
    await saveMatter('T-DRAFT');
    assert.equal((await call('GET', '/matters/T-DRAFT')).statusCode, 404);
    assert.equal((await get<{ name: { zh: string } }>('/matters/T-DRAFT/draft')).name.zh, '测试事项');
  });

  it('publishing makes version 1, publishing again version 2, and version 1 reads as it was', async () => {
    await saveMatter('T-1', { name: text('第一版', 'First edition') });
    assert.equal(await publish('matters', 'T-1'), 1);
    await saveMatter('T-1', { name: text('第二版', 'Second edition'), promisedDays: 1 });
    assert.equal(await publish('matters', 'T-1'), 2);

    const latest = await get<{ version: number; name: { zh: string }; promisedDays: number }>('/matters/T-1');
    assert.deepEqual([latest.version, latest.name.zh, latest.promisedDays], [2, '第二版', 1]);
    const first = await get<{
      version: number;
      name: { zh: string };
      promisedDays: number;
      elements: Record<string, unknown>;
    }>('/matters/T-1?version=1');
    assert.deepEqual([first.version, first.name.zh, first.promisedDays], [1, '第一版', 3]);
    assert.deepEqual(
      Object.keys(first.elements).sort(),
      ['child.birthDate', 'person.name'],
      'the version keeps the elements its form used',
    );
    assert.deepEqual(await get('/matters/T-1/versions/1'), first);
    assert.deepEqual(
      (await get<{ version: number }[]>('/matters/T-1/versions')).map((v) => v.version),
      [2, 1],
    );
  });

  it('the database itself refuses to change or delete a published version', async () => {
    const db = platform.database.db;
    await assert.rejects(sql`update catalog.matter_version set version = 9`.execute(db), /immutable/);
    await assert.rejects(
      sql`update catalog.matter_version set content = '{}' where code = 'T-1'`.execute(db),
      /immutable/,
    );
    await assert.rejects(sql`delete from catalog.matter_version where code = 'T-1'`.execute(db), /immutable/);
    await assert.rejects(sql`update catalog.bundle_version set version = 9`.execute(db), /immutable/);
    assert.equal((await get<{ name: { zh: string } }>('/matters/T-1?version=1')).name.zh, '第一版');
  });

  it('each publish writes exactly one catalog.matter.published event to the outbox', async () => {
    await saveMatter('T-EVENT');
    const before = await count('catalog.outbox');
    assert.equal(await publish('matters', 'T-EVENT'), 1);
    assert.equal(await count('catalog.outbox'), before + 1);
    assert.deepEqual(await events('T-EVENT'), [
      { type: 'catalog.matter.published', data: { code: 'T-EVENT', version: 1, departmentCode: '330100-WJW' } },
    ]);
  });

  it('an invalid draft is refused with every problem listed, and nothing is half-written', async () => {
    await saveMatter('T-BAD');
    assert.equal(await publish('matters', 'T-BAD'), 1);
    await saveMatter('T-BAD', {
      promisedDays: 30,
      materials: [
        { code: 'id-card', name: text('身份证', 'ID card'), required: true },
        { code: 'id-card', name: text('户口簿', 'Hukou'), required: true },
      ],
      form: {
        type: 'object',
        properties: {
          x: { 'x-data-element': 'person.nickname' },
          gender: { 'x-data-element': 'person.gender', enum: ['1', '3'] },
        },
        required: ['x'],
      },
    });
    const before = await Promise.all([
      count('catalog.matter_version'),
      count('catalog.outbox'),
      count('catalog.search_entry'),
    ]);

    const response = await call('POST', '/matters/T-BAD/publish', undefined, 'en');
    assert.equal(response.statusCode, 422);
    const problem = response.json<Problem>();
    assert.equal(problem.code, 'CATALOG_PUBLISH_INVALID');
    assert.deepEqual(
      problem.errors.map((e) => `${e.field} ${e.code}`),
      [
        'draft.promisedDays promise_exceeds_law',
        'draft.materials.1.code duplicate_code',
        'draft.form.properties.x.x-data-element unknown_data_element',
        'draft.form.properties.gender.enum contradicts_data_element',
      ],
    );
    assert.equal(problem.title, 'Cannot publish: 4 problem(s) to fix');

    assert.deepEqual(
      await Promise.all([count('catalog.matter_version'), count('catalog.outbox'), count('catalog.search_entry')]),
      before,
    );
    assert.deepEqual(
      (await get<{ version: number }[]>('/matters/T-BAD/versions')).map((v) => v.version),
      [1],
    );
    assert.equal((await events('T-BAD')).length, 1, 'only the first, valid publish left an event');
  });

  it('a draft for a department that does not exist is refused on save (422, body.departmentCode)', async () => {
    const response = await call('PUT', '/matters/T-NODEPT/draft', matterDraft({ departmentCode: '330100-NONE' }));
    assert.equal(response.statusCode, 422);
    assert.deepEqual(
      response.json<Problem>().errors.map((e) => e.field),
      ['body.departmentCode'],
    );
  });

  it('publishing a matter that has no draft is 404', async () => {
    assert.equal((await call('POST', '/matters/T-NOTHING/publish')).json<Problem>().code, 'CATALOG_MATTER_NOT_FOUND');
  });

  it('a form that declares an $id can be published again', async () => {
    const form = { ...matterDraft().form, $id: 'https://forms.example.org/T-ID' };
    await saveMatter('T-ID', { form });
    assert.equal(await publish('matters', 'T-ID'), 1);
    assert.equal(await publish('matters', 'T-ID'), 2);
  });
});

describe('a bundle (一件事) is published over the latest matter versions', () => {
  const gender = { 'x-data-element': 'child.gender' };
  before(async () => {
    await saveMatter('B-CERT', {
      form: {
        type: 'object',
        properties: { name: { 'x-data-element': 'person.name', maxLength: 30 }, sex: gender },
        required: ['name'],
      },
    });
    await saveMatter('B-REG', {
      form: {
        type: 'object',
        properties: { applicant: { 'x-data-element': 'person.name' }, childGender: { ...gender, enum: ['2'] } },
        required: ['childGender'],
      },
    });
    await publish('matters', 'B-CERT');
    await publish('matters', 'B-CERT');
    await publish('matters', 'B-REG');
    await saveBundle('B-OK', [
      { matterCode: 'B-CERT', dependsOn: [] },
      { matterCode: 'B-REG', dependsOn: ['B-CERT'] },
    ]);
  });

  it('publishing pins the latest version of each matter and writes one catalog.bundle.published event', async () => {
    const outbox = await count('catalog.outbox');
    assert.equal(await publish('bundles', 'B-OK'), 1);
    const bundle = await get<BundleView>('/bundles/B-OK');
    assert.deepEqual(bundle.matterVersions, { 'B-CERT': 2, 'B-REG': 1 });
    assert.equal(await count('catalog.outbox'), outbox + 1);
    assert.deepEqual(await events('B-OK'), [
      {
        type: 'catalog.bundle.published',
        data: { code: 'B-OK', version: 1, matterVersions: { 'B-CERT': 2, 'B-REG': 1 } },
      },
    ]);
  });

  it('its merged form asks each data element once, for all the matters that need it', async () => {
    const { form } = await get<BundleView>('/bundles/B-OK');
    const bound = Object.values(form.properties).map((p) => p['x-data-element']);
    assert.deepEqual(bound.sort(), ['child.gender', 'person.name']);
    assert.deepEqual(form.properties['person.name']!['x-matters'], ['B-CERT', 'B-REG']);
    assert.deepEqual(form.properties['child.gender']!.enum, ['2'], 'narrowed to what every matter accepts');
    assert.equal(form.properties['person.name']!.maxLength, 30, 'the shortest maxLength of any matter');
    assert.deepEqual(form.required.sort(), ['child.gender', 'person.name'], 'required when any matter requires it');
  });

  it('a newer matter version does not change a published bundle version; the next bundle version pins it', async () => {
    assert.equal(await publish('matters', 'B-REG'), 2);
    assert.deepEqual((await get<BundleView>('/bundles/B-OK')).matterVersions, { 'B-CERT': 2, 'B-REG': 1 });
    assert.equal(await publish('bundles', 'B-OK'), 2);
    assert.deepEqual((await get<BundleView>('/bundles/B-OK')).matterVersions, { 'B-CERT': 2, 'B-REG': 2 });
    assert.deepEqual((await get<BundleView>('/bundles/B-OK?version=1')).matterVersions, { 'B-CERT': 2, 'B-REG': 1 });
  });

  it('a dependency cycle is refused with its path, and nothing is written', async () => {
    await saveBundle('B-CYCLE', [
      { matterCode: 'B-CERT', dependsOn: ['B-REG'] },
      { matterCode: 'B-REG', dependsOn: ['B-CERT'] },
    ]);
    const before = await Promise.all([count('catalog.bundle_version'), count('catalog.outbox')]);
    const response = await call('POST', '/bundles/B-CYCLE/publish');
    assert.equal(response.statusCode, 422);
    const problem = response.json<Problem>();
    assert.equal(problem.code, 'CATALOG_PUBLISH_INVALID');
    assert.deepEqual(
      problem.errors.map((e) => `${e.field} ${e.code}`),
      ['draft.items dependency_cycle'],
    );
    assert.match(problem.errors[0]!.message, /B-CERT → B-REG → B-CERT/);
    assert.deepEqual(await Promise.all([count('catalog.bundle_version'), count('catalog.outbox')]), before);
    assert.equal((await call('GET', '/bundles/B-CYCLE')).json<Problem>().code, 'CATALOG_BUNDLE_NOT_FOUND');
  });

  it('every item needs a published matter', async () => {
    await saveMatter('B-UNPUBLISHED');
    await saveBundle('B-EARLY', [
      { matterCode: 'B-CERT', dependsOn: [] },
      { matterCode: 'B-UNPUBLISHED', dependsOn: ['B-CERT'] },
    ]);
    const problem = (await call('POST', '/bundles/B-EARLY/publish')).json<Problem>();
    assert.deepEqual(
      problem.errors.map((e) => `${e.field} ${e.code}`),
      ['draft.items.1.matterCode matter_not_published'],
    );
  });

  it('a bundle has at least one item', async () => {
    const body = {
      name: text('空', 'Empty'),
      description: text('空', 'Empty'),
      lifeEvent: 'birth',
      items: [],
      promisedDays: 1,
    };
    const problem = (await call('PUT', '/bundles/B-EMPTY/draft', body)).json<Problem>();
    assert.deepEqual(
      problem.errors.map((e) => `${e.field} ${e.code}`),
      ['body.items minItems'],
    );
  });
});
