// 数据归集: a source's rows cleaned, sealed and stored in batches. Each batch is one transaction
// that also moves the run's committed_rows on, so a run stopped at any point (killed, a lost
// connection) resumes from its last committed batch when the same file — the same digest — is
// imported again, and a completed file imported again stores nothing new. Rows are upserted by
// their key: a row whose items did not change is not rewritten (its keyed digest is the stored
// one), so the same rows from another file are counted unchanged.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { keyedMac, uuidv7, type FieldCipher, type ModuleContext, type ModuleDb } from '@tongban/kernel';
import {
  KeyTracker,
  cleanRow,
  defaultCleaning,
  describeRejection,
  type CleaningRules,
  type RawValue,
} from '../domain/cleaning.ts';
import { REGISTRIES } from '../domain/registries.ts';
import type { ResourceDefinition } from '../domain/resource.ts';
import { readRecords, type ColumnRules, type Encoding, type Format, type SourceRecord } from '../domain/sources.ts';
import { countRegistries, generateRegistries, type RegistryCode, type SyntheticOptions } from '../domain/synthetic.ts';
import {
  claimBatch,
  completeRun,
  refreshRecordStatistics,
  createRun,
  findDigests,
  findLatestDefinition,
  findRun,
  insertFirstVersion,
  listReportLines,
  recordBatch,
  resourceExists,
  upsertRows,
  type ImportRun,
  type ReportLine,
  type StoredRow,
} from '../store/imports.ts';
import { recordKey, sealRow, type RowValues } from './rows.ts';

/** What an import needs of the module's context: its database handle, its field keys, its transactions. */
export type ImportContext = Pick<ModuleContext, 'db' | 'fields' | 'transaction'>;

/** Rows to import and where they came from; `records()` may be called more than once (a check pass, then the import). */
export interface ImportSource {
  /** Provenance stored with every row: 'file:population-2026.csv', 'seed', 'http:<url>'. */
  readonly source: string;
  /** Identifies these exact rows: the same digest resumes (or finds completed) the same run. */
  readonly digest: string;
  readonly format: string;
  readonly encoding: string;
  /** The rows' time (the file's modification time, the poll's time). */
  readonly collectedAt: Date;
  readonly tags?: readonly string[];
  /** Rows in the source, when known before importing (for the ETA). */
  readonly total?: number;
  records(): AsyncIterable<SourceRecord>;
}

export interface ImportProgress {
  readonly runId: string;
  /** Source rows read through the last committed batch. */
  readonly done: number;
  readonly total: number | undefined;
  readonly resumedFrom: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: number;
  readonly duplicates: number;
}

export interface ImportOptions {
  readonly batchSize?: number;
  readonly rules?: CleaningRules;
  /** After each committed batch. */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Report lines listed in the report (all are stored with the run). Default 20. */
  readonly listLines?: number;
  /** Who registers a resource the catalogue does not hold yet. */
  readonly by?: string;
}

export interface ImportReport extends ImportProgress {
  readonly resource: string;
  readonly source: string;
  readonly status: 'completed';
  /** The file had been imported completely before: nothing was read or stored this time. */
  readonly alreadyImported: boolean;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** The first report lines by row number (rejections and duplicates). */
  readonly lines: readonly ReportLine[];
}

export const DEFAULT_BATCH_SIZE = 1000;
/** A run that stored this many new rows refreshes the table's planner statistics. */
const ANALYZE_AFTER_ROWS = 10_000;

/** The columns a resource's file may and must have: its items; its key item. */
export function columnRules(
  resource: ResourceDefinition,
  rules: CleaningRules = defaultCleaning(resource),
): ColumnRules {
  const required = new Set([resource.keyItem]);
  for (const [item, steps] of rules.items) if (steps.some((s) => s.step === 'required')) required.add(item);
  return { known: resource.items.map((i) => i.key), required: [...required] };
}

/**
 * A keyed digest of a row's cleaned items (HMAC-SHA256 under a key derived from the module's
 * blind-index key for the resource): equal for equal rows, telling nothing of their values. The
 * key object is made once per import — HMAC with a raw key costs a key import per call.
 */
