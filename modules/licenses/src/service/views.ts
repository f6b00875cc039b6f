// What a licence looks like from outside: the holder's name only masked, dates as ISO text. The
// scan code and the status list build on this view (domain/scan-code/, domain/status-list/).
import { LICENCE_STATUSES } from '@tongban/contracts';
import { maskName } from '@tongban/kernel';
import { findLicenceType } from '../domain/licence-types.ts';
import type { LicenceRow } from '../store/tables.ts';

export function licenceView(row: LicenceRow) {
  const type = findLicenceType(row.type_code);
  return {
    id: row.id,
    identifier: row.identifier,
    type: { code: row.type_code, name: type?.name ?? { zh: row.type_code, en: row.type_code } },
    holder: { id: row.holder_id, name: row.holder_name_masked },
    departmentCode: row.department_code,
    status: row.status,
    statusCode: LICENCE_STATUSES[row.status],
    validFrom: row.valid_from.toISOString(),
    validUntil: row.valid_until?.toISOString() ?? null,
    issuedAt: row.issued_at.toISOString(),
    statusList: { id: row.status_list_id, index: Number(row.status_index) },
    fields: maskedFields(row.fields),
  };
}

/** A person's name on a licence (the child's, a parent's, the holder's) leaves masked, like the holder's. */
function maskedFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [
      key,
      /Name$/.test(key) && key !== 'companyName' && typeof value === 'string' ? maskName(value) : value,
    ]),
  );
}
export type LicenceView = ReturnType<typeof licenceView>;
