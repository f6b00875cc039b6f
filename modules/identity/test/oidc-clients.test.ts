// The platform's own clients exist from the first start, without an operator step: the portal
// (public, PKCE) and, outside production, the development client for curl and Postman.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import * as client from 'openid-client';
import identity from '../src/index.ts';
import { builtinClients, DEV_CLIENT, PORTAL_CLIENT } from '../src/service/builtin-clients.ts';
import { createAccount } from './fixtures.ts';
import { signInAt } from './oidc-signin.ts';

describe('built-in clients', () => {
  let p: TestPlatform;
  let issuer: string;

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    issuer = ((await p.app.inject({ url: '/api/identity/keys' })).json() as { issuer: string }).issuer;
  });
  after(() => p.dispose());

  test('a fresh platform has the portal and the development client', async () => {
    const rows = await p.database.db
      .selectFrom('identity.client')
      .select(['client_id', 'metadata'])
      .orderBy('client_id')
      .execute();
    const byId = new Map(
      rows.map((r) => [
        r.client_id,
        (typeof r.metadata === 'string' ? JSON.parse(r.metadata) : r.metadata) as Record<string, unknown>,
      ]),
    );
    const portal = byId.get(PORTAL_CLIENT);
    assert.ok(portal, 'the portal is registered');
    assert.equal(portal.token_endpoint_auth_method, 'none');
    assert.deepEqual(
      portal.redirect_uris,
      [`${issuer}/portal/callback`],
      "the portal's redirect is on the issuer's origin, port included",
    );
    assert.equal(byId.get(DEV_CLIENT)?.token_endpoint_auth_method, 'none');
  });

  test('production registers the portal only', () => {
    assert.deepEqual(
      builtinClients('https://id.example', 'production').map((c) => c.clientId),
      [PORTAL_CLIENT],
    );
    assert.deepEqual(
      builtinClients('http://localhost:8080', 'development').map((c) => c.clientId),
      [PORTAL_CLIENT, DEV_CLIENT],
    );
  });

  test('an operator cannot overwrite a built-in client', async () => {
    const r = await p.app.inject({
      method: 'PUT',
      url: `/api/identity/clients/${DEV_CLIENT}`,
      headers: operatorHeaders(),
      payload: { name: 'take over', redirectUris: ['https://evil.example/cb'], roles: [] },
    });
    assert.equal(r.statusCode, 409);
    assert.equal(r.json().code, 'IDENTITY_CLIENT_RESERVED');
  });

  test('openid-client completes code + PKCE with the development client on any loopback port', async () => {
    const account = await createAccount(p, 'citizen');
    const rp = await client.discovery(new URL(issuer), DEV_CLIENT, undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    });
    const redirect = 'http://127.0.0.1:53682/callback';
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: redirect,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 's1',
    });
    const callback = await signInAt(url, account, redirect);
    const tokens = await client.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: verifier,
      expectedState: 's1',
    });
    assert.equal(tokens.claims()?.sub, account.id);
  });
});
