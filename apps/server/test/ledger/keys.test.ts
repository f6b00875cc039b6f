// A log is bound to its key: the platform started again on the same database with other ledger
// keys refuses to start, rather than sign checkpoints nobody can verify.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { startPlatform } from '@tongban/kernel';
import { createTestDatabase, databaseLabel, testConfig } from '@tongban/kernel/testing';
import ledger from '@tongban/ledger';

const LOG_KEY = 'TONGBAN_SECRET_LEDGER_LOG_KEY';
const WITNESS_KEY = 'TONGBAN_SECRET_LEDGER_WITNESS_KEY';
const newKey = () => randomBytes(32).toString('base64url');

test(`a restart with other ledger keys is refused, naming the secret (${databaseLabel})`, async () => {
  const database = await createTestDatabase();
  // One data directory throughout: it holds the embedded database when there is no PostgreSQL.
  const config = testConfig({ TONGBAN_DATABASE_URL: database.url });
  // Secrets are read from the environment, as in production.
  const keys = { [LOG_KEY]: newKey(), [WITNESS_KEY]: newKey() };
  const start = async (env: Record<string, string>) => {
    Object.assign(process.env, env);
    try {
      return await startPlatform({ config, modules: [ledger], background: false });
    } finally {
      delete process.env[LOG_KEY];
      delete process.env[WITNESS_KEY];
    }
  };
  try {
    await (await start(keys)).close();
    await (await start(keys)).close(); // the same keys: it starts
    await assert.rejects(
      start({ ...keys, [LOG_KEY]: newKey() }),
      /log audit was created with another key than TONGBAN_SECRET_LEDGER_LOG_KEY/,
    );
    await assert.rejects(
      start({ ...keys, [WITNESS_KEY]: newKey() }),
      /recorded with another key than TONGBAN_SECRET_LEDGER_WITNESS_KEY/,
    );
  } finally {
    await database.drop();
    rmSync(config.dataDir, { recursive: true, force: true });
  }
});
