// Configuration: safe defaults for `npm start`, TONGBAN_* variables over an optional YAML file,
// one clear error naming the setting, secrets never printed, and production refusing shortcuts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, redactedConfig } from '../src/config.ts';
import { assertProductionReady, loadSecrets } from '../src/secrets.ts';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tongban-config-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function yamlFile(text: string): string {
  const file = join(tempDir(), 'tongban.yaml');
  writeFileSync(file, text);
  return file;
}

/** A logger that keeps the warnings it is given. */
function recordingLogger(): { log: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const log = {
    warn: (_fields: unknown, message: string) => {
      warnings.push(message);
    },
  } as unknown as Logger;
  return { log, warnings };
}

const LONG_TOKEN = 'a-real-operator-token-of-enough-length-0123456789';

describe('configuration defaults', () => {
  test('with no settings the platform runs embedded on port 8080 with ./data as an absolute path', () => {
    const config = loadConfig({});
    assert.equal(config.env, 'development');
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.ok(isAbsolute(config.dataDir));
    assert.equal(config.dataDir, resolve('./data'));
    assert.equal(config.databaseUrl, undefined, 'no database URL means the embedded database');
    assert.equal(config.natsUrl, undefined, 'no NATS URL means the in-process bus');
    assert.equal(config.operatorToken, undefined);
    assert.deepEqual(config.services, {});
    assert.equal(config.http.bodyLimit, 1_048_576);
    assert.equal(config.http.rateLimitPerMinute, 600);
    assert.equal(config.bus.maxAttempts, 8);
  });
});

describe('configuration sources', () => {
  test('TONGBAN_* environment variables override the defaults, numbers included', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      TONGBAN_PORT: '9090',
      TONGBAN_HOST: '0.0.0.0',
      TONGBAN_DATA_DIR: '/var/lib/tongban',
      TONGBAN_DATABASE_URL: 'postgres://tongban@db:5432/tongban',
      TONGBAN_NATS_URL: 'nats://nats:4222',
      TONGBAN_LOG_LEVEL: 'warn',
      TONGBAN_HTTP_BODY_LIMIT: '2048',
      TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '30',
      TONGBAN_BUS_MAX_ATTEMPTS: '3',
    });
    assert.equal(config.env, 'test');
    assert.equal(config.port, 9090);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.dataDir, '/var/lib/tongban');
    assert.equal(config.databaseUrl, 'postgres://tongban@db:5432/tongban');
    assert.equal(config.natsUrl, 'nats://nats:4222');
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.http.bodyLimit, 2048);
    assert.equal(config.http.rateLimitPerMinute, 30);
    assert.equal(config.bus.maxAttempts, 3);
  });

  test('an empty environment variable counts as unset', () => {
    assert.equal(loadConfig({ TONGBAN_PORT: '' }).port, 8080);
  });

  test('a YAML file named by TONGBAN_CONFIG is read, and the environment wins over it', () => {
    const file = yamlFile(
      [
        'port: 7000',
        'host: 0.0.0.0',
        'logLevel: debug',
        'http:',
        '  bodyLimit: 4096',
        '  rateLimitPerMinute: 100',
        'services:',
        '  identity: http://identity:8080',
      ].join('\n'),
    );
    const config = loadConfig({ TONGBAN_CONFIG: file, TONGBAN_PORT: '7100', TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '50' });
    assert.equal(config.port, 7100, 'environment over file');
    assert.equal(config.host, '0.0.0.0', 'file over default');
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.http.bodyLimit, 4096, 'a nested setting from the file survives an override of its sibling');
    assert.equal(config.http.rateLimitPerMinute, 50);
    assert.equal(config.http.requestTimeoutMs, 30_000, 'defaults fill what neither source sets');
    assert.deepEqual(config.services, { identity: 'http://identity:8080' });
  });

  test('TONGBAN_SERVICE_<MODULE>_URL tells where a module runs in another process', () => {
    const config = loadConfig({
      TONGBAN_SERVICE_CATALOG_URL: 'http://catalog:8080',
      TONGBAN_SERVICE_WORKFLOW_URL: 'https://workflow.internal',
    });
    assert.deepEqual(config.services, { catalog: 'http://catalog:8080', workflow: 'https://workflow.internal' });
  });

  test('TONGBAN_NATS_STREAM and TONGBAN_NATS_SUBJECT_PREFIX keep a deployment apart on a shared NATS server', () => {
    const config = loadConfig({
      TONGBAN_NATS_URL: 'nats://nats:4222',
      TONGBAN_NATS_STREAM: 'TONGBAN_STAGING',
      TONGBAN_NATS_SUBJECT_PREFIX: 'tongban.staging',
    });
    assert.equal(config.natsStream, 'TONGBAN_STAGING');
    assert.equal(config.natsSubjectPrefix, 'tongban.staging');
    const defaults = loadConfig({ TONGBAN_NATS_URL: 'nats://nats:4222' });
    assert.equal(defaults.natsStream, undefined, 'unset: the driver uses stream TONGBAN');
    assert.equal(defaults.natsSubjectPrefix, undefined, 'unset: the driver uses subjects tongban.<type>');
  });
});

