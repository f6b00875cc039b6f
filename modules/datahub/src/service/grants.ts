// Granting and revoking (共享授权), by a data steward of the department owning the resource or an
// operator: a grant for an unknown resource or item is refused naming the field, one on another
// department's resource is 403; each change is datahub.grant.changed.
import { isUniqueViolation, type ModuleContext } from '@tongban/kernel';
import { randomUUID } from 'node:crypto';
import { DatahubError } from '../errors.ts';
import { findLatestResource } from '../store/resources.ts';
import { insertGrant, revokeGrant, type GrantView } from '../store/grants.ts';
import { typed } from '../store/tables.ts';
import { assertStewards, type Steward } from './access.ts';

export interface NewGrant {
  readonly consumer: string;
  readonly resource: string;
  readonly purpose: string;
  readonly items: readonly string[];
}

export async function createGrant(ctx: ModuleContext, grant: NewGrant, steward: Steward): Promise<GrantView> {
  const by = steward.id;
  const resource = await findLatestResource(typed(ctx.db), grant.resource);
  if (!resource) {
    throw new DatahubError('DATAHUB_GRANT_INVALID', {}, [
      { field: 'body.resource', code: 'unknown_resource', message: `no resource ${grant.resource}` },
    ]);
  }
  assertStewards(steward, grant.resource, resource.definition.departmentCode, 'body.resource');
  const known = new Set(resource.definition.items.map((i) => i.key));
  const unknown = grant.items.map((item, i) => [item, i] as const).filter(([item]) => !known.has(item));
  if (unknown.length > 0) {
    throw new DatahubError(
      'DATAHUB_GRANT_INVALID',
      {},
      unknown.map(([item, i]) => ({
        field: `body.items.${i}`,
        code: 'unknown_item',
        message: `${grant.resource} has no item ${item}`,
      })),
    );
  }
  try {
    return await ctx.transaction(async (trx, events) => {
      const row = await insertGrant(typed(trx), { id: randomUUID(), ...grant, by });
      await events.publish('datahub.grant.changed', {
        grantId: row.id,
        consumer: row.consumer,
        resource: row.resource,
        purpose: row.purpose,
        items: [...row.items],
        change: 'created',
        by,
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DatahubError('DATAHUB_GRANT_EXISTS');
    throw error;
  }
}

export async function withdrawGrant(ctx: ModuleContext, id: string, steward: Steward): Promise<GrantView> {
  const by = steward.id;
  return ctx.transaction(async (trx, events) => {
    const row = await revokeGrant(typed(trx), id, by, ctx.clock.now());
    if (!row) throw new DatahubError('DATAHUB_GRANT_NOT_FOUND', { id });
    // Refused, the revocation rolls back with the transaction.
    const resource = await findLatestResource(typed(trx), row.resource);
    if (resource) assertStewards(steward, row.resource, resource.definition.departmentCode, 'params.id');
    await events.publish('datahub.grant.changed', {
      grantId: row.id,
      consumer: row.consumer,
      resource: row.resource,
      purpose: row.purpose,
      items: [...row.items],
      change: 'revoked',
      by,
    });
    return row;
  });
}
