// 窗口: an officer with the counter role files an application on a person's behalf. Whom for is
// asked of identity (the account exists, is active and of the kind stated), and both the person
// and every department the matter or bundle goes to must lie within the officer's jurisdiction:
// a counter serves its own region's residents for its own region's services.
import { WorkflowError } from '../errors.ts';
import { regionCovers, type FieldError, type Lang } from '@tongban/kernel';
import { planTasks } from '../domain/plan.ts';
import type { IdentityPort } from '../service/identity.ts';
import type { MaterialRef } from '../store/tables.ts';
import { resolveSubject, submit, type Applicant, type Services, type SubjectRef, type Submitted } from './submit.ts';

export interface CounterOfficer {
  readonly id: string;
  /** GB/T 2260 codes of the officer's jurisdiction (the token's `regions`). */
  readonly regions: readonly string[];
}

export interface CounterFiling {
  readonly applicant: Applicant;
  readonly subject: SubjectRef;
  readonly form: Record<string, unknown>;
  readonly materials: MaterialRef[];
}

const within = (officer: CounterOfficer, region: string) => officer.regions.some((j) => regionCovers(j, region));
const field = (name: string, code: string, message: string): FieldError => ({ field: name, code, message });

export async function fileAtCounter(
  s: Services,
  identity: IdentityPort,
  officer: CounterOfficer,
  filing: CounterFiling,
  idempotencyKey: string,
  lang: Lang = 'zh',
): Promise<Submitted> {
  const account = await identity.findAccount(filing.applicant.id);
  if (!account || !account.active) {
    throw new WorkflowError('WORKFLOW_APPLICANT_UNKNOWN', {}, [
      field(
        'body.applicant.id',
        account ? 'inactive' : 'unknown',
        account ? 'the account is not active' : 'no such account',
      ),
    ]);
  }
  if (account.kind !== filing.applicant.kind) {
    throw new WorkflowError('WORKFLOW_APPLICANT_UNKNOWN', {}, [
      field('body.applicant.kind', 'kind_mismatch', `the account is not a ${filing.applicant.kind} account`),
    ]);
  }
  // An account whose region identity cannot tell is out of every jurisdiction (deny by default).
  if (account.region === null || !within(officer, account.region)) {
    throw new WorkflowError('FORBIDDEN_RESOURCE', {}, [
      field('body.applicant', 'outside_jurisdiction', 'the applicant is not a resident of your jurisdiction'),
    ]);
  }
  const subject = await resolveSubject(s.catalog, filing.subject);
  const departments = await Promise.all(
    [...new Set(planTasks(subject).map((p) => p.departmentCode))].map((code) => s.catalog.department(code)),
  );
  const outside = departments.filter((d) => !within(officer, d.regionCode));
  if (outside.length > 0) {
    throw new WorkflowError(
      'FORBIDDEN_RESOURCE',
      {},
      outside.map((d) =>
        field('body.subject.code', 'outside_jurisdiction', `${d.code} (${d.regionCode}) is outside your jurisdiction`),
      ),
    );
  }
  return submit(s, {
    applicant: filing.applicant,
    content: { subject: filing.subject, form: filing.form, materials: filing.materials },
    idempotencyKey,
    counterOfficer: officer.id,
    lang,
  });
}
