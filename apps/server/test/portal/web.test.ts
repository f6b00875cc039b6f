// The web app's build served at `/` by the portal: files as they are, index.html for the app's
// own paths, the platform's prefixes left to the platform, nothing outside the build reachable.
// Without a build the kernel's welcome page stays at `/`.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import portal from '@tongban/portal';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { webBuild } from './web-build.ts';

describe('the web app at / (portal)', () => {
  let p: TestPlatform;
  const build = webBuild();
  before(async () => {
    writeFileSync(join(tmpdir(), 'tongban-web-secret.txt'), 'outside');
    p = await startTestPlatform([catalog, identity, portal], { env: { TONGBAN_WEB_DIR: build.dir } });
  });
  after(async () => {
    await p.dispose();
    build.remove();
  });
  const get = (url: string) => p.app.inject({ url });

  test('/ and the app’s own paths are index.html, never cached; assets are immutable', async () => {
    for (const url of ['/', '/search?q=出生', '/bundles/BIRTH']) {
      const r = await get(url);
      assert.equal(r.statusCode, 200, url);
      assert.match(r.headers['content-type'] as string, /^text\/html/);
      assert.equal(r.headers['cache-control'], 'no-cache', url);
      assert.match(r.body, /<div id="root">/);
    }
    // where identity sends a browser after signing out
    const out = await get('/portal/');
    assert.equal(out.statusCode, 302);
    assert.equal(out.headers.location, '/');
    const js = await get('/assets/index-abc123.js');
    assert.equal(js.statusCode, 200);
    assert.match(js.headers['content-type'] as string, /^text\/javascript/);
    assert.match(js.headers['cache-control'] as string, /immutable/);
  });

  test('a missing asset is 404; paths out of the build reach nothing; the platform keeps its prefixes', async () => {
    assert.equal((await get('/assets/gone-999.js')).statusCode, 404);
    for (const url of [
      '/../tongban-web-secret.txt',
      '/%2e%2e/tongban-web-secret.txt',
      '/assets/..%2f..%2ftongban-web-secret.txt',
    ]) {
      const r = await get(url);
      assert.ok(!r.body.includes('outside'), url);
    }
    const api = await get('/api/nothing-here');
    assert.equal(api.statusCode, 404);
    assert.match(api.headers['content-type'] as string, /problem\+json/);
    const session = await get('/portal/session');
    assert.deepEqual(session.json(), { signedIn: false });
    assert.equal((await get('/.well-known/openid-configuration')).statusCode, 200);
  });
});

describe('without a web build', () => {
  test('the kernel’s welcome page stays at /', async () => {
    const p = await startTestPlatform([catalog, identity, portal], {
      env: { TONGBAN_WEB_DIR: join(tmpdir(), 'tongban-no-such-build') },
    });
    try {
      const r = await p.app.inject({ url: '/' });
      assert.equal(r.statusCode, 200);
      assert.match(r.body, /通办|Tongban/);
      assert.doesNotMatch(r.body, /<div id="root">/);
    } finally {
      await p.dispose();
    }
  });
});