function rowDigester(fields: FieldCipher, resource: string): (values: RowValues) => string {
  const mac = keyedMac('sha256', Buffer.from(fields.blindIndex('row-digest-key', resource), 'base64url'));
  return (values) => mac(JSON.stringify(values)).toString('base64url');
}

interface PendingRow {
  readonly key: string;
  readonly values: Record<string, string | number | null>;
}

/**
 * A resource the catalogue does not hold yet is registered as version 1 of its definition (an
 * import into a fresh database of a registry the seed has not published), published like any
 * version: datahub.resource.published through the outbox, in the transaction that writes it.
 * One that exists is left as it is.
 */
async function ensureResource(ctx: ImportContext, definition: ResourceDefinition, by: string): Promise<void> {
  if (await resourceExists(ctx.db, definition.code)) return;
  await ctx.transaction(async (trx, events) => {
    if (await insertFirstVersion(trx, definition, by))
      await events.publish('datahub.resource.published', { code: definition.code, version: 1 });
  });
}

export async function importRecords(
  ctx: ImportContext,
  resource: ResourceDefinition,
  source: ImportSource,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const rules = options.rules ?? defaultCleaning(resource);
  if (rules.resource !== resource.code) throw new Error(`cleaning rules for ${rules.resource}, not ${resource.code}`);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const listLimit = options.listLines ?? 20;
  await ensureResource(ctx, resource, options.by ?? 'import');
  const found = await findRun(ctx.db, resource.code, source.digest);
  if (found?.status === 'completed') return report(ctx.db, found, source, 0, true, listLimit);
  const run =
    found ??
    (await createRun(ctx.db, {
      id: uuidv7(),
      resource: resource.code,
      source: source.source,
      digest: source.digest,
      format: source.format,
      encoding: source.encoding,
      batchSize,
      total: source.total ?? null,
    }));
  const resumedFrom = run.committed_rows;
  const personal = new Map(resource.items.map((i) => [i.key, i.personal]));
  const provenance = {
    source: source.source,
    collectedAt: source.collectedAt,
    tags: [...(source.tags ?? []), `import:${run.id}`],
  };
  const tracker = new KeyTracker(rules.dedupe);
  const totals = {
    inserted: run.inserted,
    updated: run.updated,
    unchanged: run.unchanged,
    rejected: run.rejected,
    duplicates: run.duplicates,
  };
  let committed = resumedFrom;
  let read = 0;
  let batch = new Map<string, PendingRow>();
  let lines: ReportLine[] = [];
  let rejected = 0;
  let duplicates = 0;

  // Batches are prepared (cleaned, sealed) while the one before is being written: at most one in
  // flight, committed in order, so committed_rows only ever moves on by whole batches.
  let scheduled = committed;
  let inFlight: Promise<void> = Promise.resolve();
  const digest = rowDigester(ctx.fields, resource.code);
  let checkIn = 0; // batches until the next look for rows already stored (0: this one)

  const write = async (
    from: number,
    to: number,
    rows: readonly StoredRow[],
    skipped: number,
    batchLines: ReportLine[],
    batchRejected: number,
    batchDuplicates: number,
  ) => {
    const batchNo = Math.ceil(to / batchSize);
    const counts = await ctx.transaction(async (trx) => {
      if (!(await claimBatch(trx, run.id, from, to)))
        throw new Error(`import ${run.id} was moved on by another process (rows ${from + 1}–${to}): this one stops`);
      const c = await upsertRows(trx, resource.code, rows, provenance, `${run.id}:${batchNo}`);
      const withSkipped = { ...c, unchanged: c.unchanged + skipped };
      await recordBatch(trx, run.id, {
        ...withSkipped,
        rejected: batchRejected,
        duplicates: batchDuplicates,
        lines: batchLines,
      });
      return withSkipped;
    });
    totals.inserted += counts.inserted;
    totals.updated += counts.updated;
    totals.unchanged += counts.unchanged;
    totals.rejected += batchRejected;
    totals.duplicates += batchDuplicates;
    committed = to;
    options.onProgress?.({ runId: run.id, done: committed, total: source.total, resumedFrom, ...totals });
  };

  const flush = async () => {
    if (read === scheduled) return;
    const pending = [...batch.values()];
    const [from, to, batchLines, batchRejected, batchDuplicates] = [scheduled, read, lines, rejected, duplicates];
    scheduled = read;
    batch = new Map();
    lines = [];
    rejected = 0;
    duplicates = 0;
    const digests = pending.map((p) => digest(p.values));
    let fresh = pending.map((_, i) => i);
    if (checkIn === 0 && pending.length > 0) {
      // Rows already stored with the same digest need no sealing: a re-import costs a read, not a write.
      // A batch of only new rows makes the next nine skip the look (the upsert still leaves unchanged rows alone).
      const keys = pending.map((p) => recordKey(ctx.fields, resource.code, p.key));
      const stored = await findDigests(ctx.db, resource.code, keys);
      fresh = fresh.filter((i) => stored.get(keys[i]!) !== digests[i]);
      checkIn = stored.size === 0 ? 9 : 0;
    } else if (checkIn > 0) checkIn--;
    const sealed: StoredRow[] = await Promise.all(
      fresh.map(async (i) => ({
        ...(await sealRow(ctx.fields, resource, pending[i]!.values)),
        data_digest: digests[i]!,
      })),
    );
    await inFlight;
    inFlight = write(from, to, sealed, pending.length - fresh.length, batchLines, batchRejected, batchDuplicates);
    // an error surfaces at the next flush or at the end; keep the rejection handled meanwhile
    inFlight.catch(() => undefined);
  };

  for await (const record of source.records()) {
    read = record.row;
    const replay = record.row <= resumedFrom; // committed before: only the de-duplication is rebuilt
    const cleaned = cleanRow(rules, record.fields as Readonly<Record<string, RawValue>>);
    if (!cleaned.ok) {
      if (!replay) {
        rejected++;
        const r = cleaned.rejection;
        lines.push({
          row_number: record.row,
          line: record.line,
          kind: 'rejected',
          item: r.item,
          code: r.code,
          reason: describeRejection(r, personal.get(r.item) ?? true),
        });
      }
    } else {
      const seen = tracker.see(cleaned.key, record.row);
      if (!replay) {
        if (seen.earlier !== undefined) {
          duplicates++;
          lines.push({
            row_number: record.row,
            line: record.line,
            kind: 'duplicate',
            item: resource.keyItem,
            code: 'DUPLICATE_KEY',
            reason: seen.keep
              ? `与第 ${seen.earlier} 行主键重复，以本行为准 / same key as row ${seen.earlier}: this later row is kept`
              : `与第 ${seen.earlier} 行主键重复，本行未导入 / same key as row ${seen.earlier}: the earlier row is kept, this one is not stored`,
          });
        }
        // within one batch a later row replaces the earlier one (one INSERT may not touch a row twice)
        if (seen.keep) batch.set(cleaned.key, { key: cleaned.key, values: cleaned.values });
      }
    }
    if (!replay && read - scheduled >= batchSize) await flush();
  }
  await flush();
  await inFlight;
  const done = await completeRun(ctx.db, run.id, read);
  if (totals.inserted >= ANALYZE_AFTER_ROWS) await refreshRecordStatistics(ctx.db);
  return report(ctx.db, done, source, resumedFrom, false, listLimit);
}

