// Issue 14, "the authorization matrix, generated": every route of the whole platform, read with
// its policy from the running server, tried by every principal; 0 unexpected allows and 0
// unexpected denials, on the embedded database and on PostgreSQL (TONGBAN_TEST_DATABASE_URL).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import { allModules } from '../../src/modules.ts';
import { startWorkflow, type Harness } from '../workflow/fixtures.ts';
import { differenceTable, runMatrix, summaryLine, type Operation } from './matrix.ts';

describe(`the authorization matrix of every route (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({
      modules: allModules,
      identity: true,
      // Thousands of requests from one address: the per-address budget would answer 429.
      env: {
        TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000000',
        TONGBAN_HTTP_DOCS: 'public',
        TONGBAN_LOG_LEVEL: 'error',
      },
    });
  });
  after(() => h.p.dispose());

  test('every principal gets what the declared policy says, on every route', { timeout: 300_000 }, async () => {
    const started = Date.now();
    const result = await runMatrix(h);
    console.log(`${summaryLine(result)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    assert.deepEqual(result.gaps, [], result.gaps.join('\n'));
    assert.ok(result.routes > 100, `only ${result.routes} routes read from the server`);
    assert.equal(result.differences.length, 0, `\n${differenceTable(result.differences)}`);
  });

  test('the matrix can fail: a wrong expectation is reported, row by row', async () => {
    const queue = (op: Operation) => op.method === 'GET' && op.path === '/api/workflow/queue';
    const result = await runMatrix(h, { only: queue, tamper: queue });
    assert.equal(result.routes, 1);
    assert.equal(result.differences.length, result.requests, 'every verdict flipped is a difference');
    assert.ok(result.counts['unexpected allow'] > 0 && result.counts['unexpected denial'] > 0, summaryLine(result));
    assert.match(differenceTable(result.differences), /GET +\/api\/workflow\/queue +officer no roles mfa/);
  });

  test('a resource route without a fixture factory fails the matrix, saying what to add', async () => {
    const task = (op: Operation) => op.method === 'GET' && op.path === '/api/workflow/tasks/{id}';
    const result = await runMatrix(h, { only: task, factories: [] });
    assert.equal(result.requests, 0);
    assert.equal(result.gaps.length, 1);
    assert.match(
      result.gaps[0]!,
      /GET \/api\/workflow\/tasks\/\{id\}: a resource route with no fixture factory — add one/,
    );
  });
});
