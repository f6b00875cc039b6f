// Small factories for identity tests: accounts with known credentials, relying parties.
import { randomUUID } from 'node:crypto';
import { operatorHeaders, type TestPlatform } from '@tongban/kernel/testing';
import { exportJWK, generateKeyPair } from 'jose';
import * as oidcClient from 'openid-client';
import { generate } from 'otplib';
import { residentIdCheckChar } from '@tongban/kernel';
import { hashPassword } from '../src/domain/passwords.ts';
import { newTotpSecret } from '../src/domain/totp.ts';
import { insertAccount, type AccountKind } from '../src/store/accounts.ts';

export const PASSWORD = 'correct horse battery staple';

export interface TestAccount {
  id: string;
  login: string;
  password: string;
  totpSecret?: string;
  mobile?: string;
}

let serial = 100;

export async function createAccount(
  p: TestPlatform,
  kind: AccountKind,
  options: { mfa?: boolean; departments?: string[]; roles?: string[]; regions?: string[]; mobile?: string } = {},
): Promise<TestAccount> {
  const id = randomUUID();
  const login =
    kind === 'citizen'
      ? (() => {
          const first17 = `3301061990010${String(serial++).padStart(4, '0')}`;
          return first17 + residentIdCheckChar(first17);
        })()
      : `${kind}.${serial++}`;
  const totpSecret = options.mfa ? newTotpSecret() : undefined;
  await insertAccount(
    p.database.db,
    {
      id,
      kind,
      login,
      displayName: `${kind} ${serial}`,
      passwordHash: await hashPassword(PASSWORD),
      ...(totpSecret ? { totpSecret } : {}),
      ...(options.mobile ? { mobile: options.mobile } : {}),
      roles: options.roles ?? (kind === 'citizen' ? [] : [kind]),
      departments: options.departments ?? [],
      regions: options.regions ?? [],
    },
    p.contexts.get('identity')!.fields,
  );
  return {
    id,
    login,
    password: PASSWORD,
    ...(totpSecret ? { totpSecret } : {}),
    ...(options.mobile ? { mobile: options.mobile } : {}),
  };
}

/** The code an authenticator app shows at `at` (default: now). */
export async function totpNow(secret: string, at: Date = new Date()): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

export async function registerBrowserClient(p: TestPlatform, clientId: string, redirectUri: string): Promise<void> {
  const r = await p.app.inject({
    method: 'PUT',
    url: `/api/identity/clients/${clientId}`,
    headers: operatorHeaders(),
    payload: {
      name: 'test relying party',
      redirectUris: [redirectUri],
      postLogoutRedirectUris: [redirectUri],
      roles: [],
    },
  });
  if (r.statusCode !== 200) throw new Error(`client registration failed: ${r.body}`);
}

export async function registerServiceClient(
  p: TestPlatform,
  clientId: string,
  publicJwk: object,
  roles: string[],
): Promise<void> {
  const r = await p.app.inject({
    method: 'PUT',
    url: `/api/identity/clients/${clientId}`,
    headers: operatorHeaders(),
    payload: { name: 'department system', jwks: { keys: [publicJwk] }, roles },
  });
  if (r.statusCode !== 200) throw new Error(`client registration failed: ${r.body}`);
}

/** A department system's access token (client credentials, private_key_jwt) with these roles. */
export async function serviceToken(p: TestPlatform, clientId: string, roles: string[]): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  await registerServiceClient(
    p,
    clientId,
    { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' },
    roles,
  );
  const { issuer } = (await p.app.inject({ url: '/api/identity/keys' })).json() as { issuer: string };
  const system = await oidcClient.discovery(
    new URL(issuer),
    clientId,
    { token_endpoint_auth_signing_alg: 'ES256' },
    oidcClient.PrivateKeyJwt({ key: privateKey, kid: 'k1' }),
    { execute: [oidcClient.allowInsecureRequests] },
  );
  return (await oidcClient.clientCredentialsGrant(system, { scope: 'api', resource: 'urn:tongban:api' })).access_token;
}
