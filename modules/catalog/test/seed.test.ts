// The demo city (演示城市): Hangzhou's departments, the birth, business and home-transfer bundles,
// and the 2026 working-day calendar, loaded once and only once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { sql } from 'kysely';
import catalog from '../src/index.ts';

interface Named {
  code: string;
  name: { zh: string; en: string };
}
interface BundleView extends Named {
  version: number;
  lifeEvent: string;
  items: { matterCode: string; dependsOn: string[] }[];
  matterVersions: Record<string, number>;
}

const CHINESE = /\p{Script=Han}/u;
const ENGLISH = /^[\x20-\x7e]+$/;

let platform: TestPlatform;
before(async () => {
  platform = await startTestPlatform([catalog], { seed: true });
});
after(async () => {
  await platform?.dispose();
});

async function get<T>(url: string): Promise<T> {
  const response = await platform.app.inject({ url: `/api/catalog${url}` });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<T>();
}

describe('the seeded demo city', () => {
  it('has Hangzhou with at least eight departments', async () => {
    const departments = await get<(Named & { regionCode: string })[]>('/departments?region=330100');
    assert.ok(departments.length >= 8, `got ${departments.length}`);
    for (const code of [
      '330100-WJW',
      '330100-GA',
      '330100-YB',
      '330100-RS',
      '330100-SCJG',
      '330100-SW',
      '330100-BDC',
    ]) {
      assert.ok(
        departments.some((d) => d.code === code),
        `${code} is seeded`,
      );
    }
  });

  it('publishes the three bundles with Chinese and English names', async () => {
    const expected = { BIRTH: 'birth', 'BUSINESS-STARTUP': 'business', 'PROPERTY-TRANSFER': 'property' };
    for (const [code, lifeEvent] of Object.entries(expected)) {
      const bundle = await get<BundleView>(`/bundles/${code}`);
      assert.equal(bundle.version, 1);
      assert.equal(bundle.lifeEvent, lifeEvent);
      assert.match(bundle.name.zh, CHINESE, `${code} has a Chinese name`);
      assert.match(bundle.name.en, ENGLISH, `${code} has an English name`);
    }
    assert.deepEqual((await get<BundleView>('/bundles/BIRTH')).name, {
      zh: '出生一件事',
      en: 'Birth: one application',
    });
  });

  it('every bundle pins a published version of each of its matters', async () => {
    for (const code of ['BIRTH', 'BUSINESS-STARTUP', 'PROPERTY-TRANSFER']) {
      const bundle = await get<BundleView>(`/bundles/${code}`);
      assert.deepEqual(Object.keys(bundle.matterVersions).sort(), bundle.items.map((i) => i.matterCode).sort());
      for (const [matter, version] of Object.entries(bundle.matterVersions)) {
        assert.equal((await get<{ version: number }>(`/matters/${matter}?version=${version}`)).version, version);
      }
    }
  });

  it('in the birth bundle, 落户 waits for 出生医学证明 and 医保参保 waits for 落户', async () => {
    const { items } = await get<BundleView>('/bundles/BIRTH');
    const dependsOn = new Map(items.map((i) => [i.matterCode, i.dependsOn]));
    assert.deepEqual(dependsOn.get('330100-WJW-001'), [], '出生医学证明 comes first');
    assert.deepEqual(dependsOn.get('330100-GA-001'), ['330100-WJW-001']);
    assert.deepEqual(dependsOn.get('330100-YB-001'), ['330100-GA-001']);
    assert.equal((await get<Named>('/matters/330100-GA-001')).name.zh, '出生登记（新生儿落户）');
    assert.equal((await get<Named>('/matters/330100-YB-001')).name.zh, '城乡居民基本医疗保险参保登记');
  });

  it('seeding again does nothing', async () => {
    const snapshot = async () => {
      const { rows } = await sql<Record<string, number | string>>`
        select (select count(*)::int from catalog.region) as regions,
               (select count(*)::int from catalog.department) as departments,
               (select count(*)::int from catalog.data_element) as elements,
               (select count(*)::int from catalog.matter) as matters,
               (select count(*)::int from catalog.matter_version) as matter_versions,
               (select count(*)::int from catalog.bundle_version) as bundle_versions,
               (select count(*)::int from catalog.search_entry) as search_entries,
               (select count(*)::int from catalog.outbox) as events,
               (select max(updated_at)::text from catalog.matter) as drafts_changed,
               (select max(updated_at)::text from catalog.data_element) as elements_changed`.execute(
        platform.database.db,
      );
      return rows[0];
    };
    const first = await snapshot();
    assert.equal(first?.matter_versions, 18, 'the demo city has 18 matters, each published once');
    assert.equal(first?.bundle_versions, 3);
    await catalog.seed!(platform.contexts.get('catalog')!, undefined);
    assert.deepEqual(await snapshot(), first);
  });
});

describe('the working-day calendar (工作日历) of Hangzhou', () => {
  it('knows the 2026 National Day holiday and its make-up working days', async () => {
    const calendar = await get<{ holidays: string[]; workdays: string[] }>('/calendars/330100');
    assert.ok(calendar.holidays.includes('2026-10-01') && calendar.holidays.includes('2026-10-07'));
    assert.ok(calendar.workdays.includes('2026-09-20') && calendar.workdays.includes('2026-10-10'));
  });

  it('5 working days after 30 September 2026 is 13 October: 国庆 skipped, make-up Saturday 10 October counted', async () => {
    assert.deepEqual(await get('/calendars/330100/deadline?from=2026-09-30&days=5'), {
      from: '2026-09-30',
      days: 5,
      due: '2026-10-13',
    });
  });

  it('0 working days after a date is that date', async () => {
    assert.equal((await get<{ due: string }>('/calendars/330100/deadline?from=2026-10-01&days=0')).due, '2026-10-01');
  });

  it('an impossible date is a 400 naming query.from', async () => {
    for (const from of ['2026-02-30', '2026-13-01', '30/09/2026']) {
      const response = await platform.app.inject({ url: `/api/catalog/calendars/330100/deadline?from=${from}&days=5` });
      assert.equal(response.statusCode, 400, from);
      const problem = response.json<{ code: string; errors: { field: string }[] }>();
      assert.equal(problem.code, 'VALIDATION_FAILED');
      assert.deepEqual([...new Set(problem.errors.map((e) => e.field))], ['query.from'], from);
    }
  });

  it('a region without a calendar is 404 CATALOG_CALENDAR_NOT_FOUND', async () => {
    const response = await platform.app.inject({
      url: '/api/catalog/calendars/330106/deadline?from=2026-09-30&days=5',
    });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json<{ code: string }>().code, 'CATALOG_CALENDAR_NOT_FOUND');
  });
});
