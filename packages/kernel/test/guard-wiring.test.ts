// How the platform wires the guard: identity's keys through the module client when a module
// named identity is reachable, the operator token beside them, denials logged with the request id.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import {
  defineModule,
  Policies,
  PRINCIPAL_KINDS,
  reachesResource,
  regionCovers,
  type Principal,
} from '../src/index.ts';
import { databaseLabel, operatorHeaders, startTestPlatform, type TestPlatform } from '../src/testing.ts';
import { accessToken, ISSUER, signingKey, type SigningKey } from './fixtures/tokens.ts';

/** Just enough of identity: the public document of its issuer and keys, and a guarded route. */
function fakeIdentity(key: SigningKey, counter: { fetches: number }) {
  return defineModule({
    name: 'identity',
    title: { zh: '身份', en: 'Identity' },
    routes(app) {
      app.get('/keys', { config: { policy: Policies.public } }, async () => {
        counter.fetches++;
        return { issuer: ISSUER, keys: [key.publicJwk] };
      });
      app.get('/whoami', { config: { policy: { kinds: PRINCIPAL_KINDS } } }, async (req) => ({
        id: req.principal?.id,
      }));
    },
  });
}

describe(`guard wiring (${databaseLabel})`, () => {
  let p: TestPlatform;
  let key: SigningKey;
  const counter = { fetches: 0 };
  const logLines: Record<string, unknown>[] = [];

  before(async () => {
    key = await signingKey('k1');
    const log = pino(
      { level: 'warn' },
      {
        write: (line: string) => {
          logLines.push(JSON.parse(line) as Record<string, unknown>);
        },
      },
    );
    p = await startTestPlatform([fakeIdentity(key, counter)], { log });
  });
  after(() => p.dispose());

  test('with identity reachable, its tokens are verified against GET /api/identity/keys', async () => {
    const res = await p.app.inject({
      url: '/api/identity/whoami',
      headers: { authorization: `Bearer ${await accessToken({ key, sub: 'c-9' })}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { id: 'c-9' });
    await p.app.inject({
      url: '/api/identity/whoami',
      headers: { authorization: `Bearer ${await accessToken({ key })}` },
    });
    assert.equal(counter.fetches, 1, 'the keys are fetched once');
  });

  test('the operator token still works beside them', async () => {
    const res = await p.app.inject({ url: '/api/identity/whoami', headers: operatorHeaders() });
    assert.deepEqual(res.json(), { id: 'operator-token' });
  });

  test('a denial is logged as a warning with the request id', async () => {
    const forged = await accessToken({ key: { ...(await signingKey('k1')), kid: 'k1' } });
    const res = await p.app.inject({
      url: '/api/identity/whoami',
      headers: { authorization: `Bearer ${forged}`, 'x-request-id': 'deny-1' },
    });
    assert.equal(res.statusCode, 401);
    const line = logLines.find((l) => l.msg === 'access denied' && l.reqId === 'deny-1');
    assert.ok(line, JSON.stringify(logLines));
    assert.equal(line.code, 'TOKEN_INVALID');
    assert.equal(line.level, 40);
  });

  test('a failing onDenied hook does not change the answer', async () => {
    let called = 0;
    const failing = await startTestPlatform([fakeIdentity(key, counter)], {
      onDenied: () => {
        called++;
        throw new Error('sentinel down');
      },
    });
    try {
      assert.equal((await failing.app.inject({ url: '/api/identity/whoami' })).statusCode, 401);
      assert.equal(called, 1);
    } finally {
      await failing.dispose();
    }
  });
});

describe('resource rules', () => {
  const person = (kind: Principal['kind'], extra: Partial<Principal> = {}): Principal => ({
    kind,
    id: 'x-1',
    roles: [],
    departments: [],
    regions: [],
    assurance: 'password',
    ...extra,
  });

  test('GB/T 2260 jurisdictions nest by prefix', () => {
    const cases: [string, string, boolean][] = [
      ['330100', '330100', true],
      ['330100', '330102', true],
      ['330000', '330102', true],
      ['330000', '330100', true],
      ['330102', '330102001', true],
      ['330102001', '330102001002', true],
      ['330100', '330200', false],
      ['330102', '330106', false],
      ['330102', '330100', false],
      ['330100', '3301', false],
      ['', '330100', false],
    ];
    for (const [jurisdiction, region, covered] of cases)
      assert.equal(regionCovers(jurisdiction, region), covered, `${jurisdiction} ⊇ ${region}`);
  });

  test("a resource that names neither department nor region is out of an officer's reach", () => {
    assert.equal(
      reachesResource(person('officer', { departments: ['A'], regions: ['330100'] }), { ownerId: 'c-1' }),
      false,
    );
  });

  test("a resource without an owner is out of a citizen's reach", () => {
    assert.equal(reachesResource(person('citizen'), { departmentCode: 'A' }), false);
    assert.equal(reachesResource(person('business', { id: 'b-1' }), { ownerId: 'b-1' }), true);
  });

  test('operators, security operators and systems are limited by kinds and roles only', () => {
    for (const kind of ['operator', 'security', 'service'] as const)
      assert.equal(reachesResource(person(kind), {}), true);
  });
});
