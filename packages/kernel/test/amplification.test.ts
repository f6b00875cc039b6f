// An error answer must not be bigger than the request that caused it: a body with 90,000
// unknown keys was answered with 90,000 field errors (5.9 MB for 0.9 MB).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Type from 'typebox';
import { defineModule, DomainError, Policies } from '../src/index.ts';
import { databaseLabel, startTestPlatform, type TestPlatform } from '../src/testing.ts';

const Count = Type.Object({ n: Type.Integer(), note: Type.Optional(Type.String()) }, { additionalProperties: false });

const amp = defineModule({
  name: 'amp',
  title: { zh: '放大', en: 'Amplify' },
  routes(app) {
    app.post('/counts', { config: { policy: Policies.public }, schema: { body: Count } }, async () => ({ ok: true }));
    app.get('/many', { config: { policy: Policies.public } }, async () => {
      throw new DomainError(
        'VALIDATION_FAILED',
        {},
        Array.from({ length: 500 }, (_, i) => ({ field: `body.f${i}`, code: 'required', message: 'x' })),
      );
    });
  },
});

describe(`field errors are capped (${databaseLabel})`, () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform([amp]);
  });
  after(() => p.dispose());

  test('90,000 unknown keys: the first 20 field errors and a count, in a small answer', async () => {
    const body: Record<string, number> = {};
    for (let i = 0; i < 90_000; i++) body[String(i)] = 1;
    const payload = JSON.stringify(body);
    const res = await p.app.inject({
      method: 'POST',
      url: '/api/amp/counts',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    assert.equal(res.statusCode, 400);
    const problem = res.json() as { code: string; errors: { field: string; code: string }[]; errorCount: number };
    assert.equal(problem.code, 'VALIDATION_FAILED');
    assert.equal(problem.errors.length, 20);
    assert.deepEqual(problem.errors[0], { field: 'body.n', code: 'required', message: '必填' });
    assert.equal(problem.errors[1]!.code, 'unknown_field');
    assert.equal(problem.errorCount, 90_001, 'every issue is counted: 90,000 unknown keys and the missing n');
    assert.ok(res.rawPayload.length < 4096, `${res.rawPayload.length} bytes`);
  });

  test('a few errors are all listed, with no count', async () => {
    const res = await p.app.inject({
      method: 'POST',
      url: '/api/amp/counts',
      headers: { 'content-type': 'application/json' },
      payload: '{"x":1}',
    });
    const problem = res.json() as { errors: unknown[]; errorCount?: number };
    assert.equal(problem.errors.length, 2);
    assert.equal(problem.errorCount, undefined);
  });

  test('a domain error with many field errors is capped the same way', async () => {
    const problem = (await p.app.inject({ url: '/api/amp/many' })).json() as { errors: unknown[]; errorCount: number };
    assert.equal(problem.errors.length, 20);
    assert.equal(problem.errorCount, 500);
  });
});
