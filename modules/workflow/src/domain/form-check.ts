// A form's values against the pinned catalog version (pure): the form's JSON Schema, then each
// field against the data element (数据元) it binds — type, format, length, pattern, value domain
// (值域), numeric and date bounds, check character (GB 11643, GB 32100). A field the schema
// already refused is not reported twice. Messages in the caller's language, zh-CN first.
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  compileDataPattern,
  IDENTIFIER_CHECKS,
  isIsoDate,
  KEYWORD_MESSAGES,
  re2RegExp,
  type FieldError,
  type Lang,
  type Message,
} from '@tongban/kernel';
import type { DataElementView as DataElement, MatterVersionView as MatterVersion } from '@tongban/contracts';
import type { Subject } from './plan.ts';

// One validator per pinned form version; forms are the catalog's checked JSON Schema. Their
// patterns are data, run on citizens' input: RE2 matches them in linear time (kernel's data-patterns.ts).
// A version published before the catalog refused what RE2 cannot compile may still carry such a
// pattern: no value can be checked against it, so none passes (a field error, not a 500 on every
// submission); republishing the matter with an RE2 pattern mends it.
const uncheckable = { test: () => false };
const pinnedRegExp = Object.assign(
  (pattern: string) => {
    try {
      return re2RegExp(pattern);
    } catch {
      return { ...uncheckable, toString: () => `/${pattern}/` };
    }
  },
  { code: re2RegExp.code },
);
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, code: { regExp: pinnedRegExp } });
ajv.addFormat('date', { type: 'string', validate: isIsoDate });
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
const patterns = new Map<string, { test(value: string): boolean }>();

// The schema keywords' texts are the kernel's (the same words as any bad request); these add the
// data elements' own rules.
const MESSAGES: Record<string, Message> = {
  ...KEYWORD_MESSAGES,
  unknown_field: KEYWORD_MESSAGES.additionalProperties!,
  format: { zh: '不是有效的{format}', en: 'must be a valid {format}' },
  exclusiveMinimum: { zh: '必须大于 {limit}', en: 'must be more than {limit}' },
  exclusiveMaximum: { zh: '必须小于 {limit}', en: 'must be less than {limit}' },
  minDate: { zh: '不能早于 {limit}', en: 'must not be before {limit}' },
  maxDate: { zh: '不能晚于 {limit}', en: 'must not be after {limit}' },
  check_digit: {
    zh: '校验码不正确，不是有效的{standard}',
    en: 'is not a valid {standard}: its check character is wrong',
  },
};
const FORMATS: Record<string, Message> = { date: { zh: '日期', en: 'calendar date (YYYY-MM-DD)' } };
const STANDARDS: Record<keyof typeof IDENTIFIER_CHECKS, Message> = {
  gb11643: { zh: '公民身份号码（GB 11643）', en: 'resident ID number (GB 11643)' },
  gb32100: { zh: '统一社会信用代码（GB 32100）', en: 'unified social credit code (GB 32100)' },
};

