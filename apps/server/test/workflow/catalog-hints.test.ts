// The workflow keeps the catalog versions it reads (service/catalog-cache.ts); catalog.*.published
// reaches it as a hint, so a bundle published again is used at once, not after the cache's TTL.
// A hint is not a dependency: the catalog still runs alone on the in-process bus (cli.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { operatorHeaders } from '@tongban/kernel/testing';
import workflow from '@tongban/workflow';
import { findSplitWithoutBus } from '@tongban/kernel';
import catalog from '@tongban/catalog';
import { startWorkflow, type Harness } from './fixtures.ts';

describe('the catalog cache hears what the catalog publishes', () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow();
  });
  after(() => h.p.dispose());

  test('a bundle published again is the latest at once, well inside the TTL', async () => {
    const cache = h.p.instanceOf(workflow).catalog;
    const first = await cache.bundle('BIRTH');
    const published = await h.p.app.inject({
      method: 'POST',
      url: '/api/catalog/bundles/BIRTH/publish',
      headers: operatorHeaders(),
    });
    assert.equal(published.statusCode, 201, published.body);
    await h.p.bus.settled();
    assert.equal((await cache.bundle('BIRTH')).version, first.version + 1);
  });

  test('hints do not make the workflow a dependency of the catalog: it still runs alone on the in-process bus', () => {
    assert.equal(findSplitWithoutBus([catalog], [catalog, workflow]), undefined);
  });
});
