// The address's request budget (TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE) as a browser spends it: the
// web app's files cost nothing (a page load is a dozen of them, and an office shares one
// address), and a call through /portal/api costs one request, not two (the portal's route and
// the /api route it reaches). The budget still holds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import portal from '@tongban/portal';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { ASSET, webBuild } from './web-build.ts';

const BUDGET = 10;

describe('the request budget through the portal', () => {
  let p: TestPlatform;
  const build = webBuild();
  before(async () => {
    p = await startTestPlatform([catalog, identity, portal], {
      env: { TONGBAN_WEB_DIR: build.dir, TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: String(BUDGET) },
    });
  });
  after(async () => {
    await p.dispose();
    build.remove();
  });
  const get = (url: string) => p.app.inject({ url, remoteAddress: '203.0.113.7' });

  test("the web app's files are not counted; each /portal/api call is counted once; the budget then refuses", async () => {
    for (let i = 0; i < BUDGET * 3; i++) {
      for (const url of ['/', ASSET, '/applications']) {
        const r = await get(url);
        assert.equal(r.statusCode, 200, `${url} #${i + 1}`);
      }
    }
    for (let i = 0; i < BUDGET; i++) {
      const r = await get('/portal/api/catalog/departments');
      assert.equal(r.statusCode, 200, `call #${i + 1} of ${BUDGET}: ${r.body}`);
    }
    const over = await get('/portal/api/catalog/departments');
    assert.equal(over.statusCode, 429, over.body);
    assert.equal(over.json().code, 'RATE_LIMITED');
  });
});
