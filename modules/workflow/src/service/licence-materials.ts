// 免证办 as the workflow hears it: the licence a task of a case issued stands in for the materials
// of the case's later matters that asked for it (出生医学证明 → 落户), and a licence's later status
// (suspended, revoked) shows on every material it stands in for. Both run in the delivery's
// transaction with its inbox row: a redelivered event finds the rows already written and adds
// nothing. No call out from here (the embedded database's one connection is held): what the
// materials need of the catalog was written at submission (store/licence-materials.ts).
import type { EventData } from '@tongban/contracts';
import type { ModuleTrx } from '@tongban/kernel';
import { insertAction } from '../store/actions.ts';
import { fillFromIssued, findApplicantOf, setLicenceStatus } from '../store/licence-materials.ts';
import { typed } from '../store/tables.ts';
import type { Services } from './submit.ts';

type Issued = EventData<'licenses.licence.issued'>;
type StatusChanged = EventData<'licenses.licence.status-changed'>;

export async function useIssuedLicence(s: Services, anyTrx: ModuleTrx, issued: Issued): Promise<number> {
  const trx = typed(anyTrx);
  // A licence of another application's holder never fills this one in (the holder is the applicant).
  if ((await findApplicantOf(trx, issued.applicationId)) !== issued.holderId) return 0;
  const at = s.engine.now();
  const filled = await fillFromIssued(trx, issued, at);
  if (filled.length === 0) return 0;
  const first = filled[0]!;
  await insertAction(trx, {
    application_id: issued.applicationId,
    task_id: null,
    task_version: null,
    action: 'licence_material',
    actor_kind: 'system',
    actor_id: 'workflow.licences',
    from_state: null,
    to_state: null,
    // The action's name says what happened (电子证照用作材料); the reason, which licence.
    reason: `电子证照 ${first.type_name.zh}`,
    rule: null,
    detail: {
      identifier: issued.identifier,
      licenceId: issued.licenceId,
      typeCode: issued.typeCode,
      typeName: first.type_name,
      materials: filled.map((r) => r.code),
      issuedByTaskId: issued.taskId,
    },
    at,
  });
  return filled.length;
}

/** A licence's new status, on the materials it stands in for, with a timeline entry per application. */
export async function noteLicenceStatus(s: Services, anyTrx: ModuleTrx, changed: StatusChanged): Promise<void> {
  const trx = typed(anyTrx);
  const at = s.engine.now();
  const rows = await setLicenceStatus(trx, changed.licenceId, changed.to, at);
  for (const applicationId of new Set(rows.map((r) => r.application_id))) {
    const own = rows.filter((r) => r.application_id === applicationId);
    await insertAction(trx, {
      application_id: applicationId,
      task_id: null,
      task_version: null,
      action: 'licence_status',
      actor_kind: 'system',
      actor_id: 'workflow.licences',
      from_state: changed.from,
      to_state: changed.to,
      reason: changed.reason ?? null,
      rule: null,
      detail: { identifier: changed.identifier, licenceId: changed.licenceId, materials: own.map((r) => r.code) },
      at,
    });
  }
}
