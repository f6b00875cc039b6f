import { sql } from 'kysely';
import type { LocalizedText } from '../domain/model.ts';
import { searchTerms } from '../domain/search.ts';
import type { Db } from './tables.ts';

export interface SearchQuery {
  readonly q?: string;
  readonly department?: string;
  readonly lifeEvent?: string;
  readonly kind?: 'matter' | 'bundle';
  readonly limit: number;
  readonly offset: number;
}

export interface SearchHit {
  kind: 'matter' | 'bundle';
  code: string;
  version: number;
  name: LocalizedText;
  departmentCode?: string;
  lifeEvents: string[];
}

/** At most this many matches are ranked; a query that matches more is too vague to page through. */
const MAX_MATCHES = 500;
/** Results kept per process: for this long, or until this process publishes (`searchChanged`). */
const CACHE_MS = 5_000;
const CACHE_QUERIES = 1_000;

interface Ranked {
  readonly items: readonly SearchHit[];
  readonly generation: number;
  readonly at: number;
}

/**
 * Search results kept per database handle (one per platform; tests run several in a process). The
 * generation moves when this process publishes: results computed before are not served again. A
 * version published by another process is seen within CACHE_MS.
 */
interface SearchCache {
  generation: number;
  readonly results: Map<string, Ranked>;
}
const caches = new WeakMap<object, SearchCache>();
const cacheOf = (db: object): SearchCache => {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = { generation: 0, results: new Map() }));
  return c;
};

/** How many results this database handle keeps (tests). */
export const searchCacheSize = (db: object): number => caches.get(db)?.results.size ?? 0;

/** The catalog's published entries changed (a publish, in this process): cached results are stale. */
export function searchChanged(db: object): void {
  const c = cacheOf(db);
  c.generation++;
  c.results.clear();
}

/**
 * Matches every term of the query (AND); when nothing matches them all, falls back to any term,
 * ranked by how many match — a citizen typing 办理新生儿出生证明 still finds 出生医学证明. A word
 * in the name counts three times a word found only in the description or materials. The
 * database filters through the GIN index and counts the matching terms of each row (rather than
 * sending every row's term lists back, ~60 terms each); the few matches are ordered here. The
 * ranked list is kept (see SearchCache): a query asked again is answered without the database.
 */
export async function search(
  db: Db,
  query: SearchQuery,
  now: () => number = Date.now,
): Promise<{ total: number; items: SearchHit[] }> {
  const terms = searchTerms(query.q);
  const cache = (db as { isTransaction?: boolean }).isTransaction ? undefined : cacheOf(db);
  const key = JSON.stringify([terms, query.department ?? null, query.lifeEvent ?? null, query.kind ?? null]);
  let ranked = cache?.results.get(key);
  if (ranked && (ranked.generation !== cache!.generation || now() - ranked.at >= CACHE_MS)) {
    cache!.results.delete(key);
    ranked = undefined;
  }
  if (!ranked) {
    const generation = cache?.generation ?? 0;
    const at = now();
    ranked = { items: await rank(db, query, terms), generation, at };
    // Not kept if a publish happened meanwhile: it may have been computed from before it.
    if (cache && cache.generation === generation) {
      if (cache.results.size >= CACHE_QUERIES) cache.results.delete(cache.results.keys().next().value!);
      cache.results.set(key, ranked);
    }
  }
  return { total: ranked.items.length, items: ranked.items.slice(query.offset, query.offset + query.limit) };
}

async function rank(db: Db, query: SearchQuery, terms: readonly string[]): Promise<SearchHit[]> {
  const list = sql.val(terms);
  const run = async (mode: 'all' | 'any') => {
    let q = db
      .selectFrom('catalog.search_entry')
      .select([
        'kind',
        'code',
        'version',
        'name_zh',
        'name_en',
        'department_code',
        'life_events',
        sql<number>`(select count(*) from unnest(${list}::text[]) t where t = any(name_terms))::int`.as('in_name'),
        sql<number>`(select count(*) from unnest(${list}::text[]) t where t = any(terms))::int`.as('in_text'),
      ]);
    if (terms.length > 0) {
      q = q.where(mode === 'all' ? sql<boolean>`terms @> ${list}::text[]` : sql<boolean>`terms && ${list}::text[]`);
    }
    if (query.department) q = q.where('department_code', '=', query.department);
    if (query.lifeEvent) q = q.where(sql<boolean>`life_events @> array[${query.lifeEvent}]::text[]`);
    if (query.kind) q = q.where('kind', '=', query.kind);
    return q.limit(MAX_MATCHES).execute();
  };
  let rows = await run('all');
  if (rows.length === 0 && terms.length > 1) rows = await run('any');
  const score = (row: (typeof rows)[number]) => 3 * row.in_name + row.in_text;
  return rows
    .map((row) => ({ row, score: score(row) }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        (a.row.kind === b.row.kind ? 0 : a.row.kind === 'bundle' ? -1 : 1) ||
        (a.row.code < b.row.code ? -1 : a.row.code > b.row.code ? 1 : 0),
    )
    .map(({ row: r }) => ({
      kind: r.kind,
      code: r.code,
      version: r.version,
      name: { zh: r.name_zh, en: r.name_en },
      ...(r.department_code ? { departmentCode: r.department_code } : {}),
      lifeEvents: r.life_events,
    }));
}
