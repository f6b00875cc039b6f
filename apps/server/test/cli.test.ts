// The `tongban` command as an operator meets it: usage mistakes are one line and exit 2, migrate
// is repeatable, serve prints where it runs and stops cleanly on SIGTERM, and production refuses
// to start on development shortcuts.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { findSplitWithoutBus } from '@tongban/kernel';
import { createTestDatabase, databaseLabel, testNatsUrl } from '@tongban/kernel/testing';
import { allModules, selectModules } from '../src/modules.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../bin/tongban.js', import.meta.url));

const tempDirs: string[] = [];
function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tongban-cli-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** The parent's environment without any Tongban or test-runner settings, plus `env`. */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('TONGBAN_') && k !== 'NODE_ENV' && k !== 'NODE_TEST_CONTEXT',
    ),
  );
  return { ...clean, TONGBAN_DATA_DIR: tempDataDir(), TONGBAN_LOG_LEVEL: 'warn', ...env };
}

/** `signal`: the test's, so a server that should have refused to start is stopped when the test times out. */
function start(
  args: string[],
  env: Record<string, string | undefined> = {},
  signal?: AbortSignal,
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [bin, ...args], { cwd: root, env: childEnv(env), ...(signal ? { signal } : {}) });
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function run(
  args: string[],
  env: Record<string, string | undefined> = {},
  signal?: AbortSignal,
): Promise<Finished> {
  const child = start(args, env, signal);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** Resolves with the stdout so far once it matches every pattern; rejects if the process ends first. */
function awaitOutput(child: ChildProcessWithoutNullStreams, patterns: RegExp[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const onData = (chunk: string) => {
      out += chunk;
      if (patterns.every((p) => p.test(out))) {
        child.stdout.off('data', onData);
        resolve(out);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.once('exit', (code) =>
      reject(new Error(`tongban exited (${code}) before printing its summary:\n${out}\n${err}`)),
    );
  });
}

function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  assert.match(lines[0]!, /^tongban: /);
  assert.match(lines[0]!, pattern);
}

describe('tongban usage', () => {
  test('serve with an unknown module exits 2 with one line naming it', async () => {
    const { code, stderr, stdout } = await run(['serve', '--modules=nope']);
    assert.equal(code, 2);
    assertOneLine(stderr, /unknown module 'nope'.*catalog/);
    assert.equal(stdout, '');
  });

  test('an unknown command exits 2 with one line', async () => {
    const { code, stderr } = await run(['frobnicate']);
    assert.equal(code, 2);
    assertOneLine(stderr, /unknown command 'frobnicate'/);
  });

  test('an unknown option exits 2 with one line', async () => {
    const { code, stderr } = await run(['serve', '--frobnicate']);
    assert.equal(code, 2);
    assertOneLine(stderr, /--frobnicate/);
  });

  test('a stray argument exits 2 with one line', async () => {
    const { code, stderr } = await run(['migrate', 'now']);
    assert.equal(code, 2);
    assertOneLine(stderr, /unexpected argument 'now'/);
  });

  test('--help prints the usage and exits 0', async () => {
    const { code, stdout, stderr } = await run(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /usage: tongban <command>/);
    assert.match(stdout, /serve/);
    assert.match(stdout, /migrate/);
    assert.equal(stderr, '');
  });

  test('version prints the version and exits 0', async () => {
    const { code, stdout } = await run(['version']);
    assert.equal(code, 0);
    assert.match(stdout.trim(), /^\d+\.\d+\.\d+/);
  });

  test('an invalid setting exits 1 with one line naming the variable', async () => {
    const { code, stderr } = await run(['migrate'], { TONGBAN_PORT: 'abc' });
    assert.equal(code, 1);
    assertOneLine(stderr, /TONGBAN_PORT/);
  });

  test('NODE_ENV=production names every missing module secret in one line and exits 1', async () => {
    // The ledger apart from identity and workflow: on NATS (never reached), or the split is refused first.
    const { code, stderr } = await run(['serve', '--modules=ledger'], {
      NODE_ENV: 'production',
      TONGBAN_DATABASE_URL: 'postgres://db.invalid/tongban',
      TONGBAN_NATS_URL: 'nats://nats.invalid:4222',
      TONGBAN_PUBLIC_URL: 'https://tongban.example.gov.cn',
      TONGBAN_OPERATOR_TOKEN: 'q7Hn2-Vx9_LpR4tZ8wKc1mYb6JdF3sGe0aUo5iNh',
      TONGBAN_SECRET_LEDGER_LOG_KEY: 'set-elsewhere-0123456789abcdefghij',
    });
    assert.equal(code, 1);
    assertOneLine(
      stderr,
      /needs TONGBAN_SECRET_FIELD_MASTER_KEY, TONGBAN_SECRET_LEDGER_WITNESS_KEY, TONGBAN_SECRET_LEDGER_DIGEST_PEPPER \(secrets the modules declare\)$/,
    );
  });

  test('NODE_ENV=production without a database URL exits 1 with one line', async () => {
    const { code, stderr } = await run(['serve', '--modules=catalog'], { NODE_ENV: 'production' });
    assert.equal(code, 1);
    assertOneLine(stderr, /NODE_ENV=production needs TONGBAN_DATABASE_URL/);
  });
});

describe('tongban serve with a subset of the modules', () => {
  test(
    'workflow alone on the in-process bus exits 1 with one line naming what is missing and TONGBAN_NATS_URL',
    { timeout: 60_000 },
    async (t) => {
      const { code, stderr, stdout } = await run(['serve', '--modules=workflow'], {}, t.signal);
      assert.equal(code, 1);
      assertOneLine(
        stderr,
        /^tongban: modules workflow cannot run without catalog, identity, ledger, licenses, payments, notify on the in-process bus \(workflow depends on catalog, identity; workflow consumes licenses, payments events; ledger consumes workflow events; licenses consumes workflow events; payments consumes workflow events; notify consumes workflow events\): set TONGBAN_NATS_URL .*or run them together$/,
      );
      assert.equal(stdout, '');
    },
  );

  test(
    'seed refuses the same split: the ledger alone would never hear identity and workflow',
    { timeout: 60_000 },
    async (t) => {
      const { code, stderr } = await run(['seed', '--modules=ledger'], {}, t.signal);
      assert.equal(code, 1);
      assertOneLine(
        stderr,
        /modules ledger cannot run without identity, datahub, workflow, licenses .*ledger consumes datahub, identity, workflow, licenses events.*TONGBAN_NATS_URL/,
      );
    },
  );

  test('the modules as they are: all of them, or catalog alone, run on the in-process bus', () => {
    assert.equal(findSplitWithoutBus(selectModules(undefined), allModules), undefined);
    assert.equal(
      findSplitWithoutBus(
        selectModules('ledger,licenses,workflow,datahub,identity,catalog,notify,payments'),
        allModules,
      ),
      undefined,
    );
    assert.equal(findSplitWithoutBus(selectModules('catalog'), allModules), undefined);
    for (const name of ['identity', 'datahub', 'workflow', 'ledger', 'licenses'])
      assert.ok(findSplitWithoutBus(selectModules(name), allModules), name);
  });

  test(
    'workflow alone starts when TONGBAN_NATS_URL is set',
    { skip: !testNatsUrl && 'needs TONGBAN_TEST_NATS_URL', timeout: 120_000 },
    async () => {
      const database = await createTestDatabase();
      const child = start(['serve', '--modules=workflow'], {
        TONGBAN_PORT: '0',
        TONGBAN_DATABASE_URL: database.url,
        TONGBAN_NATS_URL: testNatsUrl,
      });
      let stderr = '';
      child.stderr.on('data', (chunk: string) => {
        stderr += chunk;
      });
      try {
        const summary = await awaitOutput(child, [/^ {2}URL +\S+$/m, /^ {2}modules +.+$/m]);
        assert.match(summary, /^ {2}modules +workflow \(业务协同\)$/m);
        child.kill('SIGTERM');
        const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
        assert.deepEqual({ code, signal }, { code: 0, signal: null }, stderr);
      } finally {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await once(child, 'exit');
        }
        await database.drop();
      }
    },
  );
});

