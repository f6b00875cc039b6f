// What a licence looks like from outside: the holder's name only masked (the answers it carries stay sealed), dates as ISO text. The
// scan code and the status list build on this view (domain/scan-code/, domain/status-list/).
import { LICENCE_STATUSES } from '@tongban/contracts';
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
  };
}

export type LicenceView = ReturnType<typeof licenceView>;
