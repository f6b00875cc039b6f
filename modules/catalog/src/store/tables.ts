// The catalog schema's tables (store/migrations/*.sql) as the compiler sees them: the one place
// they are declared. Every query of the module goes through these types, so it can name the
// catalog's tables and columns only — another module's table, an unknown column or a value of
// the wrong type does not compile (apps/server/test/typed-db.test.ts). The kernel's bus tables
// in the schema (outbox, inbox, pending, dead_letter) are the kernel's and are not declared here.
//
// Read as both drivers return them: jsonb parsed, timestamptz as Date, text[] as string[].
// Written: jsonb as JSON text (JSON.stringify).
import { narrowTo } from '@tongban/kernel';
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { Bundle, BundleVersion, DataElement, Matter } from '../domain/model.ts';

/** jsonb: read parsed, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;
/** text[] not null default '{}'. */
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface CatalogTables {
  'catalog.region': { code: string; parent_code: string | null; name_zh: string; name_en: string };
  'catalog.department': {
    code: string;
    region_code: string;
    parent_code: string | null;
    name_zh: string;
    name_en: string;
  };
  'catalog.data_element': { id: string; definition: Json<DataElement>; updated_at: Generated<Date> };
  'catalog.matter': { code: string; department_code: string; draft: Json<Matter>; updated_at: Generated<Date> };
  'catalog.matter_version': {
    code: string;
    version: number;
    /** The matter with the data elements its form used. */
    content: Json<Matter & { elements: Record<string, DataElement> }>;
    published_at: Generated<Date>;
  };
  'catalog.bundle': { code: string; draft: Json<Bundle>; updated_at: Generated<Date> };
  'catalog.bundle_version': {
    code: string;
    version: number;
    /** The bundle with its pinned matter versions and merged form. */
    content: Json<Omit<BundleVersion, 'version' | 'publishedAt'>>;
    published_at: Generated<Date>;
  };
  'catalog.calendar': { region_code: string; holidays: TextArray; workdays: TextArray; updated_at: Generated<Date> };
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
export type CatalogTrx = Transaction<CatalogTables>;
/** What a store function runs on: the module's handle or a transaction of it. */
export type Db = CatalogDb | CatalogTrx;

/** What the kernel hands out (ctx.db, a job's or a delivery's trx), read through catalog's own tables. */
export const typed = narrowTo<CatalogTables>();
