// The resource catalogue's rows: a resource's latest version number and its immutable versions.
import { sql } from 'kysely';
import type { ResourceDefinition } from '../domain/resource.ts';
import type { Db, DatahubTrx } from './tables.ts';

export interface PublishedResource {
  readonly definition: ResourceDefinition;
  readonly version: number;
  readonly publishedAt: Date;
}

/** Writes the next version of a resource (the resource row locked first, so two publishers take turns). */
export async function insertVersion(trx: DatahubTrx, definition: ResourceDefinition, by: string): Promise<number> {
  const current = await trx
    .selectFrom('datahub.resource')
    .select('latest')
    .where('code', '=', definition.code)
    .forUpdate()
    .executeTakeFirst();
  const version = (current?.latest ?? 0) + 1;
  if (current) {
    await trx
      .updateTable('datahub.resource')
      .set({ latest: version, department_code: definition.departmentCode })
      .where('code', '=', definition.code)
      .execute();
  } else {
    await trx
      .insertInto('datahub.resource')
      .values({ code: definition.code, latest: version, department_code: definition.departmentCode })
      .execute();
  }
  await trx
    .insertInto('datahub.resource_version')
    .values({ code: definition.code, version, definition: JSON.stringify(definition), published_by: by })
    .execute();
  return version;
}

/** The latest version of every resource, by code. */
export async function latestResources(db: Db): Promise<PublishedResource[]> {
  const rows = await db
    .selectFrom('datahub.resource as r')
    .innerJoin('datahub.resource_version as v', (j) =>
      j.onRef('v.code', '=', 'r.code').onRef('v.version', '=', 'r.latest'),
    )
    .select(['v.definition', 'v.version', 'v.published_at'])
    .orderBy('r.code')
    .execute();
  return rows.map((r) => ({
    definition: r.definition as ResourceDefinition,
    version: r.version,
    publishedAt: r.published_at,
  }));
}

/** A resource's latest version, or undefined when no such resource was published. */
export async function findLatestResource(db: Db, code: string): Promise<PublishedResource | undefined> {
  const row = await db
    .selectFrom('datahub.resource as r')
    .innerJoin('datahub.resource_version as v', (j) =>
      j.onRef('v.code', '=', 'r.code').onRef('v.version', '=', 'r.latest'),
    )
    .select(['v.definition', 'v.version', 'v.published_at'])
    .where('r.code', '=', code)
    .executeTakeFirst();
  return (
    row && { definition: row.definition as ResourceDefinition, version: row.version, publishedAt: row.published_at }
  );
}

/** How many resources are published (the seed publishes only into an empty catalogue). */
export async function countResources(db: Db): Promise<number> {
  const row = await db
    .selectFrom('datahub.resource')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}
