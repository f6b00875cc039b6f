// The catalog's vocabulary (事项库): regions and departments, the data-element dictionary (数据元),
// matters (事项) and bundles (一件事), as plain values. Storage and HTTP shapes derive from these.
import type { AutoApprovalRule, FeeExemption, FeeTier, MatterProcess } from '@tongban/contracts';
import type { IdentifierCheck } from '@tongban/kernel';

// Declared once, in the contracts: the catalog's API and every caller use the same shape.
export type { LocalizedText } from '@tongban/contracts';
import type { LocalizedText } from '@tongban/contracts';

/** A region by its GB/T 2260 administrative division code (6 digits), e.g. 330100 杭州市. */
export interface Region {
  readonly code: string;
  readonly name: LocalizedText;
  readonly parentCode?: string;
}

export interface Department {
  /** Stable code, e.g. `330100-GA` (the region code and a department abbreviation). */
  readonly code: string;
  readonly regionCode: string;
  readonly name: LocalizedText;
  /** A department inside another (a bureau's office); absent for top-level departments. */
  readonly parentCode?: string;
}

export const DATA_ELEMENT_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'code'] as const;
export const IDENTIFIER_CHECK_NAMES = ['gb11643', 'gb32100'] as const satisfies readonly IdentifierCheck[];
/** `YYYY-MM-DD`, or `today` with an optional offset in days, months or years. */
export const DATE_BOUND = '^(\\d{4}-\\d{2}-\\d{2}|today([+-][0-9]{1,4}[dmy])?)$';
export type DataElementType = (typeof DATA_ELEMENT_TYPES)[number];

/** A data element (数据元): one meaning, defined once, that form fields across departments bind to. */
export interface DataElement {
  /** Dotted id, e.g. `person.idNumber`, `child.birthDate`. */
  readonly id: string;
  readonly name: LocalizedText;
  readonly type: DataElementType;
  /** A regular expression the value must match (string and code types). */
  readonly pattern?: string;
  readonly maxLength?: number;
  /** The value domain (值域) of a `code` element. */
  readonly values?: { readonly code: string; readonly name: LocalizedText }[];
  /** Bounds of an `integer` or `number` element, inclusive (出生体重 300–8000 g). */
  readonly minimum?: number;
  readonly maximum?: number;
  /**
   * Bounds of a `date` element, inclusive: an ISO date, or relative to the day of the check in
   * China Standard Time — `today`, `today-18y`, `today+30d` (a birth date is not in the future).
   */
  readonly minDate?: string;
  readonly maxDate?: string;
  /** The check character a `string` identifier carries: GB 11643 resident ID, GB 32100 credit code. */
  readonly check?: IdentifierCheck;
  /** Personal data: encrypted, masked and audited by the modules that hold it. */
  readonly personal?: boolean;
}

export interface Material {
  readonly code: string;
  readonly name: LocalizedText;
  readonly required: boolean;
  /** An electronic licence type that replaces this material when the applicant holds one (免证办). */
  readonly licenceType?: string;
}

export interface Fee {
  readonly code: string;
  readonly name: LocalizedText;
  /** In fen (分); 0 for free matters. A tiered fee's amount when its basis is not verified. */
  readonly amountFen: number;
  /** A tiered fee's basis: a numeric data element the form binds (e.g. `property.area`). */
  readonly basis?: string;
  /** Bands by the verified value of `basis`, ascending `upTo` (inclusive); the last has none. */
  readonly tiers?: FeeTier[];
  /** 减免: the fee is 0 for a payer whose verified data meets one of these. */
  readonly exemptions?: FeeExemption[];
}

/**
 * A form as JSON Schema (draft 2020-12 subset): an object whose every property binds to a data
 * element with `x-data-element`; the field may narrow the element (shorter maxLength, fewer
 * values) but never contradict its type.
 */
export interface FormSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, FormField>>;
  readonly required?: string[];
  readonly [keyword: string]: unknown;
}

export interface FormField {
  readonly 'x-data-element': string;
  readonly title?: string;
  readonly [keyword: string]: unknown;
}

export const LIFE_EVENTS = {
  birth: { zh: '出生', en: 'Birth' },
  business: { zh: '企业开办', en: 'Starting a business' },
  property: { zh: '不动产', en: 'Property' },
  employment: { zh: '就业', en: 'Employment' },
  retirement: { zh: '退休', en: 'Retirement' },
  marriage: { zh: '婚姻', en: 'Marriage' },
  death: { zh: '身后事', en: 'Death' },
  education: { zh: '入学', en: 'Education' },
} as const satisfies Record<string, LocalizedText>;
export type LifeEvent = keyof typeof LIFE_EVENTS;

export interface Matter {
  /** The matter code (事项编码), unique in the catalog. */
  readonly code: string;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  readonly departmentCode: string;
  /** 法定时限 and 承诺时限, in working days; the promise never exceeds the law. */
  readonly legalDays: number;
  readonly promisedDays: number;
  readonly fees: Fee[];
  readonly materials: Material[];
  readonly form: FormSchema;
  /** The electronic licence type the matter issues, if any (e.g. 出生医学证明). */
  readonly producesLicence?: { readonly type: string; readonly name: LocalizedText };
  readonly lifeEvents: LifeEvent[];
  /** 秒批: rules under which the workflow approves without an officer (see packages/contracts). */
  readonly autoApprove?: AutoApprovalRule[];
  /** How the workflow handles it: 受理 → 审核 → 决定 ('standard', the default) or 即办件 ('immediate'). */
  readonly process?: MatterProcess;
}

export interface BundleItem {
  readonly matterCode: string;
  /** Matters whose result this one needs before it can start (出生医学证明 before 落户). */
  readonly dependsOn: string[];
}

/** A bundle (一件事): one application that fans out to several matters. */
export interface Bundle {
  readonly code: string;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  readonly lifeEvent: LifeEvent;
  readonly items: BundleItem[];
  readonly promisedDays: number;
}

/** A published, immutable matter; applications pin (code, version). */
export interface MatterVersion extends Matter {
  readonly version: number;
  readonly publishedAt: string;
}

/** A field of a bundle's merged form: one data element, asked once for all the matters that need it. */
export interface MergedField {
  readonly element: string;
  readonly schema: Readonly<Record<string, unknown>>;
  readonly matters: string[];
  readonly required: boolean;
}

export interface BundleVersion extends Bundle {
  readonly version: number;
  readonly publishedAt: string;
  /** The matter versions this bundle version was published with. */
  readonly matterVersions: Readonly<Record<string, number>>;
  readonly form: FormSchema;
}

/** A working-day calendar of one region for the days that differ from the Monday–Friday week. */
export interface CalendarOverrides {
  readonly regionCode: string;
  /** ISO dates (YYYY-MM-DD) that are public holidays (法定节假日), weekdays included. */
  readonly holidays: string[];
  /** ISO dates on a weekend that are working days (调休上班). */
  readonly workdays: string[];
}
