// Reads and writes of the catalog's own tables. Publishing (one transaction with its outbox
// event, everything checked before the first write) is service/publish.ts, through these.
import { CatalogError } from '../errors.ts';
import type { DomainError, FieldError } from '@tongban/kernel';
import { sql } from 'kysely';
import type { Bundle, BundleVersion, DataElement, Department, Matter, MatterVersion, Region } from '../domain/model.ts';
import { checkElementRules } from '../domain/elements.ts';
import { findPatternError } from '@tongban/kernel';
import type { CatalogTrx, Db } from './tables.ts';

const json = (value: unknown) => JSON.stringify(value);
const parse = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

// ── regions and departments ──────────────────────────────────────────────────────────────────

export async function listRegions(db: Db): Promise<Region[]> {
  const rows = await db.selectFrom('catalog.region').selectAll().orderBy('code').execute();
  return rows.map((r) => ({
    code: r.code,
    name: { zh: r.name_zh, en: r.name_en },
    ...(r.parent_code ? { parentCode: r.parent_code } : {}),
  }));
}

export async function putRegion(db: Db, region: Region): Promise<void> {
  if (region.parentCode) {
    if (region.parentCode === region.code) throw invalidRef('parentCode', 'a region cannot be its own parent');
    const all = new Map((await listRegions(db)).map((r) => [r.code, r]));
    const parent = all.get(region.parentCode);
    if (!parent) throw invalidRef('parentCode', `region ${region.parentCode} does not exist`);
    // As for departments: walking up from the parent must never reach this region again.
    for (let at: Region | undefined = parent; at; at = at.parentCode ? all.get(at.parentCode) : undefined) {
      if (at.code === region.code) throw invalidRef('parentCode', 'the region tree would contain a cycle');
    }
  }
  const row = {
    code: region.code,
    parent_code: region.parentCode ?? null,
    name_zh: region.name.zh,
    name_en: region.name.en,
  };
  await db
    .insertInto('catalog.region')
    .values(row)
    .onConflict((oc) => oc.column('code').doUpdateSet(row))
    .execute();
}

export async function listDepartments(db: Db, regionCode?: string): Promise<Department[]> {
  let q = db.selectFrom('catalog.department').selectAll().orderBy('code');
  if (regionCode) q = q.where('region_code', '=', regionCode);
  return (await q.execute()).map((r) => ({
    code: r.code,
    regionCode: r.region_code,
    name: { zh: r.name_zh, en: r.name_en },
    ...(r.parent_code ? { parentCode: r.parent_code } : {}),
  }));
}

export async function getDepartment(db: Db, code: string): Promise<Department> {
  const found = (await listDepartments(db)).find((d) => d.code === code);
  if (!found) throw new CatalogError('CATALOG_DEPARTMENT_NOT_FOUND', { code });
  return found;
}

export async function putDepartment(db: Db, department: Department): Promise<void> {
  const region = await db
    .selectFrom('catalog.region')
    .select('code')
    .where('code', '=', department.regionCode)
    .executeTakeFirst();
  if (!region) throw invalidRef('regionCode', `region ${department.regionCode} does not exist`);
  if (department.parentCode) {
    const all = new Map((await listDepartments(db)).map((d) => [d.code, d]));
    const parent = all.get(department.parentCode);
    if (!parent) throw invalidRef('parentCode', `department ${department.parentCode} does not exist`);
    // Walking up from the parent must never reach this department again.
    for (let at: Department | undefined = parent; at; at = at.parentCode ? all.get(at.parentCode) : undefined) {
      if (at.code === department.code) throw invalidRef('parentCode', 'the department tree would contain a cycle');
    }
  }
  const row = {
    code: department.code,
    region_code: department.regionCode,
    parent_code: department.parentCode ?? null,
    name_zh: department.name.zh,
    name_en: department.name.en,
  };
  await db
    .insertInto('catalog.department')
    .values(row)
    .onConflict((oc) => oc.column('code').doUpdateSet(row))
    .execute();
}

