// The hub's request and answer shapes (TypeBox: validation, OpenAPI and types at once).
import { LocalizedText } from '@tongban/contracts';
import Type, { type Static } from 'typebox';
import { ITEM_TYPES, SHARING_TYPES, UPDATE_CYCLES } from '../domain/resource.ts';

const lit = <T extends string>(values: readonly T[]) => Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v))));
const Code = Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$' });
const ItemKey = Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]{0,39}$' });
/** A matter or bundle code, or a legal basis `law:<reference>`. */
export const Purpose = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9:._-]+$' });

export const ResourceItemBody = Type.Object(
  {
    key: ItemKey,
    name: LocalizedText,
    element: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]),
    type: lit(ITEM_TYPES),
    personal: Type.Boolean(),
    indexed: Type.Optional(Type.Boolean()),
    subject: Type.Optional(Type.Boolean()),
    check: Type.Optional(Type.Union([Type.Literal('gb11643'), Type.Literal('gb32100')])),
  },
  { additionalProperties: false },
);

export const ResourceBody = Type.Object(
  {
    code: Code,
    name: LocalizedText,
    departmentCode: Type.String({ pattern: '^[0-9A-Za-z-]{2,40}$' }),
    sharing: lit(SHARING_TYPES),
    level: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4)]),
    updateCycle: lit(UPDATE_CYCLES),
    keyItem: ItemKey,
    items: Type.Array(ResourceItemBody, { minItems: 1, maxItems: 200 }),
    authoritative: Type.Boolean(),
  },
  { additionalProperties: false },
);

export type ResourceBody = Static<typeof ResourceBody>;

export const ResourceView = Type.Object({
  version: Type.Integer(),
  publishedAt: Type.String(),
  definition: ResourceBody,
});

export const CodeParam = Type.Object({ code: Code });
export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const GrantBody = Type.Object(
  {
    /** A registered system's client id, or a department code (its officers). */
    consumer: Type.String({ pattern: '^[0-9A-Za-z._-]{2,64}$' }),
    resource: Code,
    purpose: Purpose,
    items: Type.Array(ItemKey, { minItems: 1, maxItems: 200, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const GrantView = Type.Object({
  id: Type.String(),
  consumer: Type.String(),
  resource: Type.String(),
  purpose: Type.String(),
  items: Type.Array(Type.String()),
  grantedBy: Type.String(),
  grantedAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  revokedBy: Type.Union([Type.String(), Type.Null()]),
});

export const GrantQuery = Type.Object(
  {
    consumer: Type.Optional(Type.String({ maxLength: 64 })),
    resource: Type.Optional(Code),
    revoked: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ConsentBody = Type.Object(
  {
    purpose: Purpose,
    /** `<resource>.<item>`, e.g. `population.name`. */
    items: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}\\.[a-zA-Z][a-zA-Z0-9]{0,39}$' }), {
      minItems: 1,
      maxItems: 200,
      uniqueItems: true,
    }),
  },
  { additionalProperties: false },
);

export const ConsentView = Type.Object({
  id: Type.String(),
  purpose: Type.String(),
  items: Type.Array(Type.String()),
  givenAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

const Value = Type.Union([Type.String({ maxLength: 200 }), Type.Number()]);

export const QueryBody = Type.Object(
  {
    purpose: Purpose,
    items: Type.Array(ItemKey, { minItems: 1, maxItems: 200, uniqueItems: true }),
    /** One indexed or key item and its exact value. */
    where: Type.Record(ItemKey, Value, { minProperties: 1, maxProperties: 1 }),
  },
  { additionalProperties: false },
);
export type QueryBody = Static<typeof QueryBody>;

/**
 * A value as it leaves: masked text, a number or null. One schema of three types, not an anyOf of
 * three schemas: the response serializer then picks by typeof, where for anyOf it runs a validator
 * per value (a lookup's answer is a handful of them, on the hub's hottest route).
 */
export const MaskedValue = Type.Unsafe<string | number | null>({ type: ['string', 'number', 'null'] });

export const QueryView = Type.Object({
  resource: Type.String(),
  policy: Type.String(),
  rows: Type.Array(
    Type.Object({
      values: Type.Record(Type.String(), MaskedValue),
      collectedAt: Type.String(),
      source: Type.String(),
    }),
  ),
});

export const RevealBody = Type.Object(
  {
    purpose: Purpose,
    where: Type.Record(ItemKey, Value, { minProperties: 1, maxProperties: 1 }),
    item: ItemKey,
    reason: Type.String({ minLength: 5, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type RevealBody = Static<typeof RevealBody>;

export const ResolveBody = Type.Object(
  {
    idNumber: Type.String({ pattern: '^[0-9]{17}[0-9Xx]$' }),
    purpose: Purpose,
  },
  { additionalProperties: false },
);
