// Resuming an import: a child process importing a file is killed (SIGKILL) after some batches
// have committed; the same file imported again resumes from the last committed batch, and in the
// end every row is stored exactly once and every rejected row reported exactly once.
// Run with DATAHUB_IMPORT_CHILD set, this file is the child: it imports and prints a line per batch.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { residentIdCheckChar, startPlatform, createLogger, loadConfig } from '@tongban/kernel';
import { createTestDatabase, databaseLabel, startTestPlatform, testConfig } from '@tongban/kernel/testing';
import datahub from '../src/index.ts';
import { POPULATION } from '../src/domain/registries.ts';
import { importFile } from '../src/service/import.ts';
import { typed } from '../src/store/tables.ts';

const BATCH = 100;
const ROWS = 5000;

if (process.env.DATAHUB_IMPORT_CHILD) {
  const config = loadConfig(process.env);
  const platform = await startPlatform({
    config,
    modules: [datahub],
    background: false,
    log: createLogger({ logLevel: 'silent' }),
  });
  const ctx = platform.contexts.get('datahub')!;
  await importFile(ctx, POPULATION, process.env.DATAHUB_IMPORT_CHILD, {
    batchSize: BATCH,
    onProgress: (p) => console.log(`committed ${p.done}`),
  });
  console.log('completed');
  await platform.close();
} else {
  const dir = mkdtempSync(join(tmpdir(), 'datahub-resume-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** ROWS rows: every 97th rejected (gender), every 250th repeating the key of the row 150 before it (another batch). */
  function population(): { text: string; keys: Set<string>; rejectedRows: number[]; duplicateRows: number[] } {
    const lines = ['idNumber,name,gender,birthDate'];
    const keys = new Set<string>();
    const rejectedRows: number[] = [];
    const duplicateRows: number[] = [];
    const byRow: string[] = [];
    for (let row = 1; row <= ROWS; row++) {
      const day = new Date(Date.UTC(1990, 0, 1 + (row % 3650)));
      const birth = day.toISOString().slice(0, 10).replaceAll('-', '');
      const first = `330106${birth}${String(Math.floor(row / 3650) + 1).padStart(3, '0')}`;
      let id = first + residentIdCheckChar(first);
      if (row % 250 === 0) {
        id = byRow[row - 150]!;
        if ((row - 150) % 97 !== 0) duplicateRows.push(row);
      }
      const gender = row % 97 === 0 ? '?' : row % 2 ? '男' : '女';
      if (row % 97 === 0) rejectedRows.push(row);
      else keys.add(id);
      lines.push(`${id},人${row},${gender},${birth}`);
      byRow[row] = id;
    }
    // a duplicate of a rejected row is no duplicate: the rejected one never had its key stored
    return { text: lines.join('\n') + '\n', keys, rejectedRows, duplicateRows };
  }

  test(`killed mid-import, run again: every row once, report complete (${databaseLabel})`, async () => {
    const { text, keys, rejectedRows, duplicateRows } = population();
    const path = join(dir, 'population.csv');
    writeFileSync(path, text);
    const database = await createTestDatabase();
    const dataDir = join(dir, 'data');
    const env = {
      NODE_ENV: 'test',
      TONGBAN_DATA_DIR: dataDir,
      TONGBAN_OPERATOR_TOKEN: 'test-operator-token-0123456789abcdef',
      ...(database.url ? { TONGBAN_DATABASE_URL: database.url } : {}),
    };
    try {
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
        env: { ...process.env, ...env, DATAHUB_IMPORT_CHILD: path, NODE_TEST_CONTEXT: '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_code, signal) => resolve(signal)),
      );
      let killedAfter = 0;
      for await (const line of createInterface({ input: child.stdout })) {
        const m = /^committed (\d+)$/.exec(line);
        if (m && Number(m[1]) >= 3 * BATCH) {
          killedAfter = Number(m[1]);
          child.kill('SIGKILL');
          break;
        }
      }
      assert.equal(await exited, 'SIGKILL');
      assert.ok(killedAfter >= 3 * BATCH);

      const platform = await startTestPlatform([datahub], {
        database,
        inMemoryDatabase: false,
        config: testConfig({ ...env }),
      });
      try {
        const ctx = platform.contexts.get('datahub')!;
        const run = await typed(ctx.db).selectFrom('datahub.import_run').selectAll().executeTakeFirstOrThrow();
        assert.equal(run.status, 'running');
        assert.ok(run.committed_rows >= killedAfter && run.committed_rows < ROWS, `stopped at ${run.committed_rows}`);
        assert.equal(run.committed_rows % BATCH, 0);

        const report = await importFile(ctx, POPULATION, path, { batchSize: BATCH, listLines: 1000 });
        assert.equal(report.resumedFrom, run.committed_rows);
        assert.equal(report.done, ROWS);
        assert.equal(report.total, ROWS);
        assert.equal(report.inserted, keys.size);
        // each later row (another name) replaced its earlier one, committed in an earlier batch
        assert.equal(report.updated, duplicateRows.length);
        assert.equal(report.rejected, rejectedRows.length);
        assert.equal(report.duplicates, duplicateRows.length);
        assert.deepEqual(
          report.lines.filter((l) => l.kind === 'rejected').map((l) => l.row_number),
          rejectedRows,
        );
        assert.deepEqual(
          report.lines.filter((l) => l.kind === 'duplicate').map((l) => l.row_number),
          duplicateRows,
        );
        const stored = await typed(ctx.db)
          .selectFrom('datahub.record')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        assert.equal(Number(stored.n), keys.size);

        const again = await importFile(ctx, POPULATION, path, { batchSize: BATCH });
        assert.equal(again.alreadyImported, true);
        assert.equal(again.inserted, keys.size);
      } finally {
        await platform.dispose();
      }
    } finally {
      await database.drop();
    }
  });
}
