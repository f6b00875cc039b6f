// The fuzzer's fixed-seed sample, run by `npm test`: requests drawn from the OpenAPI document for
// every operation (check.ts states the property), the same ones on every run. `npm run fuzz` runs
// ≥ 100,000 with a fresh seed; a failure it finds is replayed here by its seed and run count.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import { violations } from './check.ts';
import { describe as show, fuzz } from './fuzz.ts';
import { startFuzzPlatform, type FuzzPlatform } from './platform.ts';
import type { FuzzRequest, Operation } from './requests.ts';

const SEED = 20261206;
const RUNS = Number(process.env.TONGBAN_FUZZ_SAMPLE ?? 2_500);

describe(`fuzzing from the OpenAPI document (${databaseLabel})`, () => {
  let p: FuzzPlatform;
  before(async () => {
    p = await startFuzzPlatform();
  });
  after(() => p?.close());

  test('the document lists every module, and the fuzzer reaches every operation in it', () => {
    const documented = p.operations.filter((o) => !o.undocumented);
    for (const prefix of ['catalog', 'identity', 'datahub', 'workflow', 'ledger', 'licenses'])
      assert.ok(
        documented.some((o) => o.path.startsWith(`/api/${prefix}/`)),
        `no operation of ${prefix} in /api/openapi.json`,
      );
    assert.ok(documented.length >= 100, `${documented.length} operations`);
  });

  test(`${RUNS} requests (seed ${SEED}): none is answered ≥ 500, with internals, or not at all`, async () => {
    const report = await fuzz(p, { runs: RUNS, seed: SEED, shrink: 3 });
    const failures = report.failures.map(
      (f) => `${f.operation}: ${f.problem}\n${show(f.shrunk ?? f.request)}\nanswer: ${f.body?.slice(0, 400) ?? ''}`,
    );
    assert.deepEqual(failures, [], `replay: npm run fuzz -- --seed=${SEED} --runs=${RUNS}`);
    assert.equal(report.requests, RUNS);
    // Handlers ran, not only the guard and the validators: some answers are successes.
    const ok = [...report.byStatus].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
    assert.ok(ok > RUNS / 20, `only ${ok} of ${RUNS} answers were 2xx`);
  });

  test('the property can fail: a 500, a 4xx that is not problem+json, a leaked stack or SQL are caught', () => {
    const op: Operation = { key: 'GET /x', method: 'GET', path: '/x', parameters: [], oauthErrors: [] };
    const req: FuzzRequest = { operation: op.key, method: 'GET', url: '/x', headers: [], credentials: [] };
    const answer = (status: number, type: string, body: string) => ({
      status,
      headers: { 'content-type': type },
      body,
      ms: 1,
    });
    const problem = 'application/problem+json; charset=utf-8';
    assert.deepEqual(violations(req, op, answer(400, problem, '{"code":"VALIDATION_FAILED"}')), []);
    assert.deepEqual(violations(req, op, answer(500, problem, '{"code":"INTERNAL"}')), ['status 500']);
    assert.deepEqual(violations(req, op, answer(404, 'text/html', '<p>no</p>')), ["4xx with content-type 'text/html'"]);
    assert.deepEqual(violations(req, op, answer(400, problem, '{"title":"x"}')), ['problem without a code']);
    assert.match(
      violations(
        req,
        op,
        answer(400, problem, '{"code":"X","detail":"relation \\"identity.account\\" does not exist"}'),
      )[0]!,
      /SQL/,
    );
    assert.match(
      violations(req, op, answer(400, problem, '{"code":"X","detail":"TypeError: x\\n    at f (/work/a.ts:1:2)"}'))[0]!,
      /stack frame|file path|JavaScript/,
    );
    // What the request itself sent, echoed back (a path in a 404), is not a leak.
    const echoed = { ...req, url: '/x/TypeError' };
    assert.deepEqual(violations(echoed, op, answer(404, problem, '{"code":"NOT_FOUND","detail":"/x/TypeError"}')), []);
  });
});
