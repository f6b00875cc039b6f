// 免证办 (pure): which materials of an application an electronic licence stands in for. A material
// whose licence type a prerequisite matter of the same application produces is not asked of the
// applicant (plan.ts checkMaterials); the licence that task issues fills it in. A material given
// as `lic:<identifier>` is a licence the applicant already holds and consented to use.
import type { FieldError } from '@tongban/kernel';
import type { MaterialRef } from '../store/tables.ts';
import { ancestors, subjectMatters, type Subject } from './plan.ts';

const LICENCE_REF = /^lic:(\S{1,200})$/;

/** The identifier a `lic:` ref names, or undefined for any other ref (an upload, or an older free-form ref). */
export function licenceIdentifierOf(ref: string): string | undefined {
  return LICENCE_REF.exec(ref)?.[1];
}

export const licenceRef = (identifier: string) => `lic:${identifier}`;

export interface CaseLicenceSlot {
  readonly code: string;
  readonly typeCode: string;
  readonly typeName: { readonly zh: string; readonly en: string };
  /** The prerequisite matter whose approval issues the licence. */
  readonly producedBy: string;
}

/**
 * The materials no one gave because a prerequisite of the same application issues their licence:
 * one per material code (several matters of a bundle may ask for the same 出生医学证明).
 */
export function caseLicenceSlots(subject: Subject, given: readonly MaterialRef[]): CaseLicenceSlot[] {
  const matters = subjectMatters(subject);
  const byCode = new Map(matters.map((m) => [m.code, m]));
  const before = ancestors(subject);
  const givenCodes = new Set(given.map((m) => m.code));
  const slots = new Map<string, CaseLicenceSlot>();
  for (const matter of matters) {
    for (const material of matter.materials) {
      if (!material.licenceType || givenCodes.has(material.code) || slots.has(material.code)) continue;
      const producer = [...(before.get(matter.code) ?? [])]
        .map((c) => byCode.get(c))
        .find((m) => m?.producesLicence?.type === material.licenceType);
      if (!producer?.producesLicence) continue;
      slots.set(material.code, {
        code: material.code,
        typeCode: material.licenceType,
        typeName: { zh: producer.producesLicence.name.zh, en: producer.producesLicence.name.en },
        producedBy: producer.code,
      });
    }
  }
  return [...slots.values()];
}

export interface HolderLicenceRef {
  readonly index: number;
  readonly code: string;
  readonly identifier: string;
  /** The licence type the material asks for; undefined: no matter of the application takes a licence for it. */
  readonly licenceType: string | undefined;
}

/** The materials given as `lic:<identifier>`, each with the licence type its matters accept. */
export function holderLicenceRefs(subject: Subject, given: readonly MaterialRef[]): HolderLicenceRef[] {
  const types = new Map<string, string>();
  for (const matter of subjectMatters(subject))
    for (const m of matter.materials) if (m.licenceType && !types.has(m.code)) types.set(m.code, m.licenceType);
  return given.flatMap((m, index) => {
    const identifier = licenceIdentifierOf(m.ref);
    return identifier === undefined ? [] : [{ index, code: m.code, identifier, licenceType: types.get(m.code) }];
  });
}

/** What the licences module says of a licence the applicant names. */
export interface HeldLicence {
  readonly licenceId: string;
  readonly identifier: string;
  readonly typeCode: string;
  readonly typeName: { readonly zh: string; readonly en: string };
  readonly status: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
}

/**
 * Why a `lic:` material cannot stand: not the applicant's (or no such licence — one answer, so a
 * guess learns nothing of other people's licences), not valid now, or of a type the material does
 * not accept. Undefined: it stands.
 */
export function holderLicenceProblem(
  ref: HolderLicenceRef,
  held: HeldLicence | undefined,
  now: Date,
  field: string,
): FieldError | undefined {
  if (ref.licenceType === undefined)
    return { field, code: 'licence_not_accepted', message: `${ref.code} is not a material a licence stands in for` };
  if (!held) return { field, code: 'licence_not_yours', message: `no licence ${ref.identifier} of yours` };
  const expired = held.validUntil !== null && new Date(held.validUntil).getTime() <= now.getTime();
  const notYet = new Date(held.validFrom).getTime() > now.getTime();
  if (held.status !== 'valid' || expired || notYet)
    return {
      field,
      code: 'licence_not_valid',
      message: `licence ${ref.identifier} is ${expired ? 'expired' : notYet ? 'not valid yet' : held.status}`,
    };
  if (held.typeCode !== ref.licenceType)
    return {
      field,
      code: 'licence_wrong_type',
      message: `licence ${ref.identifier} is a ${held.typeCode}, not a ${ref.licenceType}`,
    };
  return undefined;
}

/** A `lic:` material the licences module vouched for. */
export interface CheckedHolderLicence {
  readonly ref: HolderLicenceRef;
  readonly held: HeldLicence;
}
