// Where a prefilled data element comes from (Myinfo's "data item source"): each element the
// workflow's forms bind maps to an item of a registry row found from the applicant. The rows are
// found by role: the applicant's own population row (`self`), the most recent birth record naming them
// as mother or father (`birth`), the parents' population rows (found through the birth record),
// the enterprise they legally represent, the real estate they own. An element may name fallbacks:
// a parent without a population row still has a name on the birth record. Pure.
import { BIRTH_RECORD, ENTERPRISE, POPULATION, REAL_ESTATE } from './registries.ts';

export const SOURCE_ROLES = ['self', 'birth', 'mother', 'father', 'company', 'property'] as const;
export type SourceRole = (typeof SOURCE_ROLES)[number];

/** How the row of a role is found. */
export type RowFinder =
  /** The row keyed by the applicant's ID number. */
  | { readonly kind: 'self' }
  /**
   * The rows where one of these indexed items is the applicant's ID number; the most recently
   * collected wins (chosen by the stored collection time, so the rows not chosen are never opened).
   */
  | { readonly kind: 'lookup'; readonly items: readonly string[] }
  /** The row keyed by an item of another role's row (a parent's ID number on the birth record). */
  | { readonly kind: 'link'; readonly from: SourceRole; readonly item: string };

export interface RoleSource {
  readonly resource: string;
  readonly find: RowFinder;
}

export const ROLE_SOURCES = {
  self: { resource: POPULATION.code, find: { kind: 'self' } },
  birth: {
    resource: BIRTH_RECORD.code,
    find: { kind: 'lookup', items: ['motherIdNumber', 'fatherIdNumber'] },
  },
  mother: { resource: POPULATION.code, find: { kind: 'link', from: 'birth', item: 'motherIdNumber' } },
  father: { resource: POPULATION.code, find: { kind: 'link', from: 'birth', item: 'fatherIdNumber' } },
  company: {
    resource: ENTERPRISE.code,
    find: { kind: 'lookup', items: ['legalRepresentativeIdNumber'] },
  },
  property: { resource: REAL_ESTATE.code, find: { kind: 'lookup', items: ['ownerIdNumber'] } },
} as const satisfies Record<SourceRole, RoleSource>;

export interface Candidate {
  readonly role: SourceRole;
  readonly item: string;
}

const from = (role: SourceRole, ...items: string[]): Candidate[] => items.map((item) => ({ role, item }));

/** Data element → where its value is read, in order of preference. */
export const ELEMENT_SOURCES: Readonly<Record<string, readonly Candidate[]>> = {
  'person.name': from('self', 'name'),
  'person.idNumber': from('self', 'idNumber'),
  'person.gender': from('self', 'gender'),
  'person.address': from('self', 'address'),
  'person.mobile': from('self', 'mobile'),
  'household.address': from('self', 'householdAddress'),
  'child.name': from('birth', 'childName'),
  'child.gender': from('birth', 'childGender'),
  'child.birthDate': from('birth', 'birthDate'),
  'child.birthPlace': from('birth', 'birthPlace'),
  'child.birthWeight': from('birth', 'birthWeight'),
  'mother.name': [...from('mother', 'name'), ...from('birth', 'motherName')],
  'mother.idNumber': [...from('mother', 'idNumber'), ...from('birth', 'motherIdNumber')],
  'father.name': [...from('father', 'name'), ...from('birth', 'fatherName')],
  'father.idNumber': [...from('father', 'idNumber'), ...from('birth', 'fatherIdNumber')],
  'company.name': from('company', 'name'),
  'company.creditCode': from('company', 'creditCode'),
  'company.type': from('company', 'type'),
  'company.registeredAddress': from('company', 'address'),
  'company.legalRepIdNumber': from('company', 'legalRepresentativeIdNumber'),
  'company.legalRepName': from('self', 'name'),
  'property.certificateNumber': from('property', 'certificateNumber'),
  'property.address': from('property', 'address'),
  'property.area': from('property', 'area'),
  'seller.idNumber': from('property', 'ownerIdNumber'),
  'seller.name': from('property', 'ownerName'),
};

/** Whether the consumer may have the item (grant) and the applicant agreed to it (consent). */
export type ItemAccess = 'ok' | 'no_consent' | 'no_grant';

export interface Access {
  /** The resource's item, as grant and consent allow it for this consumer, purpose and applicant. */
  item(resource: string, item: string): ItemAccess;
}