async function report(
  db: ModuleDb,
  run: ImportRun,
  source: ImportSource,
  resumedFrom: number,
  alreadyImported: boolean,
  listLimit: number,
): Promise<ImportReport> {
  return {
    runId: run.id,
    resource: run.resource_code,
    source: source.source,
    status: 'completed',
    alreadyImported,
    done: run.committed_rows,
    total: run.total_rows ?? run.committed_rows,
    resumedFrom,
    inserted: run.inserted,
    updated: run.updated,
    unchanged: run.unchanged,
    rejected: run.rejected,
    duplicates: run.duplicates,
    startedAt: run.started_at,
    finishedAt: run.finished_at ?? new Date(),
    lines: await listReportLines(db, run.id, listLimit),
  };
}

export interface FileOptions {
  readonly format?: Format;
  readonly encoding?: Encoding;
  readonly rules?: CleaningRules;
}

/** The format a file's name says (.csv, .json, .ndjson, .jsonl). */
export function formatOf(path: string): Format | undefined {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(json|ndjson|jsonl)$/i.test(path)) return 'json';
  return undefined;
}

const CHUNK = 1 << 20;

/**
 * A file as an import source, checked whole first — every byte decoded, every row parsed,
 * every column known — while its digest is computed: a file that is not what it says is refused
 * (SourceError naming the row and byte) before a single row is stored.
 */
