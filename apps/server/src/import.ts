// `tongban import <resource> <file>` and `tongban seed --persons N`: rows into the data hub's
// registries through the module's own import (cleaned, sealed, batched, resumable), with a
// progress bar while it runs and the import's report at the end.
import { readFileSync } from 'node:fs';
import { createLogger, startPlatform, type Config, type ModuleContext, type Platform } from '@tongban/kernel';
import datahub, {
  CleaningConfigError,
  SourceError,
  importFile,
  loadCleaning,
  resolveResource,
  seedRegistries,
  type ImportReport,
} from '@tongban/datahub';
import { UsageError } from './modules.ts';
import { Progress, formatDuration, type ProgressOutput } from './progress.ts';

export interface ImportOptions {
  readonly encoding?: string;
  readonly format?: string;
  /** A JSON file of cleaning rules (domain/cleaning.ts CleaningConfig). */
  readonly config?: string;
  readonly 'batch-size'?: string;
}

export interface Io {
  readonly out: (line: string) => void;
  readonly progress: ProgressOutput;
}

const consoleIo: Io = { out: (line) => console.log(line), progress: process.stderr };

/** Only the data hub: an import neither serves nor publishes events, so no split-bus question arises. */
async function withDatahub<R>(
  config: Config,
  work: (ctx: ModuleContext, platform: Platform) => Promise<R>,
): Promise<R> {
  const platform = await startPlatform({
    config,
    modules: [datahub],
    background: false,
    log: createLogger({ logLevel: 'warn' }),
  });
  try {
    return await work(platform.contexts.get('datahub')!, platform);
  } finally {
    await platform.close();
  }
}

const positiveInteger = (text: string | undefined, flag: string): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`${flag} takes a positive whole number, not '${text}'`);
  return Number(text);
};

export async function runImport(
  config: Config,
  args: readonly string[],
  options: ImportOptions,
  io: Io = consoleIo,
): Promise<number> {
  const [resourceCode, file] = args;
  if (!resourceCode || !file || args.length > 2)
    throw new UsageError(
      'usage: tongban import <resource> <file> [--encoding utf-8|gbk] [--format csv|json] [--config rules.json]',
    );
  const encoding = (options.encoding ?? 'utf-8').toLowerCase().replace(/^utf8$/, 'utf-8');
  if (encoding !== 'utf-8' && encoding !== 'gbk')
    throw new UsageError(`--encoding takes utf-8 or gbk, not '${options.encoding}'`);
  const format = options.format;
  if (format !== undefined && format !== 'csv' && format !== 'json')
    throw new UsageError(`--format takes csv or json, not '${format}'`);
  const batchSize = positiveInteger(options['batch-size'], '--batch-size');
  return withDatahub(config, async (ctx) => {
    const resource = await resolveResource(ctx.db, resourceCode);
    if (!resource) throw new UsageError(`no data resource '${resourceCode}' (数据资源不存在)`);
    let rules;
    try {
      rules = options.config ? loadCleaning(resource, JSON.parse(readFileSync(options.config, 'utf8'))) : undefined;
    } catch (error) {
      if (error instanceof CleaningConfigError) throw error;
      throw new UsageError(`--config ${options.config}: ${(error as Error).message}`);
    }
    let bar: Progress | undefined;
    try {
      io.out(`tongban: checking ${file} (${format ?? 'format from its name'}, ${encoding}) …`);
      const report = await importFile(ctx, resource, file, {
        encoding,
        ...(format ? { format } : {}),
        ...(rules ? { rules } : {}),
        ...(batchSize ? { batchSize } : {}),
        onProgress: (p) => {
          bar ??= new Progress({ label: resource.code, total: p.total, startAt: p.resumedFrom, out: io.progress });
          bar.update(p.done);
        },
      });
      bar?.finish(report.done);
      for (const line of describeReport(report)) io.out(line);
      return 0;
    } catch (error) {
      if (bar?.drawn) io.progress.write('\n');
      if (error instanceof SourceError) {
        io.out(`tongban: ${file} refused, nothing imported (文件被拒绝，未导入任何数据): ${error.message}`);
        return 1;
      }
      throw error;
    }
  });
}

const count = (v: number) => v.toLocaleString('en-US').padStart(12);

/** The report as printed: what was stored, what was not and why, row by row. */
export function describeReport(r: ImportReport): string[] {
  const seconds = (r.finishedAt.getTime() - r.startedAt.getTime()) / 1000;
  const lines = [
    r.alreadyImported
      ? `tongban: ${r.source} was imported completely before (run ${r.runId}): nothing new stored (已导入过)`
      : `tongban: imported ${r.source} into ${r.resource} (run ${r.runId}, ${formatDuration(seconds)})` +
        (r.resumedFrom > 0 ? `, resumed after row ${r.resumedFrom.toLocaleString('en-US')}` : ''),
    `  rows read      ${count(r.done)}`,
    `  stored new     ${count(r.inserted)}   新增`,
    `  updated        ${count(r.updated)}   更新`,
    `  unchanged      ${count(r.unchanged)}   未变`,
    `  rejected       ${count(r.rejected)}   拒绝`,
    `  duplicate keys ${count(r.duplicates)}   重复`,
  ];
  const shown = r.lines.length;
  const all = r.rejected + r.duplicates;
  if (all > 0) {
    lines.push(
      `  rows not stored as read${all > shown ? ` (first ${shown} of ${all.toLocaleString('en-US')}; all in datahub.import_reject)` : ''}:`,
    );
    for (const l of r.lines) lines.push(`    row ${l.row_number} (line ${l.line})  ${l.kind}  ${l.code}  ${l.reason}`);
  }
  return lines;
}

/** `tongban seed --persons N`: the synthetic city's registries into the data hub, after the demo seed. */
export async function seedPersons(ctx: ModuleContext, persons: number, io: Io = consoleIo): Promise<void> {
  const started = performance.now();
  let bar: Progress | undefined;
  const reports = await seedRegistries(ctx, {
    persons,
    onStart: (resource, total) => {
      bar?.finish();
      bar = new Progress({ label: resource.code.padEnd(12), total, out: io.progress });
    },
    onProgress: (_resource, p) => {
      bar!.resumedFrom(p.resumedFrom);
      bar!.update(p.done);
    },
  });
  bar?.finish();
  for (const r of reports)
    io.out(
      `tongban: ${r.resource.padEnd(12)} ${r.done.toLocaleString('en-US').padStart(10)} rows: ` +
        `${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected` +
        (r.alreadyImported ? ' (seeded before)' : ''),
    );
  io.out(
    `tongban: seeded ${persons.toLocaleString('en-US')} persons in ${formatDuration((performance.now() - started) / 1000)}`,
  );
}

export { positiveInteger };
