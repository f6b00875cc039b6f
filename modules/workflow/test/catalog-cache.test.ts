// The per-process cache of catalog versions: a version is read once, the latest is kept for a
// while or until a publication is heard, the cache is bounded, and a failed read is not kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkingCalendar } from '@tongban/kernel';
import type { BundleVersion, CatalogPort, MatterVersion } from '../src/service/catalog.ts';
import { cachedCatalog } from '../src/service/catalog-cache.ts';

function fakePort() {
  const reads: string[] = [];
  const latest = { matter: 1, bundle: 1 };
  let failNext = false;
  const version = (kind: 'matter' | 'bundle', code: string, v?: number) => {
    reads.push(`${kind}:${code}@${v ?? 'latest'}`);
    if (failNext) {
      failNext = false;
      return Promise.reject(new Error('catalog away'));
    }
    return Promise.resolve({ code, version: v ?? latest[kind] });
  };
  const port: CatalogPort = {
    matter: (code, v) => version('matter', code, v) as Promise<MatterVersion>,
    bundle: (code, v) => version('bundle', code, v) as Promise<BundleVersion>,
    department: async (code) => ({ code, regionCode: '330100', name: { zh: '部门', en: 'Department' } }),
    calendar: async () => new WorkingCalendar({ holidays: [], workdays: [] }),
  };
  return {
    port,
    reads,
    latest,
    failOnce: () => {
      failNext = true;
    },
  };
}

test('a pinned version is read from the catalog once', async () => {
  const f = fakePort();
  const c = cachedCatalog(f.port);
  for (let i = 0; i < 3; i++) assert.equal((await c.matter('M-1', 2)).version, 2);
  assert.deepEqual(f.reads, ['matter:M-1@2']);
});

test('the latest version is kept for a while, then asked for again', async () => {
  let now = 0;
  const f = fakePort();
  const c = cachedCatalog(f.port, { now: () => now });
  assert.equal((await c.bundle('B-1')).version, 1);
  assert.equal((await c.bundle('B-1')).version, 1);
  assert.deepEqual(f.reads, ['bundle:B-1@latest'], 'within the TTL: no call to the catalog');
  f.latest.bundle = 2;
  now = 10_001;
  assert.equal((await c.bundle('B-1')).version, 2);
  assert.deepEqual(f.reads, ['bundle:B-1@latest', 'bundle:B-1@latest']);
});

test('a publication heard forgets the latest version of that code', async () => {
  const f = fakePort();
  const [a, b] = [cachedCatalog(f.port), cachedCatalog(f.port)];
  await a.bundle('B-2');
  await b.bundle('B-2');
  await a.matter('M-2');
  f.latest.bundle = 3;
  a.forget('bundle', 'B-2');
  b.forget('bundle', 'B-2');
  assert.equal((await a.bundle('B-2')).version, 3);
  assert.equal((await b.bundle('B-2')).version, 3);
  await a.matter('M-2');
  assert.equal(f.reads.filter((r) => r === 'matter:M-2@latest').length, 1, "another code's latest is kept");
  // The versions read before are still kept: an application pinned to them reads them from here.
  assert.equal((await a.bundle('B-2', 1)).version, 1);
  assert.equal(f.reads.filter((r) => r === 'bundle:B-2@1').length, 0);
});

test('the cache is bounded: the least recently used version is read again', async () => {
  const f = fakePort();
  const c = cachedCatalog(f.port, { maxVersions: 2 });
  await c.matter('M-3', 1);
  await c.matter('M-3', 2);
  await c.matter('M-3', 1); // now the most recently used
  await c.matter('M-3', 3);
  assert.equal(c.size(), 2);
  await c.matter('M-3', 1);
  assert.equal(f.reads.filter((r) => r === 'matter:M-3@1').length, 1, 'kept');
  await c.matter('M-3', 2);
  assert.equal(f.reads.filter((r) => r === 'matter:M-3@2').length, 2, 'evicted, so read again');
});

test('a failed read is not kept: the next one asks the catalog again', async () => {
  const f = fakePort();
  const c = cachedCatalog(f.port);
  f.failOnce();
  await assert.rejects(c.matter('M-4', 1), /catalog away/);
  assert.equal((await c.matter('M-4', 1)).version, 1);
  assert.equal(f.reads.length, 2);
});
