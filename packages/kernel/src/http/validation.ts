// Request validation: one Ajv for bodies with no type coercion (a string is not a number), one
// for path and query strings that coerces, as a URL can only carry strings. Neither drops an
// unknown field quietly: schemas say additionalProperties: false and a stray field is an error.
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldError } from '../errors.ts';

// ajv-formats ships CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

export type ValidationIssue = Pick<ErrorObject, 'keyword' | 'instancePath' | 'params' | 'message'>;

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    allErrors: true,
    strict: false,
    // 1e400 parses (JSON.parse, or a URL's string coerced) to Infinity, which Ajv's integer
    // check lets through; a database column then refuses it (a 500). Not a number here.
    strictNumbers: true,
  });
  addFormats(ajv);
  return ajv;
}

const bodyAjv = makeAjv(false);
const urlAjv = makeAjv(true);

/**
 * At most this many field errors are listed, by a validator and in any problem: a body with
 * 90,000 unknown keys must not be answered with 90,000 errors (megabytes built and sent for a few
 * hundred kilobytes received). The rest are counted (`total` on a validator's list, `errorCount`
 * on the problem).
 */
export const MAX_FIELD_ERRORS = 20;

export type ValidationIssues = ErrorObject[] & { total?: number };

/** A path or query value coerced to ±Infinity (a flat object: values, or arrays of them). */
function findInfinite(data: unknown): ErrorObject | undefined {
  if (!data || typeof data !== 'object') return undefined;
  for (const [key, value] of Object.entries(data)) {
    if ((Array.isArray(value) ? value : [value]).some((v) => typeof v === 'number' && !Number.isFinite(v)))
      return {
        keyword: 'type',
        instancePath: `/${key}`,
        schemaPath: '',
        params: { type: 'number' },
        message: 'must be finite',
      };
  }
  return undefined;
}

export function compileValidator({ schema, httpPart }: { schema: object; httpPart?: string }) {
  const body = httpPart === 'body';
  const validate = (body ? bodyAjv : urlAjv).compile(schema);
  // Fastify formats every issue into its error's message before our handler sees it: 90,000
  // unknown keys made a 6 MB string. Only the first few go on, with the count beside them.
  const wrapped = (data: unknown): boolean => {
    if (validate(data)) {
      // Coercion turns the string "1e400" into Infinity past the type check: refused once
      // coerced, so a string field keeps "1e400" as the text it is.
      const infinite = body ? undefined : findInfinite(data);
      wrapped.errors = infinite ? [infinite] : null;
      return !infinite;
    }
    const all = validate.errors ?? [];
    wrapped.errors =
      all.length <= MAX_FIELD_ERRORS ? all : Object.assign(all.slice(0, MAX_FIELD_ERRORS), { total: all.length });
    return false;
  };
  wrapped.errors = null as ValidationIssues | null;
  return wrapped;
}

/** What each JSON Schema keyword's failure says, zh-CN and English; data-driven forms reuse them. */
export const KEYWORD_MESSAGES: Readonly<Record<string, { readonly zh: string; readonly en: string }>> = {
  required: { zh: '必填', en: 'is required' },
  additionalProperties: { zh: '不允许的字段', en: 'is not an allowed field' },
  type: { zh: '类型错误，应为 {type}', en: 'must be of type {type}' },
  pattern: { zh: '格式不正确', en: 'does not match the required format' },
  format: { zh: '格式不正确（{format}）', en: 'must be a valid {format}' },
  enum: { zh: '取值不在允许范围内', en: 'must be one of the allowed values' },
  const: { zh: '取值不在允许范围内', en: 'must be one of the allowed values' },
  minLength: { zh: '过短（至少 {limit} 个字符）', en: 'is too short (at least {limit} characters)' },
  maxLength: { zh: '过长（至多 {limit} 个字符）', en: 'is too long (at most {limit} characters)' },
  minimum: { zh: '不能小于 {limit}', en: 'must be at least {limit}' },
  maximum: { zh: '不能大于 {limit}', en: 'must be at most {limit}' },
  minItems: { zh: '至少需要 {limit} 项', en: 'needs at least {limit} items' },
  maxItems: { zh: '至多 {limit} 项', en: 'allows at most {limit} items' },
};

const CODES: Record<string, string> = {
  additionalProperties: 'unknown_field',
  required: 'required',
  type: 'wrong_type',
};

/** Ajv's errors as fields a person can find: `body.name.zh`, `query.limit`. */
export function fieldErrorsFrom(part: string, issues: readonly ValidationIssue[], lang: 'zh' | 'en'): FieldError[] {
  const prefix = part === 'querystring' ? 'query' : part;
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of issues) {
    if (issue.keyword === 'anyOf' || issue.keyword === 'oneOf' || issue.keyword === 'if') continue;
    const path = issue.instancePath.split('/').filter(Boolean).map(decodePointer);
    const params = issue.params as Record<string, unknown>;
    if (issue.keyword === 'required') path.push(String(params.missingProperty));
    if (issue.keyword === 'additionalProperties') path.push(String(params.additionalProperty));
    const field = [prefix, ...path].join('.');
    const code = CODES[issue.keyword] ?? issue.keyword;
    const template = KEYWORD_MESSAGES[issue.keyword]?.[lang] ?? issue.message ?? 'is not valid';
    const message = template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
    const key = `${field}|${code}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ field, code, message });
    }
  }
  return out;
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
