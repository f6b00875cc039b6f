// Source parsers: RFC 4180 CSV and JSON (array or NDJSON) in UTF-8 and GBK, read as chunks
// split anywhere; a file that is not what it says is an error naming the row and the byte.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { readRecords, SourceError, type ReadOptions, type SourceRecord } from '../src/domain/sources.ts';

const columns = { known: ['idNumber', 'name', 'address'], required: ['idNumber'] };
const csv: ReadOptions = { format: 'csv', encoding: 'utf-8', columns };
const json: ReadOptions = { format: 'json', encoding: 'utf-8', columns };

async function* chunked(bytes: Uint8Array, cuts: readonly number[] = []): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    yield bytes.subarray(at, cut);
    at = cut;
  }
  yield bytes.subarray(at);
}

async function read(
  text: string | Uint8Array,
  options: ReadOptions,
  cuts: readonly number[] = [],
): Promise<SourceRecord[]> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const out: SourceRecord[] = [];
  for await (const r of readRecords(chunked(bytes, cuts), options)) out.push(r);
  return out;
}

async function refusal(text: string | Uint8Array, options: ReadOptions): Promise<SourceError> {
  try {
    await read(text, options);
  } catch (error) {
    assert.ok(error instanceof SourceError, String(error));
    return error;
  }
  assert.fail('the source was not refused');
}

const TRICKY =
  '\uFEFFidNumber,name,address\r\n' +
  '1,"张, 三","杭州市\r\n西湖区 ""文三路"" 1号"\r\n' +
  '2,李四,\r\n' +
  '\r\n' +
  '3,"",""""\n';

describe('CSV', () => {
  test('quotes, embedded commas and line breaks, CRLF, a BOM, empty fields and blank lines', async () => {
    const rows = await read(TRICKY, csv);
    assert.deepEqual(
      rows.map((r) => [r.row, r.line, r.fields]),
      [
        [1, 2, { idNumber: '1', name: '张, 三', address: '杭州市\r\n西湖区 "文三路" 1号' }],
        [2, 4, { idNumber: '2', name: '李四', address: '' }],
        [3, 6, { idNumber: '3', name: '', address: '"' }],
      ],
    );
  });
  test('the same rows however the bytes are split into chunks', async () => {
    const whole = await read(TRICKY, csv);
    const length = new TextEncoder().encode(TRICKY).length;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: length - 1 }), { maxLength: 8 }), async (cuts) => {
        assert.deepEqual(await read(TRICKY, csv, cuts), whole);
      }),
      { numRuns: 300 },
    );
  });
  test('every split point of a quote-heavy file, one chunk boundary at a time', async () => {
    const text = 'idNumber,name\n"a""b","c\r\n"""\n"",x\r\n';
    const whole = await read(text, csv);
    assert.deepEqual(
      whole.map((r) => r.fields),
      [
        { idNumber: 'a"b', name: 'c\r\n"' },
        { idNumber: '', name: 'x' },
      ],
    );
    for (let cut = 1; cut < text.length; cut++) assert.deepEqual(await read(text, csv, [cut]), whole, `cut at ${cut}`);
  });
  const malformed: [string, string, RegExp][] = [
    ['a quote inside an unquoted field', 'idNumber,name\n1,ab"c\n', /quote inside an unquoted field.*line 2/],
    ['text after a closing quote', 'idNumber,name\n1,"ab"c\n', /after a closing quote.*line 2/],
    ['a quote never closed', 'idNumber,name\n1,"abc\n2,x\n', /ends inside a quoted field.*line 2/],
    ['a row with too many fields', 'idNumber,name\n1,a\n2,b,c\n', /3 fields where the header has 2.*row 2, line 3/],
    ['no header', '', /no header/],
  ];
  for (const [what, text, message] of malformed)
    test(`refuses ${what}`, async () => assert.match((await refusal(text, csv)).message, message));
  test('refuses unknown columns, naming them, before any row', async () => {
    const e = await refusal('idNumber,name,nickname,shoeSize\n1,a,b,c\n', csv);
    assert.equal(e.code, 'UNKNOWN_COLUMNS');
    assert.match(e.message, /'nickname', 'shoeSize'.*line 1/);
  });
  test('refuses a header without a required column', async () => {
    const e = await refusal('name,address\na,b\n', csv);
    assert.equal(e.code, 'MISSING_COLUMNS');
    assert.match(e.message, /'idNumber'/);
  });
});

