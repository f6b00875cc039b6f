// Zero trust at every request: identity's tokens verified locally, policies as typed values,
// ownership and jurisdiction, step-up, sentinel's risk signals, and a report of every denial.
import type { Role } from '@tongban/contracts';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import {
  ACR,
  anyOf,
  API_AUDIENCE,
  createJwtAuthenticator,
  defineModule,
  DomainError,
  operatorTokenAuthenticator,
  Policies,
  PRINCIPAL_KINDS,
  type Authenticator,
  type Denial,
  type Policy,
  type ResourceScope,
} from '../src/index.ts';
import {
  databaseLabel,
  operatorHeaders,
  startTestPlatform,
  TEST_OPERATOR_TOKEN,
  type TestPlatform,
} from '../src/testing.ts';
import {
  accessToken,
  citizen,
  ISSUER,
  keyEndpoint,
  officer,
  signingKey,
  unsignedToken,
  type SigningKey,
} from './fixtures/tokens.ts';

const CASES: Record<string, ResourceScope> = {
  'case-a': { ownerId: 'c-1', departmentCode: '330100-GA', regionCode: '330102' },
  'case-b': { ownerId: 'c-2', departmentCode: '330100-SW', regionCode: '330102' },
  'case-ningbo': { ownerId: 'c-1', departmentCode: '330100-GA', regionCode: '330200' },
  'case-firm': { ownerId: 'b-7', departmentCode: '330100-SCJG' },
};
let resourceLookups = 0;

const guarded = defineModule({
  name: 'guarded',
  title: { zh: '受保护', en: 'Guarded' },
  routes(app) {
    const me = async (req: { principal?: unknown }) => ({ principal: req.principal });
    app.get('/me', { config: { policy: { kinds: PRINCIPAL_KINDS } } }, me);
    app.get('/open', { config: { policy: Policies.public } }, async () => ({ open: true }));
    app.get('/ledger', { config: { policy: Policies.operator } }, me);
    app.get('/queue', { config: { policy: { kinds: ['officer'] } } }, me);
    app.get('/reviews', { config: { policy: { kinds: ['officer'], roles: ['reviewer', 'chief'] } } }, me);
    app.get(
      '/records',
      { config: { policy: { kinds: ['service', 'operator'], roles: { service: ['records.write' as Role] } } } },
      me,
    );
    app.get('/payments', { config: { policy: { kinds: ['citizen', 'service'], assurance: 'mfa' } } }, me);
    app.get('/exports', { config: { policy: { kinds: ['officer', 'service'], assurance: { officer: 'mfa' } } } }, me);
    app.get(
      '/cases/:id',
      {
        config: {
          policy: {
            kinds: ['citizen', 'business', 'officer', 'operator'],
            resource: (req) => {
              resourceLookups++;
              const found = CASES[(req.params as { id: string }).id];
              if (!found) throw new DomainError('NOT_FOUND');
              return found;
            },
          },
        },
      },
      me,
    );
  },
});

// Policies are typed values: a misspelt field or kind does not compile.
// @ts-expect-error `asurance` is not a policy field
const _typo: Policy = { kinds: ['citizen'], asurance: 'mfa' };
// @ts-expect-error `citizn` is not a principal kind
const _kind: Policy = { kinds: ['citizn'] };
// @ts-expect-error a policy is public or names kinds, never both
const _both: Policy = { public: true, kinds: ['operator'] };