function invalidRef(field: string, message: string): DomainError {
  return new CatalogError('CATALOG_INVALID_REFERENCE', {}, [
    { field: `body.${field}`, code: 'invalid_reference', message },
  ]);
}

// ── data elements ────────────────────────────────────────────────────────────────────────────

export async function listElements(db: Db): Promise<DataElement[]> {
  const rows = await db.selectFrom('catalog.data_element').select('definition').orderBy('id').execute();
  return rows.map((r) => parse<DataElement>(r.definition));
}

export async function getElement(db: Db, id: string): Promise<DataElement> {
  const row = await db.selectFrom('catalog.data_element').select('definition').where('id', '=', id).executeTakeFirst();
  if (!row) throw new CatalogError('CATALOG_DATA_ELEMENT_NOT_FOUND', { id });
  return parse<DataElement>(row.definition);
}

export function checkElement(element: DataElement): FieldError[] {
  const errors: FieldError[] = [];
  // Forms match it with RE2 (linear time): what RE2 cannot compile is refused here, not at use.
  const patternError = element.pattern === undefined ? undefined : findPatternError(element.pattern);
  if (patternError) {
    errors.push({
      field: 'body.pattern',
      code: 'invalid_pattern',
      message: `not a regular expression RE2 can compile (no backreferences or lookarounds): ${patternError}`,
    });
  }
  if (element.type === 'code' && !element.values?.length) {
    errors.push({ field: 'body.values', code: 'required', message: 'a code element needs its value domain' });
  }
  if (element.type !== 'code' && element.values) {
    errors.push({ field: 'body.values', code: 'not_allowed', message: 'only code elements have a value domain' });
  }
  const codes = element.values?.map((v) => v.code) ?? [];
  if (new Set(codes).size !== codes.length)
    errors.push({ field: 'body.values', code: 'duplicate_code', message: 'value codes must be unique' });
  errors.push(...checkElementRules(element).map((e) => ({ ...e, field: `body.${e.field}` })));
  return errors;
}

export async function putElement(db: Db, element: DataElement): Promise<void> {
  const errors = checkElement(element);
  if (errors.length > 0) throw new CatalogError('CATALOG_INVALID_DATA_ELEMENT', {}, errors);
  await db
    .insertInto('catalog.data_element')
    .values({ id: element.id, definition: json(element) })
    .onConflict((oc) => oc.column('id').doUpdateSet({ definition: json(element), updated_at: sql`now()` }))
    .execute();
}

// ── matters ──────────────────────────────────────────────────────────────────────────────────

export async function saveMatterDraft(db: Db, matter: Matter): Promise<void> {
  const department = await db
    .selectFrom('catalog.department')
    .select('code')
    .where('code', '=', matter.departmentCode)
    .executeTakeFirst();
  if (!department) throw invalidRef('departmentCode', `department ${matter.departmentCode} does not exist`);
  const row = { code: matter.code, department_code: matter.departmentCode, draft: json(matter) };
  await db
    .insertInto('catalog.matter')
    .values(row)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({ department_code: row.department_code, draft: row.draft, updated_at: sql`now()` }),
    )
    .execute();
}

export async function getMatterDraft(db: Db, code: string): Promise<Matter> {
  const row = await db.selectFrom('catalog.matter').select('draft').where('code', '=', code).executeTakeFirst();
  if (!row) throw new CatalogError('CATALOG_MATTER_NOT_FOUND', { code });
  return parse<Matter>(row.draft);
}

export async function getMatterVersion(
  db: Db,
  code: string,
  version?: number,
): Promise<MatterVersion & { elements: Record<string, DataElement> }> {
  let q = db
    .selectFrom('catalog.matter_version')
    .select(['version', 'content', 'published_at'])
    .where('code', '=', code);
  q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
  const row = await q.executeTakeFirst();
  if (!row) {
    throw version === undefined
      ? new CatalogError('CATALOG_MATTER_NOT_FOUND', { code })
      : new CatalogError('CATALOG_VERSION_NOT_FOUND', { code, version });
  }
  return {
    ...parse<Matter & { elements: Record<string, DataElement> }>(row.content),
    version: row.version,
    publishedAt: row.published_at.toISOString(),
  };
}

