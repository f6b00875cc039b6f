// The root page: something to open after `npm start` — what runs, where the API documents are,
// and how to sign in with the development client — in zh-CN by default and in English.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { welcomePage } from '../src/http/welcome.ts';
import { loadConfig } from '../src/config.ts';
import { startTestPlatform, type TestPlatform } from '../src/testing.ts';

const modules = [
  { name: 'identity', title: { zh: '统一身份认证', en: 'Identity' } },
  { name: 'workflow', title: { zh: '业务协同', en: 'Workflow' } },
];
const origin = () => 'http://localhost:8080';

describe('the root page', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform([]);
  });
  after(() => p.dispose());

  test('/ and /portal/ answer a browser with an HTML page in zh-CN, or English when asked', async () => {
    for (const url of ['/', '/portal/']) {
      const zh = await p.app.inject({ url });
      assert.equal(zh.statusCode, 200);
      assert.match(zh.headers['content-type'] as string, /^text\/html/);
      assert.match(zh.body, /<html lang="zh-CN">/);
      assert.match(zh.body, /href="\/api\/docs"/);
    }
    const en = await p.app.inject({ url: '/', headers: { 'accept-language': 'en-GB,en;q=0.8' } });
    assert.match(en.body, /one-stop government services/);
  });
});

describe('the sign-in steps on it', () => {
  const development = loadConfig({});
  const production = { ...development, env: 'production' as const };

  test('outside production it links a PKCE sign-in with the development client and prints the exchange with its verifier', () => {
    const page = welcomePage('en', { config: development, modules, docsPublic: true, origin });
    const link = /href="(http:\/\/localhost:8080\/oidc\/auth\?[^"]+)"/.exec(page)?.[1]?.replace(/&#38;/g, '&');
    assert.ok(link, 'a sign-in link');
    const params = new URL(link).searchParams;
    assert.equal(params.get('client_id'), 'tongban-dev');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.match(page, /code_verifier=[A-Za-z0-9_-]{43}/);
    assert.notEqual(
      welcomePage('en', { config: development, modules, docsPublic: true, origin }),
      page,
      'a fresh verifier each time',
    );
  });

  test('production shows no development client, and closed API documents are not linked', () => {
    const page = welcomePage('zh', { config: production, modules, docsPublic: false, origin });
    assert.equal(page.includes('tongban-dev'), false);
    assert.equal(page.includes('href="/api/docs"'), false);
  });
});
