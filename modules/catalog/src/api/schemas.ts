// HTTP shapes of the catalog: one TypeBox schema gives validation, OpenAPI and the handler's
// types. The compile-time checks at the bottom keep them in step with domain/model.ts.
import {
  AutoApprovalRuleSchema,
  CalendarView,
  DepartmentView,
  FeeExemption,
  MATTER_PROCESSES,
  type BundleVersionView,
  type MatterProcess,
  type MatterVersionView,
} from '@tongban/contracts';
import { LocalizedText, type IdentifierCheck } from '@tongban/kernel';
import Type, { type Static } from 'typebox';
import {
  DATA_ELEMENT_TYPES,
  DATE_BOUND,
  IDENTIFIER_CHECK_NAMES,
  LIFE_EVENTS,
  type Bundle,
  type BundleVersion,
  type CalendarOverrides,
  type DataElement,
  type Department,
  type Matter,
  type MatterVersion,
  type Region,
} from '../domain/model.ts';

const Code = Type.String({
  pattern: '^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$',
  description: 'A stable code: letters, digits, dot, dash, underscore',
});
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' });
const LifeEventName = Type.Union(Object.keys(LIFE_EVENTS).map((k) => Type.Literal(k))) as unknown as ReturnType<
  typeof Type.Unsafe<keyof typeof LIFE_EVENTS>
>;

export const RegionCodeParam = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) });
export const CodeParam = Type.Object({ code: Code });
// Narrower than other codes: the department table's CHECK allows letters, digits and dashes only.
const DepartmentCode = Type.String({
  pattern: '^[0-9A-Za-z-]{2,40}$',
  description: 'A department code: 2–40 letters, digits and dashes',
});
export const DepartmentCodeParam = Type.Object({ code: DepartmentCode });
export const ElementIdParam = Type.Object({
  id: Type.String({ pattern: '^[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)+$' }),
});
// Versions are int4 columns: a larger number is refused here, not by the database (a 500).
const Version = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
export const VersionParam = Type.Object({ code: Code, version: Version });

export const RegionBody = Type.Object(
  {
    name: LocalizedText,
    parentCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
  },
  { additionalProperties: false },
);
export const RegionView = Type.Object({
  code: Type.String(),
  name: LocalizedText,
  parentCode: Type.Optional(Type.String()),
});

export const DepartmentBody = Type.Object(
  {
    regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
    name: LocalizedText,
    parentCode: Type.Optional(DepartmentCode),
  },
  { additionalProperties: false },
);
// What other modules read of a department, and a calendar: the contracts' shapes.
export { CalendarView, DepartmentView };

export const DataElementBody = Type.Object(
  {
    name: LocalizedText,
    type: Type.Union(DATA_ELEMENT_TYPES.map((t) => Type.Literal(t))) as unknown as ReturnType<
      typeof Type.Unsafe<DataElement['type']>
    >,
    pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    values: Type.Optional(
      Type.Array(
        Type.Object(
          { code: Type.String({ minLength: 1, maxLength: 40 }), name: LocalizedText },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 1000 },
      ),
    ),
    personal: Type.Optional(Type.Boolean()),
    minimum: Type.Optional(Type.Number()),
    maximum: Type.Optional(Type.Number()),
    minDate: Type.Optional(Type.String({ pattern: DATE_BOUND })),
    maxDate: Type.Optional(Type.String({ pattern: DATE_BOUND })),
    check: Type.Optional(Type.Unsafe<IdentifierCheck>({ type: 'string', enum: [...IDENTIFIER_CHECK_NAMES] })),
  },
  { additionalProperties: false },
);
export const DataElementView = Type.Object({
  id: Type.String(),
  name: LocalizedText,
  type: Type.String(),
  pattern: Type.Optional(Type.String()),
  maxLength: Type.Optional(Type.Integer()),
  values: Type.Optional(Type.Array(Type.Object({ code: Type.String(), name: LocalizedText }))),
  personal: Type.Optional(Type.Boolean()),
  minimum: Type.Optional(Type.Number()),
  maximum: Type.Optional(Type.Number()),
  minDate: Type.Optional(Type.String()),
  maxDate: Type.Optional(Type.String()),
  check: Type.Optional(Type.String()),
});

