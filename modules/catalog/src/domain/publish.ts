// What publishing checks (发布校验). Pure functions: they return every problem found, as field
// errors, so an operator fixes a draft in one go; the store writes nothing unless none is found.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Environment } from '@marcbachmann/cel-js';
import { AUTO_APPROVAL_VARIABLES, callsRegexMatch } from '@tongban/contracts';
import type { FieldError } from '@tongban/kernel';
import { elementSchema, jsonTypeOf } from './elements.ts';
import type { Bundle, BundleItem, DataElement, FormSchema, Matter, MatterVersion, MergedField } from './model.ts';
import { findPatternError, re2RegExp } from '@tongban/kernel';

// Checking a form has two halves. Against the meta-schema, with one shared validator: the form
// is only data to it, so nothing of the form stays behind. Compiling (regular expressions,
// $ref targets), with a compiler of its own per form — a fraction of a millisecond without
// meta-schemas — because Ajv keeps every schema it compiles, by object and by $id: a shared one
// would grow with every publish and refuse the next version of a form that declares an $id.
// Its patterns compile with RE2, as the workflow will match them: one RE2 cannot compile is refused.
const metaSchemaChecker = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const formCompiler = () =>
  new Ajv2020({
    strict: false,
    meta: false,
    validateSchema: false,
    validateFormats: false,
    code: { regExp: re2RegExp },
  });

const problem = (field: string, code: string, message: string): FieldError => ({ field, code, message });

export interface MatterReferences {
  readonly elements: ReadonlyMap<string, DataElement>;
  readonly departments: ReadonlySet<string>;
}

export function checkMatter(matter: Matter, refs: MatterReferences): FieldError[] {
  const errors: FieldError[] = [];
  if (!refs.departments.has(matter.departmentCode)) {
    errors.push(problem('departmentCode', 'unknown_department', `department ${matter.departmentCode} does not exist`));
  }
  if (matter.promisedDays > matter.legalDays) {
    errors.push(
      problem(
        'promisedDays',
        'promise_exceeds_law',
        `the promised deadline (${matter.promisedDays}) exceeds the legal deadline (${matter.legalDays})`,
      ),
    );
  }
  errors.push(
    ...duplicates(
      matter.materials.map((m) => m.code),
      'materials',
    ),
  );
  errors.push(
    ...duplicates(
      matter.fees.map((f) => f.code),
      'fees',
    ),
  );
  errors.push(...checkForm(matter.form, refs.elements));
  errors.push(...checkAutoApproval(matter));
  errors.push(...checkFees(matter, refs.elements));
  return errors;
}

const NUMERIC = new Set(['integer', 'number']);

/**
 * Tiered fees and exemptions (减免), assessed by payments over verified data: a tier's basis is a
 * numeric element, its bands ascend and end open; an exemption's condition names an element and
 * fits its type. Both must be bound by the form — the workflow prefills (and so verifies) only
 * the form's elements, and an exemption on an element never prefilled would never apply.
 */
