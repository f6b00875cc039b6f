// Values for a JSON Schema as the OpenAPI document states it (the subset TypeBox emits: type,
// enum, anyOf, const, pattern, formats, lengths, bounds, items, properties, additionalProperties):
// mostly values the schema allows, often at its boundaries (a length or a bound ±1), and at any
// node, now and then, a value of the wrong kind — so requests reach handlers and also probe
// every validator on the way.
import fc from 'fast-check';
import { nastyString, nastyValue } from './nasty.ts';

export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly maxProperties?: number;
}

/** Strings the platform's own data holds (ids, codes), so lookups find something now and then. */
export interface Known {
  readonly uuids: readonly string[];
  readonly codes: readonly string[];
}

export interface ValueOptions {
  readonly known: Known;
  /** Weight of a wrong value at each node against 100 for a value of the schema. */
  readonly wrongWeight: number;
}

const MAX_DEPTH = 6;

function lengths(min: number, max: number | undefined): fc.Arbitrary<number> {
  const top = max ?? Math.max(min + 40, 64);
  const edges = [min, min - 1, top, top + 1].filter((n) => n >= 0);
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min, max: Math.min(top, min + 40) }) },
    { weight: 1, arbitrary: fc.constantFrom(...edges) },
  );
}

const chars = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcxyzABC0123456789-_.') },
  { weight: 2, arbitrary: fc.constantFrom(...'张三李四浙江杭州省市区路号') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);

function plainString(schema: JsonSchema): fc.Arbitrary<string> {
  return lengths(schema.minLength ?? 0, schema.maxLength).chain((n) =>
    n > 200 ? chars.map((c) => c.repeat(n)) : fc.array(chars, { minLength: n, maxLength: n }).map((cs) => cs.join('')),
  );
}

function stringOf(schema: JsonSchema, known: Known): fc.Arbitrary<string> {
  const options: fc.WeightedArbitrary<string>[] = [];
  if (schema.format === 'uuid') {
    options.push({ weight: 3, arbitrary: fc.uuid() });
    if (known.uuids.length) options.push({ weight: 3, arbitrary: fc.constantFrom(...known.uuids) });
  } else if (schema.format === 'date') {
    options.push({
      weight: 4,
      arbitrary: fc
        .date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
    });
    options.push({ weight: 1, arbitrary: fc.constantFrom('2026-02-30', '0000-00-00', '2026-13-01', '99999-01-01') });
  } else if (schema.format === 'date-time') {
    options.push({
      weight: 4,
      arbitrary: fc
        .date({ min: new Date('1970-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString()),
    });
  } else if (schema.pattern !== undefined) {
    try {
      options.push({ weight: 4, arbitrary: fc.stringMatching(new RegExp(schema.pattern)) });
    } catch {
      // A pattern fast-check cannot generate from: plain strings stand in.
    }
    if (known.codes.length) {
      const re = new RegExp(schema.pattern);
      const fitting = known.codes.filter((c) => re.test(c));
      if (fitting.length) options.push({ weight: 4, arbitrary: fc.constantFrom(...fitting) });
    }
  }
  options.push({ weight: options.length ? 1 : 4, arbitrary: plainString(schema) });
  return fc.oneof(...options);
}

function numberOf(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum ?? -1_000_000;
  const max = schema.maximum ?? schema.exclusiveMaximum ?? 1_000_000;
  // Where nothing bounds it, what the database's columns do: int4 and int8 limits, past 2^53.
  const unbounded =
    schema.maximum === undefined && schema.exclusiveMaximum === undefined ? [2 ** 31, 2 ** 53, 1e21] : [];
  const edges = [min, max, min - 1, max + 1, 0, -1, ...unbounded];
  const inside = integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
  return fc.oneof(
    { weight: 3, arbitrary: inside },
    { weight: 1, arbitrary: fc.constantFrom(...edges, ...(integer ? [min + 0.5] : [])) },
  );
}

function objectOf(schema: JsonSchema, options: ValueOptions, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const names = Object.keys(properties);
  const record =
    names.length === 0
      ? fc.constant({} as Record<string, unknown>)
      : fc.record(
          Object.fromEntries(names.map((n) => [n, valueOf(properties[n]!, options, depth + 1)])) as Record<
            string,
            fc.Arbitrary<unknown>
          >,
          { requiredKeys: names.filter((n) => required.has(n)) },
        );
  const extraSchema = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const extra = extraSchema
    ? fc.dictionary(
        fc.oneof(fc.stringMatching(/^[a-z][a-zA-Z.]{0,20}$/), nastyString),
        valueOf(extraSchema, options, depth + 1),
        {
          maxKeys: Math.min(schema.maxProperties ?? 8, 8),
        },
      )
    : fc.constant({});
  // Unknown fields: refused where additionalProperties is false, kept otherwise.
  const unknown = fc.oneof(
    { weight: 12, arbitrary: fc.constant({}) },
    {
      weight: 1,
      arbitrary: fc.dictionary(
        fc.oneof(fc.constantFrom('__proto__', 'constructor', 'isAdmin', 'id'), nastyString),
        nastyValue,
        { maxKeys: 2 },
      ),
    },
  );
  return fc.tuple(record, extra, unknown).map(([r, e, u]) => Object.assign({}, e, r, u));
}

function validValueOf(schema: JsonSchema, options: ValueOptions, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valueOf(s, options, depth)));
  if (schema.allOf) return valueOf(Object.assign({}, ...schema.allOf) as JsonSchema, options, depth);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringOf(schema, options.known);
    case 'integer':
      return numberOf(schema, true);
    case 'number':
      return numberOf(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth >= MAX_DEPTH) return fc.constant([]);
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? 4, min + 4);
      const items = fc.array(valueOf(schema.items ?? {}, options, depth + 1), { minLength: min, maxLength: max });
      if (schema.maxItems === undefined || schema.maxItems > 200) return items;
      // One past the limit: copies of one item (the validator must stop, not the handler).
      const over = valueOf(schema.items ?? {}, options, depth + 1).map((v) => Array(schema.maxItems! + 1).fill(v));
      return fc.oneof({ weight: 8, arbitrary: items }, { weight: 1, arbitrary: over });
    }
    case 'object':
      if (depth >= MAX_DEPTH) return fc.constant({});
      return objectOf(schema, options, depth);
    default:
      return depth >= MAX_DEPTH ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 });
  }
}

/** A value for `schema`: valid most of the time, at any node sometimes of the wrong kind. */
export function valueOf(schema: JsonSchema, options: ValueOptions, depth = 0): fc.Arbitrary<unknown> {
  const valid = validValueOf(schema, options, depth);
  if (options.wrongWeight <= 0) return valid;
  return fc.oneof({ weight: 100, arbitrary: valid }, { weight: options.wrongWeight, arbitrary: nastyValue });
}

/** A value as it travels in a path, query or header: a string, or what a string of it looks like. */
export function textOf(schema: JsonSchema, options: ValueOptions): fc.Arbitrary<string> {
  return valueOf(schema, options).map((v) =>
    typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v),
  );
}