export async function fileSource(
  path: string,
  resource: ResourceDefinition,
  options: FileOptions = {},
): Promise<ImportSource> {
  const format = options.format ?? formatOf(path);
  if (!format) throw new Error(`cannot tell the format of ${basename(path)}: name it .csv or .json, or say --format`);
  const encoding = options.encoding ?? 'utf-8';
  const read = { format, encoding, columns: columnRules(resource, options.rules) } as const;
  const hash = createHash('sha256').update(`${format}\n${encoding}\n`);
  const hashed = async function* () {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      yield chunk;
    }
  };
  let total = 0;
  for await (const record of readRecords(hashed(), read)) total = record.row;
  const info = await stat(path);
  return {
    source: `file:${basename(path)}`,
    digest: hash.digest('hex'),
    format,
    encoding,
    collectedAt: info.mtime,
    tags: [`format:${format}`],
    total,
    records: () => readRecords(createReadStream(path, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>, read),
  };
}

/** Imports a file: checked whole, then stored in batches (resuming a run of the same file). */
export async function importFile(
  ctx: ImportContext,
  resource: ResourceDefinition,
  path: string,
  options: ImportOptions & FileOptions = {},
): Promise<ImportReport> {
  return importRecords(ctx, resource, await fileSource(path, resource, options), options);
}

export interface SeedOptions extends SyntheticOptions {
  readonly batchSize?: number;
  readonly onStart?: (resource: ResourceDefinition, total: number) => void;
  readonly onProgress?: (resource: ResourceDefinition, progress: ImportProgress) => void;
}

/**
 * One registry's rows of the synthetic city as an import source: the generator is deterministic,
 * so its options are its digest, and a seed stopped half-way resumes like a file.
 */
export function syntheticSource(resource: ResourceDefinition, options: SyntheticOptions, total?: number): ImportSource {
  const seed = options.seed ?? 20260101;
  return {
    source: 'seed',
    digest: `synthetic:v1:${resource.code}:persons=${options.persons}:seed=${seed}:today=${options.today ?? ''}`,
    format: 'synthetic',
    encoding: 'utf-8',
    collectedAt: new Date(),
    tags: ['synthetic'],
    ...(total === undefined ? {} : { total }),
    async *records() {
      let row = 0;
      for (const r of generateRegistries(options)) {
        if (r.resource !== resource.code) continue;
        row++;
        yield { row, line: row, fields: r.values };
      }
    },
  };
}

/** `tongban seed --persons N`: the four registries of a synthetic city, one import run each. */
export async function seedRegistries(ctx: ImportContext, options: SeedOptions): Promise<ImportReport[]> {
  const counts = countRegistries(options);
  const reports: ImportReport[] = [];
  for (const resource of REGISTRIES) {
    const total = counts[resource.code as RegistryCode] ?? 0;
    options.onStart?.(resource, total);
    reports.push(
      await importRecords(ctx, resource, syntheticSource(resource, options, total), {
        by: 'seed',
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        ...(options.onProgress ? { onProgress: (p: ImportProgress) => options.onProgress!(resource, p) } : {}),
      }),
    );
  }
  return reports;
}

/** A resource's latest published definition, else the registry of that code; undefined when neither exists. */
export async function resolveResource(db: ModuleDb, code: string): Promise<ResourceDefinition | undefined> {
  return (await findLatestDefinition(db, code)) ?? REGISTRIES.find((r) => r.code === code);
}

export { CleaningConfigError, loadCleaning } from '../domain/cleaning.ts';
export { SourceError } from '../domain/sources.ts';
export { REGISTRIES } from '../domain/registries.ts';