export function checkFees(matter: Matter, elements: ReadonlyMap<string, DataElement>): FieldError[] {
  const errors: FieldError[] = [];
  const bound = new Set(Object.values(matter.form.properties ?? {}).map((f) => f['x-data-element']));
  const element = (at: string, id: string): DataElement | undefined => {
    const e = elements.get(id);
    if (!e) errors.push(problem(at, 'unknown_data_element', `data element ${id} is not in the dictionary`));
    else if (!bound.has(id))
      errors.push(problem(at, 'element_not_in_form', `data element ${id} is not bound by the form, so never verified`));
    return e;
  };
  matter.fees.forEach((fee, i) => {
    const at = `fees.${i}`;
    const tiers = fee.tiers ?? [];
    if (fee.basis === undefined && tiers.length > 0)
      errors.push(problem(`${at}.basis`, 'required', 'a tiered fee names the data element its tiers are by'));
    if (fee.basis !== undefined && tiers.length === 0)
      errors.push(problem(`${at}.tiers`, 'required', 'a fee with a basis lists its tiers'));
    if (fee.basis !== undefined) {
      const e = element(`${at}.basis`, fee.basis);
      if (e && !NUMERIC.has(e.type))
        errors.push(problem(`${at}.basis`, 'not_numeric', `data element ${e.id} is a ${e.type}, not a number`));
    }
    let previous = -Infinity;
    tiers.forEach((tier, j) => {
      const last = j === tiers.length - 1;
      if (tier.upTo === undefined) {
        if (!last) errors.push(problem(`${at}.tiers.${j}.upTo`, 'required', 'only the last tier is open-ended'));
      } else if (last) {
        errors.push(problem(`${at}.tiers.${j}.upTo`, 'last_tier_bounded', 'the last tier has no upper bound'));
      } else if (!(tier.upTo > previous)) {
        errors.push(problem(`${at}.tiers.${j}.upTo`, 'tiers_not_ascending', 'tier bounds must strictly ascend'));
      }
      if (tier.upTo !== undefined) previous = tier.upTo;
    });
    errors.push(
      ...duplicates(
        (fee.exemptions ?? []).map((e) => e.code),
        `${at}.exemptions`,
      ),
    );
    (fee.exemptions ?? []).forEach((exemption, j) => {
      const where = `${at}.exemptions.${j}.when`;
      const { equals, atLeast, atMost, ageAtLeast } = exemption.when;
      const e = element(`${where}.element`, exemption.when.element);
      if ([equals, atLeast, atMost, ageAtLeast].every((v) => v === undefined)) {
        errors.push(
          problem(where, 'empty_condition', 'an exemption states at least one of equals, atLeast, atMost, ageAtLeast'),
        );
        return;
      }
      if (!e) return;
      if ((atLeast !== undefined || atMost !== undefined) && !NUMERIC.has(e.type))
        errors.push(
          problem(
            `${where}.${atLeast !== undefined ? 'atLeast' : 'atMost'}`,
            'not_numeric',
            `data element ${e.id} is a ${e.type}, not a number`,
          ),
        );
      if (atLeast !== undefined && atMost !== undefined && atLeast > atMost)
        errors.push(problem(`${where}.atMost`, 'empty_range', 'atMost is below atLeast: the exemption never applies'));
      if (ageAtLeast !== undefined && e.type !== 'date' && e.check !== 'gb11643')
        errors.push(
          problem(
            `${where}.ageAtLeast`,
            'not_a_birth_date',
            `data element ${e.id} is neither a date nor a GB 11643 ID number`,
          ),
        );
      if (equals !== undefined && e.type === 'code' && !(e.values ?? []).some((v) => v.code === String(equals)))
        errors.push(
          problem(
            `${where}.equals`,
            'contradicts_data_element',
            `${String(equals)} is outside the value domain of ${e.id}`,
          ),
        );
    });
  });
  return errors;
}

// The variables the workflow binds when it evaluates a rule (packages/contracts); nothing else.
const ruleEnvironment = AUTO_APPROVAL_VARIABLES.reduce(
  (env, name) => env.registerVariable(name, 'map'),
  new Environment(),
);

/** 秒批 rules: unique ids, expressions that parse, name only the bound variables and give a boolean. */
export function checkAutoApproval(matter: Matter): FieldError[] {
  const rules = matter.autoApprove ?? [];
  const errors = duplicates(
    rules.map((r) => r.id),
    'autoApprove',
  ).map((e) => ({ ...e, field: e.field.replace(/\.code$/, '.id') }));
  rules.forEach((rule, i) => {
    let verdict: { valid: boolean; type?: string; error?: Error };
    try {
      verdict = ruleEnvironment.check(rule.when) as typeof verdict;
    } catch (error) {
      verdict = { valid: false, error: error as Error };
    }
    const message = verdict.error?.message.split('\n')[0];
    if (verdict.valid && callsRegexMatch((ruleEnvironment.parse(rule.when) as unknown as { ast: unknown }).ast)) {
      errors.push(
        problem(
          `autoApprove.${i}.when`,
          'function_not_allowed',
          'matches() is not available in rules: it runs a backtracking regular expression; compare values or bind a data element with a pattern instead',
        ),
      );
    } else if (!verdict.valid)
      errors.push(problem(`autoApprove.${i}.when`, 'invalid_rule', `the rule does not compile: ${message}`));
    else if (verdict.type !== 'bool' && verdict.type !== 'dyn')
      errors.push(
        problem(`autoApprove.${i}.when`, 'rule_not_boolean', `the rule gives ${verdict.type}, not a boolean`),
      );
  });
  return errors;
}

