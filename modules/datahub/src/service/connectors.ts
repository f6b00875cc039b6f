// An HTTP JSON source (接口归集) polled on a schedule: each poll pages through the endpoint — a
// `next` link in the body, or ?page=1,2,… until an empty page — and imports what it read with
// the same cleaning, upsert and report as a file. A poll reads every page before it stores a row:
// a page that fails or a row with an unknown field stores nothing. Each poll is its own import
// run; rows that did not change since the last poll are counted unchanged, not rewritten.
import { uuidv7 } from '@tongban/kernel';
import { defaultCleaning, type CleaningRules, type RawValue } from '../domain/cleaning.ts';
import type { ResourceDefinition } from '../domain/resource.ts';
import { SourceError, type SourceRecord } from '../domain/sources.ts';
import { importRecords, type ImportContext, type ImportOptions, type ImportReport } from './import.ts';

export interface HttpConnectorConfig {
  /** The first page. */
  readonly url: string;
  /** Time between the end of one poll and the start of the next. */
  readonly intervalMs: number;
  /** Where the rows are when a page is an object (default `items`); a page may also be an array. */
  readonly itemsField?: string;
  /** The next page's URL in an object page (default `next`; absolute, or relative to the page). */
  readonly nextField?: string;
  /** Without next links: this query parameter counts pages from 1 until a page has no rows. */
  readonly pageParam?: string;
  readonly maxPages?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly rules?: CleaningRules;
  readonly tags?: readonly string[];
}

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
}

interface Page {
  readonly rows: readonly unknown[];
  readonly next: string | undefined;
}

async function fetchPage(url: string, config: HttpConnectorConfig): Promise<Page> {
  const response = await fetch(url, {
    headers: { accept: 'application/json', ...config.headers },
    signal: AbortSignal.timeout(config.timeoutMs ?? 30_000),
  });
  if (!response.ok) throw new ConnectorError(`${url} answered ${response.status} ${response.statusText}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new ConnectorError(`${url} did not answer JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(body)) return { rows: body, next: undefined };
  if (typeof body !== 'object' || body === null) throw new ConnectorError(`${url}: a page is an array or an object`);
  const page = body as Record<string, unknown>;
  const rows = page[config.itemsField ?? 'items'];
  if (!Array.isArray(rows)) throw new ConnectorError(`${url}: no array '${config.itemsField ?? 'items'}' in the page`);
  const next = page[config.nextField ?? 'next'];
  return { rows, next: typeof next === 'string' && next !== '' ? new URL(next, url).toString() : undefined };
}

/** Every row of the endpoint, page by page, checked against the resource's items. */
export async function readEndpoint(resource: ResourceDefinition, config: HttpConnectorConfig): Promise<SourceRecord[]> {
  const known = new Set(resource.items.map((i) => i.key));
  const records: SourceRecord[] = [];
  const maxPages = config.maxPages ?? 10_000;
  let url: string | undefined = config.url;
  for (let page = 1; url && page <= maxPages; page++) {
    const target: string = config.pageParam
      ? (() => {
          const u = new URL(config.url);
          u.searchParams.set(config.pageParam, String(page));
          return u.toString();
        })()
      : url;
    const { rows, next } = await fetchPage(target, config);
    for (const [i, value] of rows.entries()) {
      const row = records.length + 1;
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new SourceError('MALFORMED_JSON', `page ${page} item ${i + 1} is not an object`, { row });
      const unknown = Object.keys(value).filter((k) => !known.has(k));
      if (unknown.length > 0)
        throw new SourceError('UNKNOWN_COLUMNS', `unknown fields ${unknown.join(', ')} (page ${page})`, { row });
      records.push({ row, line: i + 1, fields: value as Record<string, RawValue> });
    }
    url = config.pageParam ? (rows.length > 0 ? target : undefined) : next;
  }
  return records;
}

/** One poll: every page read, then imported as one run. */
export async function pollOnce(
  ctx: ImportContext,
  resource: ResourceDefinition,
  config: HttpConnectorConfig,
  options: Pick<ImportOptions, 'batchSize' | 'onProgress' | 'listLines'> = {},
): Promise<ImportReport> {
  const records = await readEndpoint(resource, config);
  const polled = new Date();
  return importRecords(
    ctx,
    resource,
    {
      source: `http:${config.url}`,
      // every poll is a run of its own: the endpoint may say again tomorrow what it said last week
      digest: `http:${config.url}@${uuidv7()}`,
      format: 'json',
      encoding: 'utf-8',
      collectedAt: polled,
      tags: [...(config.tags ?? []), 'http'],
      total: records.length,
      records: async function* () {
        yield* records;
      },
    },
    { ...options, rules: config.rules ?? defaultCleaning(resource), by: 'connector' },
  );
}

export interface Connector {
  /** Polls now (after a poll under way finishes). */
  pollNow(): Promise<ImportReport>;
  /** Stops polling; resolves once a poll under way has finished. */
  stop(): Promise<void>;
}

export interface ConnectorHooks {
  readonly onReport?: (report: ImportReport) => void;
  readonly onError?: (error: unknown) => void;
}

/** Polls `config.url` every `intervalMs` (the first poll at once) until stopped. */
export function startConnector(
  ctx: ImportContext,
  resource: ResourceDefinition,
  config: HttpConnectorConfig,
  hooks: ConnectorHooks = {},
): Connector {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ImportReport | undefined> = Promise.resolve(undefined);
  const poll = (): Promise<ImportReport | undefined> => {
    const run = running.then(async () => {
      if (stopped) return undefined;
      try {
        const report = await pollOnce(ctx, resource, config);
        hooks.onReport?.(report);
        return report;
      } catch (error) {
        hooks.onError?.(error);
        throw error;
      }
    });
    running = run.catch(() => undefined);
    return run;
  };
  const loop = () => {
    void poll()
      .catch(() => undefined)
      .then(() => {
        if (!stopped) timer = setTimeout(loop, config.intervalMs);
      });
  };
  loop();
  return {
    async pollNow() {
      const report = await poll();
      if (!report) throw new ConnectorError('the connector is stopped');
      return report;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
