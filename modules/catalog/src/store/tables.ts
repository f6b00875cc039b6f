import type { Generated, Kysely } from 'kysely';
import type { AnyTransaction } from '@tongban/kernel';

export interface CatalogTables {
  'catalog.region': { code: string; parent_code: string | null; name_zh: string; name_en: string };
  'catalog.department': {
    code: string;
    region_code: string;
    parent_code: string | null;
    name_zh: string;
    name_en: string;
  };
  'catalog.data_element': { id: string; definition: unknown; updated_at: Generated<Date> };
  'catalog.matter': { code: string; department_code: string; draft: unknown; updated_at: Generated<Date> };
  'catalog.matter_version': { code: string; version: number; content: unknown; published_at: Generated<Date> };
  'catalog.bundle': { code: string; draft: unknown; updated_at: Generated<Date> };
  'catalog.bundle_version': { code: string; version: number; content: unknown; published_at: Generated<Date> };
  'catalog.calendar': { region_code: string; holidays: string[]; workdays: string[]; updated_at: Generated<Date> };
  'catalog.search_entry': {
    kind: 'matter' | 'bundle';
    code: string;
    version: number;
    name_zh: string;
    name_en: string;
    department_code: string | null;
    life_events: string[];
    terms: string[];
    name_terms: string[];
  };
}

export type CatalogDb = Kysely<CatalogTables>;

/** The kernel hands out an untyped Kysely; the catalog reads it through its own table types. */
export function typed(db: unknown): CatalogDb {
  return db as CatalogDb;
}

export type Trx = AnyTransaction;
