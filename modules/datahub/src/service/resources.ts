// Publishing a resource definition (政务数据资源目录): checked against the catalog's data
// elements, then written as the next immutable version with datahub.resource.published.
import type { ModuleContext } from '@tongban/kernel';
import { DatahubError } from '../errors.ts';
import { definitionProblems, type ResourceDefinition } from '../domain/resource.ts';
import { insertVersion } from '../store/resources.ts';
import { typed } from '../store/tables.ts';

/** The data element ids the catalog publishes (its public dictionary). */
export async function catalogElements(ctx: ModuleContext): Promise<ReadonlySet<string>> {
  const list = await ctx.modules.request<{ id: string }[]>('catalog', { path: '/data-elements' });
  return new Set(list.map((e) => e.id));
}

export async function publishResource(
  ctx: ModuleContext,
  definition: ResourceDefinition,
  by: string,
  elements?: ReadonlySet<string>,
): Promise<{ code: string; version: number }> {
  const problems = definitionProblems(definition, elements ?? (await catalogElements(ctx)));
  if (problems.length > 0) throw new DatahubError('DATAHUB_RESOURCE_INVALID', { count: problems.length }, problems);
  return ctx.transaction(async (trx, events) => {
    const version = await insertVersion(typed(trx), definition, by);
    await events.publish('datahub.resource.published', { code: definition.code, version });
    return { code: definition.code, version };
  });
}
