// 脱敏: what a consumer sees of a row, by who it is (audience) and why it asks (purpose), per item:
// clear, partial (a format from ../shared/reference/domain-facts.md: ID 110101********1234,
// mobile 138****5678, name 张*, address kept up to the district), generalize (a date → its year),
// pseudonym (a keyed HMAC per consumer: the same person is the same pseudonym for one consumer and
// unrelated across consumers) or omit. Typed tables, checked at start against the resources they
// name (validatePolicies); an item a policy does not name is omitted when personal, clear otherwise
// (deny by default). Pure: the pseudonym's HMAC is passed in.
import { maskAddress, maskIdNumber, maskMobile, maskName } from '@tongban/kernel';
import type { ResourceDefinition } from './resource.ts';

// The partial masks are the kernel's (masks.ts), shared with the workflow's masked answers.
export { maskAddress, maskIdNumber, maskMobile, maskName };

export const PARTIAL_FORMATS = ['idNumber', 'mobile', 'name', 'address'] as const;
export type PartialFormat = (typeof PARTIAL_FORMATS)[number];
export const STRATEGIES = [
  'clear',
  'omit',
  'generalize',
  'pseudonym',
  ...PARTIAL_FORMATS.map((f) => `partial:${f}` as const),
] as const;
export type Strategy = (typeof STRATEGIES)[number];

/**
 * Who sees the row: a department system querying (`system`), an officer querying (`officer`), a
 * counter resolving the person in front of it (`counter`), the applicant's own prefill (`prefill`).
 */
export const AUDIENCES = ['system', 'officer', 'counter', 'prefill'] as const;
export type Audience = (typeof AUDIENCES)[number];

export interface MaskingPolicy {
  readonly name: string;
  readonly audience: Audience;
  /** Applies only to purposes starting with this (`law:` — a legal basis); absent: any purpose. */
  readonly purposePrefix?: string;
  /** Per resource, per item. */
  readonly resources: Readonly<Record<string, Readonly<Record<string, Strategy>>>>;
}

const populationShared = {
  idNumber: 'partial:idNumber',
  name: 'partial:name',
  gender: 'clear',
  birthDate: 'generalize',
  address: 'partial:address',
  householdAddress: 'partial:address',
  householdId: 'omit',
  fatherIdNumber: 'pseudonym',
  motherIdNumber: 'pseudonym',
  mobile: 'partial:mobile',
} as const satisfies Record<string, Strategy>;

/**
 * The platform's table. First match wins, so purpose-specific policies come before the general one
 * of their audience. A department system under a legal basis (`law:…`, e.g. a public-security
 * case) sees the person; for a matter it sees what identifies and little else; an officer handling
 * a case sees names and dates but not whole ID numbers or mobiles (those are revealed one by one,
 * with a reason); a counter sees enough to recognise the person in front of it.
 */
export const MASKING_POLICIES: readonly MaskingPolicy[] = [
  {
    name: 'system-legal-basis',
    audience: 'system',
    purposePrefix: 'law:',
    resources: {
      population: { ...populationShared, idNumber: 'clear', name: 'clear', birthDate: 'clear', address: 'clear' },
      'birth-record': { motherIdNumber: 'clear', fatherIdNumber: 'clear', motherName: 'clear', fatherName: 'clear' },
      enterprise: { legalRepresentativeIdNumber: 'clear' },
      'real-estate': { ownerIdNumber: 'clear', ownerName: 'clear', address: 'clear', area: 'clear' },
    },
  },
  {
    name: 'system',
    audience: 'system',
    resources: {
      population: { ...populationShared, idNumber: 'pseudonym', mobile: 'omit' },
      'birth-record': {
        childName: 'partial:name',
        childGender: 'clear',
        birthDate: 'clear',
        birthPlace: 'clear',
        birthWeight: 'clear',
        motherIdNumber: 'pseudonym',
        motherName: 'partial:name',
        fatherIdNumber: 'pseudonym',
        fatherName: 'partial:name',
      },
      enterprise: { legalRepresentativeIdNumber: 'pseudonym' },
      'real-estate': {
        address: 'partial:address',
        area: 'clear',
        ownerIdNumber: 'pseudonym',
        ownerName: 'partial:name',
      },
    },
  },
  {
    name: 'officer',
    audience: 'officer',
    resources: {
      population: { ...populationShared, name: 'clear', birthDate: 'clear', householdId: 'clear' },
      'birth-record': {
        childName: 'clear',
        childGender: 'clear',
        birthDate: 'clear',
        birthPlace: 'clear',
        birthWeight: 'clear',
        motherIdNumber: 'partial:idNumber',
        motherName: 'clear',
        fatherIdNumber: 'partial:idNumber',
        fatherName: 'clear',
      },
      enterprise: { legalRepresentativeIdNumber: 'partial:idNumber' },
      'real-estate': { address: 'clear', area: 'clear', ownerIdNumber: 'partial:idNumber', ownerName: 'clear' },
    },
  },
  {
    name: 'counter',
    audience: 'counter',
    resources: { population: { idNumber: 'partial:idNumber', name: 'partial:name', gender: 'clear' } },
  },
  {
    // The applicant's own data into their own form: nothing to hide from them.
    name: 'prefill',
    audience: 'prefill',
    resources: {
      population: Object.fromEntries(Object.keys(populationShared).map((k) => [k, 'clear'])) as Record<
        string,
        Strategy
      >,
    },
  },
];

