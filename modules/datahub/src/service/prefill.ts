// 预填: the workflow asks, for an applicant and a purpose (the matter or bundle applied for), for
// the data elements a form binds. Each value comes from a registry row found from the applicant's
// ID number (asked of identity), only when the workflow holds a grant for the item and the
// applicant consented to it; each person whose data a prefill read is one datahub.record.read per
// resource, with every item read about them there.
// Consents and grants are read in the same transaction as the rows, never cached: a revoked
// consent stops the next prefill.
import type { PrefillRequest, PrefillView } from '@tongban/contracts';
import type { FieldCipher } from '@tongban/kernel';
import { DatahubError } from '../errors.ts';
import { consented } from '../domain/consent.ts';
import {
  assemble,
  ROLE_SOURCES,
  rowsToRead,
  type Access,
  type RowFinder,
  type SourceRole,
  type SourceRow,
} from '../domain/prefill.ts';
import type { ResourceDefinition } from '../domain/resource.ts';
import { activeConsents } from '../store/consents.ts';
import { activeGrants } from '../store/grants.ts';
import { findNewestByLookup, findRecordByKey, type RecordRow } from '../store/records.ts';
import { typed, type DatahubTrx } from '../store/tables.ts';
import { grantee, publishReads, type Consumer } from './access.ts';
import type { Hub } from './hub.ts';
import { lookupKey, openRow, personKey, recordKey, type RowValues } from './rows.ts';

export async function prefill(hub: Hub, consumer: Consumer, request: PrefillRequest): Promise<PrefillView> {
  const elements = [...new Set(request.elements)];
  const account = await hub.identity.findAccount(request.accountId);
  if (!account || !account.active) {
    throw new DatahubError('DATAHUB_APPLICANT_UNKNOWN', {}, [
      { field: 'body.accountId', code: account ? 'inactive' : 'unknown', message: 'no active account of that id' },
    ]);
  }
  // A business (or staff) account has no resident ID: nothing is found from it (yet).
  if (!account.idNumber) return { values: [], consentNeeded: [], missing: elements };
  const self = account.idNumber;
  const fields = hub.ctx.fields;
  const selfKey = personKey(fields, self);

  // Before the transaction: on the embedded database it holds the one connection a load would wait for.
  const resources = await hub.resources.all();
  return hub.ctx.transaction(async (t, events) => {
    const trx = typed(t);
    const grants = (await activeGrants(trx, grantee(consumer))).filter((g) => g.purpose === request.purpose);
    const consents = await activeConsents(trx, account.id, request.purpose);
    const access: Access = {
      item(resource, item) {
        if (!grants.some((g) => g.resource === resource && g.items.includes(item))) return 'no_grant';
        return consented(consents, request.purpose, resource, item) ? 'ok' : 'no_consent';
      },
    };

    const opened = new Map<SourceRole, RowValues>();
    const rows = new Map<SourceRole, SourceRow | undefined>();
    // What this prefill read of each person, by resource: one row may serve two roles (the
    // applicant's own row is also the father's) and one person may be named by several rows (the
    // birth record names both parents), yet one prefill is one read of each person's data in each
    // resource — one datahub.record.read, one ledger entry, with every item read about them there.
    const read = new Map<string, { resource: string; subject: string; items: Set<string> }>();
    for (const role of rowsToRead(elements, access)) {
      const resource = resources.get(role.resource);
      const record = resource && (await findRow(trx, fields, resource, ROLE_SOURCES[role.role].find, self, opened));
      if (!resource || !record) {
        rows.set(role.role, undefined);
        continue;
      }
      const values = await openRow(fields, record);
      opened.set(role.role, values);
      rows.set(role.role, {
        values,
        collectedAt: record.collected_at.toISOString(),
        department: resource.departmentCode,
        verified: resource.authoritative,
      });
      for (const subject of record.subjects) {
        const key = `${resource.code}\n${subject}`;
        const entry = read.get(key) ?? { resource: resource.code, subject, items: new Set<string>() };
        for (const item of role.items) entry.items.add(item);
        read.set(key, entry);
      }
    }
    for (const { resource, subject, items } of read.values()) {
      await publishReads(events, {
        consumer,
        purpose: request.purpose,
        resource,
        items: [...items].sort(),
        subjects: [subject],
        channel: 'prefill',
        account: { subject: selfKey, id: account.id },
      });
    }

    const outcome = assemble(elements, access, rows);
    // Asking for items no grant covers is refused (they are `missing`) and recorded as a security event.
    for (const [resource, items] of outcome.ungranted) {
      const any = grants.some((g) => g.resource === resource);
      await events.publish('datahub.access.denied', {
        consumer,
        purpose: request.purpose,
        resource,
        items: [...items],
        reason: any ? 'items_outside_grant' : 'no_grant',
      });
    }
    return { values: outcome.values, consentNeeded: outcome.consentNeeded, missing: outcome.missing };
  });
}

async function findRow(
  trx: DatahubTrx,
  fields: FieldCipher,
  resource: ResourceDefinition,
  find: RowFinder,
  self: string,
  opened: ReadonlyMap<SourceRole, RowValues>,
): Promise<RecordRow | undefined> {
  switch (find.kind) {
    case 'self':
      return findRecordByKey(trx, resource.code, recordKey(fields, resource.code, self));
    case 'lookup':
      return findNewestByLookup(
        trx,
        resource.code,
        find.items.map((item) => lookupKey(fields, resource.code, item, self)),
      );
    case 'link': {
      const value = opened.get(find.from)?.[find.item];
      if (value === null || value === undefined || value === '') return undefined;
      return findRecordByKey(trx, resource.code, recordKey(fields, resource.code, String(value)));
    }
  }
}
