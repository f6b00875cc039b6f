// Publishing (发布): a draft becomes the next immutable version, checked in full first, indexed
// for search and announced (catalog.*.published) in the same transaction — nothing half-published.
import type { ModuleContext } from '@tongban/kernel';
import { DomainError } from '@tongban/kernel';
import { CatalogError } from '../errors.ts';
import type { BundleVersion, DataElement, MatterVersion } from '../domain/model.ts';
import { checkBundle, checkMatter, mergeForms } from '../domain/publish.ts';
import { searchTerms } from '../domain/search.ts';
import {
  getDepartment,
  getMatterVersion,
  indexForSearch,
  insertVersion,
  listDepartments,
  listElements,
  lockBundleDraft,
  lockMatterDraft,
  nextVersion,
} from '../store/catalog-store.ts';
import { searchChanged } from '../store/search-store.ts';
import { typed, type CatalogTrx } from '../store/tables.ts';

/** Publishes the draft as the next immutable version; returns that version. */
export async function publishMatter(ctx: ModuleContext, code: string): Promise<MatterVersion> {
  const published = await typed(ctx.db)
    .transaction()
    .execute((trx) => publishMatterIn(trx, ctx, code));
  searchChanged(ctx.db); // again after the commit: a search that read before it is not kept
  return published;
}

/** publishMatter inside the caller's transaction (the demo seed publishes everything in one). */
export async function publishMatterIn(trx: CatalogTrx, ctx: ModuleContext, code: string): Promise<MatterVersion> {
  const matter = await lockMatterDraft(trx, code);
  const elements = new Map((await listElements(trx)).map((e) => [e.id, e]));
  const departments = new Set((await listDepartments(trx)).map((d) => d.code));
  const errors = checkMatter(matter, { elements, departments }).map((e) => ({ ...e, field: `draft.${e.field}` }));
  if (errors.length > 0) throw new CatalogError('CATALOG_PUBLISH_INVALID', { count: errors.length }, errors);
  const version = await nextVersion(trx, 'catalog.matter_version', code);
  const used = Object.values(matter.form.properties).map((f) => elements.get(f['x-data-element'])!);
  const content = { ...matter, elements: Object.fromEntries(used.map((e) => [e.id, e])) };
  const publishedAt = await insertVersion(trx, 'catalog.matter_version', code, version, content);
  const department = await getDepartment(trx, matter.departmentCode);
  searchChanged(ctx.db);
  await indexForSearch(trx, {
    kind: 'matter',
    code,
    version,
    name_zh: matter.name.zh,
    name_en: matter.name.en,
    department_code: matter.departmentCode,
    life_events: [...matter.lifeEvents],
    name_terms: searchTerms(
      matter.name.zh,
      matter.name.en,
      matter.producesLicence?.name.zh,
      matter.producesLicence?.name.en,
    ),
    terms: searchTerms(
      code,
      matter.name.zh,
      matter.name.en,
      matter.description.zh,
      matter.description.en,
      department.name.zh,
      department.name.en,
      ...matter.materials.flatMap((m) => [m.name.zh, m.name.en]),
      matter.producesLicence?.name.zh,
      matter.producesLicence?.name.en,
    ),
  });
  await ctx.events.publish(trx, 'catalog.matter.published', {
    code,
    version,
    departmentCode: matter.departmentCode,
  });
  return { ...matter, version, publishedAt: publishedAt.toISOString() };
}

/** Publishes a bundle pinned to the latest published version of each of its matters. */
export async function publishBundle(ctx: ModuleContext, code: string): Promise<BundleVersion> {
  const published = await typed(ctx.db)
    .transaction()
    .execute((trx) => publishBundleIn(trx, ctx, code));
  searchChanged(ctx.db);
  return published;
}

export async function publishBundleIn(trx: CatalogTrx, ctx: ModuleContext, code: string): Promise<BundleVersion> {
  const bundle = await lockBundleDraft(trx, code);
  const published = new Map<string, MatterVersion & { elements: Record<string, DataElement> }>();
  for (const item of bundle.items) {
    const found = await getMatterVersion(trx, item.matterCode).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'CATALOG_MATTER_NOT_FOUND') return undefined;
      throw error;
    });
    if (found) published.set(item.matterCode, found);
  }
  const errors = checkBundle(bundle, published).map((e) => ({ ...e, field: `draft.${e.field}` }));
  if (errors.length > 0) throw new CatalogError('CATALOG_PUBLISH_INVALID', { count: errors.length }, errors);
  const elements = new Map([...published.values()].flatMap((m) => Object.values(m.elements)).map((e) => [e.id, e]));
  const { form } = mergeForms([...published.values()], elements);
  const version = await nextVersion(trx, 'catalog.bundle_version', code);
  const matterVersions = Object.fromEntries([...published.values()].map((m) => [m.code, m.version]));
  const content = { ...bundle, matterVersions, form };
  const publishedAt = await insertVersion(trx, 'catalog.bundle_version', code, version, content);
  const matters = [...published.values()];
  searchChanged(ctx.db);
  await indexForSearch(trx, {
    kind: 'bundle',
    code,
    version,
    name_zh: bundle.name.zh,
    name_en: bundle.name.en,
    department_code: null,
    life_events: [bundle.lifeEvent],
    name_terms: searchTerms(bundle.name.zh, bundle.name.en),
    terms: searchTerms(
      code,
      bundle.name.zh,
      bundle.name.en,
      bundle.description.zh,
      bundle.description.en,
      ...matters.flatMap((m) => [m.name.zh, m.name.en]),
    ),
  });
  await ctx.events.publish(trx, 'catalog.bundle.published', { code, version, matterVersions });
  return { ...content, version, publishedAt: publishedAt.toISOString() };
}