export async function listVersions(db: Db, table: 'catalog.matter_version' | 'catalog.bundle_version', code: string) {
  const rows = await db
    .selectFrom(table)
    .select(['version', 'published_at'])
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({ version: r.version, publishedAt: r.published_at.toISOString() }));
}

/** A matter's draft, locked for its publication. */
export async function lockMatterDraft(trx: CatalogTrx, code: string): Promise<Matter> {
  const row = await trx
    .selectFrom('catalog.matter')
    .select('draft')
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new CatalogError('CATALOG_MATTER_NOT_FOUND', { code });
  return parse<Matter>(row.draft);
}

/** A bundle's draft, locked for its publication. */
export async function lockBundleDraft(trx: CatalogTrx, code: string): Promise<Bundle> {
  const row = await trx
    .selectFrom('catalog.bundle')
    .select('draft')
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new CatalogError('CATALOG_BUNDLE_NOT_FOUND', { code });
  return parse<Bundle>(row.draft);
}

/** Writes a published version (immutable from then on: a trigger refuses changes); returns when. */
export async function insertVersion(
  trx: CatalogTrx,
  table: 'catalog.matter_version' | 'catalog.bundle_version',
  code: string,
  version: number,
  content: unknown,
): Promise<Date> {
  const inserted = await trx
    .insertInto(table)
    .values({ code, version, content: json(content) })
    .returning('published_at')
    .executeTakeFirstOrThrow();
  return inserted.published_at;
}

export async function nextVersion(
  trx: CatalogTrx,
  table: 'catalog.matter_version' | 'catalog.bundle_version',
  code: string,
): Promise<number> {
  const row = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max('version').as('v'))
    .where('code', '=', code)
    .executeTakeFirst();
  return (row?.v ?? 0) + 1;
}

export async function indexForSearch(trx: CatalogTrx, entry: CatalogSearchRow): Promise<void> {
  await trx
    .insertInto('catalog.search_entry')
    .values(entry)
    .onConflict((oc) => oc.columns(['kind', 'code']).doUpdateSet(entry))
    .execute();
}

export type CatalogSearchRow = {
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

// ── bundles ──────────────────────────────────────────────────────────────────────────────────

export async function saveBundleDraft(db: Db, bundle: Bundle): Promise<void> {
  await db
    .insertInto('catalog.bundle')
    .values({ code: bundle.code, draft: json(bundle) })
    .onConflict((oc) => oc.column('code').doUpdateSet({ draft: json(bundle), updated_at: sql`now()` }))
    .execute();
}

export async function getBundleDraft(db: Db, code: string): Promise<Bundle> {
  const row = await db.selectFrom('catalog.bundle').select('draft').where('code', '=', code).executeTakeFirst();
  if (!row) throw new CatalogError('CATALOG_BUNDLE_NOT_FOUND', { code });
  return parse<Bundle>(row.draft);
}

export async function getBundleVersion(db: Db, code: string, version?: number): Promise<BundleVersion> {
  let q = db
    .selectFrom('catalog.bundle_version')
    .select(['version', 'content', 'published_at'])
    .where('code', '=', code);
  q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
  const row = await q.executeTakeFirst();
  if (!row) {
    throw version === undefined
      ? new CatalogError('CATALOG_BUNDLE_NOT_FOUND', { code })
      : new CatalogError('CATALOG_VERSION_NOT_FOUND', { code, version });
  }
  return {
    ...parse<Omit<BundleVersion, 'version' | 'publishedAt'>>(row.content),
    version: row.version,
    publishedAt: row.published_at.toISOString(),
  };
}
