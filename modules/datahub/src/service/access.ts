// Who reads: the consumer a principal is (a registered system by its client id, an officer for
// their department), the refusals of a grant check (403 with the reason, and a security event
// committed on its own: the request fails, the record of it must not), and the read events.
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

/** The grants' consumer: a system's client id, or the department an officer acts for. */
export const grantee = (c: Consumer): string => (c.kind === 'staff' ? (c.department ?? c.id) : c.id);

/** Records a refusal as a security event in a transaction of its own, and returns the 403 to throw. */
export async function refuse(
  ctx: ModuleContext,
  consumer: Consumer,
  request: AccessRequest,
  verdict: Extract<GrantVerdict, { ok: false }>,
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
          message: `granted for ${verdict.purposes.join(', ')}, not for ${request.purpose}`,
        },
      ]);
    case 'items_outside_grant':
      return new DatahubError(
        'DATAHUB_ITEMS_OUTSIDE_GRANT',
        { ...params, items: verdict.outside.join(', ') },
        verdict.outside.map((item) => ({
          field: 'body.items',
          code: 'outside_grant',
          message: `${item} is not in the grant for ${request.purpose}`,
        })),
      );
  }
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
  for (const subject of read.subjects) {
    await events.publish('datahub.record.read', {
      readId: uuidv7(),
      consumer: read.consumer,
      purpose: read.purpose,
      resource: read.resource,
      items: [...read.items],
      subject,
      channel: read.channel,
      ...(read.account && read.account.subject === subject ? { accountId: read.account.id } : {}),
      ...(read.reason !== undefined ? { reason: read.reason } : {}),
    });
  }
}
