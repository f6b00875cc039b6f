// Getting an access token for the platform's APIs the ways RFC 8707 and OIDC allow: the resource
// named in the authorization request or in the token request, the `api` scope, offline_access
// without prompt=consent — and the README's curl steps with the development client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import * as client from 'openid-client';
import identity from '../src/index.ts';
import { DEV_CLIENT } from '../src/service/builtin-clients.ts';
import { API_AUDIENCE } from '../src/service/provider.ts';
import { createAccount, type TestAccount } from './fixtures.ts';
import { signInAt } from './oidc-signin.ts';

const REDIRECT = 'http://localhost/callback';

describe('API access tokens', () => {
  let p: TestPlatform;
  let issuer: string;
  let rp: client.Configuration;
  let citizen: TestAccount;

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    issuer = ((await p.app.inject({ url: '/api/identity/keys' })).json() as { issuer: string }).issuer;
    rp = await client.discovery(new URL(issuer), DEV_CLIENT, undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    });
    citizen = await createAccount(p, 'citizen');
  });
  after(() => p.dispose());

  /** The code + PKCE flow with the development client; `auth` goes into the authorization request. */
  async function exchange(auth: Record<string, string>, token: Record<string, string> = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: REDIRECT,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'st',
      ...auth,
    });
    const callback = await signInAt(url, citizen, REDIRECT);
    return client.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier, expectedState: 'st' }, token);
  }

  const apiStatus = async (accessToken: string) =>
    (await p.app.inject({ url: '/api/identity/me/sessions', headers: { authorization: `Bearer ${accessToken}` } }))
      .statusCode;
  const audienceOf = (jwt: string) =>
    (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { aud?: string }).aud;

  test('resource only in the authorization request: the token endpoint returns an API token', async () => {
    const tokens = await exchange({ scope: 'openid', resource: API_AUDIENCE });
    assert.equal(audienceOf(tokens.access_token), API_AUDIENCE);
    assert.equal(await apiStatus(tokens.access_token), 200, 'the guard accepts it');
  });

  test('resource only in the token request: the same', async () => {
    const tokens = await exchange({ scope: 'openid' }, { resource: API_AUDIENCE });
    assert.equal(audienceOf(tokens.access_token), API_AUDIENCE);
    assert.equal(await apiStatus(tokens.access_token), 200);
  });

  test('the api scope asks for an API token', async () => {
    const tokens = await exchange({ scope: 'openid api' });
    assert.equal(await apiStatus(tokens.access_token), 200);
  });

  test('offline_access without prompt=consent gives a refresh token, and refreshing keeps the API token', async () => {
    const tokens = await exchange({ scope: 'openid offline_access api' });
    assert.ok(tokens.refresh_token, 'a refresh token comes back');
    const refreshed = await client.refreshTokenGrant(rp, tokens.refresh_token);
    assert.equal(await apiStatus(refreshed.access_token), 200);
  });

  test('asking for neither gives a userinfo token, which userinfo answers', async () => {
    const tokens = await exchange({ scope: 'openid profile' });
    const info = await client.fetchUserInfo(rp, tokens.access_token, citizen.id);
    assert.equal(info.tongban_kind, 'citizen');
    assert.equal(await apiStatus(tokens.access_token), 401);
  });

  test('a pushed authorization request (a form the mount reads and checks) naming the resource gives an API token', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const url = await client.buildAuthorizationUrlWithPAR(rp, {
      redirect_uri: REDIRECT,
      scope: 'openid offline_access',
      resource: API_AUDIENCE,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'par',
    });
    const callback = await signInAt(url, citizen, REDIRECT);
    const tokens = await client.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: verifier,
      expectedState: 'par',
    });
    assert.ok(tokens.refresh_token);
    assert.equal(await apiStatus(tokens.access_token), 200);
  });

  test('another resource is refused', async () => {
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      resource: 'https://elsewhere.example/',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    });
    const r = await fetch(url, { redirect: 'manual' });
    assert.equal(new URL(r.headers.get('location') ?? 'http://x/').searchParams.get('error'), 'invalid_target');
  });

  test("the README's steps: a browser sign-in, then curl at the token endpoint", async () => {
    // What the README's shell lines compute with openssl.
    const verifier = client.randomPKCECodeVerifier();
    const challenge = await client.calculatePKCECodeChallenge(verifier);
    const authorize =
      `${issuer}/oidc/auth?client_id=tongban-dev&response_type=code&scope=openid%20offline_access%20api` +
      `&redirect_uri=http://localhost/callback&code_challenge=${challenge}&code_challenge_method=S256`;
    const callback = await signInAt(authorize, citizen, REDIRECT);
    const code = callback.searchParams.get('code')!;
    const r = await fetch(`${issuer}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: 'tongban-dev',
        redirect_uri: 'http://localhost/callback',
        code_verifier: verifier,
        code,
      }),
    });
    assert.equal(r.status, 200);
    const tokens = (await r.json()) as { access_token: string; refresh_token?: string };
    assert.ok(tokens.refresh_token);
    const me = await fetch(`${issuer}/api/identity/me/sessions`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(me.status, 200);
  });
});
