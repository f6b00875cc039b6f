// Materials as readers see them: an upload (`doc:<id>`) as given, and a licence (`lic:<identifier>`,
// 免证办) with where it came from and whether it is vouched for now — the applicant's own given
// with consent, or the one a task of this case issued, filled in for the materials nobody gave.
import { licenceRef } from '../domain/licence-materials.ts';
import type { LicenceMaterialRow, MaterialRef, TaskRow } from './tables.ts';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : '');

function licenceMaterial(row: LicenceMaterialRow & { identifier: string }, tasks: readonly TaskRow[]) {
  const issuer = row.issued_by_task ? tasks.find((t) => t.id === row.issued_by_task) : undefined;
  return {
    code: row.code,
    ref: licenceRef(row.identifier),
    source: 'licence' as const,
    identifier: row.identifier,
    // Vouched for by the licences module, and not suspended, revoked or expired since.
    verified: row.status === 'valid',
    typeName: { zh: row.type_name.zh, en: row.type_name.en },
    licence: {
      id: row.licence_id ?? '',
      typeCode: row.type_code,
      status: row.status,
      verifiedAt: iso(row.verified_at),
      origin: row.source,
      issuedByTaskId: row.issued_by_task,
      issuedByMatterCode: issuer?.matter_code ?? row.produced_by,
    },
  };
}

export function materialViews(
  given: readonly MaterialRef[],
  licences: readonly LicenceMaterialRow[],
  tasks: readonly TaskRow[],
) {
  const filled = licences.filter((r): r is LicenceMaterialRow & { identifier: string } => r.identifier !== null);
  const byCode = new Map(filled.map((r) => [r.code, r]));
  const givenCodes = new Set(given.map((m) => m.code));
  return [
    ...given.map((m) => {
      const row = byCode.get(m.code);
      if (row && row.source === 'holder' && licenceRef(row.identifier) === m.ref) return licenceMaterial(row, tasks);
      return m.ref.startsWith('doc:') ? { code: m.code, ref: m.ref, source: 'upload' as const } : { ...m };
    }),
    ...filled.filter((r) => r.source === 'case' && !givenCodes.has(r.code)).map((r) => licenceMaterial(r, tasks)),
  ];
}