function duplicates(codes: readonly string[], field: string): FieldError[] {
  const seen = new Set<string>();
  return codes.flatMap((code, i) => {
    if (!seen.has(code)) {
      seen.add(code);
      return [];
    }
    return [problem(`${field}.${i}.code`, 'duplicate_code', `code ${code} appears twice`)];
  });
}

export function checkForm(form: FormSchema, elements: ReadonlyMap<string, DataElement>): FieldError[] {
  const errors: FieldError[] = [];
  // Named by field before compiling the whole form, which would only say the form is invalid.
  const patterns = fieldPatternErrors(form);
  if (patterns.length > 0) return patterns;
  try {
    if (!metaSchemaChecker.validateSchema(form))
      throw new Error(metaSchemaChecker.errorsText(metaSchemaChecker.errors));
    formCompiler().compile(form);
  } catch (error) {
    return [problem('form', 'invalid_schema', `not a valid JSON Schema: ${(error as Error).message}`)];
  }
  if (form.type !== 'object' || typeof form.properties !== 'object' || form.properties === null) {
    return [problem('form', 'invalid_schema', 'a form is an object schema with properties')];
  }
  for (const [name, field] of Object.entries(form.properties)) {
    const at = `form.properties.${name}`;
    const id = field['x-data-element'];
    const element = typeof id === 'string' ? elements.get(id) : undefined;
    if (!element) {
      errors.push(
        problem(
          `${at}.x-data-element`,
          typeof id === 'string' ? 'unknown_data_element' : 'unbound_field',
          typeof id === 'string'
            ? `data element ${id} is not in the dictionary`
            : 'every field binds to a data element',
        ),
      );
      continue;
    }
    if (element.pattern !== undefined && findPatternError(element.pattern)) {
      errors.push(
        problem(
          `${at}.x-data-element`,
          'invalid_pattern',
          `data element ${element.id} has a pattern RE2 cannot compile: fix the data element first`,
        ),
      );
    }
    if (field.type !== undefined && field.type !== jsonTypeOf(element)) {
      errors.push(
        problem(
          `${at}.type`,
          'contradicts_data_element',
          `type ${String(field.type)} contradicts data element ${element.id} (${element.type})`,
        ),
      );
    }
    if (element.type === 'date' && field.format !== undefined && field.format !== 'date') {
      errors.push(problem(`${at}.format`, 'contradicts_data_element', `data element ${element.id} is a date`));
    }
    if (field.enum !== undefined) {
      const allowed = new Set(element.values?.map((v) => v.code) ?? []);
      const outside = Array.isArray(field.enum) ? field.enum.filter((v) => !allowed.has(String(v))) : [field.enum];
      if (element.type !== 'code' || outside.length > 0) {
        errors.push(
          problem(
            `${at}.enum`,
            'contradicts_data_element',
            `values ${outside.join(', ')} are outside the value domain of ${element.id}`,
          ),
        );
      }
    }
  }
  for (const name of form.required ?? []) {
    if (!(name in form.properties))
      errors.push(problem('form.required', 'unknown_field', `required field ${name} is not in properties`));
  }
  return errors;
}

function fieldPatternErrors(form: FormSchema): FieldError[] {
  if (typeof form.properties !== 'object' || form.properties === null) return [];
  return Object.entries(form.properties).flatMap(([name, field]) => {
    const why = typeof field?.pattern === 'string' ? findPatternError(field.pattern) : undefined;
    return why
      ? [
          problem(
            `form.properties.${name}.pattern`,
            'invalid_pattern',
            `the pattern does not compile as RE2 (no backreferences or lookarounds): ${why}`,
          ),
        ]
      : [];
  });
}

