// 窗口核验: a counter (through the workflow, role datahub.prefill) resolves the person in front of
// it by the ID number on their card: the population row, masked (张*, 330106********1234), their
// region and their account if they have one. One read, ledgered on the counter channel.
import { IDENTIFIER_CHECKS } from '@tongban/kernel';
import { DatahubError } from '../errors.ts';
import { maskRow, policyFor, type Masked } from '../domain/masking.ts';
import { POPULATION } from '../domain/registries.ts';
import { activeGrants } from '../store/grants.ts';
import { findRecordByKey } from '../store/records.ts';
import { typed } from '../store/tables.ts';
import { grantee, publishReads, type Consumer } from './access.ts';
import type { Hub } from './hub.ts';
import { authorise, pseudonymFor } from './query.ts';
import { openRow, personKey, recordKey } from './rows.ts';

/** The items a resolve reads (the household number only for the region): all must be granted. */
export const RESOLVE_ITEMS = ['idNumber', 'name', 'gender', 'householdId'] as const;
/** The items it answers with, masked. */
const ANSWERED = ['idNumber', 'name', 'gender'] as const;

export interface Resolved {
  readonly person: Record<string, Masked>;
  readonly region: string;
  readonly accountId: string | null;
}

export async function resolvePerson(
  hub: Hub,
  consumer: Consumer,
  idNumber: string,
  purpose: string,
): Promise<Resolved> {
  const id = idNumber.toUpperCase();
  if (!IDENTIFIER_CHECKS.gb11643(id)) {
    throw new DatahubError('DATAHUB_QUERY_INVALID', {}, [
      { field: 'body.idNumber', code: 'check_digit', message: 'not a resident ID number (GB 11643 check digit)' },
    ]);
  }
  const db = typed(hub.ctx.db);
  const resource = await hub.resources.get(POPULATION.code);
  const grants = await activeGrants(db, grantee(consumer), [resource.code]);
  await authorise(hub.ctx, resource, consumer, grants, purpose, RESOLVE_ITEMS, 'idNumber');
  const account = await hub.identity.findByResidentId(id);
  const policy = policyFor(hub.masking, 'counter', purpose);
  return hub.ctx.transaction(async (t, events) => {
    const record = await findRecordByKey(typed(t), resource.code, recordKey(hub.ctx.fields, resource.code, id));
    if (!record) throw new DatahubError('DATAHUB_PERSON_NOT_FOUND');
    const values = await openRow(hub.ctx.fields, record);
    const subject = personKey(hub.ctx.fields, id);
    await publishReads(events, {
      consumer,
      purpose,
      resource: resource.code,
      items: [...RESOLVE_ITEMS],
      subjects: record.subjects,
      channel: 'counter',
      ...(account ? { account: { subject, id: account.id } } : {}),
    });
    // The household number begins with its region (GB/T 2260); without one, the ID's first six digits.
    const household = String(values.householdId ?? '');
    const region = /^\d{6}/.test(household) ? household.slice(0, 6) : id.slice(0, 6);
    return {
      person: maskRow(values, resource, policy, ANSWERED, pseudonymFor(hub, grantee(consumer))),
      region,
      accountId: account?.id ?? null,
    };
  });
}
