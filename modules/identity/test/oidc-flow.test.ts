// An independent relying party (openid-client) against the running server: code + PKCE with
// password and TOTP, userinfo, refresh, logout; and a department system with client credentials.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { exportJWK, generateKeyPair } from 'jose';
import * as client from 'openid-client';
import identity from '../src/index.ts';
import { ACR_MFA, API_AUDIENCE } from '../src/service/provider.ts';
import { Browser, formAction } from './browser.ts';
import { createAccount, registerBrowserClient, registerServiceClient, totpNow, type TestAccount } from './fixtures.ts';

const REDIRECT = 'http://rp.example.test/callback';
const invalidGrant = (error: unknown) => (error as { error?: string }).error === 'invalid_grant';

describe('OpenID Connect with an independent relying party', () => {
  let p: TestPlatform;
  let issuer: string;
  let rp: client.Configuration;
  let citizen: TestAccount;

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    issuer = ((await p.app.inject({ url: '/api/identity/keys' })).json() as { issuer: string }).issuer;
    await registerBrowserClient(p, 'rp-test', REDIRECT);
    rp = await client.discovery(new URL(issuer), 'rp-test', undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    });
    citizen = await createAccount(p, 'citizen', { mfa: true });
  });
  after(() => p.dispose());

  async function signIn(account: TestAccount, extra: Record<string, string> = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: REDIRECT,
      scope: 'openid profile offline_access',
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...extra,
    });
    const browser = new Browser();
    const page = await browser.follow(url, REDIRECT);
    assert.equal(page.response?.status, 200, 'the sign-in page is shown');
    const html = await page.response!.text();
    assert.match(html, /<label for="login">/);
    let next = await browser.follow(formAction(html, page.url), REDIRECT, {
      form: { login: account.login, password: account.password },
    });
    if (account.totpSecret) {
      const totpPage = await next.response!.text();
      assert.match(totpPage, /one-time-code/);
      next = await browser.follow(formAction(totpPage, next.url), REDIRECT, {
        form: { code: await totpNow(account.totpSecret) },
      });
    }
    assert.ok(next.url.href.startsWith(REDIRECT), `ends at the relying party, not ${next.url.href}`);
    const tokens = await client.authorizationCodeGrant(rp, next.url, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    return { tokens, browser };
  }

  test('a citizen signs in with password and TOTP, reads userinfo, refreshes and logs out', async () => {
    const { tokens, browser } = await signIn(citizen);
    const claims = tokens.claims()!;
    assert.equal(claims.sub, citizen.id);
    assert.equal(claims.acr, ACR_MFA);
    const info = await client.fetchUserInfo(rp, tokens.access_token, claims.sub);
    assert.equal(info.tongban_kind, 'citizen');
    assert.ok(tokens.refresh_token, 'a refresh token is issued for offline_access');
    const refreshed = await client.refreshTokenGrant(rp, tokens.refresh_token!, { resource: API_AUDIENCE });
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'refresh tokens rotate');
    const api = jwtClaims(refreshed.access_token);
    assert.equal(api.aud, API_AUDIENCE, 'an access token for the platform APIs, asked for by resource');
    assert.equal(api.acr, ACR_MFA, 'carrying how the person signed in');
    assert.equal(api.tongban.kind, 'citizen');
    assert.ok(api.sid, 'and the sign-in session');
    const logout = client.buildEndSessionUrl(rp, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: REDIRECT,
    });
    const done = await browser.follow(logout, REDIRECT);
    if (done.response) {
      // oidc-provider asks the browser to confirm the logout with a form it posts to itself.
      const html = await done.response.text();
      const fields = Object.fromEntries(
        [...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
      );
      assert.equal(fields.logout, 'yes', 'the page offers to sign out');
      const confirm = await browser.follow(formAction(html, done.url), REDIRECT, { form: fields });
      assert.ok(confirm.url.href.startsWith(REDIRECT));
    }
    await assert.rejects(
      client.refreshTokenGrant(rp, refreshed.refresh_token!),
      invalidGrant,
      'a logged-out session cannot refresh',
    );
  });

  test('reusing a rotated refresh token revokes the whole family', async () => {
    const { tokens } = await signIn(await createAccount(p, 'citizen'));
    const first = await client.refreshTokenGrant(rp, tokens.refresh_token!);
    await assert.rejects(client.refreshTokenGrant(rp, tokens.refresh_token!), invalidGrant);
    await assert.rejects(
      client.refreshTokenGrant(rp, first.refresh_token!),
      invalidGrant,
      'the newer token died with the family',
    );
    await p.instanceOf(identity).securityEventsRecorded();
    const reuse = await p.database.db
      .selectFrom('identity.outbox')
      .select('data')
      .where('type', '=', 'identity.refresh-token.reused')
      .execute();
    assert.equal(reuse.length, 1, 'the reuse is a security event');
  });

  test('a department system gets a client-credentials token with private_key_jwt', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    await registerServiceClient(
      p,
      'dept-system',
      { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' },
      ['catalog.read'],
    );
    const system = await client.discovery(
      new URL(issuer),
      'dept-system',
      { token_endpoint_auth_signing_alg: 'ES256' },
      client.PrivateKeyJwt({ key: privateKey, kid: 'k1' }),
      { execute: [client.allowInsecureRequests] },
    );
    const tokens = await client.clientCredentialsGrant(system, { scope: 'api', resource: 'urn:tongban:api' });
    const claims = jwtClaims(tokens.access_token);
    assert.equal(claims.aud, 'urn:tongban:api');
    assert.equal(claims.tongban.kind, 'service');
    assert.deepEqual(claims.tongban.roles, ['catalog.read']);
    assert.ok(claims.exp - claims.iat <= 600, 'access tokens live at most 10 minutes');
  });
});

function jwtClaims(jwt: string): {
  aud: string;
  acr?: string;
  sid?: string;
  exp: number;
  iat: number;
  tongban: { kind: string; roles: string[] };
} {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
}
