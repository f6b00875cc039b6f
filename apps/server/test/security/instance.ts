// A minimal valid instance of an operation's JSON Schema (OpenAPI 3.1 as @fastify/swagger writes
// it): required properties only, the first enum value or alternative, formats and simple patterns.
// The resource check runs after validation, so a resource route needs a body that validates;
// what this cannot guess, the fixture of the route gives (fixtures.ts, `body`).
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON Schema is walked as plain data */

type Schema = Record<string, any>;

const FORMATS: Record<string, string> = {
  uuid: '00000000-0000-4000-8000-000000000000',
  'date-time': '2026-12-01T02:00:00.000Z',
  date: '2026-12-01',
  email: 'matrix@example.org',
  uri: 'https://example.org/matrix',
  url: 'https://example.org/matrix',
  hostname: 'example.org',
};

// Candidates tried against a pattern, shortest first: enough for the codes, ids and names the
// routes use; a pattern none matches is reported, and the route's fixture gives the value.
const CANDIDATES = [
  'a',
  'matrix',
  'A1',
  '1',
  'a1',
  '330100',
  '330100-WJW',
  'matrix-1',
  'matrix.a',
  '11330100002489571X',
  'ab12',
  '张三',
  'matrix reason',
];

export class InstanceError extends Error {
  override name = 'InstanceError';
}

function resolve(schema: Schema, root: Schema): Schema {
  let s = schema;
  for (let i = 0; s.$ref && i < 20; i++) {
    const path = String(s.$ref).replace(/^#\//, '').split('/');
    s = path.reduce((node: any, key) => node?.[key], root) ?? {};
  }
  return s;
}

function stringFor(s: Schema, at: string): string {
  if (s.format && FORMATS[s.format]) return FORMATS[s.format]!;
  const min = s.minLength ?? 0;
  const pad = (v: string) => (v.length >= min ? v : v + 'x'.repeat(min - v.length));
  if (!s.pattern) return pad(min > 0 ? 'matrix' : 'matrix');
  const pattern = new RegExp(s.pattern, 'u');
  for (const candidate of CANDIDATES) {
    const value = pad(candidate);
    if (pattern.test(value) && (s.maxLength === undefined || value.length <= s.maxLength)) return value;
  }
  throw new InstanceError(`${at}: no candidate matches the pattern ${s.pattern}`);
}

export function instanceOf(schema: Schema | undefined, root: Schema = {}, at = 'body'): unknown {
  if (!schema) return undefined;
  const s = resolve(schema, root);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (Array.isArray(s.anyOf)) return instanceOf(s.anyOf[0], root, at);
  if (Array.isArray(s.oneOf)) return instanceOf(s.oneOf[0], root, at);
  if (Array.isArray(s.allOf)) {
    return Object.assign({}, ...s.allOf.map((part: Schema) => instanceOf(part, root, at) as object));
  }
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  switch (type) {
    case 'object':
    case undefined: {
      if (type === undefined && !s.properties) return {};
      const out: Record<string, unknown> = {};
      for (const name of s.required ?? []) out[name] = instanceOf(s.properties?.[name] ?? {}, root, `${at}.${name}`);
      return out;
    }
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, (_, i) => instanceOf(s.items ?? {}, root, `${at}[${i}]`));
    case 'string':
      return stringFor(s, at);
    case 'integer':
    case 'number':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? Number(s.exclusiveMinimum) + 1 : 1);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      throw new InstanceError(`${at}: no instance for type ${String(type)}`);
  }
}
