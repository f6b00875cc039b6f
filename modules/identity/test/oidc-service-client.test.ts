// The workflow's service client is registered at start with the key its secret derives, so the
// token the kernel's ctx.serviceToken() fetches passes the guard as a service with its role.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ServiceRoles } from '@tongban/contracts';
import { defineModule, serviceClientId, serviceKeyFromSecret } from '@tongban/kernel';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { importJWK, type JWK } from 'jose';
import * as client from 'openid-client';
import identity from '../src/index.ts';
import { ACCOUNTS_READ_ROLE } from '../src/api/accounts.ts';
import { API_AUDIENCE } from '../src/service/provider.ts';
import { createAccount } from './fixtures.ts';

/** Stands in for the workflow: the kernel fetches its service token with the key its secret derives. */
const workflowModule = defineModule({
  name: 'workflow',
  title: { zh: '业务协同', en: 'Workflow' },
  dependsOn: ['identity'],
  secrets: ['workflow-service-key'],
});

const cryptoKey = (jwk: JWK) =>
  importJWK(jwk, 'ES256') as Promise<Extract<Parameters<typeof client.PrivateKeyJwt>[0], { key: unknown }>['key']>;

describe("the workflow's service client", () => {
  let p: TestPlatform;
  let secret: string;

  before(async () => {
    p = await startTestPlatform([identity, workflowModule], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    // What the workflow's deployment is given too (TONGBAN_SECRET_WORKFLOW_SERVICE_KEY; generated here).
    secret = p.contexts.get('identity')!.secret('workflow-service-key');
  });
  after(() => p.dispose());

  test('an assertion signed with the derived key gets a service token with its roles (accounts, prefill)', async () => {
    const { issuer } = (await p.app.inject({ url: '/api/identity/keys' })).json() as { issuer: string };
    const key = serviceKeyFromSecret(secret);
    const workflow = await client.discovery(
      new URL(issuer),
      serviceClientId('workflow'),
      { token_endpoint_auth_signing_alg: 'ES256' },
      client.PrivateKeyJwt({ key: await cryptoKey(key.privateJwk), kid: key.kid }),
      { execute: [client.allowInsecureRequests] },
    );
    const tokens = await client.clientCredentialsGrant(workflow, { resource: API_AUDIENCE });
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()) as {
      tongban: { kind: string; roles: string[] };
    };
    assert.deepEqual(claims.tongban, {
      kind: 'service',
      roles: [ACCOUNTS_READ_ROLE, ServiceRoles.datahubPrefill, ServiceRoles.licensesHolderCheck],
      departments: [],
      regions: [],
    });
    const account = await createAccount(p, 'citizen');
    const r = await p.app.inject({
      url: `/api/identity/accounts/${account.id}/summary`,
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(r.statusCode, 200, 'the guard lets the service in with its role');
  });

  test("the kernel's ctx.serviceToken() for the workflow reads an account summary", async () => {
    const account = await createAccount(p, 'citizen');
    const summary = await p.contexts
      .get('workflow')!
      .modules.request<{ id: string }>('identity', { path: `/accounts/${account.id}/summary`, auth: 'service' });
    assert.equal(summary.id, account.id);
  });

  test('another key for the same client is refused', async () => {
    const { issuer } = (await p.app.inject({ url: '/api/identity/keys' })).json() as { issuer: string };
    const other = serviceKeyFromSecret('some-other-secret-of-enough-length');
    const impostor = await client.discovery(
      new URL(issuer),
      serviceClientId('workflow'),
      { token_endpoint_auth_signing_alg: 'ES256' },
      client.PrivateKeyJwt({ key: await cryptoKey(other.privateJwk), kid: other.kid }),
      { execute: [client.allowInsecureRequests] },
    );
    await assert.rejects(
      client.clientCredentialsGrant(impostor, { resource: API_AUDIENCE }),
      (e: { error?: string }) => e.error === 'invalid_client',
    );
  });
});
