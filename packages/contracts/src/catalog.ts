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

const MatterFields = {
  code: Type.String(),
  name: LocalizedText,
  description: LocalizedText,
  departmentCode: Type.String(),
  legalDays: Type.Integer(),
  promisedDays: Type.Integer(),
  fees: Type.Array(Type.Object({ code: Type.String(), name: LocalizedText, amountFen: Type.Integer() })),
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