const Material = Type.Object(
  {
    code: Code,
    name: LocalizedText,
    required: Type.Boolean(),
    licenceType: Type.Optional(Code),
  },
  { additionalProperties: false },
);
// Fen are integers; 10^10 fen (一亿元) is beyond any fee and well inside int8 and double precision.
const Fen = Type.Integer({ minimum: 0, maximum: 10_000_000_000 });
const Fee = Type.Object(
  {
    code: Code,
    name: LocalizedText,
    amountFen: Fen,
    basis: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    tiers: Type.Optional(
      Type.Array(Type.Object({ upTo: Type.Optional(Type.Number()), amountFen: Fen }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: 20,
      }),
    ),
    exemptions: Type.Optional(Type.Array(FeeExemption, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
/** A JSON Schema: checked in full when the matter is published, here only its outline. */
const Form = Type.Object(
  {
    type: Type.Literal('object'),
    properties: Type.Record(
      Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.]{0,63}$' }),
      Type.Object({ 'x-data-element': Type.String() }, { additionalProperties: true }),
      { maxProperties: 200 },
    ),
    required: Type.Optional(Type.Array(Type.String(), { maxItems: 200 })),
  },
  { additionalProperties: true },
);

export const MatterBody = Type.Object(
  {
    name: LocalizedText,
    description: LocalizedText,
    departmentCode: Code,
    legalDays: Type.Integer({ minimum: 0, maximum: 3650 }),
    promisedDays: Type.Integer({ minimum: 0, maximum: 3650 }),
    fees: Type.Array(Fee, { maxItems: 50 }),
    materials: Type.Array(Material, { maxItems: 100 }),
    form: Form,
    producesLicence: Type.Optional(Type.Object({ type: Code, name: LocalizedText }, { additionalProperties: false })),
    lifeEvents: Type.Array(LifeEventName, { maxItems: 8 }),
    autoApprove: Type.Optional(Type.Array(AutoApprovalRuleSchema, { maxItems: 20 })),
    process: Type.Optional(Type.Unsafe<MatterProcess>({ type: 'string', enum: [...MATTER_PROCESSES] })),
  },
  { additionalProperties: false },
);

export const BundleBody = Type.Object(
  {
    name: LocalizedText,
    description: LocalizedText,
    lifeEvent: LifeEventName,
    items: Type.Array(
      Type.Object({ matterCode: Code, dependsOn: Type.Array(Code, { maxItems: 50 }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 50 },
    ),
    promisedDays: Type.Integer({ minimum: 0, maximum: 3650 }),
  },
  { additionalProperties: false },
);

export const Published = Type.Object({ code: Type.String(), version: Type.Integer(), publishedAt: Type.String() });
export const VersionList = Type.Array(Type.Object({ version: Type.Integer(), publishedAt: Type.String() }));
export const VersionQuery = Type.Object({ version: Type.Optional(Version) }, { additionalProperties: false });

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    department: Type.Optional(Code),
    lifeEvent: Type.Optional(LifeEventName),
    kind: Type.Optional(Type.Union([Type.Literal('matter'), Type.Literal('bundle')])),
    limit: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
    offset: Type.Integer({ minimum: 0, maximum: 10_000, default: 0 }),
  },
  { additionalProperties: false },
);
export const SearchResult = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      kind: Type.String(),
      code: Type.String(),
      version: Type.Integer(),
      name: LocalizedText,
      departmentCode: Type.Optional(Type.String()),
      lifeEvents: Type.Array(Type.String()),
    }),
  ),
});

export const CalendarBody = Type.Object(
  {
    holidays: Type.Array(IsoDate, { maxItems: 2000 }),
    workdays: Type.Array(IsoDate, { maxItems: 2000 }),
  },
  { additionalProperties: false },
);
export const DeadlineQuery = Type.Object(
  {
    from: IsoDate,
    days: Type.Integer({ minimum: 0, maximum: 3650 }),
  },
  { additionalProperties: false },
);

// Drift guards: a schema that stops matching the domain type fails to compile.
type Assert<T extends true> = T;
type Fits<A, B> = A extends B ? true : false;
export type SchemaChecks = [
  Assert<Fits<Static<typeof RegionBody> & { code: string }, Region>>,
  Assert<Fits<Static<typeof DepartmentBody> & { code: string }, Department>>,
  Assert<Fits<Static<typeof DataElementBody> & { id: string }, DataElement>>,
  Assert<Fits<Static<typeof MatterBody> & { code: string }, Matter>>,
  Assert<Fits<Static<typeof BundleBody> & { code: string }, Bundle>>,
  // What the catalog answers other modules fits the contract they check it against.
  Assert<Fits<MatterVersion & { elements?: Record<string, DataElement> }, MatterVersionView>>,
  Assert<Fits<BundleVersion, BundleVersionView>>,
  Assert<Fits<Department, Static<typeof DepartmentView>>>,
  Assert<Fits<CalendarOverrides, Static<typeof CalendarView>>>,
];
