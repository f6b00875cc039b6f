// 窗口: an officer with the counter role files an application on a person's behalf. The officer
// gives the person's ID number, not an account id: the data hub resolves it through the population
// registry (人口库) to the person's account (shown back masked: 张*, 330106********123X), identity
// confirms the account is active and a citizen's, and both the person (their registered household's
// region) and every department the matter or bundle goes to must lie within the officer's
// jurisdiction: a counter serves its own region's residents for its own region's services.
// An account id typed at the counter is not taken: it would be identity's word alone.
import { WorkflowError } from '../errors.ts';
import { IDENTIFIER_CHECKS, regionCovers, type FieldError, type Lang, type Message } from '@tongban/kernel';
import { planTasks } from '../domain/plan.ts';
import type { DatahubPort } from '../service/datahub.ts';
import type { IdentityPort } from '../service/identity.ts';
import type { MaterialRef } from '../store/tables.ts';
import { resolveSubject, submit, type Services, type SubjectRef, type Submitted } from './submit.ts';

export interface CounterOfficer {
  readonly id: string;
  /** GB/T 2260 codes of the officer's jurisdiction (the token's `regions`). */
  readonly regions: readonly string[];
}

export interface CounterFiling {
  /** The person, by resident ID number (GB 11643). */
  readonly applicant: { readonly idNumber: string };
  readonly subject: SubjectRef;
  readonly form: Record<string, unknown>;
  readonly materials: MaterialRef[];
}

const within = (officer: CounterOfficer, region: string) => officer.regions.some((j) => regionCovers(j, region));
const field = (name: string, code: string, message: string): FieldError => ({ field: name, code, message });

const PERSON: Record<'check_digit' | 'unknown' | 'no_account' | 'inactive' | 'kind_mismatch', Message> = {
  check_digit: {
    zh: '不是有效的公民身份号码（GB 11643 校验码不正确）',
    en: 'is not a valid resident ID number (its GB 11643 check character is wrong)',
  },
  unknown: { zh: '人口库中没有此公民身份号码', en: 'the population registry has no one of this ID number' },
  no_account: {
    zh: '此人尚未注册统一身份认证账户，请先协助其注册',
    en: 'this person has no platform account yet: help them register first',
  },
  inactive: { zh: '此人的账户未激活或已停用', en: "this person's account is not active" },
  kind_mismatch: { zh: '此号码对应的账户不是个人账户', en: 'the account of this ID number is not a citizen account' },
};
const refused = (code: keyof typeof PERSON, lang: Lang) =>
  new WorkflowError('WORKFLOW_APPLICANT_UNKNOWN', {}, [field('body.applicant.idNumber', code, PERSON[code][lang])]);

/** Who was filed for, as the counter's screen shows them: masked by the data hub. */
export interface CounterFiled extends Submitted {
  readonly person: { readonly name: string; readonly idNumber: string };
}

interface Resolved {
  readonly applicant: { readonly id: string; readonly kind: 'citizen' | 'business' };
  readonly region: string | null;
  readonly person: CounterFiled['person'];
}

/** The person behind an ID number: the population registry's, with their account confirmed by identity. */
async function byIdNumber(
  identity: IdentityPort,
  datahub: DatahubPort,
  given: string,
  purpose: string,
  lang: Lang,
): Promise<Resolved> {
  const idNumber = given.toUpperCase();
  if (!IDENTIFIER_CHECKS.gb11643(idNumber)) throw refused('check_digit', lang);
  // The purpose of the lookup is the matter or bundle being filed (the hub's ledger entry says so).
  const person = await datahub.resolvePerson(idNumber, purpose);
  if (!person) throw refused('unknown', lang);
  if (!person.accountId) throw refused('no_account', lang);
  // The hub's link to the account may be older than the account's state: identity has the last word.
  const account = await identity.findAccount(person.accountId);
  if (!account) throw refused('no_account', lang);
  if (!account.active) throw refused('inactive', lang);
  if (account.kind !== 'citizen') throw refused('kind_mismatch', lang);
  // The registry's household region (where the person is a resident), not where an ID was once issued.
  return {
    applicant: { id: account.id, kind: 'citizen' },
    region: person.region,
    person: { name: person.name, idNumber: person.idNumber },
  };
}

export async function fileAtCounter(
  s: Services,
  identity: IdentityPort,
  datahub: DatahubPort,
  officer: CounterOfficer,
  filing: CounterFiling,
  idempotencyKey: string,
  lang: Lang = 'zh',
): Promise<CounterFiled> {
  const { applicant, region, person } = await byIdNumber(
    identity,
    datahub,
    filing.applicant.idNumber,
    filing.subject.code,
    lang,
  );
  // A person whose region cannot be told is out of every jurisdiction (deny by default).
  if (region === null || !within(officer, region)) {
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
  const submitted = await submit(s, {
    applicant,
    content: { subject: filing.subject, form: filing.form, materials: filing.materials },
    idempotencyKey,
    counterOfficer: officer.id,
    lang,
  });
  return { ...submitted, person };
}
