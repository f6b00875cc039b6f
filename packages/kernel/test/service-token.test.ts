// Service tokens: a module calls another with its own authority, as the OAuth client
// tongban-<module> authenticated by private_key_jwt under a key derived from its secret.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { calculateJwkThumbprint, compactVerify, createLocalJWKSet, importJWK, jwtVerify, SignJWT } from 'jose';
import {
  API_AUDIENCE,
  createServiceTokenSource,
  defineModule,
  DomainError,
  Policies,
  PRINCIPAL_KINDS,
  SERVICE_TOKEN_MARGIN_MS,
  serviceClientId,
  serviceKeyFromSecret,
  type ModuleContext,
} from '../src/index.ts';
import { databaseLabel, startTestPlatform, type TestPlatform } from '../src/testing.ts';
import { accessToken, ISSUER, signingKey, type SigningKey } from './fixtures/tokens.ts';

describe('serviceKeyFromSecret', () => {
  test('the same secret gives the same key pair; another secret another one', () => {
    const a = serviceKeyFromSecret('correct horse battery staple 1');
    const b = serviceKeyFromSecret('correct horse battery staple 1');
    const c = serviceKeyFromSecret('correct horse battery staple 2');
    assert.deepEqual(a.publicJwk, b.publicJwk);
    assert.deepEqual(a.privateJwk, b.privateJwk);
    assert.notEqual(a.publicJwk.x, c.publicJwk.x);
    assert.equal(a.publicJwk.d, undefined, 'the public JWK carries no private part');
    assert.deepEqual(
      { kty: a.publicJwk.kty, crv: a.publicJwk.crv, alg: a.publicJwk.alg },
      { kty: 'EC', crv: 'P-256', alg: 'ES256' },
    );
  });

  test('the kid is the RFC 7638 thumbprint of the public key', async () => {
    const key = serviceKeyFromSecret('a secret of some length');
    assert.equal(key.kid, await calculateJwkThumbprint(key.publicJwk, 'sha256'));
    assert.equal(key.publicJwk.kid, key.kid);
  });

  test('a JWS signed with the private key verifies with the public JWK (and not with another)', async () => {
    const key = serviceKeyFromSecret('a secret of some length');
    const jws = await new SignJWT({ hello: 'world' })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .sign(key.privateKey);
    const { payload } = await jwtVerify(jws, await importJWK(key.publicJwk, 'ES256'));
    assert.equal(payload.hello, 'world');
    const other = serviceKeyFromSecret('another secret of some length');
    await assert.rejects(compactVerify(jws, await importJWK(other.publicJwk, 'ES256')));
  });

  test('a secret too short to be one is refused', () => {
    assert.throws(() => serviceKeyFromSecret('short'));
  });

  test('client ids are tongban-<module>', () => {
    assert.equal(serviceClientId('workflow'), 'tongban-workflow');
  });
});

/** Just enough of identity: keys, a token endpoint doing client credentials, a guarded route. */
function fakeIdentity(state: {
  key?: SigningKey;
  fetches: number;
  refuse: boolean;
  expiresIn: number;
  assertions: Record<string, unknown>[];
}) {
  return defineModule({
    name: 'identity',
    title: { zh: '身份', en: 'Identity' },
    secrets: ['caller-service-key'],
    routes(app) {
      app.get('/keys', { config: { policy: Policies.public } }, async () => ({
        issuer: ISSUER,
        keys: [state.key!.publicJwk],
      }));
      app.get('/whoami', { config: { policy: { kinds: PRINCIPAL_KINDS } } }, async (req) => ({
        id: req.principal?.id,
        kind: req.principal?.kind,
        clientId: req.principal?.clientId,
      }));
    },
    rootRoutes(app, ctx) {
      const clientKey = () => serviceKeyFromSecret(ctx.secret('caller-service-key'));
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      });
      app.post('/oidc/token', { config: { policy: Policies.public } }, async (req, reply) => {
        state.fetches++;
        const form = req.body as Record<string, string>;
        if (state.refuse) return reply.code(400).send({ error: 'invalid_client' });
        const { payload } = await jwtVerify(
          form.client_assertion!,
          createLocalJWKSet({ keys: [clientKey().publicJwk] }),
          {
            issuer: 'tongban-caller',
            subject: 'tongban-caller',
            audience: ISSUER,
            algorithms: ['ES256'],
            maxTokenAge: 60,
          },
        );
        state.assertions.push({ ...payload, form });
        const token = await accessToken({
          key: state.key!,
          sub: 'tongban-caller',
          acr: undefined,
          tongban: { kind: 'service', roles: ['identity.lookup'], departments: [], regions: [] },
          claims: { client_id: 'tongban-caller', sid: undefined },
        });
        return { access_token: token, token_type: 'Bearer', expires_in: state.expiresIn };
      });
    },
  });
}

const caller = defineModule({ name: 'caller', title: { zh: '调用方', en: 'Caller' }, secrets: ['caller-service-key'] });

