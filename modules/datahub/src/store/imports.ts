// Every query of an import: its run (found again by resource and file digest), one batch's rows
// and report lines with the run's progress in one transaction, and the final report.
import type { ModuleDb, ModuleTrx } from '@tongban/kernel';
import { sql, type Selectable } from 'kysely';
import type { ResourceDefinition } from '../domain/resource.ts';
import { typed, type ImportRejectTable, type ImportRunTable } from './tables.ts';

export type ImportRun = Selectable<ImportRunTable>;
export type ReportLine = Omit<ImportRejectTable, 'run_id'>;

export interface StoredRow {
  readonly record_key: string;
  readonly lookup: string[];
  readonly subjects: string[];
  readonly data: string;
  readonly data_digest: string;
}

export interface Provenance {
  readonly source: string;
  readonly collectedAt: Date;
  readonly tags: readonly string[];
}

/** Whether the catalogue holds the resource. */
export async function resourceExists(db: ModuleDb, code: string): Promise<boolean> {
  const found = await typed(db)
    .selectFrom('datahub.resource')
    .select('code')
    .where('code', '=', code)
    .executeTakeFirst();
  return found !== undefined;
}

/**
 * Registers the resource as version 1 of its definition, in the caller's transaction; false when
 * another process registered it a moment before (its version is left as it is).
 */
export async function insertFirstVersion(trx: ModuleTrx, definition: ResourceDefinition, by: string): Promise<boolean> {
  const d = typed(trx);
  const inserted = await d
    .insertInto('datahub.resource')
    .values({ code: definition.code, latest: 1, department_code: definition.departmentCode })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .executeTakeFirst();
  if (!inserted) return false;
  await d
    .insertInto('datahub.resource_version')
    .values({ code: definition.code, version: 1, definition: JSON.stringify(definition), published_by: by })
    .execute();
  return true;
}

/** The definition of a resource's latest version in the catalogue. */
export async function findLatestDefinition(db: ModuleDb, code: string): Promise<ResourceDefinition | undefined> {
  const row = await typed(db)
    .selectFrom('datahub.resource as r')
    .innerJoin('datahub.resource_version as v', (j) =>
      j.onRef('v.code', '=', 'r.code').onRef('v.version', '=', 'r.latest'),
    )
    .select('v.definition')
    .where('r.code', '=', code)
    .executeTakeFirst();
  return row?.definition as ResourceDefinition | undefined;
}

export async function findRun(db: ModuleDb, resource: string, digest: string): Promise<ImportRun | undefined> {
  return typed(db)
    .selectFrom('datahub.import_run')
    .selectAll()
    .where('resource_code', '=', resource)
    .where('digest', '=', digest)
    .executeTakeFirst();
}

export interface NewRun {
  readonly id: string;
  readonly resource: string;
  readonly source: string;
  readonly digest: string;
  readonly format: string;
  readonly encoding: string;
  readonly batchSize: number;
  readonly total: number | null;
}

/** The run of this file: a new one, or the one another process created a moment before. */
export async function createRun(db: ModuleDb, run: NewRun): Promise<ImportRun> {
  await typed(db)
    .insertInto('datahub.import_run')
    .values({
      id: run.id,
      resource_code: run.resource,
      source: run.source,
      digest: run.digest,
      format: run.format,
      encoding: run.encoding,
      batch_size: run.batchSize,
      total_rows: run.total,
      status: 'running',
    })
    .onConflict((oc) => oc.columns(['resource_code', 'digest']).doNothing())
    .execute();
  return (await findRun(db, run.resource, run.digest))!;
}

/** The stored digests of those of `keys` that are stored. */
export async function findDigests(
  db: ModuleDb,
  resource: string,
  keys: readonly string[],
): Promise<Map<string, string | null>> {
  if (keys.length === 0) return new Map();
  const rows = await typed(db)
    .selectFrom('datahub.record')
    .select(['record_key', 'data_digest'])
    .where('resource_code', '=', resource)
    .where('record_key', 'in', [...keys])
    .execute();
  return new Map(rows.map((r) => [r.record_key, r.data_digest]));
}

