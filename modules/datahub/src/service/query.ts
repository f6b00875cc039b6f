// Reads under a grant (共享查询): a department system (role datahub.read) or an officer (for a
// department holding the grant) asks a resource for items of the rows where one key or indexed
// item has a value. The grant is checked first (a refusal is a 403 and a security event); each
// row opened is one datahub.record.read per person it is about, durable in the outbox before the
// answer leaves; values leave masked by the policy of the consumer's audience and purpose.
//
// A lookup is the hub's hot path (a department system asks thousands of times a minute), so its
// two database steps are shared with the lookups arriving at the same moment: the grants and rows
// (read together for the whole batch, service/loaders.ts) and the read events (one insert and one
// commit: ctx.events.commit). Nothing is cached: a revoked grant refuses the next request.
import type { ModuleContext, Principal } from '@tongban/kernel';
import { DatahubError } from '../errors.ts';
import { checkGrant, chooseConsumer, type AccessRequest } from '../domain/grants.ts';
import { maskRow, policyFor, type Audience, type Masked } from '../domain/masking.ts';
import type { ResourceDefinition } from '../domain/resource.ts';
import type { GrantView } from '../store/grants.ts';
import { findRecordByKey, findRecordsByLookup, type RecordRow } from '../store/records.ts';
import type { Db } from '../store/tables.ts';
import { consumerOf, grantee, readEvents, refuse, type Consumer } from './access.ts';
import type { Hub } from './hub.ts';
import type { Probe } from './loaders.ts';
import { lookupKey, openRow, recordKey } from './rows.ts';

/** At most this many rows answer one query (a lookup by a parent's ID number finds a few). */
export const QUERY_ROW_LIMIT = 50;

export interface Where {
  readonly item: string;
  readonly value: string;
}

export interface QueryAnswer {
  readonly resource: string;
  readonly policy: string;
  readonly rows: { values: Record<string, Masked>; collectedAt: string; source: string }[];
}

/** The single `where` entry, checked: a key or indexed item of the resource. */
export function whereOf(resource: ResourceDefinition, where: Readonly<Record<string, string | number>>): Where {
  const [entry] = Object.entries(where);
  const [item, value] = entry!;
  const def = resource.items.find((i) => i.key === item);
  if (!def || (item !== resource.keyItem && !def.indexed)) {
    throw new DatahubError('DATAHUB_QUERY_INVALID', {}, [
      {
        field: `body.where.${item}`,
        code: 'not_searchable',
        message: `${resource.code} is found by ${[resource.keyItem, ...resource.items.filter((i) => i.indexed).map((i) => i.key)].join(', ')}`,
      },
    ]);
  }
  return { item, value: String(value) };
}

export function checkItems(resource: ResourceDefinition, items: readonly string[], field = 'body.items'): void {
  const known = new Set(resource.items.map((i) => i.key));
  const unknown = items.map((item, i) => [item, i] as const).filter(([item]) => !known.has(item));
  if (unknown.length > 0) {
    throw new DatahubError(
      'DATAHUB_QUERY_INVALID',
      {},
      unknown.map(([item, i]) => ({
        field: `${field}.${i}`,
        code: 'unknown_item',
        message: `${resource.code} has no item ${item}`,
      })),
    );
  }
}

/** The consumers a principal may read as: a system as itself, an officer as each of their departments. */
export const consumersOf = (principal: Principal): Consumer[] =>
  principal.kind === 'officer' ? principal.departments.map((d) => consumerOf(principal, d)) : [consumerOf(principal)];

/**
 * The consumer the principal reads as and its grants on the resource (`grantsOf`: a consumer's
 * grants there): a system as itself; an officer as the first of their departments whose grants
 * admit the request (purpose and items), or — none does — the department whose refusal came
 * nearest, so the 403 says the most useful thing. Without a request (older callers): the first
 * department holding any grant on it.
 */
export async function consumerWithGrants(
  principal: Principal,
  resource: string,
  grantsOf: (grantee: string) => Promise<GrantView[]> | GrantView[],
  request?: { readonly purpose: string; readonly items: readonly string[] },
): Promise<{ consumer: Consumer; grants: GrantView[] }> {
  const byDepartment = await Promise.all(
    consumersOf(principal).map(async (consumer) => ({ consumer, grants: await grantsOf(grantee(consumer)) })),
  );
  if (principal.kind !== 'officer') return byDepartment[0]!;
  if (request) {
    const chosen = chooseConsumer(
      byDepartment.map((d) => ({
        consumer: d,
        verdict: checkGrant(d.grants, { consumer: grantee(d.consumer), resource, ...request }),
      })),
    );
    if (chosen) return chosen.consumer;
  } else {
    const holding = byDepartment.find((d) => d.grants.length > 0);
    if (holding) return holding;
  }
  return { consumer: consumerOf(principal, principal.departments[0]), grants: [] };
}

