// Finding a service (事项检索): Chinese and English words, departments, life events, paging — on
// the seeded demo city, which no test in this file changes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { sql } from 'kysely';
import catalog from '../src/index.ts';
import { searchTerms } from '../src/domain/search.ts';
import { search as searchStore, searchCacheSize } from '../src/store/search-store.ts';
import { typed } from '../src/store/tables.ts';

interface Hit {
  kind: string;
  code: string;
  version: number;
  name: { zh: string; en: string };
  departmentCode?: string;
  lifeEvents: string[];
}
interface Result {
  total: number;
  items: Hit[];
}

describe('search terms', () => {
  it('Chinese is segmented into words: 出生医学证明 → 出生 / 医学 / 证明', () => {
    assert.deepEqual(searchTerms('出生医学证明'), ['出生', '医学', '证明']);
    assert.deepEqual(searchTerms('出生证明'), ['出生', '证明'], 'so the everyday name finds the official one');
  });

  it('English is lower-cased and full-width letters are folded', () => {
    assert.deepEqual(searchTerms('Business LICENCE'), ['business', 'licence']);
    assert.deepEqual(searchTerms('ＡＢＣ'), ['abc']);
  });

  it('stop words are dropped in both languages', () => {
    assert.deepEqual(searchTerms('The Medical Certificate of Birth'), ['medical', 'certificate', 'birth']);
    assert.deepEqual(searchTerms('出生和医学证明'), ['出生', '医学', '证明']);
  });

  it('the ways of asking for a service are not search words: 我要办理出生证明 → 出生 / 证明', () => {
    assert.deepEqual(searchTerms('我要办理出生证明'), ['出生', '证明']);
    assert.deepEqual(searchTerms('如何办理营业执照'), ['营业', '执照']);
  });

  it('each word counts once, across all the texts given', () => {
    assert.deepEqual(searchTerms('出生证明', undefined, '证明 birth', 'Birth'), ['出生', '证明', 'birth']);
    assert.deepEqual(searchTerms(undefined), []);
  });
});

describe('searching the demo city', () => {
  let platform: TestPlatform;
  before(async () => {
    platform = await startTestPlatform([catalog], { seed: true });
  });
  after(async () => {
    await platform?.dispose();
  });

  async function search(query: Record<string, string>): Promise<Result> {
    const response = await platform.app.inject({ method: 'GET', url: '/api/catalog/search', query });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<Result>();
  }

  it('出生证明 finds 出生医学证明 first', async () => {
    const result = await search({ q: '出生证明' });
    assert.equal(result.items[0]?.code, '330100-WJW-001');
    assert.equal(result.items[0]?.name.zh, '出生医学证明签发');
    assert.ok(
      result.items.some((h) => h.code === 'BIRTH'),
      'the birth bundle is among the results',
    );
  });

  it('a citizen typing a whole sentence still finds 出生医学证明', async () => {
    const result = await search({ q: '我要办理新生儿出生证明' });
    const codes = result.items.map((h) => h.code);
    assert.ok(codes.slice(0, 3).includes('330100-WJW-001'), JSON.stringify(codes));
    assert.ok(
      result.items.every((h) => h.lifeEvents.includes('birth')),
      'nothing but birth services',
    );
  });

  it('an English query finds the matter by its English name', async () => {
    const birth = await search({ q: 'Medical Certificate of Birth' });
    assert.equal(birth.items[0]?.code, '330100-WJW-001');
    const licence = await search({ q: 'business licence' });
    assert.equal(licence.items[0]?.code, '330100-SCJG-001', 'company registration issues the business licence');
    assert.ok(
      licence.items.every((h) => h.lifeEvents.includes('business')),
      JSON.stringify(licence.items.map((h) => h.code)),
    );
  });

  it('a matter code finds that matter', async () => {
    const result = await search({ q: '330100-GA-001' });
    assert.deepEqual(
      result.items.map((h) => h.code),
      ['330100-GA-001'],
    );
  });

  it('life event and kind filter together: birth bundles are exactly BIRTH', async () => {
    const result = await search({ lifeEvent: 'birth', kind: 'bundle' });
    assert.equal(result.total, 1);
    assert.deepEqual(
      result.items.map((h) => [h.kind, h.code]),
      [['bundle', 'BIRTH']],
    );
  });

  it('a department filter gives only that department’s matters', async () => {
    const result = await search({ department: '330100-GA' });
    assert.ok(result.total >= 2, `公安 has the birth registration and the seal filing, got ${result.total}`);
    assert.ok(
      result.items.every((h) => h.kind === 'matter' && h.departmentCode === '330100-GA'),
      JSON.stringify(result.items),
    );
    assert.ok(result.items.some((h) => h.code === '330100-GA-001'));
  });

  it('a query that matches nothing gives total 0 and no items', async () => {
    assert.deepEqual(await search({ q: '量子纠缠签证' }), { total: 0, items: [] });
    assert.deepEqual(await search({ q: 'zzyzx' }), { total: 0, items: [] });
  });

  it('limit and offset page through the same ranking without gaps or repeats', async () => {
    const whole = await search({ limit: '50' });
    assert.ok(whole.total >= 20, `18 matters and 3 bundles, got ${whole.total}`);
    assert.equal(whole.items.length, whole.total);
    const pages: Hit[] = [];
    for (let offset = 0; offset < whole.total; offset += 6) {
      const page = await search({ limit: '6', offset: String(offset) });
      assert.equal(page.total, whole.total, 'total counts every match, not the page');
      assert.ok(page.items.length <= 6);
      pages.push(...page.items);
    }
    assert.deepEqual(
      pages.map((h) => h.code),
      whole.items.map((h) => h.code),
    );
    assert.deepEqual((await search({ offset: String(whole.total) })).items, [], 'past the end is an empty page');
  });

  it('paging works on a ranked query too', async () => {
    const whole = await search({ q: '出生', limit: '50' });
    const second = await search({ q: '出生', limit: '2', offset: '2' });
    assert.equal(second.total, whole.total);
    assert.deepEqual(
      second.items.map((h) => h.code),
      whole.items.slice(2, 4).map((h) => h.code),
    );
  });

  it('the default page is 20 items', async () => {
    assert.equal((await search({})).items.length, 20);
  });

  describe('a bad query is a 400 problem naming the parameter', () => {
    const cases: [string, Record<string, string>, string][] = [
      ['limit below 1', { limit: '0' }, 'query.limit'],
      ['limit above 50', { limit: '1000' }, 'query.limit'],
      ['a negative offset', { offset: '-1' }, 'query.offset'],
      ['a limit that is not a number', { limit: 'ten' }, 'query.limit'],
      ['an unknown life event', { lifeEvent: 'unknown' }, 'query.lifeEvent'],
      ['an unknown kind', { kind: 'service' }, 'query.kind'],
      ['an unknown parameter', { sort: 'name' }, 'query.sort'],
      ['a query over 100 characters', { q: '证'.repeat(101) }, 'query.q'],
    ];
    for (const [what, query, field] of cases) {
      it(what, async () => {
        const response = await platform.app.inject({
          method: 'GET',
          url: '/api/catalog/search',
          query,
          headers: { 'accept-language': 'en' },
        });
        assert.equal(response.statusCode, 400);
        assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
        const problem = response.json<{ code: string; title: string; errors: { field: string }[] }>();
        assert.equal(problem.code, 'VALIDATION_FAILED');
        assert.equal(problem.title, 'The request is not valid');
        assert.deepEqual(
          problem.errors.map((e) => e.field),
          [field],
        );
      });
    }
  });
});

