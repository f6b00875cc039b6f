// The catalog's API as other modules rely on it: the published matter and bundle versions,
// departments and working-day calendars. The catalog's routes answer with these schemas, and a
// caller's typed client (the kernel's `modules.call`) checks every answer against them.
import Type, { type Static, type TSchema } from 'typebox';

/** Text in both languages the platform speaks; zh-CN first. */
export const LocalizedText = Type.Object(
  {
    zh: Type.String({ minLength: 1, maxLength: 200 }),
    en: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type LocalizedText = Static<typeof LocalizedText>;

/** A route of another module's API: where it is, and the answer's schema. */
export interface ApiRoute<A extends readonly unknown[], R extends TSchema> {
  readonly module: string;
  readonly method: 'GET';
  readonly path: (...args: A) => string;
  readonly response: R;
}

const enc = encodeURIComponent;

/**
 * Automatic approval (秒批): a matter in the catalog lists rules; the workflow evaluates them when a
 * task starts. `when` is a CEL expression (https://cel.dev) over these variables, each a map:
 *   form          the application's form values, by field key
 *   applicant     { id, kind, channel }
 *   prerequisites the outcome of each prerequisite matter, by matter code ('approved' …)
 *   verified      data verified by an authoritative registry (datahub prefill), by data element
 * The catalog refuses to publish a rule that does not parse or names another variable.
 */
/** How a matter's task is handled: 受理 → 审核 → 决定, or 即办件 (decided on acceptance). */
export const MATTER_PROCESSES = ['standard', 'immediate'] as const;
export type MatterProcess = (typeof MATTER_PROCESSES)[number];

export const AUTO_APPROVAL_VARIABLES = ['form', 'applicant', 'prerequisites', 'verified'] as const;

/**
 * Whether a parsed rule (cel-js's AST) calls `matches()`: cel-js runs it with `new RegExp` — a
 * backtracking engine, so one rule could hold a process for seconds — and cannot replace a built-in
 * overload. The catalog refuses such a rule at publish; the workflow never lets one hold.
 */
export function callsRegexMatch(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(callsRegexMatch);
  if (node === null || typeof node !== 'object') return false;
  const { op, args } = node as { op?: unknown; args?: unknown };
  if ((op === 'call' || op === 'rcall') && Array.isArray(args) && args[0] === 'matches') return true;
  return callsRegexMatch(args);
}

export const AutoApprovalRuleSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' }),
    name: Type.Object(
      { zh: Type.String({ minLength: 1, maxLength: 200 }), en: Type.String({ minLength: 1, maxLength: 200 }) },
      { additionalProperties: false },
    ),
    when: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type AutoApprovalRule = Static<typeof AutoApprovalRuleSchema>;

export const MatterMaterialView = Type.Object({
  code: Type.String(),
  name: LocalizedText,
  required: Type.Boolean(),
  licenceType: Type.Optional(Type.String()),
});

/** A data element (数据元) as a published matter embeds it: the rules every field bound to it obeys. */
export const DataElementView = Type.Object({
  id: Type.String(),
  name: LocalizedText,
  type: Type.Union(
    ['string', 'integer', 'number', 'boolean', 'date', 'code'].map((t) => Type.Literal(t)),
  ) as TSchema as ReturnType<typeof Type.Unsafe<'string' | 'integer' | 'number' | 'boolean' | 'date' | 'code'>>,
  pattern: Type.Optional(Type.String()),
  maxLength: Type.Optional(Type.Integer()),
  values: Type.Optional(Type.Array(Type.Object({ code: Type.String(), name: LocalizedText }))),
  personal: Type.Optional(Type.Boolean()),
  minimum: Type.Optional(Type.Number()),
  maximum: Type.Optional(Type.Number()),
  /** ISO date or `today`, `today-18y`, `today+30d` (China Standard Time). */
  minDate: Type.Optional(Type.String()),
  maxDate: Type.Optional(Type.String()),
  check: Type.Optional(Type.Union([Type.Literal('gb11643'), Type.Literal('gb32100')])),
});
export type DataElementView = Static<typeof DataElementView>;

/** A JSON Schema of the application form; every field names its data element. */
export const FormView = Type.Object(
  {
    type: Type.Literal('object'),
    properties: Type.Record(
      Type.String(),
      Type.Object({ 'x-data-element': Type.String() }, { additionalProperties: true }),
    ),
    required: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: true },
);

/**
 * When an exemption (减免) of a fee applies: a declarative condition over ONE verified value (data
 * verified by an authoritative registry, by data element code — never the applicant's own word).
 * Every bound stated must hold; an element without a verified value never satisfies it.
 *   equals      the value, compared as strings (`'1' == 1`; a code element's value code)
 *   atLeast     a number (or numeric string) ≥ this, inclusive
 *   atMost      a number (or numeric string) ≤ this, inclusive
 *   ageAtLeast  full years on the day of assessment (China Standard Time) from a date of birth:
 *               the value is `YYYY-MM-DD`, or an 18-character GB 11643 citizen ID number, whose
 *               characters 7–14 are the date of birth
 */
export const ExemptionCondition = Type.Object(
  {
    element: Type.String({ minLength: 1, maxLength: 64 }),
    equals: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()])),
    atLeast: Type.Optional(Type.Number()),
    atMost: Type.Optional(Type.Number()),
    ageAtLeast: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
  },
  { additionalProperties: false },
);
export type ExemptionCondition = Static<typeof ExemptionCondition>;

