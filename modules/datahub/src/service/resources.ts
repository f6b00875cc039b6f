// Publishing a resource definition (政务数据资源目录): checked against the catalog's data
// elements, then written as the next immutable version with datahub.resource.published. A steward
// publishes only for their departments: a new resource owned by one of them, a new version of one
// they own (and not handed to a department that is not theirs).
import type { ModuleContext } from '@tongban/kernel';
import { DatahubError } from '../errors.ts';
import { definitionProblems, type ResourceDefinition } from '../domain/resource.ts';
import { findLatestResource, insertVersion, latestResources } from '../store/resources.ts';
import { typed } from '../store/tables.ts';
import { assertStewards, type Steward } from './access.ts';

/** The data element ids the catalog publishes (its public dictionary). */
export async function catalogElements(ctx: ModuleContext): Promise<ReadonlySet<string>> {
  const list = await ctx.modules.request<{ id: string }[]>('catalog', { path: '/data-elements' });
  return new Set(list.map((e) => e.id));
}

export async function publishResource(
  ctx: ModuleContext,
  definition: ResourceDefinition,
  steward: Steward,
  elements?: ReadonlySet<string>,
): Promise<{ code: string; version: number }> {
  assertStewards(steward, definition.code, definition.departmentCode, 'body.departmentCode');
  const problems = definitionProblems(definition, elements ?? (await catalogElements(ctx)));
  if (problems.length > 0) throw new DatahubError('DATAHUB_RESOURCE_INVALID', { count: problems.length }, problems);
  return ctx.transaction(async (trx, events) => {
    const current = await findLatestResource(typed(trx), definition.code);
    if (current) assertStewards(steward, definition.code, current.definition.departmentCode, 'body.code');
    const version = await insertVersion(typed(trx), definition, steward.id);
    await events.publish('datahub.resource.published', { code: definition.code, version });
    return { code: definition.code, version };
  });
}

/**
 * The latest definitions, kept per process for a few seconds: every read names its resource, and
 * a definition changes only when a steward publishes (which forgets them here at once; another
 * process sees the new version within TTL_MS).
 */
export class ResourceCache {
  static readonly TTL_MS = 5_000;
  #loaded: { at: number; byCode: Promise<ReadonlyMap<string, ResourceDefinition>> } | undefined;
  readonly #ctx: ModuleContext;
  constructor(ctx: ModuleContext) {
    this.#ctx = ctx;
  }

  all(): Promise<ReadonlyMap<string, ResourceDefinition>> {
    const now = Date.now();
    if (!this.#loaded || now - this.#loaded.at > ResourceCache.TTL_MS) {
      const byCode = latestResources(typed(this.#ctx.db)).then(
        (list) => new Map(list.map((r) => [r.definition.code, r.definition])),
      );
      // A failed load is not kept.
      byCode.catch(() => (this.#loaded = undefined));
      this.#loaded = { at: now, byCode };
    }
    return this.#loaded.byCode;
  }

  async get(code: string): Promise<ResourceDefinition> {
    const found = (await this.all()).get(code);
    if (!found) throw new DatahubError('DATAHUB_RESOURCE_NOT_FOUND', { code });
    return found;
  }

  forget(): void {
    this.#loaded = undefined;
  }
}