describe('search results kept per process', () => {
  let platform: TestPlatform;
  before(async () => {
    platform = await startTestPlatform([catalog], { seed: true });
  });
  after(async () => {
    await platform?.dispose();
  });
  const page = { limit: 20, offset: 0 };
  // The catalog's own handle: what its routes search with and its publishes invalidate (on
  // PostgreSQL a pool of its own, not the kernel's).
  const catalogDb = () => typed(platform.contexts.get('catalog')!.db);
  const codes = async (q: string, now?: () => number) =>
    (await searchStore(catalogDb(), { q, ...page }, now)).items.map((h) => h.code);

  it('a query asked again is answered from what was kept, until the results are 5 s old', async () => {
    assert.ok((await codes('出生证明')).includes('330100-WJW-001'));
    // Behind the catalog's back, so only the kept results still name it.
    await sql`delete from catalog.search_entry where code = '330100-WJW-001'`.execute(platform.database.db);
    assert.ok((await codes('出生证明')).includes('330100-WJW-001'), 'kept');
    const later = Date.now() + 5_001;
    assert.ok(!(await codes('出生证明', () => later)).includes('330100-WJW-001'), 'asked the database again');
  });

  it('a version published in this process is found at once', async () => {
    assert.deepEqual(await codes('灯塔守护'), []);
    const op = operatorHeaders();
    const text = (zh: string, en: string) => ({ zh, en });
    const put = await platform.app.inject({
      method: 'PUT',
      url: '/api/catalog/matters/330100-WJW-904/draft',
      headers: op,
      payload: {
        name: text('灯塔守护许可', 'Lighthouse keeping permit'),
        description: text('测试', 'Test'),
        departmentCode: '330100-WJW',
        legalDays: 5,
        promisedDays: 1,
        fees: [],
        materials: [],
        lifeEvents: [],
        form: { type: 'object', properties: { name: { 'x-data-element': 'person.name' } }, required: ['name'] },
      },
    });
    assert.equal(put.statusCode, 200, put.body);
    const published = await platform.app.inject({
      method: 'POST',
      url: '/api/catalog/matters/330100-WJW-904/publish',
      headers: op,
    });
    assert.equal(published.statusCode, 201, published.body);
    assert.deepEqual(await codes('灯塔守护'), ['330100-WJW-904']);
  });

  it('what is kept is bounded: the oldest query goes first', async () => {
    for (let i = 0; i < 1_050; i++) await codes(`term${i}`);
    assert.equal(searchCacheSize(catalogDb()), 1_000);
  });
});
