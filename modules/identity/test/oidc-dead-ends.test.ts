// Where sign-in cannot go on, a browser gets a page in its language that explains and offers to
// start again, a program gets problem+json; and the provider's other edges answer problem+json.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import identity from '../src/index.ts';
import { DEV_CLIENT } from '../src/service/builtin-clients.ts';
import { MESSAGES } from '../src/api/messages.ts';
import { Browser } from './browser.ts';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const JSON_ACCEPT = { accept: 'application/json' };
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('sign-in dead ends and edges', () => {
  let p: TestPlatform;
  let issuer: string;

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    issuer = ((await p.app.inject({ url: '/api/identity/keys' })).json() as { issuer: string }).issuer;
  });
  after(() => p.dispose());

  const authorize = (params: Record<string, string>) =>
    `/oidc/auth?${new URLSearchParams({
      response_type: 'code',
      scope: 'openid',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      ...params,
    })}`;
  const deadEnds = {
    'an expired or cookieless sign-in page': {
      url: '/api/identity/interaction/abcdefgh1234',
      message: MESSAGES.deadEndExpired,
      code: 'IDENTITY_SIGN_IN_EXPIRED',
    },
    'coming back to the provider without its cookie': {
      url: '/oidc/auth/abcdefgh1234',
      message: MESSAGES.deadEndExpired,
      code: 'OIDC_ERROR',
    },
    'an unknown client': {
      url: authorize({ client_id: 'nobody-here', redirect_uri: 'http://localhost/callback' }),
      message: MESSAGES.deadEndUnknownClient,
      code: 'OIDC_ERROR',
    },
    'an unregistered redirect_uri': {
      url: authorize({ client_id: DEV_CLIENT, redirect_uri: 'https://evil.example/cb' }),
      message: MESSAGES.deadEndBadRedirect,
      code: 'OIDC_ERROR',
    },
  };

  for (const [name, { url, message, code }] of Object.entries(deadEnds)) {
    test(`${name}: a page in zh-CN, in English on request, problem+json for programs`, async () => {
      const zh = await p.app.inject({ url, headers: HTML });
      assert.ok(zh.statusCode >= 400 && zh.statusCode < 500, `4xx, not ${zh.statusCode}`);
      assert.match(String(zh.headers['content-type']), /^text\/html/);
      assert.ok(zh.body.includes(message.zh), zh.body.slice(0, 300));
      assert.ok(zh.body.includes(`href="${issuer}/portal/"`), 'offers to start again from the portal');
      assert.doesNotMatch(zh.body, /evil\.example/, 'never links to an unverified redirect');
      const en = await p.app.inject({ url, headers: { ...HTML, 'accept-language': 'en-GB,en;q=0.9' } });
      assert.ok(en.body.includes(message.en));
      assert.match(en.body, /<html lang="en">/);
      const json = await p.app.inject({ url, headers: JSON_ACCEPT });
      assert.ok(json.statusCode >= 400 && json.statusCode < 500);
      assert.match(String(json.headers['content-type']), /^application\/problem\+json/);
      assert.equal(json.json().code, code);
    });
  }

  test('an unknown /oidc/ path is a problem+json 404', async () => {
    const r = await p.app.inject({ url: '/oidc/nothing-here', headers: JSON_ACCEPT });
    assert.equal(r.statusCode, 404);
    assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
    assert.equal(r.json().code, 'NOT_FOUND');
  });

  test('passkey options for a sign-in without a passkey step are a problem+json 404', async () => {
    const browser = new Browser();
    const page = await browser.follow(
      `${issuer}${authorize({ client_id: DEV_CLIENT, redirect_uri: 'http://localhost/callback' })}`,
      'http://localhost/callback',
    );
    assert.equal(page.response?.status, 200, 'a live sign-in page');
    const r = await browser.request(`${page.url.origin}${page.url.pathname}/passkey-options`, { headers: JSON_ACCEPT });
    assert.equal(r.status, 404);
    assert.match(String(r.headers.get('content-type')), /^application\/problem\+json/);
    assert.equal(((await r.json()) as { code: string }).code, 'NOT_FOUND');
  });

  test('a deeply nested JWK in a client registration is a 400, not a stack overflow', async () => {
    const depth = 10_000;
    const nested = `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
    const r = await p.app.inject({
      method: 'PUT',
      url: '/api/identity/clients/deep-jwk',
      headers: { ...operatorHeaders(), 'content-type': 'application/json' },
      payload: `{"name":"deep","jwks":{"keys":[{"kty":"EC","crv":"P-256","x":"${'a'.repeat(43)}","y":"${'b'.repeat(43)}","deep":${nested}}]},"roles":[]}`,
    });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().code, 'VALIDATION_FAILED');
  });

  test('a private key in a client registration is refused', async () => {
    const r = await p.app.inject({
      method: 'PUT',
      url: '/api/identity/clients/private-jwk',
      headers: operatorHeaders(),
      payload: {
        name: 'oops',
        jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'a'.repeat(43), y: 'b'.repeat(43), d: 'c'.repeat(43) }] },
        roles: [],
      },
    });
    assert.equal(r.statusCode, 400);
  });

  for (const endpoint of ['/oidc/token/introspection', '/oidc/token/revocation']) {
    test(`a NUL in ${endpoint}'s form is a 400 naming the field`, async () => {
      const r = await p.app.inject({
        method: 'POST',
        url: endpoint,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...JSON_ACCEPT },
        payload: 'token=abc&client_id=%00',
      });
      assert.equal(r.statusCode, 400);
      assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
      assert.deepEqual(
        r.json().errors.map((e: { field: string }) => e.field),
        ['body.client_id'],
      );
    });
  }

  test('a NUL in a client name is a 400', async () => {
    const r = await p.app.inject({
      method: 'PUT',
      url: '/api/identity/clients/nul-name',
      headers: operatorHeaders(),
      payload: { name: 'a\u0000b', redirectUris: ['https://rp.example/cb'], roles: [] },
    });
    assert.equal(r.statusCode, 400);
  });

  test('a NUL in the authorization request is a 400', async () => {
    const r = await p.app.inject({ url: '/oidc/auth?client_id=%00', headers: JSON_ACCEPT });
    assert.equal(r.statusCode, 400);
    assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  });
});
