// What the workflow needs from the licences module (免证办), through its service route with the
// workflow's own token (client tongban-workflow, role licenses.holder-check): whether a licence an
// applicant names is theirs, and its type, status and validity. Called before any transaction
// opens (the embedded database has one connection; see service/catalog.ts), never cached: a
// licence revoked a minute ago must not stand in for a material.
import { LicenceCheckApi } from '@tongban/contracts';
import { ProblemError, type Logger, type ModuleClient } from '@tongban/kernel';
import {
  holderLicenceProblem,
  holderLicenceRefs,
  type CheckedHolderLicence,
  type HeldLicence,
} from '../domain/licence-materials.ts';
import type { Subject } from '../domain/plan.ts';
import { WorkflowError } from '../errors.ts';
import type { MaterialRef } from '../store/tables.ts';

export interface LicencePort {
  /** The holder's licence of that identifier, or undefined when the holder has none (or it is another's). */
  findHeld(holderId: string, identifier: string): Promise<HeldLicence | undefined>;
}

export function licencePort(client: ModuleClient, log: Logger): LicencePort {
  return {
    async findHeld(holderId, identifier) {
      // Without the licences module here nobody can vouch for a licence: the platform's gap, not the applicant's.
      if (!client.locate('licenses')) throw new WorkflowError('UPSTREAM_UNAVAILABLE', { module: 'licenses' });
      try {
        return await client.call(LicenceCheckApi.holderLicence, [holderId, identifier], { auth: 'service' });
      } catch (error) {
        if (error instanceof ProblemError && error.problem.status === 404) return undefined;
        // The licences module refusing the workflow's own token is a deployment fault: not "you may not".
        if (error instanceof ProblemError) {
          log.error({ code: error.problem.code, status: error.problem.status }, 'licences refused the holder check');
          throw new WorkflowError('UPSTREAM_UNAVAILABLE', { module: 'licenses' });
        }
        throw error;
      }
    },
  };
}

/**
 * Every `lic:` material checked with the licences module: the applicant's own, valid now, of the
 * type the material accepts. Any failure is a 422 naming `<field>.<i>.ref`; nothing is written.
 */
export async function checkHolderLicences(
  port: LicencePort,
  subject: Subject,
  applicantId: string,
  materials: readonly MaterialRef[],
  field: string,
  now: Date,
): Promise<CheckedHolderLicence[]> {
  const refs = holderLicenceRefs(subject, materials);
  if (refs.length === 0) return [];
  const found = await Promise.all(
    refs.map(async (ref) => ({
      ref,
      held: ref.licenceType === undefined ? undefined : await port.findHeld(applicantId, ref.identifier),
    })),
  );
  const errors = found.flatMap(({ ref, held }) => {
    const problem = holderLicenceProblem(ref, held, now, `${field}.${ref.index}.ref`);
    return problem ? [problem] : [];
  });
  if (errors.length > 0) throw new WorkflowError('WORKFLOW_MATERIALS_INVALID', { count: errors.length }, errors);
  return found.map(({ ref, held }) => ({ ref, held: held! }));
}
