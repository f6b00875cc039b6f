// DPoP (RFC 9449): a token bound to a key is refused without a fresh proof of that key for the
// very request it comes with.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  API_AUDIENCE,
  createJwtAuthenticator,
  defineModule,
  PRINCIPAL_KINDS,
  type Authenticator,
} from '../src/index.ts';
import { databaseLabel, startTestPlatform, type TestPlatform } from '../src/testing.ts';
import {
  accessToken,
  dpopKey,
  dpopProof,
  ISSUER,
  keyEndpoint,
  signingKey,
  type DpopKey,
  type SigningKey,
} from './fixtures/tokens.ts';

const bound = defineModule({
  name: 'bound',
  title: { zh: '绑定', en: 'Bound' },
  routes(app) {
    app.get('/me', { config: { policy: { kinds: PRINCIPAL_KINDS } } }, async (req) => ({ id: req.principal?.id }));
  },
});

const HTU = 'http://localhost/api/bound/me';

describe(`DPoP-bound tokens (${databaseLabel})`, () => {
  let p: TestPlatform;
  let key: SigningKey;
  let holder: DpopKey;
  let token: string;
  let current: Authenticator;

  before(async () => {
    key = await signingKey('k1');
    holder = await dpopKey();
    token = await accessToken({ key, claims: { cnf: { jkt: holder.jkt } } });
    current = createJwtAuthenticator({ issuer: ISSUER, audience: API_AUDIENCE, keys: keyEndpoint(key).keys });
    p = await startTestPlatform([bound], { authenticate: (request) => current(request) });
  });
  after(() => p.dispose());

  const call = (headers: Record<string, string>, url = '/api/bound/me') => p.app.inject({ url, headers });
  const withProof = async (proof: string | Promise<string>, scheme = 'DPoP', t = token) =>
    call({ authorization: `${scheme} ${t}`, dpop: await proof });

  function assertRefused(res: Awaited<ReturnType<typeof call>>, code: string) {
    assert.equal(res.statusCode, 401, res.body);
    assert.equal(res.json().code, code);
    if (code === 'DPOP_PROOF_INVALID')
      assert.match(String(res.headers['www-authenticate']), /^DPoP error="invalid_dpop_proof", algs="ES256/);
  }

  test('a fresh proof for this request passes', async () => {
    const res = await withProof(dpopProof(holder, 'GET', HTU, token));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { id: 'c-1' });
  });

  test('the query string is not part of htu', async () => {
    const res = await call(
      { authorization: `DPoP ${token}`, dpop: await dpopProof(holder, 'GET', HTU, token) },
      '/api/bound/me?page=2',
    );
    assert.equal(res.statusCode, 200, res.body);
  });

  test('a proof is good once', async () => {
    const proof = await dpopProof(holder, 'GET', HTU, token);
    assert.equal((await withProof(proof)).statusCode, 200);
    assertRefused(await withProof(proof), 'DPOP_PROOF_INVALID');
  });

  test('a bound token sent as a bearer token is refused, even with a proof', async () => {
    assertRefused(await withProof(dpopProof(holder, 'GET', HTU, token), 'Bearer'), 'TOKEN_INVALID');
  });

  test('a bound token without a proof is refused', async () => {
    assertRefused(await call({ authorization: `DPoP ${token}` }), 'DPOP_PROOF_INVALID');
  });

  test('an unbound token sent with the DPoP scheme is refused', async () => {
    const plain = await accessToken({ key });
    assertRefused(await withProof(dpopProof(holder, 'GET', HTU, plain), 'DPoP', plain), 'TOKEN_INVALID');
  });

  const broken: [string, () => Promise<string>][] = [
    ['another method', () => dpopProof(holder, 'POST', HTU, token)],
    ['another URL', () => dpopProof(holder, 'GET', 'http://localhost/api/bound/other', token)],
    ['another host', () => dpopProof(holder, 'GET', 'https://evil.test/api/bound/me', token)],
    ['another access token', async () => dpopProof(holder, 'GET', HTU, await accessToken({ key }))],
    [
      'an iat six minutes ago',
      () => dpopProof(holder, 'GET', HTU, token, { iat: Math.floor(Date.now() / 1000) - 360 }),
    ],
    [
      'an iat six minutes ahead',
      () => dpopProof(holder, 'GET', HTU, token, { iat: Math.floor(Date.now() / 1000) + 360 }),
    ],
    ['no jti', () => dpopProof(holder, 'GET', HTU, token, { jti: undefined })],
    ['a key other than the bound one', async () => dpopProof(await dpopKey(), 'GET', HTU, token)],
    ['a garbage header', async () => 'not.a.proof'],
    [
      'two proofs in one header',
      async () => `${await dpopProof(holder, 'GET', HTU, token)}, ${await dpopProof(holder, 'GET', HTU, token)}`,
    ],
  ];
  for (const [name, make] of broken) {
    test(`a proof for ${name} is 401 DPOP_PROOF_INVALID`, async () => {
      assertRefused(await withProof(make()), 'DPOP_PROOF_INVALID');
    });
  }

  test('behind a proxy, htu is checked against the configured public URL', async () => {
    const saved = current;
    current = createJwtAuthenticator({
      issuer: ISSUER,
      audience: API_AUDIENCE,
      keys: keyEndpoint(key).keys,
      dpop: { publicUrl: 'https://gov.tongban.test' },
    });
    try {
      assert.equal(
        (await withProof(dpopProof(holder, 'GET', 'https://gov.tongban.test/api/bound/me', token))).statusCode,
        200,
      );
      assertRefused(await withProof(dpopProof(holder, 'GET', HTU, token)), 'DPOP_PROOF_INVALID');
    } finally {
      current = saved;
    }
  });
});