/** An exemption of a fee (减免): when `when` holds for the payer, the fee is 0. */
export const FeeExemption = Type.Object(
  {
    code: Type.String({ pattern: '^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$' }),
    name: LocalizedText,
    when: ExemptionCondition,
  },
  { additionalProperties: false },
);
export type FeeExemption = Static<typeof FeeExemption>;

/** A band of a tiered fee: applies when the basis is ≤ `upTo` (inclusive); the last band has no `upTo`. */
export const FeeTier = Type.Object(
  { upTo: Type.Optional(Type.Number()), amountFen: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);
export type FeeTier = Static<typeof FeeTier>;

/**
 * A fee of a matter (收费项目), in fen. Fixed: `amountFen`. Tiered: `tiers` by the verified
 * numeric value of the data element `basis` (e.g. floor area); the first band whose `upTo` is ≥
 * the value applies; without a verified value `amountFen` applies. Exemptions: the first whose
 * condition holds makes it 0. Old published versions have only `{ code, name, amountFen }`.
 */
export const MatterFeeView = Type.Object({
  code: Type.String(),
  name: LocalizedText,
  amountFen: Type.Integer(),
  basis: Type.Optional(Type.String()),
  tiers: Type.Optional(Type.Array(FeeTier)),
  exemptions: Type.Optional(Type.Array(FeeExemption)),
});
export type MatterFeeView = Static<typeof MatterFeeView>;

/** The data elements a fee's assessment reads: its tier basis and its exemptions' elements. */
export function feeElements(fees: readonly MatterFeeView[]): string[] {
  const out = new Set<string>();
  for (const fee of fees) {
    if (fee.basis !== undefined) out.add(fee.basis);
    for (const e of fee.exemptions ?? []) out.add(e.when.element);
  }
  return [...out];
}

/** The date of birth in a verified value: `YYYY-MM-DD`, or the one a GB 11643 ID number carries. */
export function birthDateOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const id = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[0-9Xx]$/.exec(value);
  const m = iso ?? id;
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** Full years from `birth` (YYYY-MM-DD) to the day of `now` in China Standard Time (UTC+8). */
export function ageOn(birth: string, now: Date): number {
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

const numeric = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** Whether an exemption's condition holds for these verified values on the day of `now`. */
export function exemptionHolds(
  when: ExemptionCondition,
  verified: Readonly<Record<string, unknown>>,
  now: Date,
): boolean {
  const value = verified[when.element];
  if (value === undefined || value === null || value === '') return false;
  if (when.equals !== undefined && String(value) !== String(when.equals)) return false;
  if (when.atLeast !== undefined || when.atMost !== undefined) {
    const n = numeric(value);
    if (n === undefined) return false;
    if (when.atLeast !== undefined && n < when.atLeast) return false;
    if (when.atMost !== undefined && n > when.atMost) return false;
  }
  if (when.ageAtLeast !== undefined) {
    const birth = birthDateOf(value);
    if (birth === undefined || ageOn(birth, now) < when.ageAtLeast) return false;
  }
  return true;
}

/** One fee assessed: its amount, the band of a tiered fee that applied, the exemption that waived it. */
export interface FeeAssessment {
  readonly code: string;
  readonly name: LocalizedText;
  readonly amountFen: number;
  readonly tier?: number;
  readonly exemption?: { readonly code: string; readonly name: LocalizedText };
}

/** Assess one fee against verified values (pure; the shape of payments' AssessedFeeView). */
export function assessFee(fee: MatterFeeView, verified: Readonly<Record<string, unknown>>, now: Date): FeeAssessment {
  let amountFen = fee.amountFen;
  let tier: number | undefined;
  if (fee.tiers && fee.tiers.length > 0 && fee.basis !== undefined) {
    const n = numeric(verified[fee.basis]);
    if (n !== undefined) {
      const i = fee.tiers.findIndex((t) => t.upTo === undefined || n <= t.upTo);
      if (i >= 0) {
        tier = i;
        amountFen = fee.tiers[i]!.amountFen;
      }
    }
  }
  const base = { code: fee.code, name: fee.name, ...(tier !== undefined ? { tier } : {}) };
  const exemption = (fee.exemptions ?? []).find((e) => exemptionHolds(e.when, verified, now));
  if (exemption && amountFen > 0)
    return { ...base, amountFen: 0, exemption: { code: exemption.code, name: exemption.name } };
  return { ...base, amountFen };
}

const MatterFields = {
  code: Type.String(),
  name: LocalizedText,
  description: LocalizedText,
  departmentCode: Type.String(),
  legalDays: Type.Integer(),
  promisedDays: Type.Integer(),
  fees: Type.Array(MatterFeeView),
  materials: Type.Array(MatterMaterialView),
  form: FormView,
  producesLicence: Type.Optional(Type.Object({ type: Type.String(), name: LocalizedText })),
  lifeEvents: Type.Array(Type.String()),
  autoApprove: Type.Optional(Type.Array(AutoApprovalRuleSchema)),
  process: Type.Optional(
    Type.Union(MATTER_PROCESSES.map((p) => Type.Literal(p))) as TSchema as ReturnType<
      typeof Type.Unsafe<(typeof MATTER_PROCESSES)[number]>
    >,
  ),
};

/** A published matter version (事项): immutable once published. */
export const MatterVersionView = Type.Object({
  ...MatterFields,
  version: Type.Integer({ minimum: 1 }),
  publishedAt: Type.String(),
  /** The data elements its form binds, as they were when it was published (absent in very old versions). */
  elements: Type.Optional(Type.Record(Type.String(), DataElementView)),
});
export type MatterVersionView = Static<typeof MatterVersionView>;

/** A matter being edited: what will be published, without a version. */
export const MatterDraftView = Type.Object(MatterFields);

const BundleFields = {
  code: Type.String(),
  name: LocalizedText,
  description: LocalizedText,
  lifeEvent: Type.String(),
  items: Type.Array(Type.Object({ matterCode: Type.String(), dependsOn: Type.Array(Type.String()) })),
  promisedDays: Type.Integer(),
};

/** A published bundle version (一件事): the matter versions it pins and one merged form. */
export const BundleVersionView = Type.Object({
  ...BundleFields,
  version: Type.Integer({ minimum: 1 }),
  publishedAt: Type.String(),
  matterVersions: Type.Record(Type.String(), Type.Integer({ minimum: 1 })),
  form: FormView,
});
export type BundleVersionView = Static<typeof BundleVersionView>;

export const BundleDraftView = Type.Object(BundleFields);

export const DepartmentView = Type.Object({
  code: Type.String(),
  regionCode: Type.String(),
  name: LocalizedText,
  parentCode: Type.Optional(Type.String()),
});
export type DepartmentView = Static<typeof DepartmentView>;

export const CalendarView = Type.Object({
  regionCode: Type.String(),
  holidays: Type.Array(Type.String()),
  workdays: Type.Array(Type.String()),
});
export type CalendarView = Static<typeof CalendarView>;

/** What other modules call on the catalog, each with the schema of its answer. */
export const CatalogApi = {
  latestMatter: {
    module: 'catalog',
    method: 'GET',
    path: (code: string) => `/matters/${enc(code)}`,
    response: MatterVersionView,
  },
  matterVersion: {
    module: 'catalog',
    method: 'GET',
    path: (code: string, version: number) => `/matters/${enc(code)}/versions/${version}`,
    response: MatterVersionView,
  },
  latestBundle: {
    module: 'catalog',
    method: 'GET',
    path: (code: string) => `/bundles/${enc(code)}`,
    response: BundleVersionView,
  },
  bundleVersion: {
    module: 'catalog',
    method: 'GET',
    path: (code: string, version: number) => `/bundles/${enc(code)}/versions/${version}`,
    response: BundleVersionView,
  },
  department: {
    module: 'catalog',
    method: 'GET',
    path: (code: string) => `/departments/${enc(code)}`,
    response: DepartmentView,
  },
  calendar: {
    module: 'catalog',
    method: 'GET',
    path: (regionCode: string) => `/calendars/${enc(regionCode)}`,
    response: CalendarView,
  },
} as const satisfies Record<string, ApiRoute<never, TSchema>>;
