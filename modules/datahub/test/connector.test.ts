// The HTTP JSON connector against a real local HTTP server: it pages through the endpoint,
// cleans and stores like a file import, reports rejected rows, stores nothing when a page fails,
// and a second poll of unchanged data rewrites nothing.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { residentIdCheckChar, type ModuleContext } from '@tongban/kernel';
import { databaseLabel, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import datahub from '../src/index.ts';
import { POPULATION } from '../src/domain/registries.ts';
import { SourceError } from '../src/domain/sources.ts';
import { ConnectorError, pollOnce, startConnector } from '../src/service/connectors.ts';
import type { ImportReport } from '../src/service/import.ts';
import { typed } from '../src/store/tables.ts';

const id = (seq: number) => {
  const first = `33010820000101${String(seq).padStart(3, '0')}`;
  return first + residentIdCheckChar(first);
};

let rows: Record<string, unknown>[] = [];
let failPage: number | undefined;
let server: Server;
let base = '';
let platform: TestPlatform;
let ctx: ModuleContext;
const PAGE = 2;

before(async () => {
  // ?page=N pages of PAGE rows with a next link; /plain/… answers arrays and pages by ?page
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://localhost');
    const page = Number(url.searchParams.get('page') ?? '1');
    if (page === failPage) {
      res.writeHead(503).end('busy');
      return;
    }
    const slice = rows.slice((page - 1) * PAGE, page * PAGE);
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/plain') res.end(JSON.stringify(slice));
    else
      res.end(JSON.stringify({ items: slice, next: page * PAGE < rows.length ? `/persons?page=${page + 1}` : null }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  platform = await startTestPlatform([datahub]);
  ctx = platform.contexts.get('datahub')!;
});
after(async () => {
  server?.close();
  await platform?.dispose();
});

const stored = async () =>
  (await typed(ctx.db).selectFrom('datahub.record').select(['source', 'tags', 'stored_at']).execute()).length;

describe(`HTTP JSON connector (${databaseLabel})`, () => {
  test('pages through next links, cleans, stores and reports the rejected row', async () => {
    rows = [
      { idNumber: id(11), name: ' 张三 ', gender: '男', birthDate: '2000/1/1' },
      { idNumber: id(12), name: '李四', gender: '女', birthDate: '2000年1月1日' },
      { idNumber: id(13), name: '王五', gender: '男', birthDate: '2000-02-30' },
      { idNumber: id(15), name: '赵六', gender: 'M', birthDate: '20000101' },
      { idNumber: id(17), name: '钱七', gender: 'F', birthDate: '2000-01-01' },
    ];
    const report = await pollOnce(ctx, POPULATION, { url: `${base}/persons?page=1`, intervalMs: 60_000 });
    assert.deepEqual([report.total, report.inserted, report.rejected], [5, 4, 1]);
    assert.deepEqual(
      report.lines.map((l) => [l.row_number, l.code]),
      [[3, 'NO_SUCH_DATE']],
    );
    const provenance = await typed(ctx.db).selectFrom('datahub.record').select(['source', 'tags']).execute();
    assert.ok(provenance.every((p) => p.source === `http:${base}/persons?page=1` && p.tags.includes('http')));
  });

  test('pages by a page parameter until an empty page; unchanged rows are not rewritten', async () => {
    const report = await pollOnce(ctx, POPULATION, { url: `${base}/plain`, pageParam: 'page', intervalMs: 60_000 });
    assert.deepEqual([report.total, report.inserted, report.updated, report.unchanged], [5, 0, 0, 4]);
  });

  test('a failing page stores nothing', async () => {
    rows = [...rows, { idNumber: id(19), name: '孙八' }, { idNumber: id(21), name: '周九' }];
    failPage = 4;
    const before = await stored();
    await assert.rejects(
      pollOnce(ctx, POPULATION, { url: `${base}/persons?page=1`, intervalMs: 60_000 }),
      (e: Error) => e instanceof ConnectorError && /503/.test(e.message),
    );
    assert.equal(await stored(), before);
    failPage = undefined;
  });

  test('an unknown field stores nothing and names it', async () => {
    const saved = rows;
    rows = [{ idNumber: id(23), salary: 1 }, ...rows];
    const before = await stored();
    await assert.rejects(
      pollOnce(ctx, POPULATION, { url: `${base}/persons?page=1`, intervalMs: 60_000 }),
      (e: Error) => e instanceof SourceError && /salary/.test(e.message),
    );
    assert.equal(await stored(), before);
    rows = saved;
  });

  test('on a schedule: polls at once and again after the interval, until stopped', async () => {
    const reports: ImportReport[] = [];
    let second!: () => void;
    const twice = new Promise<void>((resolve) => (second = resolve));
    const connector = startConnector(
      ctx,
      POPULATION,
      { url: `${base}/persons?page=1`, intervalMs: 10 },
      {
        onReport: (r) => {
          reports.push(r);
          if (reports.length === 2) second();
        },
      },
    );
    await twice;
    await connector.stop();
    assert.deepEqual([reports[0]!.inserted, reports[0]!.unchanged], [2, 4]);
    assert.deepEqual([reports[1]!.inserted, reports[1]!.unchanged], [0, 6]);
    await assert.rejects(connector.pollNow(), /stopped/);
  });
});
