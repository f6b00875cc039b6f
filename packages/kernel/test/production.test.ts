// Production refuses to start on what would fail or leak later: declared secrets missing (all
// named in one line), no or a plain-http public URL, a guessable operator token; a secret a
// module did not declare is refused outside production; metrics and API docs are public,
// operators' only or off as configured.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ConfigError,
  defineModule,
  estimateTokenStrength,
  loadConfig,
  MIN_TOKEN_BITS,
  Policies,
  startPlatform,
  tokenWeakness,
} from '../src/index.ts';
import { assertProductionReady } from '../src/secrets.ts';
import { databaseLabel, operatorHeaders, startTestPlatform, type TestPlatform } from '../src/testing.ts';

const STRONG = 'q7Hn2-Vx9_LpR4tZ8wKc1mYb6JdF3sGe0aUo5iNh';
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongban-production-'));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const production = (env: Record<string, string | undefined> = {}) =>
  loadConfig({
    NODE_ENV: 'production',
    TONGBAN_DATA_DIR: tempDir(),
    TONGBAN_DATABASE_URL: 'postgres://db.invalid/tongban',
    TONGBAN_OPERATOR_TOKEN: STRONG,
    TONGBAN_PUBLIC_URL: 'https://tongban.example.gov.cn',
    TONGBAN_LOG_LEVEL: 'silent',
    ...env,
  });

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.doesNotMatch(error.message, /\n/, 'one line');
    return error.message;
  }
  assert.fail('expected a refusal');
};

