// The operator's write API for the org tree and the data-element dictionary, and how every route
// answers bad input: problem+json with a stable code and the fields at fault, never a stack trace.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import catalog from '../src/index.ts';

interface Problem {
  status: number;
  code: string;
  title: string;
  errors?: { field: string; code: string; message: string }[];
}
interface Request {
  method?: 'GET' | 'PUT' | 'POST';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}
interface Reply {
  status: number;
  body: string;
  json<T>(): T;
}

const STACK_TRACE = /at .*\.ts:\d+/;
const name = (zh: string, en: string) => ({ name: { zh, en } });

let platform: TestPlatform;
let responses = 0;
before(async () => {
  platform = await startTestPlatform([catalog], { seed: true });
});
after(async () => {
  await platform?.dispose();
});

/** Every response of this file passes through here, and none may carry a stack trace. */
async function call({ method = 'GET', url, payload, headers = {} }: Request): Promise<Reply> {
  const response = await platform.app.inject({
    method,
    url: `/api/catalog${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  assert.doesNotMatch(response.body, STACK_TRACE, `${method} ${url} answered with a stack trace`);
  responses++;
  return { status: response.statusCode, body: response.body, json: <T>() => response.json<T>() };
}
const put = (url: string, payload: unknown, headers: Record<string, string> = operatorHeaders()) =>
  call({ method: 'PUT', url, payload, headers });

async function refused(reply: Reply, status: number, code: string): Promise<Problem> {
  assert.equal(reply.status, status, reply.body);
  const problem = reply.json<Problem>();
  assert.equal(problem.code, code);
  assert.equal(problem.status, status);
  return problem;
}
const fields = (problem: Problem) => (problem.errors ?? []).map((e) => `${e.field} ${e.code}`);

describe('writes need the operator token', () => {
  it('a write without a token is refused with 401 and does not happen', async () => {
    await refused(await put('/regions/330200', name('宁波市', 'Ningbo'), {}), 401, 'UNAUTHENTICATED');
    const regions = (await call({ url: '/regions' })).json<{ code: string }[]>();
    assert.ok(!regions.some((r) => r.code === '330200'));
  });

  it('a wrong token is refused with 401 and the write does not happen', async () => {
    for (const authorization of ['Bearer not-the-operator-token', 'Basic b3BlcmF0b3I6c2VjcmV0', 'Bearer ']) {
      await refused(
        await put('/departments/330100-FAKE', { regionCode: '330100', ...name('假部门', 'Fake') }, { authorization }),
        401,
        'UNAUTHENTICATED',
      );
    }
    await refused(await call({ url: '/departments/330100-FAKE' }), 404, 'CATALOG_DEPARTMENT_NOT_FOUND');
  });

  it('publishing without a token is refused and makes no new version', async () => {
    await refused(await call({ method: 'POST', url: '/matters/330100-WJW-001/publish' }), 401, 'UNAUTHENTICATED');
    const versions = (await call({ url: '/matters/330100-WJW-001/versions' })).json<{ version: number }[]>();
    assert.deepEqual(
      versions.map((v) => v.version),
      [1],
    );
  });

  it('reading the catalog needs no token', async () => {
    assert.equal((await call({ url: '/regions' })).status, 200);
    assert.equal((await call({ url: '/matters/330100-WJW-001' })).status, 200);
  });
});

describe('regions (行政区划)', () => {
  it('a region is created, then updated in place', async () => {
    assert.equal((await put('/regions/330110', { ...name('余杭区', 'Yuhang'), parentCode: '330100' })).status, 200);
    assert.equal(
      (await put('/regions/330110', { ...name('余杭区', 'Yuhang District'), parentCode: '330100' })).status,
      200,
    );
    const regions = (await call({ url: '/regions' })).json<
      { code: string; name: { en: string }; parentCode?: string }[]
    >();
    assert.deepEqual(
      regions.filter((r) => r.code === '330110'),
      [{ code: '330110', name: { zh: '余杭区', en: 'Yuhang District' }, parentCode: '330100' }],
    );
  });

  it('a region whose parent does not exist is refused (422, body.parentCode)', async () => {
    const problem = await refused(
      await put('/regions/330111', { ...name('某区', 'Somewhere'), parentCode: '339999' }),
      422,
      'CATALOG_INVALID_REFERENCE',
    );
    assert.deepEqual(fields(problem), ['body.parentCode invalid_reference']);
  });

  it('a region cannot become a child of its own descendant', async () => {
    // 330106 西湖区 → 330100 杭州市 → 330000 浙江省; making 330000 a child of 330106 closes a loop.
    const problem = await refused(
      await put('/regions/330000', { ...name('浙江省', 'Zhejiang Province'), parentCode: '330106' }),
      422,
      'CATALOG_INVALID_REFERENCE',
    );
    assert.deepEqual(fields(problem), ['body.parentCode invalid_reference']);
    const province = (await call({ url: '/regions' }))
      .json<{ code: string; parentCode?: string }[]>()
      .find((r) => r.code === '330000');
    assert.equal(province?.parentCode, undefined, 'the province is still the root');
  });

  it('a region code is six digits (GB/T 2260)', async () => {
    const problem = await refused(await put('/regions/3301', name('短码', 'Short')), 400, 'VALIDATION_FAILED');
    assert.deepEqual(fields(problem), ['params.code pattern']);
  });
});

describe('departments (部门)', () => {
  const department = (regionCode: string, parentCode?: string) => ({
    regionCode,
    ...name('测试部门', 'Test department'),
    ...(parentCode ? { parentCode } : {}),
  });

  it('a department is created, read, listed by region and placed in the org tree', async () => {
    assert.equal((await put('/departments/330100-TEST', department('330100', '330100-WJW'))).status, 200);
    const read = (await call({ url: '/departments/330100-TEST' })).json<{ parentCode?: string }>();
    assert.equal(read.parentCode, '330100-WJW');
    const listed = (await call({ url: '/departments?region=330100' })).json<{ code: string }[]>();
    assert.ok(listed.some((d) => d.code === '330100-TEST'));
    type Node = { code: string; children: Node[] };
    const org = (await call({ url: '/org' })).json<{ code: string; departments: Node[] }[]>();
    const health = org.find((r) => r.code === '330100')?.departments.find((d) => d.code === '330100-WJW');
    assert.ok(
      health?.children.some((d) => d.code === '330100-TEST'),
      'nested under 卫健委',
    );
  });

  it('a department whose region does not exist is refused (422, body.regionCode)', async () => {
    const problem = await refused(
      await put('/departments/339999-GA', department('339999')),
      422,
      'CATALOG_INVALID_REFERENCE',
    );
    assert.deepEqual(fields(problem), ['body.regionCode invalid_reference']);
    await refused(await call({ url: '/departments/339999-GA' }), 404, 'CATALOG_DEPARTMENT_NOT_FOUND');
  });

  it('a department whose parent does not exist is refused (422, body.parentCode)', async () => {
    const problem = await refused(
      await put('/departments/330100-ORPHAN', department('330100', '330100-NOBODY')),
      422,
      'CATALOG_INVALID_REFERENCE',
    );
    assert.deepEqual(fields(problem), ['body.parentCode invalid_reference']);
  });

  it('the department tree cannot contain a cycle', async () => {
    assert.equal((await put('/departments/330100-TOP', department('330100'))).status, 200);
    assert.equal((await put('/departments/330100-MID', department('330100', '330100-TOP'))).status, 200);
    assert.equal((await put('/departments/330100-LOW', department('330100', '330100-MID'))).status, 200);
    const problem = await refused(
      await put('/departments/330100-TOP', department('330100', '330100-LOW')),
      422,
      'CATALOG_INVALID_REFERENCE',
    );
    assert.deepEqual(fields(problem), ['body.parentCode invalid_reference']);
    assert.equal(
      (await call({ url: '/departments/330100-TOP' })).json<{ parentCode?: string }>().parentCode,
      undefined,
    );
  });

  it('a department code the database would refuse is a 400 naming params.code, not a 500', async () => {
    for (const code of ['330100.GA', 'X', 'D'.repeat(41)]) {
      const problem = await refused(await put(`/departments/${code}`, department('330100')), 400, 'VALIDATION_FAILED');
      assert.deepEqual(fields(problem), ['params.code pattern'], code);
    }
  });
});

describe('data elements (数据元)', () => {
  const gender = {
    ...name('性别', 'Gender'),
    type: 'code',
    values: [
      { code: '1', ...name('男', 'Male') },
      { code: '2', ...name('女', 'Female') },
    ],
  };

  it('a data element is defined and read back as written', async () => {
    assert.equal((await put('/data-elements/test.gender', gender)).status, 200);
    assert.deepEqual((await call({ url: '/data-elements/test.gender' })).json(), { id: 'test.gender', ...gender });
  });

  it('a code element without a value domain (值域) is refused (422, body.values)', async () => {
    const problem = await refused(
      await put('/data-elements/test.colour', { ...name('颜色', 'Colour'), type: 'code' }),
      422,
      'CATALOG_INVALID_DATA_ELEMENT',
    );
    assert.deepEqual(fields(problem), ['body.values required']);
    await refused(await call({ url: '/data-elements/test.colour' }), 404, 'CATALOG_DATA_ELEMENT_NOT_FOUND');
  });

  it('only a code element has a value domain', async () => {
    const problem = await refused(
      await put('/data-elements/test.height', { ...gender, type: 'integer' }),
      422,
      'CATALOG_INVALID_DATA_ELEMENT',
    );
    assert.deepEqual(fields(problem), ['body.values not_allowed']);
  });

  it('a pattern that is not a regular expression is refused (422, body.pattern)', async () => {
    const problem = await refused(
      await put('/data-elements/test.plate', { ...name('车牌', 'Plate'), type: 'string', pattern: '[A-Z' }),
      422,
      'CATALOG_INVALID_DATA_ELEMENT',
    );
    assert.deepEqual(fields(problem), ['body.pattern invalid_pattern']);
  });

  it('value codes are unique', async () => {
    const values = [
      { code: '1', ...name('是', 'Yes') },
      { code: '1', ...name('否', 'No') },
    ];
    const problem = await refused(
      await put('/data-elements/test.flag', { ...gender, values }),
      422,
      'CATALOG_INVALID_DATA_ELEMENT',
    );
    assert.deepEqual(fields(problem), ['body.values duplicate_code']);
  });

  it('an element id is dotted: a bare word is a 400 naming params.id', async () => {
    assert.deepEqual(fields(await refused(await put('/data-elements/colour', gender), 400, 'VALIDATION_FAILED')), [
      'params.id pattern',
    ]);
  });
});

describe('bad requests are problems with the fields at fault', () => {
  const url = '/matters/330100-WJW-099/draft';

  it('malformed JSON is 400 MALFORMED_JSON', async () => {
    await refused(
      await put(url, '{"name": {"zh": ', operatorHeaders({ 'content-type': 'application/json' })),
      400,
      'MALFORMED_JSON',
    );
  });

  it('a value of the wrong type is not coerced: legalDays "5" is body.legalDays wrong_type', async () => {
    const problem = await refused(await put(url, { legalDays: '5' }), 400, 'VALIDATION_FAILED');
    assert.ok(fields(problem).includes('body.legalDays wrong_type'), JSON.stringify(problem.errors));
    assert.ok(fields(problem).includes('body.name required'), 'and every other problem at once');
  });

  it('an unknown field is refused, not dropped', async () => {
    const problem = await refused(
      await put('/regions/330120', { ...name('某区', 'Somewhere'), colour: 'red' }),
      400,
      'VALIDATION_FAILED',
    );
    assert.deepEqual(fields(problem), ['body.colour unknown_field']);
  });

  it('a body over 1 MiB is 413 BODY_TOO_LARGE', async () => {
    const huge = JSON.stringify({ ...name('大', 'Big'), padding: 'x'.repeat(1_100_000) });
    await refused(
      await put('/regions/330121', huge, operatorHeaders({ 'content-type': 'application/json' })),
      413,
      'BODY_TOO_LARGE',
    );
  });

  it('an unknown matter is 404 CATALOG_MATTER_NOT_FOUND, titled in the language asked for', async () => {
    const zh = await refused(await call({ url: '/matters/330100-NONE-001' }), 404, 'CATALOG_MATTER_NOT_FOUND');
    assert.equal(zh.title, '事项 330100-NONE-001 不存在或尚未发布');
    const en = await refused(
      await call({ url: '/matters/330100-NONE-001', headers: { 'accept-language': 'en-GB,en;q=0.9' } }),
      404,
      'CATALOG_MATTER_NOT_FOUND',
    );
    assert.equal(en.title, 'Matter 330100-NONE-001 does not exist or is not published');
  });

  it('an unknown version of a published matter is 404 CATALOG_VERSION_NOT_FOUND', async () => {
    await refused(await call({ url: '/matters/330100-WJW-001?version=99' }), 404, 'CATALOG_VERSION_NOT_FOUND');
    await refused(await call({ url: '/matters/330100-WJW-001/versions/99' }), 404, 'CATALOG_VERSION_NOT_FOUND');
  });

  it('a version past the database integer (2^31) is 400 VALIDATION_FAILED, not a 500', async () => {
    for (const url of [
      '/matters/330100-WJW-001/versions/2147483648',
      '/matters/330100-WJW-001?version=99999999999',
      '/bundles/BIRTH/versions/2147483648',
      '/bundles/BIRTH?version=2147483648',
    ])
      await refused(await call({ url }), 400, 'VALIDATION_FAILED');
  });

  it('an error response is problem+json', async () => {
    const response = await platform.app.inject({ url: '/api/catalog/matters/330100-NONE-001' });
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  });

  it('no response in this file contained a stack trace', () => {
    assert.ok(responses > 30, `every call above was checked (${responses})`);
  });
});