describe('encodings', () => {
  // 张三 in GBK: D5C5 C8FD; 杭州 B9BC D6DD
  const gbk = Uint8Array.from([
    ...new TextEncoder().encode('idNumber,name,address\n1,'),
    0xd5,
    0xc5,
    0xc8,
    0xfd,
    0x2c,
    0xba,
    0xbc,
    0xd6,
    0xdd,
    0x0a,
  ]);
  test('GBK decodes when declared', async () => {
    const rows = await read(gbk, { ...csv, encoding: 'gbk' });
    assert.deepEqual(rows[0]!.fields, { idNumber: '1', name: '张三', address: '杭州' });
  });
  test('GBK bytes in a file declared UTF-8: an error naming the row and the byte offset', async () => {
    const e = await refusal(gbk, csv);
    assert.equal(e.code, 'INVALID_ENCODING');
    assert.deepEqual(e.at, { row: 1, line: 2, offset: 24 });
    assert.match(e.message, /not UTF-8.*--encoding gbk.*row 1, line 2, byte offset 24/);
  });
  test('the offset is the same wherever the chunks are cut', async () => {
    const text = new Uint8Array([...new TextEncoder().encode('idNumber,name\n1,杭州\n2,'), 0xe6, 0x9d, 0x41, 0x0a]);
    for (let cut = 1; cut < text.length; cut++) {
      try {
        await read(text, csv, [cut]);
        assert.fail('accepted');
      } catch (error) {
        assert.ok(error instanceof SourceError);
        assert.deepEqual(error.at, { row: 2, line: 3, offset: 25 }, `cut at ${cut}`);
      }
    }
  });
  test('a multi-byte character cut at the end of the file', async () => {
    const e = await refusal(new Uint8Array([...new TextEncoder().encode('idNumber\n1'), 0xe6, 0x9d]), csv);
    assert.equal(e.code, 'INVALID_ENCODING');
  });
});

describe('JSON', () => {
  const rows = [
    { idNumber: '1', name: '张三' },
    { idNumber: '2', name: '{ "not": [ "nested" ] }', address: null },
  ];
  test('an array of objects, split anywhere', async () => {
    const text = `\n[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
    const whole = await read(text, json);
    assert.deepEqual(
      whole.map((r) => [r.row, r.line, r.fields]),
      [
        [1, 3, rows[0]],
        [2, 4, rows[1]],
      ],
    );
    for (let cut = 1; cut < text.length; cut++) assert.deepEqual(await read(text, json, [cut]), whole);
  });
  test('NDJSON', async () => {
    const text = rows.map((r) => JSON.stringify(r)).join('\r\n');
    assert.deepEqual(
      (await read(text, json)).map((r) => r.fields),
      rows,
    );
  });
  test('an empty array is no rows', async () => assert.deepEqual(await read('[ ]', json), []));
  const malformed: [string, string, RegExp][] = [
    ['an element that is not an object', '[{"idNumber":"1"}, 2]', /must be an object/],
    ['a missing comma', '[{"idNumber":"1"} {"idNumber":"2"}]', /comma is missing/],
    ['a trailing comma', '[{"idNumber":"1"},]', /comma before \]/],
    ['no closing bracket', '[{"idNumber":"1"}', /before the closing \]/],
    ['a broken NDJSON line', '{"idNumber":"1"}\n{"idNumber":\n', /not JSON.*line 2/],
  ];
  for (const [what, text, message] of malformed)
    test(`refuses ${what}`, async () => assert.match((await refusal(text, json)).message, message));
  test('refuses unknown fields, naming them and the row', async () => {
    const e = await refusal('{"idNumber":"1"}\n{"idNumber":"2","salary":1}\n', json);
    assert.equal(e.code, 'UNKNOWN_COLUMNS');
    assert.match(e.message, /salary.*row 2/);
  });
});