/** Throws, naming the policy and item, on an unknown strategy, audience, resource or item, or a strategy the item's type cannot take. */
export function validatePolicies(policies: readonly MaskingPolicy[], resources: readonly ResourceDefinition[]): void {
  const byCode = new Map(resources.map((r) => [r.code, r]));
  for (const p of policies) {
    if (!(AUDIENCES as readonly string[]).includes(p.audience))
      throw new Error(`masking policy ${p.name}: unknown audience ${p.audience}`);
    for (const [code, items] of Object.entries(p.resources)) {
      const resource = byCode.get(code);
      if (!resource) throw new Error(`masking policy ${p.name}: unknown resource ${code}`);
      for (const [key, strategy] of Object.entries(items)) {
        const item = resource.items.find((i) => i.key === key);
        if (!item) throw new Error(`masking policy ${p.name}: ${code} has no item ${key}`);
        if (!(STRATEGIES as readonly string[]).includes(strategy))
          throw new Error(`masking policy ${p.name}: ${code}.${key} has unknown strategy ${strategy}`);
        if (strategy === 'generalize' && item.type !== 'date')
          throw new Error(`masking policy ${p.name}: ${code}.${key} is not a date and cannot be generalized`);
        if (strategy.startsWith('partial:') && item.type !== 'string' && item.type !== 'code')
          throw new Error(`masking policy ${p.name}: ${code}.${key} is not text and cannot be partly masked`);
      }
    }
  }
  for (const audience of AUDIENCES) {
    if (!policies.some((p) => p.audience === audience && p.purposePrefix === undefined))
      throw new Error(`masking policies: no general policy for audience ${audience}`);
  }
}

/** The policy for an audience and purpose: the first that matches. */
export function policyFor(policies: readonly MaskingPolicy[], audience: Audience, purpose: string): MaskingPolicy {
  const p = policies.find(
    (x) => x.audience === audience && (x.purposePrefix === undefined || purpose.startsWith(x.purposePrefix)),
  );
  if (!p) throw new Error(`no masking policy for ${audience}`);
  return p;
}

/** What the policy does to an item of a resource (deny by default for personal items it does not name). */
export function strategyFor(policy: MaskingPolicy, resource: ResourceDefinition, item: string): Strategy {
  const named = policy.resources[resource.code]?.[item];
  if (named) return named;
  return resource.items.find((i) => i.key === item)?.personal === false ? 'clear' : 'omit';
}

/** A date (YYYY-MM-DD) to its year; anything else is omitted rather than guessed at. */
export function generalizeDate(value: string): string | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value.slice(0, 4) : null;
}

export type Masked = string | number | null;

/** Applies a strategy to one value; `omit` is the caller's to drop (answered here as undefined). */
export function maskValue(
  value: string | number | null,
  strategy: Strategy,
  pseudonym: (value: string) => string,
): Masked | undefined {
  if (strategy === 'omit') return undefined;
  if (value === null || strategy === 'clear') return value;
  const text = String(value);
  switch (strategy) {
    case 'generalize':
      return generalizeDate(text);
    case 'pseudonym':
      return pseudonym(text);
    case 'partial:idNumber':
      return maskIdNumber(text);
    case 'partial:mobile':
      return maskMobile(text);
    case 'partial:name':
      return maskName(text);
    case 'partial:address':
      return maskAddress(text);
  }
}

/** The row as the policy lets it out: only the items asked for, each masked, omitted ones left out. */
export function maskRow(
  values: Readonly<Record<string, string | number | null>>,
  resource: ResourceDefinition,
  policy: MaskingPolicy,
  items: readonly string[],
  pseudonym: (value: string) => string,
): Record<string, Masked> {
  const out: Record<string, Masked> = {};
  for (const item of items) {
    const masked = maskValue(values[item] ?? null, strategyFor(policy, resource, item), pseudonym);
    if (masked !== undefined) out[item] = masked;
  }
  return out;
}
