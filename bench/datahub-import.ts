// Data hub import throughput on PostgreSQL: rows/s of `importFile` (check pass, cleaning,
// sealing, blind indexes, batched upserts, resumable run bookkeeping) for N synthetic population
// rows from a CSV file, beside PostgreSQL's own `COPY` of the same file into a plain table in the
// same database in the same run (psql \copy). Aim: import ≥ 0.25 × COPY. Then the same rows again
// from another file (every row unchanged: read, cleaned, digested, not rewritten).
// Needs TONGBAN_TEST_DATABASE_URL (PostgreSQL) and psql on the PATH. `npx node bench/datahub-import.ts`,
// or benchDatahubImport() from bench/datahub.ts. BENCH_DATAHUB_IMPORT_ROWS (default 100000).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createTestDatabase, startTestPlatform } from '@tongban/kernel/testing';
import datahub from '../modules/datahub/src/index.ts';
import { POPULATION } from '../modules/datahub/src/domain/registries.ts';
import { generateRegistries } from '../modules/datahub/src/domain/synthetic.ts';
import { importFile } from '../modules/datahub/src/service/import.ts';

const ROWS = Number(process.env.BENCH_DATAHUB_IMPORT_ROWS ?? 100_000);

const csvField = (v: string | number | null) => {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** N population rows of the synthetic city as CSV, header = the resource's items. */
export function populationCsv(rows: number): string {
  const columns = POPULATION.items.map((i) => i.key);
  const lines = [columns.join(',')];
  for (const r of generateRegistries({ persons: rows }))
    if (r.resource === 'population') lines.push(columns.map((c) => csvField(r.values[c] ?? null)).join(','));
  return `${lines.join('\n')}\n`;
}

export interface ImportBenchResult {
  readonly rows: number;
  readonly importRowsPerSecond: number;
  readonly reimportRowsPerSecond: number;
  readonly copyRowsPerSecond: number;
  /** COPY of the rows as stored (sealed, indexed) into a table like datahub.record with its indexes. */
  readonly storedCopyRowsPerSecond: number;
}

export async function benchDatahubImport(rows = ROWS): Promise<ImportBenchResult> {
  if (!process.env.TONGBAN_TEST_DATABASE_URL) {
    console.log('datahub import: set TONGBAN_TEST_DATABASE_URL (PostgreSQL) to run this benchmark');
    return {
      rows: 0,
      importRowsPerSecond: NaN,
      reimportRowsPerSecond: NaN,
      copyRowsPerSecond: NaN,
      storedCopyRowsPerSecond: NaN,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-datahub-import-'));
  const database = await createTestDatabase();
  try {
    const file = join(dir, 'population.csv');
    writeFileSync(file, populationCsv(rows));
    const again = join(dir, 'population-again.csv');
    writeFileSync(again, `${populationCsv(rows)}\n`);

    const platform = await startTestPlatform([datahub], { database });
    let importSeconds: number;
    let reimportSeconds: number;
    try {
      const ctx = platform.contexts.get('datahub')!;
      let started = performance.now();
      const report = await importFile(ctx, POPULATION, file);
      importSeconds = (performance.now() - started) / 1000;
      if (report.inserted !== rows) throw new Error(`imported ${report.inserted} of ${rows} rows`);
      started = performance.now();
      const second = await importFile(ctx, POPULATION, again);
      reimportSeconds = (performance.now() - started) / 1000;
      if (second.unchanged !== rows) throw new Error(`re-import: ${second.unchanged} of ${rows} unchanged`);
    } finally {
      await platform.close();
    }

    // PostgreSQL's COPY of the same file into a plain table, same database, same run.
    const psql = (command: string) =>
      promisify(execFile)('psql', [database.url!, '-v', 'ON_ERROR_STOP=1', '-qc', command]);
    const columns = POPULATION.items.map((i) => `"${i.key}" text`).join(', ');
    await psql(`create table bench_copy (${columns})`);
    // psql's own \timing: the COPY's time, not psql's start-up and connection.
    const timedCopy = async (command: string) => {
      const { stdout: timed } = await promisify(execFile)('psql', [
        database.url!,
        '-v',
        'ON_ERROR_STOP=1',
        '-q',
        '-c',
        '\\timing on',
        '-c',
        command,
      ]);
      const ms = /Time: ([\d.]+) ms/.exec(timed);
      if (!ms) throw new Error(`psql printed no timing: ${timed}`);
      return Number(ms[1]) / 1000;
    };
    const copySeconds = await timedCopy(`\\copy bench_copy from '${file}' with (format csv, header true)`);
    const { stdout } = await psql('select count(*) from bench_copy');
    if (!stdout.includes(String(rows))) throw new Error(`COPY stored ${stdout.trim()} rows`);

    // The same rows as the hub stores them (sealed, with blind indexes, person keys, provenance),
    // COPY'd into a table shaped like datahub.record with all its indexes: what the database
    // itself takes for this table, before any cleaning, sealing or upsert logic of ours.
    const stored = join(dir, 'stored.csv');
    await psql(
      `\\copy (select * from datahub.record where resource_code = 'population') to '${stored}' with (format csv)`,
    );
    await psql('create table bench_stored (like datahub.record including all)');
    const storedSeconds = await timedCopy(`\\copy bench_stored from '${stored}' with (format csv)`);
    const { stdout: storedCount } = await psql('select count(*) from bench_stored');
    if (!storedCount.includes(String(rows))) throw new Error(`COPY of the stored rows: ${storedCount.trim()} rows`);

    const result = {
      rows,
      storedCopyRowsPerSecond: rows / storedSeconds,
      importRowsPerSecond: rows / importSeconds,
      reimportRowsPerSecond: rows / reimportSeconds,
      copyRowsPerSecond: rows / copySeconds,
    };
    const f = (v: number) => Math.round(v).toLocaleString('en-US').padStart(10);
    console.log(`\ndatahub import — ${rows.toLocaleString('en-US')} population rows from CSV, PostgreSQL, same run`);
    console.log(
      `  tongban import (new rows)          ${f(result.importRowsPerSecond)} rows/s  ${importSeconds.toFixed(1)} s`,
    );
    console.log(
      `  tongban import (same rows again)   ${f(result.reimportRowsPerSecond)} rows/s  ${reimportSeconds.toFixed(1)} s`,
    );
    console.log(
      `  psql \\copy into a plain table      ${f(result.copyRowsPerSecond)} rows/s  ${copySeconds.toFixed(1)} s`,
    );
    console.log(
      `  psql \\copy of the stored rows into a table like datahub.record, its indexes too ${f(result.storedCopyRowsPerSecond)} rows/s  ${storedSeconds.toFixed(1)} s`,
    );
    console.log(
      `  import / COPY                      ${(result.importRowsPerSecond / result.copyRowsPerSecond).toFixed(3).padStart(10)}  (aim ≥ 0.25)`,
    );
    return result;
  } finally {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await benchDatahubImport();