function message(code: string, lang: Lang, params: Record<string, unknown> = {}): string {
  const template = MESSAGES[code]?.[lang] ?? MESSAGES.pattern![lang];
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

export interface FormCheckOptions {
  /** The data element behind each form key (`elementsOf`); without it only the schema is checked. */
  readonly elements?: ReadonlyMap<string, DataElement>;
  /** Today in China Standard Time (YYYY-MM-DD), for bounds such as `maxDate: 'today'`. */
  readonly today?: string;
  readonly lang?: Lang;
  /** A draft may be incomplete: missing required fields are not errors yet. */
  readonly partial?: boolean;
}

/** Every problem with a form, as `form.<key>` field errors (empty when it is complete and valid). */
export function checkForm(
  formKey: string,
  schema: MatterVersion['form'],
  form: Readonly<Record<string, unknown>>,
  options: FormCheckOptions = {},
): FieldError[] {
  const lang = options.lang ?? 'zh';
  let validate = validators.get(formKey);
  if (!validate) {
    validate = ajv.compile({ ...schema, additionalProperties: false, $id: undefined });
    validators.set(formKey, validate);
  }
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const add = (key: string, code: string, text: string) => {
    if (seen.has(`${key}|${code}`)) return;
    seen.add(`${key}|${code}`);
    errors.push({ field: key ? `form.${key}` : 'form', code, message: text });
  };
  if (!validate(form)) {
    for (const e of validate.errors ?? []) {
      if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
      const key =
        e.keyword === 'required'
          ? String(e.params.missingProperty)
          : e.keyword === 'additionalProperties'
            ? String(e.params.additionalProperty)
            : e.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const code =
        e.keyword === 'required' ? 'required' : e.keyword === 'additionalProperties' ? 'unknown_field' : e.keyword;
      if (code === 'required' && options.partial) continue;
      const params = { ...e.params, format: FORMATS[String(e.params.format)]?.[lang] ?? e.params.format };
      add(key, code, MESSAGES[e.keyword] || MESSAGES[code] ? message(code, lang, params) : (e.message ?? code));
    }
  }
  const refused = new Set(errors.map((e) => e.field));
  for (const [key, element] of options.elements ?? []) {
    if (!(key in form) || refused.has(`form.${key}`)) continue;
    const problem = elementProblem(element, form[key], options.today);
    if (problem)
      add(
        key,
        problem.code,
        message(problem.code, lang, {
          ...problem.params,
          // The format's name in the caller's language (an impossible date read '不是有效的date').
          ...(problem.params?.format ? { format: FORMATS[String(problem.params.format)]?.[lang] } : {}),
          standard: element.check ? STANDARDS[element.check][lang] : '',
        }),
      );
  }
  return errors;
}

type Problem = { code: string; params?: Record<string, unknown> } | undefined;
const JSON_TYPE: Record<DataElement['type'], string> = {
  string: 'string',
  date: 'string',
  code: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
};

/** The first rule of its data element that a value breaks (the schema is checked before this). */
export function elementProblem(element: DataElement, value: unknown, today?: string): Problem {
  const type = JSON_TYPE[element.type];
  const fits =
    type === 'string'
      ? typeof value === 'string'
      : type === 'integer'
        ? Number.isInteger(value)
        : type === 'number'
          ? typeof value === 'number' && Number.isFinite(value)
          : typeof value === 'boolean';
  if (!fits) return { code: 'type', params: { type } };
  if (typeof value === 'string') {
    if (element.maxLength !== undefined && [...value].length > element.maxLength)
      return { code: 'maxLength', params: { limit: element.maxLength } };
    if (element.type === 'code' && element.values && !element.values.some((v) => v.code === value))
      return { code: 'enum' };
    if (element.type === 'date') {
      if (!isIsoDate(value)) return { code: 'format', params: { format: 'date' } };
      const min = element.minDate && today ? dateBound(element.minDate, today) : element.minDate;
      const max = element.maxDate && today ? dateBound(element.maxDate, today) : element.maxDate;
      if (min && isIsoDate(min) && value < min) return { code: 'minDate', params: { limit: min } };
      if (max && isIsoDate(max) && value > max) return { code: 'maxDate', params: { limit: max } };
    }
    if (element.pattern !== undefined && !patternOf(element.pattern).test(value)) return { code: 'pattern' };
    if (element.check && !IDENTIFIER_CHECKS[element.check](value)) return { code: 'check_digit' };
  }
  if (typeof value === 'number') {
    if (element.minimum !== undefined && value < element.minimum)
      return { code: 'minimum', params: { limit: element.minimum } };
    if (element.maximum !== undefined && value > element.maximum)
      return { code: 'maximum', params: { limit: element.maximum } };
  }
  return undefined;
}

function patternOf(pattern: string) {
  let re = patterns.get(pattern);
  if (!re) {
    try {
      re = compileDataPattern(pattern);
    } catch {
      re = uncheckable;
    }
    if (patterns.size > 10_000) patterns.clear();
    patterns.set(pattern, re);
  }
  return re;
}

/** A date bound as an ISO date: `today`, `today-18y`, `today+30d` are counted from `today`. */
export function dateBound(bound: string, today: string): string {
  const relative = /^today(?:([+-])(\d{1,4})([dmy]))?$/.exec(bound);
  if (!relative) return bound;
  if (!relative[1]) return today;
  const n = Number(relative[2]) * (relative[1] === '-' ? -1 : 1);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const date = new Date(
    Date.UTC(
      y + (relative[3] === 'y' ? n : 0),
      m - 1 + (relative[3] === 'm' ? n : 0),
      d + (relative[3] === 'd' ? n : 0),
    ),
  );
  return date.toISOString().slice(0, 10);
}

const subjectForm = (s: Subject) => (s.kind === 'matter' ? s.matter.form : s.bundle.form);

/**
 * The data element behind each key of the subject's form: a matter's fields by their binding
 * to the elements its version embeds; a bundle's merged fields, keyed by element id, from the
 * pinned matter versions that embed them.
 */
export function elementsOf(subject: Subject): Map<string, DataElement> {
  const out = new Map<string, DataElement>();
  const matters = subject.kind === 'matter' ? [subject.matter] : [...subject.matters.values()];
  const known = new Map(matters.flatMap((m) => Object.entries(m.elements ?? {})));
  for (const [key, field] of Object.entries(subjectForm(subject).properties)) {
    const id = (field as { 'x-data-element'?: unknown })['x-data-element'];
    const element = typeof id === 'string' ? known.get(id) : undefined;
    if (element) out.set(key, element);
  }
  return out;
}

const subjectKey = (s: Subject) =>
  s.kind === 'matter' ? `matter:${s.matter.code}@${s.matter.version}` : `bundle:${s.bundle.code}@${s.bundle.version}`;

/** The form of an application against its pinned subject: schema and data elements. */
export function checkSubjectForm(
  subject: Subject,
  form: Readonly<Record<string, unknown>>,
  options: Omit<FormCheckOptions, 'elements'> = {},
): FieldError[] {
  return checkForm(subjectKey(subject), subjectForm(subject), form, { ...options, elements: elementsOf(subject) });
}