describe(`guard (${databaseLabel})`, () => {
  let p: TestPlatform;
  let key: SigningKey;
  let identity: ReturnType<typeof keyEndpoint>;
  let clock = 0;
  let current: Authenticator;
  const denials: Denial[] = [];
  const blocked = new Set<string>();
  const flagged = new Set<string>();

  const jwtAuthenticator = () =>
    createJwtAuthenticator({
      issuer: ISSUER,
      audience: API_AUDIENCE,
      keys: identity.keys,
      now: () => Date.now() + clock,
    });

  before(async () => {
    key = await signingKey('k1');
    p = await startTestPlatform([guarded], {
      authenticate: (request) => current(request),
      onDenied: (denial) => {
        denials.push(denial);
      },
      risk: { isBlockedAddress: (ip) => blocked.has(ip), isFlaggedSession: async (sid) => flagged.has(sid) },
    });
  });
  after(() => p.dispose());
  beforeEach(() => {
    identity = keyEndpoint(key);
    clock = 0;
    current = anyOf(jwtAuthenticator(), operatorTokenAuthenticator(TEST_OPERATOR_TOKEN));
    blocked.clear();
    flagged.clear();
  });

  const get = (url: string, token?: string, extra: Record<string, string> = {}) =>
    p.app.inject({
      url: `/api/guarded${url}`,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra },
    });

  /** Asserts a refusal and that exactly one denial was reported for it, with the request's id. */
  async function assertDenied(
    request: Promise<LightMyRequestResponse>,
    status: number,
    code: string,
    reason?: Denial['reason'],
  ) {
    const before = denials.length;
    const res = await request;
    assert.equal(res.statusCode, status, res.body);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.equal(res.json().code, code);
    assert.equal(denials.length, before + 1, 'onDenied is called once per denial');
    const denial = denials.at(-1)!;
    assert.equal(denial.code, code);
    if (reason) assert.equal(denial.reason, reason);
    assert.equal(denial.request.id, res.headers['x-request-id']);
    assert.equal(denial.request.method, 'GET');
    assert.doesNotMatch(denial.request.url, /\?/, 'no query string in security events');
    return { res, denial };
  }

  describe('tokens', () => {
    test('a valid token passes and becomes the principal', async () => {
      const token = await accessToken({ key, acr: ACR.mfa, lifetime: 300 });
      const res = await get('/me', token);
      assert.equal(res.statusCode, 200);
      const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
      assert.deepEqual(res.json().principal, {
        kind: 'citizen',
        id: 'c-1',
        roles: [],
        departments: [],
        regions: [],
        assurance: 'mfa',
        sessionId: 'session-1',
        clientId: 'portal',
        expiresAt: exp * 1000,
      });
    });

    test('a principal expires when its token does, or when the token grows too old, whichever is first', async () => {
      const long = await accessToken({ key, lifetime: 3600, issuedAgo: 100 });
      const iat = JSON.parse(Buffer.from(long.split('.')[1]!, 'base64url').toString()).iat as number;
      assert.equal(
        (await get('/me', long)).json().principal.expiresAt,
        (iat + 600) * 1000,
        'the 600 s age limit comes before an exp an hour away',
      );
    });

    test('no credential is 401 UNAUTHENTICATED with a Bearer challenge', async () => {
      const { res } = await assertDenied(get('/me?secret=x'), 401, 'UNAUTHENTICATED', 'unauthenticated');
      assert.equal(res.headers['www-authenticate'], 'Bearer');
    });

    test('an expired token is 401 TOKEN_EXPIRED with invalid_token', async () => {
      const { res } = await assertDenied(
        get('/me', await accessToken({ key, issuedAgo: 700, lifetime: 600 })),
        401,
        'TOKEN_EXPIRED',
        'token',
      );
      assert.match(String(res.headers['www-authenticate']), /^Bearer error="invalid_token"/);
    });

    test('a token older than ten minutes is refused even if its exp is later', async () => {
      await assertDenied(get('/me', await accessToken({ key, issuedAgo: 660, lifetime: 3600 })), 401, 'TOKEN_EXPIRED');
    });

    const invalid: [string, () => Promise<string>][] = [
      ['another issuer', () => accessToken({ key, claims: { iss: 'https://evil.test' } })],
      [
        'a key with the same kid that identity never published',
        async () => accessToken({ key: { ...(await signingKey('k1')), kid: 'k1' } }),
      ],
      ['alg none', async () => unsignedToken('k1')],
      [
        'HS256 keyed with the public key',
        async () =>
          new SignJWT({ iss: ISSUER, aud: API_AUDIENCE, sub: 'c-1', tongban: citizen() })
            .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
            .setIssuedAt()
            .setExpirationTime('5m')
            .setJti('j')
            .sign(new TextEncoder().encode(JSON.stringify(key.publicJwk))),
      ],
      ['no tongban claim', () => accessToken({ key, claims: { tongban: undefined } })],
      [
        'an unknown principal kind',
        () => accessToken({ key, tongban: { kind: 'martian', roles: [], departments: [], regions: [] } }),
      ],
      ['actingFor on an officer', () => accessToken({ key, tongban: { ...officer(['A'], []), actingFor: 'b-7' } })],
      ['no client_id', () => accessToken({ key, claims: { client_id: undefined } })],
      [
        'a tampered payload',
        async () => {
          const [h, , s] = (await accessToken({ key })).split('.');
          return `${h}.${Buffer.from(JSON.stringify({ sub: 'c-2' })).toString('base64url')}.${s}`;
        },
      ],
    ];
    for (const [name, make] of invalid) {
      test(`${name}: 401 TOKEN_INVALID with invalid_token`, async () => {
        const { res } = await assertDenied(get('/me', await make()), 401, 'TOKEN_INVALID', 'token');
        assert.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"');
      });
    }

    // Real tokens from identity, for something else: the client needs to be told how to get the right one.
    const notForApi: [string, () => Promise<string>][] = [
      ['another audience', () => accessToken({ key, claims: { aud: 'urn:tongban:other' } })],
      ['a userinfo-only token (audience: the client)', () => accessToken({ key, claims: { aud: 'portal' } })],
      ['no audience at all', () => accessToken({ key, claims: { aud: undefined } })],
      [
        'an ID token (typ JWT, not at+jwt)',
        () => accessToken({ key, header: { typ: 'JWT' }, claims: { aud: 'portal' } }),
      ],
      ['an opaque access token', async () => 'Xk1vQ9mZr2Lh7TcWb3Nf8Yp0Ds5Ga4Ej6Ku_Io-RqPw'],
    ];
    for (const [name, make] of notForApi) {
      test(`${name}: 401 TOKEN_NOT_FOR_API saying how to get an API token`, async () => {
        const { res } = await assertDenied(
          get('/me', await make(), { 'accept-language': 'en' }),
          401,
          'TOKEN_NOT_FOR_API',
          'token',
        );
        assert.equal(
          res.headers['www-authenticate'],
          'Bearer error="invalid_token", error_description="Not an access token for this API: request one with resource=urn:tongban:api (RFC 8707)"',
        );
        assert.match((res.json() as { title: string }).title, /resource=urn:tongban:api/);
      });
    }

    test('a token from a forger with another audience is TOKEN_INVALID: the signature is checked first', async () => {
      await assertDenied(
        get('/me', await accessToken({ key: await signingKey('k1'), claims: { aud: 'portal' } })),
        401,
        'TOKEN_INVALID',
      );
    });

    test('malformed Authorization headers are 401 TOKEN_INVALID', async () => {
      for (const authorization of [
        'Bearer',
        'Bearer ',
        'Bearer a.b',
        'Bearer a b c',
        'Bearer not-a-jwt',
        'bearer x.y.z',
        'DPoP',
      ]) {
        await assertDenied(p.app.inject({ url: '/api/guarded/me', headers: { authorization } }), 401, 'TOKEN_INVALID');
      }
    });

    test('a foreign-signed token does not make the guard refetch the keys', async () => {
      await get('/me', await accessToken({ key }));
      await get('/me', await accessToken({ key: { ...(await signingKey('k1')), kid: 'k1' } }));
      assert.equal(identity.fetches, 1);
    });
  });

  describe('verified tokens are kept', () => {
    /** An authenticator whose issuer is read once per full verification: a cache hit reads none. */
    const counting = (cachedTokens?: number) => {
      const counter = { verifications: 0 };
      const jwt = createJwtAuthenticator({
        issuer: () => {
          counter.verifications++;
          return ISSUER;
        },
        audience: API_AUDIENCE,
        keys: identity.keys,
        now: () => Date.now() + clock,
        ...(cachedTokens !== undefined ? { cachedTokens } : {}),
      });
      current = jwt;
      return Object.assign(counter, { jwt });
    };

    test('a token presented again is not verified again, and gives the same principal', async () => {
      const c = counting();
      const token = await accessToken({ key, acr: ACR.mfa });
      const first = await get('/me', token);
      const second = await get('/me', token);
      assert.equal(first.statusCode, 200);
      assert.deepEqual(second.json(), first.json());
      assert.equal(c.verifications, 1);
      assert.equal(c.jwt.cachedTokens(), 1);
    });

    test('a kept token still expires: at its exp it is refused', async () => {
      const c = counting();
      const token = await accessToken({ key, lifetime: 60 });
      assert.equal((await get('/me', token)).statusCode, 200);
      clock = 66_000; // past exp and the 5 s tolerance
      await assertDenied(get('/me', token), 401, 'TOKEN_EXPIRED');
      assert.equal(c.verifications, 1, 'the expired entry was not served; jose refused the token');
      assert.equal(c.jwt.cachedTokens(), 0);
    });

    test('a bad token is never kept: each presentation is verified and refused', async () => {
      const c = counting();
      const forged = await accessToken({ key: { ...(await signingKey('k1')), kid: 'k1' } });
      await assertDenied(get('/me', forged), 401, 'TOKEN_INVALID');
      await assertDenied(get('/me', forged), 401, 'TOKEN_INVALID');
      assert.equal(c.jwt.cachedTokens(), 0);
      assert.equal(c.verifications, 0, 'the signature failed before the issuer was read');
    });

    test('the cache is bounded: the least recently used token goes first', async () => {
      const c = counting(3);
      const tokens = await Promise.all([1, 2, 3, 4].map((i) => accessToken({ key, sub: `c-${i}` })));
      for (const t of tokens.slice(0, 3)) assert.equal((await get('/me', t)).statusCode, 200);
      assert.equal((await get('/me', tokens[0]!)).statusCode, 200, 'the first is used again: now the newest');
      assert.equal((await get('/me', tokens[3]!)).statusCode, 200);
      assert.equal(c.jwt.cachedTokens(), 3);
      assert.equal(c.verifications, 4);
      await get('/me', tokens[0]!);
      assert.equal(c.verifications, 4, 'the first was kept');
      await get('/me', tokens[1]!);
      assert.equal(c.verifications, 5, 'the second, least recently used, had been evicted');
    });

    test("an ended session's tokens are refused from then on, kept or new; other sessions pass", async () => {
      const c = counting();
      const kept = await accessToken({ key });
      const other = await accessToken({ key, sub: 'c-2', claims: { sid: 'session-2' } });
      assert.equal((await get('/me', kept)).statusCode, 200);
      assert.equal((await get('/me', other)).statusCode, 200);
      c.jwt.revokeSession('session-1');
      assert.equal(c.jwt.cachedTokens(), 1, "the ended session's token was dropped");
      const { denial } = await assertDenied(get('/me', kept), 401, 'TOKEN_INVALID', 'token');
      assert.equal(denial.detail, 'the session was ended');
      await assertDenied(get('/me', await accessToken({ key })), 401, 'TOKEN_INVALID');
      assert.equal((await get('/me', other)).statusCode, 200);
    });

    test('with the cache off every request is verified', async () => {
      const c = counting(0);
      const token = await accessToken({ key });
      await get('/me', token);
      await get('/me', token);
      assert.equal(c.verifications, 2);
      assert.equal(c.jwt.cachedTokens(), 0);
    });
  });

  describe('key rotation', () => {
    test('a token signed with a new key makes one refetch, then verifies', async () => {
      assert.equal((await get('/me', await accessToken({ key }))).statusCode, 200);
      assert.equal(identity.fetches, 1, 'the key set is fetched once and cached');
      const rotated = await signingKey('k2');
      identity.published.push(rotated);
      clock = 31_000;
      const token = await accessToken({ key: rotated });
      const answers = await Promise.all(Array.from({ length: 20 }, () => get('/me', token)));
      assert.deepEqual(
        answers.map((r) => r.statusCode),
        Array(20).fill(200),
      );
      assert.equal(identity.fetches, 2, 'twenty requests with the new kid cause exactly one refetch');
    });

    test('unknown kids refetch at most once per 30 s', async () => {
      await get('/me', await accessToken({ key }));
      clock = 31_000;
      await assertDenied(get('/me', await accessToken({ key: await signingKey('forged-1') })), 401, 'TOKEN_INVALID');
      assert.equal(identity.fetches, 2, 'the first unknown kid refetches');
      clock = 50_000;
      for (let i = 0; i < 5; i++)
        await assertDenied(
          get('/me', await accessToken({ key: await signingKey(`forged-${i + 2}`) })),
          401,
          'TOKEN_INVALID',
        );
      assert.equal(identity.fetches, 2, 'more unknown kids within 30 s do not');
      clock = 62_000;
      await assertDenied(get('/me', await accessToken({ key: await signingKey('forged-9') })), 401, 'TOKEN_INVALID');
      assert.equal(identity.fetches, 3, 'after 30 s another may');
    });

    test('identity unreachable is a 502, not a 401, and the operator token still works', async () => {
      const down = keyEndpoint(key);
      down.keys = async () => {
        down.fetches++;
        throw new Error('connection refused');
      };
      current = anyOf(
        createJwtAuthenticator({ issuer: ISSUER, audience: API_AUDIENCE, keys: down.keys }),
        operatorTokenAuthenticator(TEST_OPERATOR_TOKEN),
      );
      const res = await get('/me', await accessToken({ key }));
      assert.equal(res.statusCode, 502);
      assert.equal(res.json().code, 'UPSTREAM_UNAVAILABLE');
      assert.equal((await get('/ledger', undefined, operatorHeaders())).statusCode, 200);
    });
  });

  describe('kinds, roles and resources', () => {
    test('a citizen on an officer route is 403 FORBIDDEN', async () => {
      const { denial } = await assertDenied(get('/queue', await accessToken({ key })), 403, 'FORBIDDEN', 'kind');
      assert.equal(denial.principal?.id, 'c-1');
    });

    test('an officer without one of the roles is 403; with one it passes', async () => {
      await assertDenied(
        get('/reviews', await accessToken({ key, sub: 'o-1', tongban: officer(['330100-GA'], ['330100']) })),
        403,
        'FORBIDDEN',
        'role',
      );
      const chief = await accessToken({
        key,
        sub: 'o-2',
        tongban: officer(['330100-GA'], ['330100'], ['officer', 'chief']),
      });
      assert.equal((await get('/reviews', chief)).statusCode, 200);
    });

    test('roles given per kind bind only the kinds they name', async () => {
      const system = (roles: string[]) =>
        accessToken({
          key,
          sub: 'dept-sys',
          acr: undefined,
          claims: { sid: undefined, client_id: 'dept-sys' },
          tongban: { kind: 'service', roles, departments: [], regions: [] },
        });
      await assertDenied(get('/records', await system([])), 403, 'FORBIDDEN', 'role');
      assert.equal((await get('/records', await system(['records.write']))).statusCode, 200);
      assert.equal(
        (await get('/records', undefined, operatorHeaders())).statusCode,
        200,
        'operators need no role here',
      );
    });

    test('an officer reaches cases of their department in their jurisdiction, and no others', async () => {
      const token = await accessToken({ key, sub: 'o-1', tongban: officer(['330100-GA'], ['330100']) });
      assert.equal((await get('/cases/case-a', token)).statusCode, 200, 'department A, a district of the city');
      await assertDenied(get('/cases/case-b', token), 403, 'FORBIDDEN_RESOURCE', 'resource');
      await assertDenied(get('/cases/case-ningbo', token), 403, 'FORBIDDEN_RESOURCE', 'resource');
    });

    test("a citizen reaches their own case and not another citizen's", async () => {
      assert.equal((await get('/cases/case-a', await accessToken({ key, sub: 'c-1' }))).statusCode, 200);
      await assertDenied(get('/cases/case-b', await accessToken({ key, sub: 'c-1' })), 403, 'FORBIDDEN_RESOURCE');
    });

    test('an agent reaches the cases of the business it acts for', async () => {
      const agent = await accessToken({ key, sub: 'c-1', tongban: { ...citizen(), actingFor: 'b-7' } });
      assert.equal((await get('/cases/case-firm', agent)).statusCode, 200);
      await assertDenied(get('/cases/case-firm', await accessToken({ key, sub: 'c-1' })), 403, 'FORBIDDEN_RESOURCE');
    });

    test('no resource is looked up for a caller who fails an earlier check', async () => {
      resourceLookups = 0;
      await assertDenied(get('/cases/case-a'), 401, 'UNAUTHENTICATED');
      await assertDenied(
        get(
          '/cases/case-a',
          await accessToken({ key, tongban: { kind: 'security', roles: [], departments: [], regions: [] } }),
        ),
        403,
        'FORBIDDEN',
      );
      assert.equal(resourceLookups, 0);
      assert.equal((await get('/cases/nope', await accessToken({ key }))).statusCode, 404);
    });
  });

  describe('assurance and step-up', () => {
    test('a password-only token on an mfa route is 401 STEP_UP_REQUIRED (RFC 9470)', async () => {
      const { res } = await assertDenied(
        get('/payments', await accessToken({ key, acr: ACR.password })),
        401,
        'STEP_UP_REQUIRED',
        'assurance',
      );
      assert.equal(
        res.headers['www-authenticate'],
        'Bearer error="insufficient_user_authentication", error_description="Multi-factor authentication is required", acr_values="urn:tongban:acr:mfa"',
      );
      assert.equal((await get('/payments', await accessToken({ key, acr: ACR.mfa }))).statusCode, 200);
    });

    test('a token without a known acr has no assurance', async () => {
      await assertDenied(get('/payments', await accessToken({ key, acr: 'urn:other:loa:4' })), 401, 'STEP_UP_REQUIRED');
    });

    test('a system cannot step up: too low an assurance is 403', async () => {
      const system = await accessToken({
        key,
        sub: 'dept-sys',
        acr: undefined,
        claims: { sid: undefined, client_id: 'dept-sys' },
        tongban: { kind: 'service', roles: [], departments: [], regions: [] },
      });
      await assertDenied(get('/payments', system), 403, 'FORBIDDEN', 'assurance');
    });

    test('assurance given per kind binds only the kinds it names', async () => {
      const officerAt = (acr: string) =>
        accessToken({ key, sub: 'o-1', acr, tongban: officer(['330100-GA'], ['330100']) });
      await assertDenied(get('/exports', await officerAt(ACR.password)), 401, 'STEP_UP_REQUIRED', 'assurance');
      assert.equal((await get('/exports', await officerAt(ACR.mfa))).statusCode, 200);
      const system = await accessToken({
        key,
        sub: 'dept-sys',
        acr: undefined,
        claims: { sid: undefined, client_id: 'dept-sys' },
        tongban: { kind: 'service', roles: [], departments: [], regions: [] },
      });
      assert.equal(
        (await get('/exports', system)).statusCode,
        200,
        'a system, which has no user assurance, is not held to it',
      );
    });
  });

  describe('risk signals', () => {
    test('a blocked address is refused everywhere but the probes', async () => {
      blocked.add('203.0.113.9');
      const from = { remoteAddress: '203.0.113.9' };
      const res = await p.app.inject({ url: '/api/guarded/open', ...from });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'ADDRESS_BLOCKED');
      assert.equal(denials.at(-1)?.request.ip, '203.0.113.9');
      assert.equal(
        (await p.app.inject({ url: '/api/guarded/ledger', headers: operatorHeaders(), ...from })).statusCode,
        403,
      );
      assert.equal((await p.app.inject({ url: '/healthz', ...from })).statusCode, 200);
      assert.equal((await p.app.inject({ url: '/metrics', ...from })).statusCode, 200);
      assert.equal((await get('/open')).statusCode, 200, 'other addresses are not affected');
    });

    test('a flagged session must step up to multi-factor, and then passes', async () => {
      flagged.add('session-1');
      await assertDenied(
        get('/me', await accessToken({ key, acr: ACR.password })),
        401,
        'STEP_UP_REQUIRED',
        'session-flagged',
      );
      assert.equal((await get('/me', await accessToken({ key, acr: ACR.mfa }))).statusCode, 200);
      assert.equal(
        (await get('/me', await accessToken({ key, claims: { sid: 'session-2' } }))).statusCode,
        200,
        'other sessions are not affected',
      );
    });
  });

  describe('the operator token', () => {
    test("still opens operator routes next to identity's tokens", async () => {
      const res = await get('/ledger', undefined, operatorHeaders());
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().principal.id, 'operator-token');
      const operatorJwt = await accessToken({
        key,
        sub: 'op-1',
        tongban: { kind: 'operator', roles: ['operator'], departments: [], regions: ['330100'] },
      });
      assert.equal((await get('/ledger', operatorJwt)).statusCode, 200);
    });

    test('a wrong operator token is refused', async () => {
      await assertDenied(get('/ledger', 'not-the-operator-token'), 401, 'TOKEN_INVALID');
    });
  });
});
