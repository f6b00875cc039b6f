// Who reads: the consumer a principal is (a registered system by its client id, an officer for
// their department), the refusals of a grant check (403 with the reason, and a security event
// committed on its own: the request fails, the record of it must not), and the read events.
// Who stewards: an officer with datahub.steward for the resources their departments own, the
// operator (and the seed) for any.
import { uuidv7, type ModuleContext, type Principal, type TransactionEvents } from '@tongban/kernel';
import type { EventData } from '@tongban/contracts';
import { DatahubError } from '../errors.ts';
import type { AccessRequest, GrantVerdict } from '../domain/grants.ts';

export type Consumer = EventData<'datahub.record.read'>['consumer'];
export type Channel = EventData<'datahub.record.read'>['channel'];

/** A service acts as its client id; staff and citizens as themselves (an officer for a department). */
export function consumerOf(p: Principal, department?: string): Consumer {
  if (p.kind === 'service') return { kind: 'service', id: p.id };
  if (p.kind === 'citizen' || p.kind === 'business') return { kind: 'citizen', id: p.id };
  return { kind: 'staff', id: p.id, ...(department ? { department } : {}) };
}

/** A department code (GB/T 2260 region, then the department): 330100-GA. */
const DEPARTMENT_CODE = /^\d{6}-/;

/**
 * The grants' consumer: a system's client id, or the department an officer acts for. Both share
 * the grant rows' consumer column, so a system whose client id is shaped like a department code
 * is not taken for that department: it is named `service:<id>`, which no grant can name (a grant's
 * consumer has no colon), and it reads nothing under grants.
 */
export const grantee = (c: Consumer): string => {
  if (c.kind === 'staff') return c.department ?? c.id;
  return c.kind === 'service' && DEPARTMENT_CODE.test(c.id) ? `service:${c.id}` : c.id;
};

/** Records a refusal as a security event in a transaction of its own, and returns the 403 to throw. */
export async function refuse(
  ctx: ModuleContext,
  consumer: Consumer,
  request: AccessRequest,
  verdict: Extract<GrantVerdict, { ok: false }>,
  /** The request field an item came from (a search item is `body.where.<item>`); body.items otherwise. */
  fieldOf: (item: string) => string = () => 'body.items',
): Promise<InstanceType<typeof DatahubError>> {
  await ctx.transaction(async (_trx, events) => {
    await events.publish('datahub.access.denied', {
      consumer,
      purpose: request.purpose,
      resource: request.resource,
      items: [...request.items],
      reason: verdict.reason,
    });
  });
  const params = { consumer: request.consumer, resource: request.resource, purpose: request.purpose };
  switch (verdict.reason) {
    case 'no_grant':
      return new DatahubError('DATAHUB_NO_GRANT', params, [
        { field: 'params.code', code: 'no_grant', message: `no grant for ${request.consumer} on ${request.resource}` },
      ]);
    case 'wrong_purpose':
      return new DatahubError('DATAHUB_WRONG_PURPOSE', params, [
        {
          field: 'body.purpose',
          code: 'wrong_purpose',
          // Which purposes the consumer does hold grants for is not the caller's to learn here.
          message: `not granted for ${request.purpose}`,
        },
      ]);
    case 'items_outside_grant':
      return new DatahubError(
        'DATAHUB_ITEMS_OUTSIDE_GRANT',
        { ...params, items: verdict.outside.join(', ') },
        verdict.outside.map((item) => ({
          field: fieldOf(item),
          code: 'outside_grant',
          message: `${item} is not in the grant for ${request.purpose}`,
        })),
      );
  }
}

/** Who changes the catalogue and its grants: the departments whose resources they may steward. */
export interface Steward {
  readonly id: string;
  readonly departments: readonly string[] | 'any';
}

/** The seed publishes the registries of every department. */
export const SEED_STEWARD: Steward = { id: 'seed', departments: 'any' };

/** The operator stewards every resource; an officer (role datahub.steward) those their departments own. */
export const stewardOf = (p: Principal): Steward => ({
  id: p.id,
  departments: p.kind === 'operator' ? 'any' : p.departments,
});

/** Throws the 403 unless the steward may act on a resource owned by this department. */
export function assertStewards(steward: Steward, resource: string, department: string, field: string): void {
  if (steward.departments === 'any' || steward.departments.includes(department)) return;
  throw new DatahubError('DATAHUB_NOT_STEWARD', { code: resource, department }, [
    { field, code: 'not_steward', message: `${resource} is owned by ${department}` },
  ]);
}

export interface ReadRecord {
  readonly consumer: Consumer;
  readonly purpose: string;
  readonly resource: string;
  readonly items: readonly string[];
  readonly subjects: readonly string[];
  readonly channel: Channel;
  /** The account of the subject with this person key, when known (a prefill's applicant). */
  readonly account?: { readonly subject: string; readonly id: string };
  readonly reason?: string;
}

/** One datahub.record.read per person the row is about: each is one entry in that person's ledger. */
export async function publishReads(events: TransactionEvents, read: ReadRecord): Promise<void> {
  for (const event of readEvents(read)) await events.publish('datahub.record.read', event);
}

/** The read events of one row read: one per person it is about. */
export function readEvents(read: ReadRecord): EventData<'datahub.record.read'>[] {
  return read.subjects.map((subject) => ({
    readId: uuidv7(),
    consumer: read.consumer,
    purpose: read.purpose,
    resource: read.resource,
    items: [...read.items],
    subject,
    channel: read.channel,
    ...(read.account && read.account.subject === subject ? { accountId: read.account.id } : {}),
    ...(read.reason !== undefined ? { reason: read.reason } : {}),
  }));
}
