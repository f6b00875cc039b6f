// Patterns that come from data run on citizens' input, so the catalog compiles them with RE2 and
// refuses at save and at publish what RE2 cannot compile (backreferences, lookarounds); CEL rules
// may not call matches(), which would run a backtracking engine.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import type { DataElement, FormSchema, Matter } from '../src/domain/model.ts';
import { compileDataPattern, findPatternError } from '@tongban/kernel';
import { checkMatter } from '../src/domain/publish.ts';
import { dataElements } from '../src/seed/demo-city.ts';
import catalog from '../src/index.ts';

const text = (zh: string, en: string) => ({ zh, en });
const NOT_RE2 = ['(a)\\1', '^(?=.*\\d)[a-z0-9]+$', '(?<=a)b', '(?!x)y'];

describe('data patterns compile with RE2', () => {
  it('every pattern of the demo city compiles and still means what it meant (\\d, [0-9Xx], credit codes)', () => {
    for (const e of dataElements.filter((x) => x.pattern)) assert.equal(findPatternError(e.pattern!), undefined, e.id);
    assert.equal(compileDataPattern('^[0-9]{17}[0-9Xx]$').test('33010619900101123x'), true);
    assert.equal(compileDataPattern('^\\d{6}$').test('310000'), true);
    assert.equal(compileDataPattern('^\\d{6}$').test('31000a'), false);
    assert.equal(
      compileDataPattern('^[\\u4e00-\\u9fa5]{2,20}$').test('张三'),
      true,
      'JS escapes are read as RE2 spells them',
    );
  });

  it('backreferences and lookarounds are refused, with the reason', () => {
    for (const p of NOT_RE2) assert.match(findPatternError(p) ?? '', /./, p);
  });
});

describe('the catalog refuses patterns RE2 cannot compile', () => {
  const elements = new Map<string, DataElement>([
    ['person.name', { id: 'person.name', name: text('姓名', 'Name'), type: 'string' }],
    ['legacy.code', { id: 'legacy.code', name: text('旧编码', 'Legacy code'), type: 'string', pattern: '^(\\w)\\1$' }],
  ]);
  const refs = { elements, departments: new Set(['330100-WJW']) };
  const matter = (form: FormSchema, autoApprove: Matter['autoApprove'] = []): Matter => ({
    code: 'M-1',
    name: text('事项', 'Matter'),
    description: text('说明', 'About'),
    departmentCode: '330100-WJW',
    legalDays: 5,
    promisedDays: 1,
    fees: [],
    materials: [],
    form,
    lifeEvents: [],
    autoApprove,
  });
  const found = (m: Matter) => checkMatter(m, refs).map((e) => `${e.field} ${e.code}`);

  it("a form field's own pattern is refused at publish, naming the field", () => {
    const form: FormSchema = {
      type: 'object',
      properties: { name: { 'x-data-element': 'person.name', pattern: '^(?!admin).*$' } },
    };
    assert.deepEqual(found(matter(form)), ['form.properties.name.pattern invalid_pattern']);
  });

  it('a data element saved before RE2 with a pattern it cannot compile stops the publish of forms that use it', () => {
    const form: FormSchema = { type: 'object', properties: { code: { 'x-data-element': 'legacy.code' } } };
    assert.deepEqual(found(matter(form)), ['form.properties.code.x-data-element invalid_pattern']);
  });

  it('a 秒批 rule may not call matches()', () => {
    const form: FormSchema = { type: 'object', properties: { name: { 'x-data-element': 'person.name' } } };
    const rule = (when: string) => ({ id: 'r', name: text('规则', 'Rule'), when });
    assert.deepEqual(found(matter(form, [rule('form.name.matches("^(a|a)*$")')])), [
      'autoApprove.0.when function_not_allowed',
    ]);
    assert.deepEqual(found(matter(form, [rule('form.name == "matches"')])), [], 'the word in a string is not a call');
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
  const put = (url: string, payload: object) =>
    platform.app.inject({ method: 'PUT', url: `/api/catalog${url}`, headers: operatorHeaders(), payload });

  it('a data element whose pattern RE2 cannot compile is refused on save (422, body.pattern) and not stored', async () => {
    for (const pattern of NOT_RE2) {
      const r = await put('/data-elements/test.plate', { name: text('车牌', 'Plate'), type: 'string', pattern });
      assert.equal(r.statusCode, 422, r.body);
      assert.deepEqual(
        r.json<{ errors: { field: string; code: string }[] }>().errors.map((e) => `${e.field} ${e.code}`),
        ['body.pattern invalid_pattern'],
      );
    }
    assert.equal((await platform.app.inject({ url: '/api/catalog/data-elements/test.plate' })).statusCode, 404);
  });

  it('publishing a matter whose field pattern RE2 cannot compile is 422 naming the field, and publishes nothing', async () => {
    const draft = {
      name: text('测试', 'Test'),
      description: text('测试', 'Test'),
      departmentCode: '330100-WJW',
      legalDays: 5,
      promisedDays: 1,
      fees: [],
      materials: [],
      form: { type: 'object', properties: { name: { 'x-data-element': 'person.name', pattern: '^(a)\\1$' } } },
      lifeEvents: [],
    };
    assert.equal((await put('/matters/330100-WJW-901/draft', draft)).statusCode, 200);
    const r = await platform.app.inject({
      method: 'POST',
      url: '/api/catalog/matters/330100-WJW-901/publish',
      headers: operatorHeaders(),
    });
    assert.equal(r.statusCode, 422, r.body);
    assert.deepEqual(
      r.json<{ errors: { field: string }[] }>().errors.map((e) => e.field),
      ['draft.form.properties.name.pattern'],
    );
    assert.equal((await platform.app.inject({ url: '/api/catalog/matters/330100-WJW-901' })).statusCode, 404);
  });
});
