// A data element's own rules (数据元): bounds fit numbers and dates, check characters fit
// strings, ranges are not empty; the demo city's elements carry the bounds a real dictionary has.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { checkElementRules, elementSchema } from '../src/domain/elements.ts';
import type { DataElement } from '../src/domain/model.ts';
import { dataElements } from '../src/seed/demo-city.ts';
import catalog from '../src/index.ts';

const name = { zh: '字段', en: 'Field' };
const found = (e: DataElement) => checkElementRules(e).map((x) => `${x.field} ${x.code}`);

describe('a data element states rules that fit its type', () => {
  it('bounds and checks on the wrong type are refused', () => {
    assert.deepEqual(found({ id: 'a.b', name, type: 'string', minimum: 1, maxDate: 'today' }), [
      'minimum not_allowed',
      'maxDate not_allowed',
    ]);
    assert.deepEqual(found({ id: 'a.b', name, type: 'integer', check: 'gb11643' }), ['check not_allowed']);
  });

  it('an empty range and a date that does not exist are refused', () => {
    assert.deepEqual(found({ id: 'a.b', name, type: 'integer', minimum: 10, maximum: 1 }), ['maximum empty_range']);
    assert.deepEqual(found({ id: 'a.b', name, type: 'date', minDate: '2026-02-30' }), ['minDate invalid_date']);
    assert.deepEqual(found({ id: 'a.b', name, type: 'date', minDate: '2026-01-02', maxDate: '2026-01-01' }), [
      'maxDate empty_range',
    ]);
    assert.deepEqual(found({ id: 'a.b', name, type: 'date', minDate: '1900-01-01', maxDate: 'today' }), []);
  });

  it('numeric bounds reach the schema of every field bound to the element (a bundle merged form)', () => {
    assert.deepEqual(elementSchema({ id: 'a.b', name, type: 'integer', minimum: 300, maximum: 8000 }), {
      type: 'integer',
      title: '字段',
      'x-title-en': 'Field',
      minimum: 300,
      maximum: 8000,
    });
  });

  it('the demo city: birth weight 300–8000 g, birth date from 1900 to today, ID numbers and credit codes checked', () => {
    const byId = new Map(dataElements.map((e) => [e.id, e]));
    assert.deepEqual([byId.get('child.birthWeight')!.minimum, byId.get('child.birthWeight')!.maximum], [300, 8000]);
    assert.deepEqual(
      [byId.get('child.birthDate')!.minDate, byId.get('child.birthDate')!.maxDate],
      ['1900-01-01', 'today'],
    );
    for (const e of dataElements.filter((x) => /idNumber$/.test(x.id))) assert.equal(e.check, 'gb11643', e.id);
    assert.ok(dataElements.some((e) => e.check === 'gb32100'));
    for (const e of dataElements) assert.deepEqual(found(e), [], e.id);
  });
});

describe('over HTTP', () => {
  let platform: TestPlatform;
  before(async () => {
    platform = await startTestPlatform([catalog], { seed: true });
  });
  after(async () => {
    await platform?.dispose();
  });
  const put = (id: string, payload: object) =>
    platform.app.inject({
      method: 'PUT',
      url: `/api/catalog/data-elements/${id}`,
      headers: operatorHeaders(),
      payload,
    });

  it('an element with rules that do not fit is 422 naming the field; one that fits is stored with them', async () => {
    const bad = await put('test.weight', { name, type: 'string', minimum: 1 });
    assert.equal(bad.statusCode, 422, bad.body);
    assert.deepEqual(
      bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field),
      ['body.minimum'],
    );
    assert.equal(
      (await put('test.when', { name, type: 'date', maxDate: 'tomorrow' })).statusCode,
      400,
      'not a date bound at all',
    );
    const good = { name, type: 'integer', minimum: 1, maximum: 9 };
    assert.equal((await put('test.weight', good)).statusCode, 200);
    assert.deepEqual((await platform.app.inject({ url: '/api/catalog/data-elements/test.weight' })).json(), {
      id: 'test.weight',
      ...good,
    });
  });
});
