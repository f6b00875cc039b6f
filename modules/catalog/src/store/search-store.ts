import { sql } from 'kysely';
import type { LocalizedText } from '../domain/model.ts';
import { searchTerms } from '../domain/search.ts';
import { typed, type CatalogDb, type Trx } from './tables.ts';

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

/**
 * Matches every term of the query (AND); when nothing matches them all, falls back to any term,
 * ranked by how many match — a citizen typing 办理新生儿出生证明 still finds 出生医学证明.
 */
export async function search(db: CatalogDb | Trx, query: SearchQuery): Promise<{ total: number; items: SearchHit[] }> {
  const terms = searchTerms(query.q);
  const run = async (mode: 'all' | 'any') => {
    let q = typed(db).selectFrom('catalog.search_entry');
    if (terms.length > 0) {
      q = q.where(mode === 'all' ? sql<boolean>`terms @> ${sql.val(terms)}::text[]` : sql<boolean>`terms && ${sql.val(terms)}::text[]`);
    }
    if (query.department) q = q.where('department_code', '=', query.department);
    if (query.lifeEvent) q = q.where(sql<boolean>`life_events @> array[${query.lifeEvent}]::text[]`);
    if (query.kind) q = q.where('kind', '=', query.kind);
    let ordered = q
      .select(['kind', 'code', 'version', 'name_zh', 'name_en', 'department_code', 'life_events'])
      .select(sql<number>`count(*) over ()`.as('total'));
    if (terms.length > 0) {
      // A word in the name counts three times a word only in the description or materials.
      const overlap = (column: string) => sql<number>`cardinality(array(select unnest(${sql.ref(column)}) intersect select unnest(${sql.val(terms)}::text[])))`;
      ordered = ordered.orderBy(sql`3 * ${overlap('name_terms')} + ${overlap('terms')}`, 'desc');
    }
    const rows = await ordered.orderBy('kind', 'desc').orderBy('code')
      .limit(query.limit).offset(query.offset)
      .execute();
    return rows;
  };
  let rows = await run('all');
  if (rows.length === 0 && terms.length > 1 && query.offset === 0) rows = await run('any');
  return {
    total: Number(rows[0]?.total ?? 0),
    items: rows.map((r) => ({
      kind: r.kind, code: r.code, version: r.version, name: { zh: r.name_zh, en: r.name_en },
      ...(r.department_code ? { departmentCode: r.department_code } : {}), lifeEvents: r.life_events,
    })),
  };
}