describe(`ctx.serviceToken (${databaseLabel})`, () => {
  let p: TestPlatform;
  let ctx: ModuleContext;
  const state = {
    fetches: 0,
    refuse: false,
    expiresIn: 600,
    assertions: [] as Record<string, unknown>[],
  } as Parameters<typeof fakeIdentity>[0];

  before(async () => {
    state.key = await signingKey('k1');
    p = await startTestPlatform([fakeIdentity(state), caller]);
    ctx = p.contexts.get('caller')!;
  });
  after(() => p.dispose());

  test('a module obtains a token by client credentials with private_key_jwt, for the API audience', async () => {
    const token = await ctx.serviceToken();
    assert.equal(typeof token, 'string');
    const sent = state.assertions.at(-1)!;
    const form = sent.form as Record<string, string>;
    assert.equal(form.grant_type, 'client_credentials');
    assert.equal(form.resource, API_AUDIENCE);
    assert.equal(form.client_assertion_type, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    assert.ok(typeof sent.jti === 'string' && sent.jti.length > 0);
    assert.ok((sent.exp as number) - (sent.iat as number) <= 60, 'the assertion lives at most 60 s');
  });

  test('modules.request with auth: service calls another module as tongban-<module>', async () => {
    const who = await ctx.modules.request<{ id: string; kind: string; clientId: string }>('identity', {
      path: '/whoami',
      auth: 'service',
    });
    assert.deepEqual(who, { id: 'tongban-caller', kind: 'service', clientId: 'tongban-caller' });
  });

  test('without auth: service no credential is sent (nothing trusted for coming from inside)', async () => {
    await assert.rejects(
      ctx.modules.request('identity', { path: '/whoami' }),
      (error: Error & { problem?: { code: string } }) => error.problem?.code === 'UNAUTHENTICATED',
    );
  });

  test('the token is cached, and concurrent callers share one fetch', async () => {
    const before = state.fetches;
    const tokens = await Promise.all([ctx.serviceToken(), ctx.serviceToken(), ctx.serviceToken()]);
    assert.equal(new Set(tokens).size, 1);
    assert.equal(state.fetches, before, 'a cached token is used');
  });

  test('identity refusing is 502 UPSTREAM_UNAVAILABLE naming identity', async () => {
    state.refuse = true;
    try {
      // A fresh source (the platform's has a cached token) over the same in-process endpoint.
      const source = createServiceTokenSource({
        clientId: 'tongban-caller',
        issuer: async () => ISSUER,
        key: () => serviceKeyFromSecret(ctx.secret('caller-service-key')),
        tokenEndpoint: async (form) => {
          const res = await p.app.inject({
            method: 'POST',
            url: '/oidc/token',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: form,
          });
          return { status: res.statusCode, body: res.body };
        },
      });
      await assert.rejects(
        source(),
        (error: unknown) =>
          error instanceof DomainError &&
          error.code === 'UPSTREAM_UNAVAILABLE' &&
          error.params.module === 'identity' &&
          error.status === 502,
      );
    } finally {
      state.refuse = false;
    }
  });
});

describe('service token cache', () => {
  const key = serviceKeyFromSecret('a secret for the cache tests');
  function source(expiresIn: number, clock: { now: number }) {
    let fetches = 0;
    const s = createServiceTokenSource({
      clientId: 'tongban-caller',
      issuer: async () => ISSUER,
      key: () => key,
      now: () => clock.now,
      tokenEndpoint: async () => {
        fetches++;
        return {
          status: 200,
          body: JSON.stringify({ access_token: `token-${fetches}`, token_type: 'Bearer', expires_in: expiresIn }),
        };
      },
    });
    return { s, fetches: () => fetches };
  }

  test(`a token is renewed ${SERVICE_TOKEN_MARGIN_MS / 1000} s before it expires, not earlier`, async () => {
    const clock = { now: Date.now() };
    const { s, fetches } = source(600, clock);
    assert.equal(await s(), 'token-1');
    clock.now += 600_000 - SERVICE_TOKEN_MARGIN_MS - 1;
    assert.equal(await s(), 'token-1');
    clock.now += 1;
    assert.equal(await s(), 'token-2');
    assert.equal(fetches(), 2);
  });

  test('concurrent callers share one fetch', async () => {
    const { s, fetches } = source(600, { now: Date.now() });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => s()));
    assert.deepEqual(new Set(tokens), new Set(['token-1']));
    assert.equal(fetches(), 1);
  });

  test('an unreachable token endpoint is 502 naming identity, and the next call tries again', async () => {
    let calls = 0;
    const s = createServiceTokenSource({
      clientId: 'tongban-caller',
      issuer: async () => ISSUER,
      key: () => key,
      tokenEndpoint: async () => {
        calls++;
        if (calls === 1) throw new Error('ECONNREFUSED');
        return { status: 200, body: JSON.stringify({ access_token: 't', token_type: 'Bearer', expires_in: 600 }) };
      },
    });
    await assert.rejects(
      s(),
      (error: unknown) => error instanceof DomainError && error.code === 'UPSTREAM_UNAVAILABLE',
    );
    assert.equal(await s(), 't');
  });
});