/** The items of one role's row the prefill may release, and the linking items it reads to reach others. */
export interface RoleRead {
  readonly role: SourceRole;
  readonly resource: string;
  readonly items: readonly string[];
}

/** Which rows to read (in an order where every link's row comes before the row it leads to). */
export function rowsToRead(elements: readonly string[], access: Access): RoleRead[] {
  const items = new Map<SourceRole, Set<string>>();
  const need = (role: SourceRole, item: string) => {
    let set = items.get(role);
    if (!set) items.set(role, (set = new Set()));
    set.add(item);
  };
  for (const element of new Set(elements)) {
    for (const c of ELEMENT_SOURCES[element] ?? []) {
      if (canRelease(c, access)) need(c.role, c.item);
    }
  }
  for (const [role] of items) {
    const find: RowFinder = ROLE_SOURCES[role].find;
    if (find.kind === 'link') need(find.from, find.item);
  }
  return SOURCE_ROLES.filter((r) => items.has(r))
    .sort((a, b) => depth(a) - depth(b))
    .map((role) => ({ role, resource: ROLE_SOURCES[role].resource, items: [...items.get(role)!].sort() }));
}

/** A candidate may be read when the item is granted and consented, and so is the link that reaches its row. */
export function canRelease(c: Candidate, access: Access): boolean {
  if (access.item(ROLE_SOURCES[c.role].resource, c.item) !== 'ok') return false;
  const find: RowFinder = ROLE_SOURCES[c.role].find;
  return find.kind !== 'link' || access.item(ROLE_SOURCES[find.from].resource, find.item) !== 'no_grant';
}

const depth = (role: SourceRole): number => {
  const find: RowFinder = ROLE_SOURCES[role].find;
  return find.kind === 'link' ? depth(find.from) + 1 : 0;
};

export interface SourceRow {
  readonly values: Readonly<Record<string, string | number | null>>;
  readonly collectedAt: string;
  readonly department: string;
  readonly verified: boolean;
}

export interface Filled {
  readonly element: string;
  readonly value: string | number;
  readonly source: { resource: string; department: string; collectedAt: string; item: string };
  readonly verified: boolean;
}

export interface PrefillOutcome {
  readonly values: Filled[];
  readonly consentNeeded: { element: string; resource: string; item: string }[];
  readonly missing: string[];
  /** Items asked for that no grant covers, by resource: each is a refusal to record. */
  readonly ungranted: ReadonlyMap<string, readonly string[]>;
}

/**
 * Each element gets the first candidate that may be released and has a value. Otherwise it asks
 * for consent when a granted candidate lacks only that (whether or not a row exists: asking tells
 * nothing about the data before the person agrees), and is missing when no source has it.
 */
export function assemble(
  elements: readonly string[],
  access: Access,
  rows: ReadonlyMap<SourceRole, SourceRow | undefined>,
): PrefillOutcome {
  const out: PrefillOutcome = { values: [], consentNeeded: [], missing: [], ungranted: new Map() };
  const ungranted = out.ungranted as Map<string, string[]>;
  for (const element of [...new Set(elements)]) {
    const candidates = ELEMENT_SOURCES[element] ?? [];
    let filled: Filled | undefined;
    for (const c of candidates) {
      const row = rows.get(c.role);
      const value = row?.values[c.item];
      if (!canRelease(c, access) || !row || value === null || value === undefined || value === '') continue;
      const resource = ROLE_SOURCES[c.role].resource;
      filled = {
        element,
        value,
        source: { resource, department: row.department, collectedAt: row.collectedAt, item: c.item },
        verified: row.verified,
      };
      break;
    }
    if (filled) {
      out.values.push(filled);
      continue;
    }
    const needsConsent = candidates.find((c) => {
      const resource = ROLE_SOURCES[c.role].resource;
      return access.item(resource, c.item) === 'no_consent';
    });
    if (needsConsent) {
      const resource = ROLE_SOURCES[needsConsent.role].resource;
      out.consentNeeded.push({ element, resource, item: needsConsent.item });
      continue;
    }
    for (const c of candidates) {
      const resource = ROLE_SOURCES[c.role].resource;
      if (access.item(resource, c.item) !== 'no_grant') continue;
      const list = ungranted.get(resource) ?? [];
      if (!list.includes(c.item)) list.push(c.item);
      ungranted.set(resource, list);
    }
    out.missing.push(element);
  }
  return out;
}
