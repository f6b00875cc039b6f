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

/**
 * Matches every term of the query (AND); when nothing matches them all, falls back to any term,
 * ranked by how many match — a citizen typing 办理新生儿出生证明 still finds 出生医学证明. A word
 * in the name counts three times a word found only in the description or materials. The
 * database filters through the GIN index; ranking the few matches happens here, which is
 * cheaper than ranking in SQL on the embedded database.
 */
export async function search(db: Db, query: SearchQuery): Promise<{ total: number; items: SearchHit[] }> {
  const terms = searchTerms(query.q);
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
        'terms',
        'name_terms',
      ]);
    if (terms.length > 0) {
      q = q.where(
        mode === 'all'
          ? sql<boolean>`terms @> ${sql.val(terms)}::text[]`
          : sql<boolean>`terms && ${sql.val(terms)}::text[]`,
      );
    }
    if (query.department) q = q.where('department_code', '=', query.department);
    if (query.lifeEvent) q = q.where(sql<boolean>`life_events @> array[${query.lifeEvent}]::text[]`);
    if (query.kind) q = q.where('kind', '=', query.kind);
    return q.limit(MAX_MATCHES).execute();
  };
  let rows = await run('all');
  if (rows.length === 0 && terms.length > 1) rows = await run('any');
  const score = (row: (typeof rows)[number]) =>
    terms.reduce((sum, t) => sum + (row.name_terms.includes(t) ? 3 : 0) + (row.terms.includes(t) ? 1 : 0), 0);
  const ranked = rows
    .map((row) => ({ row, score: score(row) }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        (a.row.kind === b.row.kind ? 0 : a.row.kind === 'bundle' ? -1 : 1) ||
        (a.row.code < b.row.code ? -1 : a.row.code > b.row.code ? 1 : 0),
    );
  return {
    total: ranked.length,
    items: ranked.slice(query.offset, query.offset + query.limit).map(({ row: r }) => ({
      kind: r.kind,
      code: r.code,
      version: r.version,
      name: { zh: r.name_zh, en: r.name_en },
      ...(r.department_code ? { departmentCode: r.department_code } : {}),
      lifeEvents: r.life_events,
    })),
  };
}
