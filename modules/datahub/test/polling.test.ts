// The configured HTTP sources (TONGBAN_CONFIG datahub.connectors): a serving platform polls them
// at once and again after the interval, stores the rows with their provenance, and stops polling
// with the module; a source that does not fit stops the start with the setting's path.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig, residentIdCheckChar, uuidv7 } from '@tongban/kernel';
import { databaseLabel, startTestPlatform } from '@tongban/kernel/testing';
import datahub from '../src/index.ts';
import type { Hub } from '../src/service/hub.ts';
import { typed } from '../src/store/tables.ts';

const id = (seq: number) => {
  const first = `33010820010101${String(seq).padStart(3, '0')}`;
  return first + residentIdCheckChar(first);
};

let server: Server;
let base = '';
let hits = 0;
const waiters: [number, () => void][] = [];
/** Resolves once the source has been asked `n` times. */
const askedTimes = (n: number) => new Promise<void>((resolve) => waiters.push([n, resolve]));

before(async () => {
  server = createServer((req, res) => {
    hits += 1;
    for (const [n, resolve] of waiters) if (hits >= n) resolve();
    res.setHeader('content-type', 'application/json');
    assert.equal(req.headers.authorization, 'Bearer source-token');
    res.end(
      JSON.stringify({
        items: [
          { idNumber: id(11), name: ' 陈一 ', gender: '男', birthDate: '2001/1/1' },
          { idNumber: id(13), name: '陈二', gender: '女', birthDate: '2001-01-01' },
        ],
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

const configFile = (connectors: unknown[]) => {
  const file = join(tmpdir(), `tongban-sources-${uuidv7()}.json`);
  // YAML is a superset of JSON.
  writeFileSync(file, JSON.stringify({ datahub: { connectors } }));
  return file;
};

describe(`configured HTTP sources (${databaseLabel})`, () => {
  test(
    'polled at once and after the interval by a listening platform, stored with provenance, stopped with it',
    { timeout: 60_000 },
    async () => {
      const platform = await startTestPlatform([datahub], {
        env: {
          TONGBAN_PORT: '0',
          TONGBAN_HOST: '127.0.0.1',
          TONGBAN_CONFIG: configFile([
            {
              resource: 'population',
              url: `${base}/persons`,
              intervalMs: 1000,
              headers: { authorization: 'Bearer source-token' },
              tags: ['公安人口接口'],
            },
          ]),
        },
      });
      try {
        assert.equal(hits, 0, 'not polled before the server listens');
        await platform.listen();
        await askedTimes(2);
        const hub: Hub = platform.instanceOf(datahub);
        await Promise.all(hub.sources.map((s) => s.stop())); // waits for the poll under way
        const db = typed(platform.contexts.get('datahub')!.db);
        const records = await db.selectFrom('datahub.record').select(['source', 'tags']).execute();
        assert.equal(records.length, 2);
        assert.ok(records.every((r) => r.source === `http:${base}/persons` && r.tags.includes('公安人口接口')));
        const runs = await db.selectFrom('datahub.import_run').select(['source', 'status']).execute();
        assert.ok(runs.length >= 2, `a run per poll, not ${runs.length}`);
        assert.ok(runs.every((r) => r.source === `http:${base}/persons` && r.status === 'completed'));
      } finally {
        await platform.dispose();
      }
    },
  );

  test('an unknown resource, rules that do not fit, or http in production: the start names the setting', async () => {
    for (const [connector, env, message] of [
      [{ resource: 'no-such', url: `${base}/x`, intervalMs: 1000 }, {}, /datahub\.connectors\.0\.resource/],
      [
        { resource: 'population', url: `${base}/x`, intervalMs: 1000, rules: { resource: 'enterprise', items: {} } },
        {},
        /datahub\.connectors\.0\.rules/,
      ],
    ] as const) {
      const platform = await startTestPlatform([datahub], {
        env: { TONGBAN_PORT: '0', TONGBAN_HOST: '127.0.0.1', TONGBAN_CONFIG: configFile([connector]), ...env },
      });
      try {
        await assert.rejects(platform.listen(), message);
      } finally {
        await platform.dispose();
      }
    }
    // The schema: a connector is typed configuration, checked when the configuration loads.
    assert.throws(
      () => loadConfig({ TONGBAN_CONFIG: configFile([{ resource: 'population', url: 'ftp://x', intervalMs: 1000 }]) }),
      (e: Error) => e instanceof ConfigError && /datahub\.connectors\.0\.url/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ TONGBAN_CONFIG: configFile([{ resource: 'population', url: base, intervalMs: 5 }]) }),
      (e: Error) => e instanceof ConfigError && /intervalMs/.test(e.message),
    );
  });
});