export interface BatchCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Stores a batch: new rows inserted, changed rows updated, rows whose digest is the stored one
 * left alone (`where … is distinct from`: not returned, counted unchanged).
 */
export async function upsertRows(
  trx: ModuleTrx,
  resource: string,
  rows: readonly StoredRow[],
  provenance: Provenance,
  batchId: string,
): Promise<BatchCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const written = await typed(trx)
    .insertInto('datahub.record')
    .values(
      rows.map((r) => ({
        resource_code: resource,
        record_key: r.record_key,
        lookup: r.lookup,
        subjects: r.subjects,
        data: r.data,
        data_digest: r.data_digest,
        source: provenance.source,
        collected_at: provenance.collectedAt,
        tags: [...provenance.tags],
        batch_id: batchId,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['resource_code', 'record_key'])
        .doUpdateSet((eb) => ({
          lookup: eb.ref('excluded.lookup'),
          subjects: eb.ref('excluded.subjects'),
          data: eb.ref('excluded.data'),
          data_digest: eb.ref('excluded.data_digest'),
          source: eb.ref('excluded.source'),
          collected_at: eb.ref('excluded.collected_at'),
          tags: eb.ref('excluded.tags'),
          batch_id: eb.ref('excluded.batch_id'),
          stored_at: sql<Date>`now()`,
        }))
        .where(sql<boolean>`datahub.record.data_digest is distinct from excluded.data_digest`),
    )
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .execute();
  const inserted = written.filter((w) => w.inserted).length;
  return { inserted, updated: written.length - inserted, unchanged: rows.length - written.length };
}

/**
 * Moves the run's committed_rows from `from` to `to`, first in the batch's transaction: it locks
 * the run's row, so a second process importing the same file waits, then finds the batch taken
 * (false) and stops instead of writing it twice.
 */
export async function claimBatch(trx: ModuleTrx, runId: string, from: number, to: number): Promise<boolean> {
  const moved = await typed(trx)
    .updateTable('datahub.import_run')
    .set({ committed_rows: to })
    .where('id', '=', runId)
    .where('committed_rows', '=', from)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return moved.numUpdatedRows === 1n;
}

export interface BatchReport extends BatchCounts {
  readonly rejected: number;
  readonly duplicates: number;
  readonly lines: readonly ReportLine[];
}

/** The batch's counts and report lines, in its transaction. */
export async function recordBatch(trx: ModuleTrx, runId: string, batch: BatchReport): Promise<void> {
  const d = typed(trx);
  await d
    .updateTable('datahub.import_run')
    .set((eb) => ({
      inserted: eb('inserted', '+', batch.inserted),
      updated: eb('updated', '+', batch.updated),
      unchanged: eb('unchanged', '+', batch.unchanged),
      rejected: eb('rejected', '+', batch.rejected),
      duplicates: eb('duplicates', '+', batch.duplicates),
    }))
    .where('id', '=', runId)
    .execute();
  if (batch.lines.length > 0)
    await d
      .insertInto('datahub.import_reject')
      .values(batch.lines.map((l) => ({ run_id: runId, ...l })))
      .execute();
}

/**
 * Fresh planner statistics for the records table, after a run stored many rows: planned from the
 * statistics of an emptier table, the next run's look-ups by key become sequential scans (a
 * re-import of 100,000 rows took 64 s instead of 4 s before autovacuum came round).
 */
export async function refreshRecordStatistics(db: ModuleDb): Promise<void> {
  await sql`analyze datahub.record`.execute(db);
}

export async function completeRun(db: ModuleDb, runId: string, total: number): Promise<ImportRun> {
  const d = typed(db);
  await d
    .updateTable('datahub.import_run')
    .set({ status: 'completed', finished_at: sql<Date>`now()`, total_rows: total })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .execute();
  return d.selectFrom('datahub.import_run').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
}

/** The first `limit` report lines of a run, by row number. */
export async function listReportLines(db: ModuleDb, runId: string, limit: number): Promise<ReportLine[]> {
  return typed(db)
    .selectFrom('datahub.import_reject')
    .select(['row_number', 'line', 'kind', 'item', 'code', 'reason'])
    .where('run_id', '=', runId)
    .orderBy('row_number')
    .limit(limit)
    .execute();
}
