// Materials an electronic licence stands in for (免证办, migration 0009): written at submission,
// filled in when the licence a prerequisite task issues is heard of, and kept current with the
// licence's status. A row per application and material code.
import type { AnyKysely } from '@tongban/kernel';
import type { CaseLicenceSlot, CheckedHolderLicence } from '../domain/licence-materials.ts';
import { typed, type LicenceMaterialRow, type Trx } from './tables.ts';

/** In the submission's transaction: the licences awaited from this case and those the applicant gave. */
export async function insertLicenceMaterials(
  trx: Trx,
  applicationId: string,
  slots: readonly CaseLicenceSlot[],
  held: readonly CheckedHolderLicence[],
  at: Date,
): Promise<void> {
  const rows: LicenceMaterialRow[] = [
    ...slots.map((s) => ({
      application_id: applicationId,
      code: s.code,
      type_code: s.typeCode,
      type_name: { zh: s.typeName.zh, en: s.typeName.en },
      source: 'case' as const,
      produced_by: s.producedBy,
      identifier: null,
      licence_id: null,
      issued_by_task: null,
      verified_at: null,
      status: 'valid',
      status_at: null,
    })),
    ...held.map(({ ref, held: h }) => ({
      application_id: applicationId,
      code: ref.code,
      type_code: h.typeCode,
      type_name: { zh: h.typeName.zh, en: h.typeName.en },
      source: 'holder' as const,
      produced_by: null,
      identifier: h.identifier,
      licence_id: h.licenceId,
      issued_by_task: null,
      verified_at: at,
      status: h.status,
      status_at: at,
    })),
  ];
  if (rows.length === 0) return;
  await trx
    .insertInto('workflow.licence_material')
    .values(
      rows.map((r) => ({ ...r, type_name: JSON.stringify(r.type_name) as unknown as LicenceMaterialRow['type_name'] })),
    )
    .execute();
}

/**
 * Licences the applicant named in a correction or in materials sent later: each replaces what
 * stood for its material before (a licence filled in by the case, or one given earlier).
 */
export async function replaceHolderLicences(
  trx: Trx,
  applicationId: string,
  held: readonly CheckedHolderLicence[],
  at: Date,
): Promise<void> {
  if (held.length === 0) return;
  await trx
    .deleteFrom('workflow.licence_material')
    .where('application_id', '=', applicationId)
    .where(
      'code',
      'in',
      held.map((h) => h.ref.code),
    )
    .execute();
  await insertLicenceMaterials(trx, applicationId, [], held, at);
}

/**
 * The licence a task of the case issued fills every material still awaiting its type: answers
 * the rows it filled (none when they were filled before — a redelivery changes nothing).
 */
export async function fillFromIssued(
  trx: Trx,
  issued: { applicationId: string; typeCode: string; identifier: string; licenceId: string; taskId: string },
  at: Date,
): Promise<LicenceMaterialRow[]> {
  return trx
    .updateTable('workflow.licence_material')
    .set({
      identifier: issued.identifier,
      licence_id: issued.licenceId,
      issued_by_task: issued.taskId,
      verified_at: at,
      status: 'valid',
      status_at: at,
    })
    .where('application_id', '=', issued.applicationId)
    .where('type_code', '=', issued.typeCode)
    .where('source', '=', 'case')
    .where('identifier', 'is', null)
    .returningAll()
    .execute();
}

/** A licence's new status on every material it stands in for; answers those rows. */
export async function setLicenceStatus(
  trx: Trx,
  licenceId: string,
  status: string,
  at: Date,
): Promise<LicenceMaterialRow[]> {
  return trx
    .updateTable('workflow.licence_material')
    .set({ status, status_at: at })
    .where('licence_id', '=', licenceId)
    .where('status', '<>', status)
    .returningAll()
    .execute();
}

export async function licenceMaterialsOf(db: AnyKysely, applicationId: string): Promise<LicenceMaterialRow[]> {
  return typed(db)
    .selectFrom('workflow.licence_material')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('code')
    .execute();
}

/** Whose an application is: a licence fills in only its own holder's application. */
export async function findApplicantOf(trx: Trx, applicationId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('workflow.application')
    .select('applicant_id')
    .where('id', '=', applicationId)
    .executeTakeFirst();
  return row?.applicant_id;
}