describe(`tongban migrate and serve (${databaseLabel})`, () => {
  test('migrate applies the migrations, then reports the database up to date', { timeout: 120_000 }, async () => {
    const database = await createTestDatabase();
    try {
      // Both runs against the same database: a fresh PostgreSQL one, or an embedded one in a data directory.
      const env = database.url ? { TONGBAN_DATABASE_URL: database.url } : { TONGBAN_DATA_DIR: tempDataDir() };
      const first = await run(['migrate'], env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /^applied catalog\/0000-kernel-bus\.sql$/m);
      assert.match(first.stdout, /^applied catalog\/\d{4}[-_].+\.sql$/m);
      const second = await run(['migrate'], env);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(second.stdout.trim(), 'tongban: database is up to date');
    } finally {
      await database.drop();
    }
  });

  test(
    'serve starts, prints its summary, answers, and stops with exit 0 on SIGTERM',
    { timeout: 120_000 },
    async () => {
      const database = await createTestDatabase();
      const args = ['serve', '--modules=catalog', ...(database.url ? ['--seed'] : [])];
      const child = start(args, {
        TONGBAN_PORT: '0',
        TONGBAN_DATABASE_URL: database.url,
        TONGBAN_HTTP_DOCS: 'operator',
      });
      try {
        const summary = await awaitOutput(child, [/^ {2}URL +\S+$/m, /^ {2}modules +.+$/m, /^ {2}environment +.+$/m]);
        const url = /^ {2}URL +(\S+)$/m.exec(summary)![1]!;
        assert.match(url, /^http:\/\/(localhost|127\.0\.0\.1):\d+$/);
        assert.match(summary, /on Node\.js v(24|22)\./);
        assert.match(summary, /^ {2}modules +catalog \(事项库\)$/m);
        assert.match(summary, database.url ? /single node \(PostgreSQL\)/ : /embedded/);
        // Which surfaces anyone can read, and the settings that close them.
        assert.match(
          summary,
          /^ {2}surfaces +\/metrics public \(TONGBAN_HTTP_METRICS\), \/api\/docs and \/api\/openapi\.json operators only \(TONGBAN_HTTP_DOCS\); public\|operator\|off$/m,
        );
        assert.equal((await fetch(`${url}/api/openapi.json`)).status, 401);

        const ready = await fetch(`${url}/readyz`);
        assert.equal(ready.status, 200);
        assert.deepEqual(await ready.json(), { status: 'ready', checks: { database: 'ok', bus: 'ok' } });

        const search = await fetch(`${url}/api/catalog/search?q=${encodeURIComponent('出生')}`);
        assert.equal(search.status, 200);
        const found = (await search.json()) as { total: number; items: { name: { zh: string } }[] };
        assert.ok(found.total > 0, 'the demo city has a service about birth');
        assert.ok(
          found.items.some((item) => item.name.zh.includes('出生')),
          JSON.stringify(found.items.map((i) => i.name.zh)),
        );

        child.kill('SIGTERM');
        const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
        assert.equal(signal, null, 'the process exits by itself, not by the signal');
        assert.equal(code, 0);
      } finally {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await once(child, 'exit');
        }
        await database.drop();
      }
    },
  );
});
