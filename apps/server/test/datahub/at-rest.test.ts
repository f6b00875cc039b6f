// Personal data at rest, read from the raw tables after a prefill, a lookup, a reveal and an import
// with rejected rows: the reveal's reason is ciphertext, a rejected row's personal value is
// described by its length only, and the outbox's events and the ledger's entries name a person by
// their key (pk-…), never by ID number or name. (datahub.record: catalogue.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { residentIdCheckChar } from '@tongban/kernel';
import { databaseLabel } from '@tongban/kernel/testing';
import ledger from '@tongban/ledger';
import { sql } from 'kysely';
import { POPULATION } from '../../../../modules/datahub/src/domain/registries.ts';
import { importFile } from '../../../../modules/datahub/src/service/import.ts';
import { settle } from '../ledger/fixtures.ts';
import { DEMO, startHub, type HubHarness } from './fixtures.ts';

const first17 = '33010619850505111';
const IMPORTED = first17 + residentIdCheckChar(first17);
const WRONG_CHECK = first17 + (residentIdCheckChar(first17) === '0' ? '1' : '0');
/** What must not be found in clear: the demo's and the import's ID numbers and names. */
const CLEAR = [DEMO.zhang, DEMO.li, IMPORTED, WRONG_CHECK, '张三', '李四', '张小宝', '钱多多', '孙少少'];

describe(`personal data at rest (${databaseLabel})`, () => {
  let h: HubHarness;
  const dir = mkdtempSync(join(tmpdir(), 'datahub-at-rest-'));
  before(async () => {
    h = await startHub([ledger]);
    const steward = await h.steward();
    for (const body of [
      {
        consumer: '330100-GA',
        resource: 'population',
        purpose: '330100-GA-001',
        items: ['idNumber', 'name', 'mobile'],
      },
      {
        consumer: 'tongban-civil-affairs',
        resource: 'population',
        purpose: '330100-MZ-001',
        items: ['idNumber', 'name'],
      },
    ])
      assert.equal((await h.call('POST', '/api/datahub/grants', steward, body)).status, 201);
    const zhangId = await h.accountOf(DEMO.zhang);
    const zhang = await h.citizen(zhangId);
    await h.consent(zhang, 'BIRTH', ['population.name', 'population.idNumber', 'birth-record.childName']);
    const prefill = await h.call('POST', '/api/datahub/prefill', await h.workflow(), {
      accountId: zhangId,
      purpose: 'BIRTH',
      elements: ['person.name', 'person.idNumber', 'child.name', 'mother.name'],
    });
    assert.equal(prefill.status, 200, JSON.stringify(prefill.body));
    const lookup = await h.call(
      'POST',
      '/api/datahub/resources/population/query',
      await h.service('tongban-civil-affairs', ['datahub.read']),
      { purpose: '330100-MZ-001', items: ['name'], where: { idNumber: DEMO.li } },
    );
    assert.equal(lookup.status, 200, JSON.stringify(lookup.body));
    const reveal = await h.call(
      'POST',
      '/api/datahub/resources/population/records/reveal',
      await h.officer('330100-GA', ['officer'], 'officer-at-rest'),
      { purpose: '330100-GA-001', where: { idNumber: DEMO.zhang }, item: 'mobile', reason: '张三来电核实手机号' },
    );
    assert.equal(reveal.status, 200, JSON.stringify(reveal.body));
    const file = join(dir, 'population.csv');
    writeFileSync(
      file,
      `idNumber,name,gender\n${IMPORTED},钱多多,男\n${WRONG_CHECK},孙少少,女\n${IMPORTED},钱多多,X\n`,
    );
    const report = await importFile(h.p.contexts.get('datahub')!, POPULATION, file);
    assert.equal(report.rejected, 2, JSON.stringify(report.lines));
    await settle(h);
  });
  after(async () => {
    await h.p.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const raw = async (query: ReturnType<typeof sql>) => JSON.stringify((await query.execute(h.p.database.db)).rows);
  const noneInClear = (text: string, where: string, except: readonly string[] = []) => {
    for (const clear of CLEAR) if (!except.includes(clear)) assert.ok(!text.includes(clear), `${clear} in ${where}`);
  };

  test('datahub.reveal: the reason is ciphertext', async () => {
    const text = await raw(sql`select * from datahub.reveal where officer_id = 'officer-at-rest'`);
    assert.notEqual(text, '[]');
    noneInClear(text, 'datahub.reveal');
    assert.ok(!text.includes('核实手机号'));
  });

  test('datahub.import_reject: a rejected row’s personal value is told by its length, never stored', async () => {
    const text = await raw(sql`select * from datahub.import_reject`);
    assert.match(text, /idNumber/);
    assert.match(text, /18 chars/);
    noneInClear(text, 'datahub.import_reject');
  });

  test('the outbox’s events name persons by their key: no ID number or name in clear', async () => {
    const events = (
      await sql<{ type: string; data: unknown }>`select type, data from datahub.outbox`.execute(h.p.database.db)
    ).rows;
    const reads = events.filter((e) => e.type === 'datahub.record.read');
    assert.ok(reads.length >= 4, 'prefill, lookup and reveal were read');
    for (const e of reads) assert.match(String((e.data as { subject: string }).subject), /^pk-[0-9a-f]{32}$/);
    const text = JSON.stringify(events.map((e) => e.data));
    noneInClear(text, 'datahub.outbox');
    assert.ok(!text.includes('核实手机号'), 'the reveal’s reason is a digest');
  });

  test('the ledger’s entries and queue: no ID number, name or reason in clear', async () => {
    const entries = await raw(sql`select * from ledger.entry`);
    assert.match(entries, /datahub\.record\.read/);
    noneInClear(entries, 'ledger.entry');
    assert.ok(!entries.includes('核实手机号'), 'the reason is a digest');
    noneInClear(await raw(sql`select * from ledger.queue`), 'ledger.queue');
  });
});