describe('production start checks', () => {
  test('every declared secret that is not set is named, in one line', () => {
    const message = refusal(() =>
      assertProductionReady(production(), ['identity-cookie-key', 'identity-otp-pepper', 'workflow-service-key'], {
        TONGBAN_SECRET_IDENTITY_OTP_PEPPER: 'set',
      }),
    );
    assert.match(message, /TONGBAN_SECRET_IDENTITY_COOKIE_KEY, TONGBAN_SECRET_WORKFLOW_SERVICE_KEY/);
    assert.doesNotMatch(message, /OTP_PEPPER/);
  });

  test("startPlatform refuses before it opens anything, naming the modules' missing secrets", async () => {
    const needy = defineModule({
      name: 'needy',
      title: { zh: '需密钥', en: 'Needy' },
      secrets: ['needy-signing-key', 'needy-pepper'],
    });
    await assert.rejects(
      startPlatform({ config: production(), modules: [needy] }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /TONGBAN_SECRET_NEEDY_SIGNING_KEY, TONGBAN_SECRET_NEEDY_PEPPER/.test(error.message),
    );
  });

  test('no public URL, or one over http://, is refused', () => {
    assert.match(
      refusal(() => assertProductionReady(production({ TONGBAN_PUBLIC_URL: undefined }))),
      /needs TONGBAN_PUBLIC_URL/,
    );
    assert.match(
      refusal(() => assertProductionReady(production({ TONGBAN_PUBLIC_URL: 'http://tongban.example.gov.cn' }))),
      /refuses TONGBAN_PUBLIC_URL over http:\/\//,
    );
  });

  test('a weak operator token is refused, saying why', () => {
    for (const [token, why] of [
      ['a'.repeat(64), /repeats or runs/],
      ['0123456789012345678901234567890123456789', /repeats or runs/],
      ['abcdefghijabcdefghijabcdefghijabcdefghij', /repeats or runs/],
      ['passwordpasswordpasswordpassword', /repeats or runs/],
      ['8305719462850273946185027394618502739', /only digits/],
    ] as const) {
      assert.match(
        refusal(() => assertProductionReady(production({ TONGBAN_OPERATOR_TOKEN: token }))),
        new RegExp(`weak TONGBAN_OPERATOR_TOKEN: about \\d+ bits.*${why.source}`),
        token,
      );
    }
  });

  test('everything at once is one line naming all of it', () => {
    const message = refusal(() =>
      assertProductionReady(
        production({
          TONGBAN_PUBLIC_URL: 'http://x.example',
          TONGBAN_OPERATOR_TOKEN: 'z'.repeat(40),
          TONGBAN_DATABASE_URL: undefined,
        }),
        ['a-key'],
        {},
      ),
    );
    for (const part of [/TONGBAN_DATABASE_URL/, /TONGBAN_SECRET_A_KEY/, /http:\/\//, /weak TONGBAN_OPERATOR_TOKEN/])
      assert.match(message, part);
  });

  test('a good configuration passes', () => {
    assert.doesNotThrow(() => assertProductionReady(production(), ['a-key'], { TONGBAN_SECRET_A_KEY: 'x' }));
  });
});

describe('token strength estimate', () => {
  test('random base64url of 32 bytes is far above the bar; short, repeated and sequential tokens are below', () => {
    assert.ok(estimateTokenStrength(STRONG).bits >= 200);
    assert.ok(estimateTokenStrength('Xy7-'.repeat(16)).bits < MIN_TOKEN_BITS, 'a repeated block counts once');
    assert.ok(estimateTokenStrength('abcdefghijklmnopqrstuvwxyz0123456789').bits < MIN_TOKEN_BITS);
    assert.equal(tokenWeakness(STRONG), undefined);
  });
});

describe(`secrets a module did not declare (${databaseLabel})`, () => {
  let p: TestPlatform;
  const sly = defineModule({ name: 'sly', title: { zh: '偷读', en: 'Sly' }, secrets: ['sly-known'] });
  before(async () => {
    p = await startTestPlatform([sly]);
  });
  after(() => p.dispose());

  test('ctx.secret of an undeclared name fails outside production; a declared one is there', () => {
    const ctx = p.contexts.get('sly')!;
    assert.ok(ctx.secret('sly-known').length >= 32, 'declared secrets are generated at start in development');
    assert.throws(() => ctx.secret('sly-hidden'), /sly reads the secret sly-hidden without declaring it/);
  });

  test('ctx.serviceToken needs <module>-service-key declared', async () => {
    await assert.rejects(p.contexts.get('sly')!.serviceToken(), /without declaring it/);
  });
});

const surfaces = defineModule({
  name: 'surf',
  title: { zh: '面', en: 'Surf' },
  routes(app) {
    app.get('/x', { config: { policy: Policies.public }, schema: { summary: 'x' } }, async () => ({}));
  },
});

for (const [setting, anonymous, operator] of [
  ['public', 200, 200],
  ['operator', 401, 200],
  ['off', 404, 404],
] as const) {
  describe(`TONGBAN_HTTP_METRICS=${setting} and TONGBAN_HTTP_DOCS=${setting} (${databaseLabel})`, () => {
    let p: TestPlatform;
    before(async () => {
      p = await startTestPlatform([surfaces], { env: { TONGBAN_HTTP_METRICS: setting, TONGBAN_HTTP_DOCS: setting } });
    });
    after(() => p.dispose());

    for (const url of ['/metrics', '/api/openapi.json', '/api/docs/json', '/api/docs']) {
      test(`${url}: ${anonymous} without a token, ${operator} with an operator's`, async () => {
        const without = await p.app.inject({ url });
        const withToken = await p.app.inject({ url, headers: operatorHeaders() });
        // Swagger UI answers its root with a redirect to its index page.
        const ok = (status: number) => (status === 302 ? 200 : status);
        assert.equal(ok(without.statusCode), anonymous, without.body);
        assert.equal(ok(withToken.statusCode), operator, withToken.body);
      });
    }
    test('probes stay public whatever the setting', async () => {
      assert.equal((await p.app.inject({ url: '/healthz' })).statusCode, 200);
      assert.equal((await p.app.inject({ url: '/readyz' })).statusCode, 200);
    });
  });
}

test('production defaults to operators only for metrics and docs, development to public', async () => {
  const { surfaceExposure } = await import('../src/index.ts');
  assert.deepEqual(surfaceExposure(production()), { metrics: 'operator', docs: 'operator' });
  assert.deepEqual(surfaceExposure(loadConfig({ TONGBAN_DATA_DIR: tempDir() })), { metrics: 'public', docs: 'public' });
  assert.deepEqual(surfaceExposure(production({ TONGBAN_HTTP_METRICS: 'public' })), {
    metrics: 'public',
    docs: 'operator',
  });
});