/** Every problem with a bundle's items and their dependencies, including a cycle's path. */
export function checkBundle(bundle: Bundle, published: ReadonlyMap<string, MatterVersion>): FieldError[] {
  const errors: FieldError[] = [];
  const codes = bundle.items.map((i) => i.matterCode);
  errors.push(...duplicates(codes, 'items').map((e) => ({ ...e, field: e.field.replace(/\.code$/, '.matterCode') })));
  const inBundle = new Set(codes);
  bundle.items.forEach((item, i) => {
    if (!published.has(item.matterCode)) {
      errors.push(
        problem(`items.${i}.matterCode`, 'matter_not_published', `matter ${item.matterCode} has no published version`),
      );
    }
    item.dependsOn.forEach((dep, j) => {
      if (dep === item.matterCode)
        errors.push(problem(`items.${i}.dependsOn.${j}`, 'self_dependency', `matter ${dep} cannot depend on itself`));
      else if (!inBundle.has(dep))
        errors.push(
          problem(`items.${i}.dependsOn.${j}`, 'unknown_dependency', `matter ${dep} is not part of this bundle`),
        );
    });
  });
  const cycle = findCycle(bundle.items);
  if (cycle) errors.push(problem('items', 'dependency_cycle', `dependency cycle: ${cycle.join(' → ')}`));
  return errors;
}

/** A dependency cycle among the items, as the path that closes it, or undefined. */
export function findCycle(items: readonly BundleItem[]): string[] | undefined {
  const deps = new Map(items.map((i) => [i.matterCode, i.dependsOn.filter((d) => d !== i.matterCode)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (code: string): string[] | undefined => {
    if (state.get(code) === 'done') return undefined;
    if (state.get(code) === 'open') return [...stack.slice(stack.indexOf(code)), code];
    state.set(code, 'open');
    stack.push(code);
    for (const dep of deps.get(code) ?? []) {
      const found = deps.has(dep) ? visit(dep) : undefined;
      if (found) return found;
    }
    stack.pop();
    state.set(code, 'done');
    return undefined;
  };
  for (const code of deps.keys()) {
    const found = visit(code);
    if (found) return found;
  }
  return undefined;
}

/**
 * The bundle's one form (一表申请): each data element once, whichever matters ask for it, with
 * the strictest narrowing any of them applies; required when any matter requires it.
 */
export function mergeForms(
  matters: readonly MatterVersion[],
  elements: ReadonlyMap<string, DataElement>,
): { form: FormSchema; fields: MergedField[] } {
  const byElement = new Map<string, { schema: Record<string, unknown>; matters: string[]; required: boolean }>();
  for (const matter of matters) {
    const required = new Set(matter.form.required ?? []);
    for (const [name, field] of Object.entries(matter.form.properties)) {
      const id = field['x-data-element'];
      const element = elements.get(id);
      if (!element) continue;
      let entry = byElement.get(id);
      if (!entry) {
        entry = { schema: elementSchema(element), matters: [], required: false };
        byElement.set(id, entry);
      }
      entry.matters.push(matter.code);
      entry.required ||= required.has(name);
      narrow(entry.schema, field);
    }
  }
  const fields = [...byElement.entries()].map(([element, e]) => ({
    element,
    schema: e.schema,
    matters: e.matters,
    required: e.required,
  }));
  const properties: Record<string, FormSchema['properties'][string]> = {};
  for (const f of fields) properties[f.element] = { ...f.schema, 'x-data-element': f.element, 'x-matters': f.matters };
  const form: FormSchema = {
    type: 'object',
    properties,
    required: fields.filter((f) => f.required).map((f) => f.element),
    additionalProperties: false,
  };
  return { form, fields };
}

function narrow(schema: Record<string, unknown>, field: Record<string, unknown>): void {
  if (typeof field.maxLength === 'number')
    schema.maxLength = Math.min(field.maxLength, (schema.maxLength as number | undefined) ?? Infinity);
  if (Array.isArray(field.enum)) {
    const current = (schema.enum as unknown[] | undefined) ?? field.enum;
    schema.enum = current.filter((v) => field.enum instanceof Array && field.enum.includes(v));
  }
  for (const key of ['minimum', 'exclusiveMinimum'] as const) {
    if (typeof field[key] === 'number')
      schema[key] = Math.max(field[key] as number, (schema[key] as number | undefined) ?? -Infinity);
  }
  for (const key of ['maximum', 'exclusiveMaximum'] as const) {
    if (typeof field[key] === 'number')
      schema[key] = Math.min(field[key] as number, (schema[key] as number | undefined) ?? Infinity);
  }
}