describe('invalid configuration', () => {
  const rejects = (env: Record<string, string>, pattern: RegExp) => {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        assert.match(error.message, pattern);
        return true;
      },
    );
  };

  test('a port that is not a number names TONGBAN_PORT', () => {
    rejects({ TONGBAN_PORT: 'abc' }, /TONGBAN_PORT/);
  });

  test('a port out of range names TONGBAN_PORT', () => {
    rejects({ TONGBAN_PORT: '70000' }, /TONGBAN_PORT/);
  });

  test('a database URL that is not PostgreSQL names TONGBAN_DATABASE_URL', () => {
    rejects({ TONGBAN_DATABASE_URL: 'mysql://x' }, /TONGBAN_DATABASE_URL/);
  });

  test('an unknown log level names TONGBAN_LOG_LEVEL', () => {
    rejects({ TONGBAN_LOG_LEVEL: 'loud' }, /TONGBAN_LOG_LEVEL/);
  });

  test('an operator token shorter than 32 characters is refused', () => {
    rejects({ TONGBAN_OPERATOR_TOKEN: 'short' }, /TONGBAN_OPERATOR_TOKEN/);
  });

  test('an unknown key in the YAML file is an error naming the key', () => {
    rejects({ TONGBAN_CONFIG: yamlFile('port: 8080\ndatabse_url: postgres://typo\n') }, /databse_url/);
  });

  test('an unknown nested key in the YAML file is named with its full path', () => {
    rejects({ TONGBAN_CONFIG: yamlFile('http:\n  bodyLimt: 2048\n') }, /http\.bodyLimt/);
  });

  test('a nested setting of the wrong type names its environment variable', () => {
    rejects({ TONGBAN_HTTP_BODY_LIMIT: 'big' }, /TONGBAN_HTTP_BODY_LIMIT/);
  });

  test('a module URL that is not http(s) names its TONGBAN_SERVICE_<MODULE>_URL variable', () => {
    rejects({ TONGBAN_SERVICE_CATALOG_URL: 'catalog:8080' }, /TONGBAN_SERVICE_CATALOG_URL/);
  });

  test('a NATS stream or subject prefix JetStream would not take names its variable', () => {
    rejects({ TONGBAN_NATS_STREAM: 'tongban.events' }, /TONGBAN_NATS_STREAM/);
    rejects({ TONGBAN_NATS_STREAM: 'a b' }, /TONGBAN_NATS_STREAM/);
    rejects({ TONGBAN_NATS_SUBJECT_PREFIX: 'tongban.>' }, /TONGBAN_NATS_SUBJECT_PREFIX/);
    rejects({ TONGBAN_NATS_SUBJECT_PREFIX: 'tongban.' }, /TONGBAN_NATS_SUBJECT_PREFIX/);
  });

  test('a YAML file that is not a mapping is an error naming the file', () => {
    const file = yamlFile('- a\n- b\n');
    rejects({ TONGBAN_CONFIG: file }, new RegExp(`TONGBAN_CONFIG ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  test('a missing YAML file is an error naming TONGBAN_CONFIG', () => {
    rejects({ TONGBAN_CONFIG: join(tempDir(), 'absent.yaml') }, /TONGBAN_CONFIG/);
  });
});

describe('redacted configuration for the start summary', () => {
  test('hides the operator token and the password inside the database URL', () => {
    const config = loadConfig({
      TONGBAN_OPERATOR_TOKEN: LONG_TOKEN,
      TONGBAN_DATABASE_URL: 'postgres://tongban:s3cret-pw@db:5432/tongban',
      TONGBAN_NATS_URL: 'nats://bus:n4ts-pw@nats:4222',
    });
    const shown = redactedConfig(config);
    const text = JSON.stringify(shown);
    assert.equal(shown.operatorToken, '[redacted]');
    assert.ok(!text.includes(LONG_TOKEN), 'the operator token is not shown');
    assert.ok(!text.includes('s3cret-pw'), 'the database password is not shown');
    assert.ok(!text.includes('n4ts-pw'), 'the NATS password is not shown');
    assert.match(String(shown.databaseUrl), /^postgres:\/\/tongban:\*\*\*@db:5432\/tongban$/);
    assert.equal(shown.port, 8080, 'ordinary settings stay visible');
  });
});

describe('secrets', () => {
  const production = (env: Record<string, string> = {}) =>
    loadConfig({ NODE_ENV: 'production', TONGBAN_DATA_DIR: tempDir(), ...env });

  test('production refuses the embedded database, naming TONGBAN_DATABASE_URL', () => {
    const config = production({ TONGBAN_OPERATOR_TOKEN: LONG_TOKEN });
    assert.throws(
      () => assertProductionReady(config),
      (e: unknown) => e instanceof ConfigError && /TONGBAN_DATABASE_URL/.test(e.message),
    );
    assert.throws(() => loadSecrets(config, recordingLogger().log), ConfigError);
  });

  test('production refuses a generated operator token and writes no key file', () => {
    const config = production({ TONGBAN_DATABASE_URL: 'postgres://db/tongban' });
    assert.throws(
      () => loadSecrets(config, recordingLogger().log),
      (e: unknown) => e instanceof ConfigError && /TONGBAN_OPERATOR_TOKEN/.test(e.message),
    );
    assert.throws(() => statSync(join(config.dataDir, 'keys')), { code: 'ENOENT' });
  });

  test('production starts with a database URL, a configured token and an https public URL', () => {
    const config = production({
      TONGBAN_DATABASE_URL: 'postgres://db/tongban',
      TONGBAN_OPERATOR_TOKEN: LONG_TOKEN,
      TONGBAN_PUBLIC_URL: 'https://tongban.example.gov.cn',
    });
    const { log, warnings } = recordingLogger();
    assert.deepEqual(loadSecrets(config, log), { operatorToken: LONG_TOKEN, generated: [] });
    assert.deepEqual(warnings, []);
  });

  test('development generates the operator token once into dataDir/keys (mode 0600) with a warning, and reuses it', () => {
    const config = loadConfig({ NODE_ENV: 'development', TONGBAN_DATA_DIR: tempDir() });
    const first = recordingLogger();
    const secrets = loadSecrets(config, first.log);
    assert.ok(secrets.operatorToken.length >= 32);
    assert.deepEqual(secrets.generated, ['operator-token']);
    assert.equal(first.warnings.length, 1);
    const file = join(config.dataDir, 'keys', 'operator-token');
    assert.equal(readFileSync(file, 'utf8').trim(), secrets.operatorToken);
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const again = loadSecrets(config, recordingLogger().log);
    assert.equal(again.operatorToken, secrets.operatorToken, 'the next start reuses the generated token');
  });

  test('a configured operator token is used as is and nothing is generated', () => {
    const config = loadConfig({ TONGBAN_DATA_DIR: tempDir(), TONGBAN_OPERATOR_TOKEN: LONG_TOKEN });
    const secrets = loadSecrets(config, recordingLogger().log);
    assert.deepEqual(secrets, { operatorToken: LONG_TOKEN, generated: [] });
    assert.throws(() => statSync(join(config.dataDir, 'keys')), { code: 'ENOENT' });
  });
});