/**
 * Checks sharing type and grant; throws the 403 (after recording it) when refused. The items
 * checked are those read and the one searched by (`where`): finding a row by an item is learning
 * something of it (whether that ID number is in the registry), so it must be granted too.
 */
export async function authorise(
  ctx: ModuleContext,
  resource: ResourceDefinition,
  consumer: Consumer,
  grants: Parameters<typeof checkGrant>[0],
  purpose: string,
  items: readonly string[],
  where?: string,
): Promise<void> {
  const asked = where === undefined || items.includes(where) ? items : [...items, where];
  const request: AccessRequest = { consumer: grantee(consumer), resource: resource.code, purpose, items: asked };
  // 无条件共享: any government consumer (a system, an officer) may read it without a grant; 不予共享:
  // nobody may; a citizen reads nothing here, with or without a grant.
  if (resource.sharing === 'unconditional' && consumer.kind !== 'citizen') return;
  const verdict =
    resource.sharing === 'none' || consumer.kind === 'citizen'
      ? ({ ok: false, reason: 'no_grant', outside: [] } as const)
      : checkGrant(grants, request);
  if (!verdict.ok) {
    const fieldOf = (item: string) => (item === where && !items.includes(item) ? `body.where.${item}` : 'body.items');
    throw await refuse(ctx, consumer, request, verdict, fieldOf);
  }
}

/** What finds the rows of `where`: the key's blind index, or the indexed item's lookup entry. */
export function probeOf(hub: Hub, resource: ResourceDefinition, where: Where): Probe {
  const fields = hub.ctx.fields;
  return where.item === resource.keyItem
    ? { resource: resource.code, by: 'key', probe: recordKey(fields, resource.code, where.value) }
    : { resource: resource.code, by: 'lookup', probe: lookupKey(fields, resource.code, where.item, where.value) };
}

/** The rows of `where`, read in the caller's transaction (a reveal's, which counts and records in it). */
export async function findRows(db: Db, hub: Hub, resource: ResourceDefinition, where: Where): Promise<RecordRow[]> {
  const fields = hub.ctx.fields;
  if (where.item === resource.keyItem) {
    const row = await findRecordByKey(db, resource.code, recordKey(fields, resource.code, where.value));
    return row ? [row] : [];
  }
  return findRecordsByLookup(
    db,
    resource.code,
    [lookupKey(fields, resource.code, where.item, where.value)],
    QUERY_ROW_LIMIT,
  );
}

/** The keyed pseudonym of a value for one consumer (HMAC under the hub's key, per consumer). */
export const pseudonymFor = (hub: Hub, consumer: string) => (value: string) =>
  `ps-${hub.ctx.fields.blindIndex(`pseudonym:${consumer}`, value.toUpperCase()).slice(0, 22)}`;

export async function query(
  hub: Hub,
  principal: Principal,
  code: string,
  body: { purpose: string; items: string[]; where: Record<string, string | number> },
): Promise<QueryAnswer> {
  const resource = await hub.resources.get(code);
  checkItems(resource, body.items);
  const where = whereOf(resource, body.where);
  const asked = body.items.includes(where.item) ? body.items : [...body.items, where.item];
  // Grants and rows in one read; the rows stay sealed, opened by no one, unless the grant admits.
  const read = await hub.loaders.read(consumersOf(principal).map(grantee), probeOf(hub, resource, where));
  const { consumer, grants } = await consumerWithGrants(
    principal,
    code,
    (g) => read.grants.filter((grant) => grant.consumer === g),
    { purpose: body.purpose, items: asked },
  );
  await authorise(hub.ctx, resource, consumer, grants, body.purpose, body.items, where.item);
  const audience: Audience = principal.kind === 'officer' ? 'officer' : 'system';
  const policy = policyFor(hub.masking, audience, body.purpose);
  const pseudonym = pseudonymFor(hub, grantee(consumer));
  const records = read.rows;
  const rows = [];
  const reads = [];
  for (const record of records) {
    const values = await openRow(hub.ctx.fields, record);
    reads.push(
      ...readEvents({
        consumer,
        purpose: body.purpose,
        resource: code,
        items: body.items,
        subjects: record.subjects,
        channel: 'lookup',
      }),
    );
    rows.push({
      values: maskRow(values, resource, policy, body.items, pseudonym),
      collectedAt: record.collected_at.toISOString(),
      source: record.source,
    });
  }
  // No answer before its record: every read is durable in the outbox before the rows leave.
  await Promise.all(reads.map((read) => hub.ctx.events.commit('datahub.record.read', read)));
  return { resource: code, policy: policy.name, rows };
}
