// Importing a file: rows cleaned and sealed, every rejected row reported with its number and
// reason, provenance on every stored row, a file refused whole before a row is stored, and a
// re-import that stores nothing new.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { residentIdCheckChar, type ModuleContext } from '@tongban/kernel';
import { databaseLabel, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import datahub from '../src/index.ts';
import { loadCleaning } from '../src/domain/cleaning.ts';
import { POPULATION } from '../src/domain/registries.ts';
import { SourceError } from '../src/domain/sources.ts';
import { importFile } from '../src/service/import.ts';
import { openRow, recordKey } from '../src/service/rows.ts';
import { typed } from '../src/store/tables.ts';

const idOf = (region: string, birth: string, seq: number) => {
  const first = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return first + residentIdCheckChar(first);
};
const ids = Array.from({ length: 6 }, (_, i) => idOf('330106', `1990030${i + 1}`, 11 + i));
const wrongCheck = ids[0]!.slice(0, 17) + (ids[0]!.endsWith('0') ? '1' : '0');

const HEADER = 'idNumber,name,gender,birthDate,address';
const FILE = [
  HEADER,
  `${ids[0]},张三,男,1990/3/1,"杭州市西湖区文三路 1 号"`, // row 1
  `${ids[1]},李四,女,1990年3月2日,杭州市上城区`, // row 2
  `${wrongCheck},王五,男,1990-03-01,`, // row 3: check digit
  `${ids[2]},赵六,M,19900230,`, // row 4: no such date
  `${ids[3]},钱七,X,1990-03-04,`, // row 5: gender not in the code list
  `\u3000${ids[4]} ,孙八,F,1990-03-05,杭州市拱墅区`, // row 6: cleaned (ideographic space)
  `${ids[1]},李四,女,1990-03-02,杭州市滨江区`, // row 7: same key as row 2, later wins
  `,无名,男,1990-03-01,`, // row 8: no key
].join('\r\n');

let platform: TestPlatform;
let ctx: ModuleContext;
const dir = mkdtempSync(join(tmpdir(), 'datahub-import-'));
const file = (name: string, text: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const records = () =>
  typed(ctx.db).selectFrom('datahub.record').selectAll().where('resource_code', '=', 'population').execute();

before(async () => {
  platform = await startTestPlatform([datahub]);
  ctx = platform.contexts.get('datahub')!;
});
after(async () => {
  await platform?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe(`importing a file (${databaseLabel})`, () => {
  let first: Awaited<ReturnType<typeof importFile>>;
  test('stores the clean rows and reports every other one with its row number and reason', async () => {
    first = await importFile(ctx, POPULATION, file('population-2026.csv', FILE), { batchSize: 3 });
    assert.equal(first.status, 'completed');
    assert.equal(first.alreadyImported, false);
    assert.deepEqual(
      {
        total: first.total,
        inserted: first.inserted,
        updated: first.updated,
        rejected: first.rejected,
        duplicates: first.duplicates,
      },
      { total: 8, inserted: 3, updated: 1, rejected: 4, duplicates: 1 },
    );
    assert.deepEqual(
      first.lines.map((l) => [l.row_number, l.line, l.kind, l.item, l.code]),
      [
        [3, 4, 'rejected', 'idNumber', 'BAD_CHECK_DIGIT'],
        [4, 5, 'rejected', 'birthDate', 'NO_SUCH_DATE'],
        [5, 6, 'rejected', 'gender', 'NOT_IN_CODE_LIST'],
        [7, 8, 'duplicate', 'idNumber', 'DUPLICATE_KEY'],
        [8, 9, 'rejected', 'idNumber', 'REQUIRED'],
      ],
    );
    assert.match(first.lines[0]!.reason, /校验位错误 \/ fails its check digit/);
    assert.match(first.lines[3]!.reason, /row 2: this later row is kept/);
    // a personal value is not echoed into the report
    assert.ok(!first.lines.some((l) => l.reason.includes(wrongCheck)));
  });

  test('every stored row is sealed and carries its source, time and tags', async () => {
    const rows = await records();
    assert.equal(rows.length, 3);
    for (const row of rows) {
      assert.match(row.data, /^tb1\./);
      assert.ok(!row.data.includes('330106'));
      assert.equal(row.source, 'file:population-2026.csv');
      assert.ok(row.collected_at instanceof Date);
      assert.deepEqual(row.tags, ['format:csv', `import:${first.runId}`]);
      assert.match(row.batch_id!, new RegExp(`^${first.runId}:\\d+$`));
      assert.equal(row.subjects.length, 1);
    }
    const li = rows.find((r) => r.record_key === recordKey(ctx.fields, 'population', ids[1]!))!;
    // A row's ciphertext is bound to its place: another row's data copied over it does not open.
    const other = rows.find((r) => r !== li)!;
    await assert.rejects(openRow(ctx.fields, { ...li, data: other.data }));
    assert.deepEqual(await openRow(ctx.fields, li), {
      idNumber: ids[1],
      name: '李四',
      gender: '2',
      birthDate: '1990-03-02',
      address: '杭州市滨江区',
      householdAddress: null,
      householdId: null,
      fatherIdNumber: null,
      motherIdNumber: null,
      mobile: null,
    });
    const sun = rows.find((r) => r.record_key === recordKey(ctx.fields, 'population', ids[4]!));
    assert.ok(sun, 'the ID number with an ideographic space was cleaned and stored');
  });

  test('the same file again stores nothing new', async () => {
    const before = await records();
    const again = await importFile(ctx, POPULATION, join(dir, 'population-2026.csv'));
    assert.equal(again.alreadyImported, true);
    assert.equal(again.runId, first.runId);
    assert.deepEqual(await records(), before);
  });

  test('the same rows from another file are unchanged, a changed row is updated', async () => {
    const changed = FILE.replace('杭州市滨江区', '杭州市余杭区') + '\r\n';
    const report = await importFile(ctx, POPULATION, file('population-2026-b.csv', changed));
    assert.deepEqual(
      { inserted: report.inserted, updated: report.updated, unchanged: report.unchanged },
      { inserted: 0, updated: 1, unchanged: 2 },
    );
    // with the duplicate's earlier row 2 also in its batch only the later one is written
    assert.equal((await records()).length, 3);
  });

  test('first-wins de-duplication keeps the earlier row and reports the later one', async () => {
    const rules = loadCleaning(POPULATION, {
      resource: 'population',
      dedupe: 'first',
      items: { idNumber: ['trim', 'required', { step: 'checkDigit', scheme: 'gb11643' }], address: ['trim'] },
    });
    const text = `idNumber,address\n${ids[5]},甲\n${ids[5]},乙\n`;
    const report = await importFile(ctx, POPULATION, file('first.csv', text), { rules });
    assert.equal(report.inserted, 1);
    assert.match(report.lines[0]!.reason, /row 1: the earlier row is kept/);
    const row = (await records()).find((r) => r.record_key === recordKey(ctx.fields, 'population', ids[5]!))!;
    assert.equal((await openRow(ctx.fields, row)).address, '甲');
  });
});

describe(`a file refused whole (${databaseLabel})`, () => {
  const refusals: [string, string | Uint8Array, object, RegExp][] = [
    ['unknown columns', `${HEADER},salary\n${ids[0]},a,男,1990-03-01,,1\n`, {}, /unknown columns 'salary'/],
    ['a missing key column', `name\n张三\n`, {}, /missing required columns 'idNumber'/],
    [
      'GBK bytes declared UTF-8, late in the file',
      Buffer.concat([
        Buffer.from(`idNumber,name\n${ids[0]},ok\n${ids[2]},`),
        Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]),
        Buffer.from('\n'),
      ]),
      {},
      /not UTF-8.*row 2, line 3, byte offset/,
    ],
    [
      'a broken quote in the last row',
      `idNumber,name\n${ids[0]},ok\n${ids[2]},"unclosed\n`,
      {},
      /ends inside a quoted field/,
    ],
  ];
  for (const [what, text, options, message] of refusals)
    test(`${what}: nothing stored, no run`, async () => {
      const rowsBefore = await records();
      const runsBefore = await typed(ctx.db).selectFrom('datahub.import_run').select('id').execute();
      await assert.rejects(
        importFile(ctx, POPULATION, file('bad.csv', text), options),
        (e: Error) => e instanceof SourceError && message.test(e.message),
      );
      assert.deepEqual(await records(), rowsBefore);
      assert.deepEqual(await typed(ctx.db).selectFrom('datahub.import_run').select('id').execute(), runsBefore);
    });

  test('GBK declared as GBK imports', async () => {
    const gbk = Buffer.concat([
      Buffer.from(`idNumber,name\n${ids[3]},`),
      Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]),
      Buffer.from('\n'),
    ]);
    const report = await importFile(ctx, POPULATION, file('gbk.csv', gbk), { encoding: 'gbk' });
    assert.equal(report.inserted, 1);
    const row = (await records()).find((r) => r.record_key === recordKey(ctx.fields, 'population', ids[3]!))!;
    assert.equal((await openRow(ctx.fields, row)).name, '张三');
  });

  test('JSON rows import like CSV rows', async () => {
    const text = JSON.stringify([{ idNumber: ids[2], name: '赵六', birthDate: '1990-03-03', gender: 1 }]);
    const report = await importFile(ctx, POPULATION, file('rows.json', text));
    assert.equal(report.inserted, 1);
  });

  test('a resource the catalogue lacks is registered as version 1 through the outbox: datahub.resource.published', async () => {
    const fresh = { ...POPULATION, code: 'population-import-fresh' };
    const published = () =>
      ctx.db
        .selectFrom('datahub.outbox' as never)
        .select('data' as never)
        .where('type' as never, '=', 'datahub.resource.published' as never)
        .execute() as Promise<{ data: { code: string; version: number } }[]>;
    const before = (await published()).length;
    const text = `idNumber,name\n${ids[5]},周九\n`;
    assert.equal((await importFile(ctx, fresh, file('fresh.csv', text))).inserted, 1);
    const versions = await typed(ctx.db)
      .selectFrom('datahub.resource_version')
      .select(['version', 'published_by'])
      .where('code', '=', fresh.code)
      .execute();
    assert.deepEqual(versions, [{ version: 1, published_by: 'import' }]);
    const events = (await published()).slice(before);
    assert.deepEqual(
      events.map((e) => e.data),
      [{ code: fresh.code, version: 1 }],
    );
    await importFile(ctx, fresh, file('fresh-2.csv', `${text}${ids[0]},张三\n`));
    assert.equal((await published()).length - before, 1, 'a resource that exists is not published again');
  });
});
