// 数据清洗: the rules a source's raw text goes through before a row is stored, as typed
// configuration — per information item an ordered list of steps. A config naming a step or an
// item the resource does not have is refused when it is loaded, not on the millionth row. A row
// failing a step is rejected with the item and a stable reason code; nothing is silently
// dropped or guessed.
import { isCalendarDate, isValidCreditCode, isValidResidentId } from '@tongban/kernel';
import type { ResourceDefinition } from './resource.ts';

export const STEP_NAMES = [
  'trim',
  'halfWidth',
  'upper',
  'date',
  'codeList',
  'checkDigit',
  'integer',
  'number',
  'required',
] as const;
export type StepName = (typeof STEP_NAMES)[number];

export type CleaningStep =
  /** Leading and trailing white space (incl. the ideographic space U+3000) removed. */
  | { readonly step: 'trim' }
  /** 全角转半角: U+FF01–U+FF5E to ASCII, U+3000 to a space. */
  | { readonly step: 'halfWidth' }
  | { readonly step: 'upper' }
  /** 2026/1/5, 2026-1-5, 2026.1.5, 2026年1月5日, 20260105 → 2026-01-05; a date that does not exist is rejected. */
  | { readonly step: 'date' }
  /** Code-list mapping (代码映射): a value not in the map is rejected. */
  | { readonly step: 'codeList'; readonly map: Readonly<Record<string, string>> }
  /** GB 11643 (resident ID) or GB 32100 (unified social credit code) check character. */
  | { readonly step: 'checkDigit'; readonly scheme: 'gb11643' | 'gb32100' }
  | { readonly step: 'integer' }
  | { readonly step: 'number' }
  /** An empty value is rejected (otherwise an empty value is stored as null and skips later steps). */
  | { readonly step: 'required' };

/** Which of two rows with the same key within one import is kept; the other is a report line. */
export type DedupePolicy = 'last' | 'first';

export interface CleaningConfig {
  readonly resource: string;
  readonly dedupe?: DedupePolicy;
  readonly items: Readonly<Record<string, readonly CleaningStep[]>>;
}

export interface CleaningRules {
  readonly resource: string;
  readonly dedupe: DedupePolicy;
  readonly keyItem: string;
  readonly items: ReadonlyMap<string, readonly CleaningStep[]>;
}

export const REJECT_CODES = [
  'REQUIRED',
  'BAD_DATE',
  'NO_SUCH_DATE',
  'NOT_IN_CODE_LIST',
  'BAD_CHECK_DIGIT',
  'NOT_AN_INTEGER',
  'NOT_A_NUMBER',
  'NOT_A_SCALAR',
  'NO_KEY',
] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

export interface Rejection {
  readonly item: string;
  readonly code: RejectCode;
  readonly value: string;
}

const REASON: Record<RejectCode, { zh: string; en: string }> = {
  REQUIRED: { zh: '必填项为空', en: 'is required' },
  BAD_DATE: { zh: '不是可识别的日期', en: 'is not a date in a known format' },
  NO_SUCH_DATE: { zh: '日期不存在', en: 'is a date that does not exist' },
  NOT_IN_CODE_LIST: { zh: '不在代码表中', en: 'is not in the code list' },
  BAD_CHECK_DIGIT: { zh: '校验位错误', en: 'fails its check digit' },
  NOT_AN_INTEGER: { zh: '不是整数', en: 'is not an integer' },
  NOT_A_NUMBER: { zh: '不是数字', en: 'is not a number' },
  NOT_A_SCALAR: { zh: '不是单个值', en: 'is not a single value' },
  NO_KEY: { zh: '缺少主键', en: 'is the key and is empty' },
};

/** `gender 不在代码表中 / is not in the code list: "X"` (personal values are not echoed, only their length). */
export function describeRejection(r: Rejection, personal: boolean): string {
  const shown = personal ? `(${[...r.value].length} chars)` : JSON.stringify(r.value.slice(0, 40));
  return `${r.item} ${REASON[r.code].zh} / ${REASON[r.code].en}: ${shown}`;
}

export class CleaningConfigError extends Error {
  override readonly name = 'CleaningConfigError';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a config (parsed JSON or a literal) against the resource; refuses unknown steps and items. */
export function loadCleaning(resource: ResourceDefinition, raw: unknown): CleaningRules {
  if (!isRecord(raw)) throw new CleaningConfigError('a cleaning config is an object { resource, dedupe?, items }');
  const problems: string[] = [];
  if (raw.resource !== resource.code)
    problems.push(`config is for resource '${String(raw.resource)}', not '${resource.code}'`);
  const dedupe = raw.dedupe ?? 'last';
  if (dedupe !== 'last' && dedupe !== 'first')
    problems.push(`dedupe must be 'last' or 'first', not '${String(dedupe)}'`);
  const known = new Set(resource.items.map((i) => i.key));
  const items = new Map<string, CleaningStep[]>();
  if (!isRecord(raw.items)) problems.push('items must be an object of item → steps');
  else
    for (const [key, steps] of Object.entries(raw.items)) {
      if (!known.has(key)) {
        problems.push(`unknown item '${key}' (resource ${resource.code} has ${[...known].join(', ')})`);
        continue;
      }
      if (!Array.isArray(steps)) {
        problems.push(`${key}: steps must be a list`);
        continue;
      }
      const checked: CleaningStep[] = [];
      steps.forEach((s: unknown, i) => {
        const at = `${key}[${i}]`;
        const step = typeof s === 'string' ? { step: s } : s;
        if (
          !isRecord(step) ||
          typeof step.step !== 'string' ||
          !(STEP_NAMES as readonly string[]).includes(step.step)
        ) {
          problems.push(
            `${at}: unknown step ${JSON.stringify(isRecord(step) ? step.step : s)} (known: ${STEP_NAMES.join(', ')})`,
          );
          return;
        }
        if (step.step === 'codeList') {
          const map = step.map;
          if (!isRecord(map) || Object.values(map).some((v) => typeof v !== 'string') || Object.keys(map).length === 0)
            problems.push(`${at}: codeList needs a non-empty map of strings`);
          else checked.push({ step: 'codeList', map: map as Record<string, string> });
        } else if (step.step === 'checkDigit') {
          if (step.scheme !== 'gb11643' && step.scheme !== 'gb32100')
            problems.push(`${at}: checkDigit needs scheme 'gb11643' or 'gb32100'`);
          else checked.push({ step: 'checkDigit', scheme: step.scheme });
        } else checked.push({ step: step.step as Exclude<StepName, 'codeList' | 'checkDigit'> });
      });
      items.set(key, checked);
    }
  if (problems.length > 0) throw new CleaningConfigError(`cleaning config refused: ${problems.join('; ')}`);
  return { resource: resource.code, dedupe: dedupe as DedupePolicy, keyItem: resource.keyItem, items };
}

/** 男/女, M/F, male/female, 1/2 → GB/T 2261.1 codes 1/2 (0 unknown, 9 unspecified). */
export const GENDER_CODES: Readonly<Record<string, string>> = {
  男: '1',
  女: '2',
  M: '1',
  F: '2',
  MALE: '1',
  FEMALE: '2',
  '1': '1',
  '2': '2',
  '0': '0',
  '9': '9',
};

/** The rules a resource gets without a config of its own: from its items' types and checks. */
export function defaultCleaning(resource: ResourceDefinition): CleaningRules {
  const items: Record<string, CleaningStep[]> = {};
  for (const item of resource.items) {
    const steps: CleaningStep[] = [{ step: 'trim' }, { step: 'halfWidth' }];
    if (item.key === resource.keyItem) steps.push({ step: 'required' });
    if (item.check) steps.push({ step: 'upper' }, { step: 'checkDigit', scheme: item.check });
    if (item.type === 'date') steps.push({ step: 'date' });
    if (item.type === 'integer') steps.push({ step: 'integer' });
    if (item.type === 'number') steps.push({ step: 'number' });
    if (item.type === 'code' && /gender/i.test(item.key))
      steps.push({ step: 'upper' }, { step: 'codeList', map: GENDER_CODES });
    items[item.key] = steps;
  }
  return loadCleaning(resource, { resource: resource.code, dedupe: 'last', items });
}

/** 全角转半角: the full-width ASCII block and the ideographic space. */
export function toHalfWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x3000) out += ' ';
    else if (c >= 0xff01 && c <= 0xff5e) out += String.fromCodePoint(c - 0xfee0);
    else out += ch;
  }
  return out;
}

const DATE_FORMS = [
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
] as const;

/** A date in one of the forms registries write, as YYYY-MM-DD; a form not known or a day that does not exist is a code. */
export function normalizeDate(s: string): string | 'BAD_DATE' | 'NO_SUCH_DATE' {
  for (const form of DATE_FORMS) {
    const m = form.exec(s);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!isCalendarDate(y, mo, d)) return 'NO_SUCH_DATE';
    return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  return 'BAD_DATE';
}

const TRIM = /^[\s\u3000]+|[\s\u3000]+$/g;

type StepResult = { ok: true; value: string | number } | { ok: false; code: RejectCode };

function applyStep(step: CleaningStep, value: string | number): StepResult {
  const s = String(value);
  switch (step.step) {
    case 'trim':
      return { ok: true, value: s.replace(TRIM, '') };
    case 'halfWidth':
      return { ok: true, value: toHalfWidth(s) };
    case 'upper':
      return { ok: true, value: s.toUpperCase() };
    case 'date': {
      const d = normalizeDate(s);
      return d === 'BAD_DATE' || d === 'NO_SUCH_DATE' ? { ok: false, code: d } : { ok: true, value: d };
    }
    case 'codeList': {
      const mapped = Object.hasOwn(step.map, s) ? step.map[s] : undefined;
      return mapped === undefined ? { ok: false, code: 'NOT_IN_CODE_LIST' } : { ok: true, value: mapped };
    }
    case 'checkDigit': {
      const valid = step.scheme === 'gb11643' ? isValidResidentId(s) : isValidCreditCode(s);
      return valid ? { ok: true, value: s.toUpperCase() } : { ok: false, code: 'BAD_CHECK_DIGIT' };
    }
    case 'integer':
      return /^[+-]?\d{1,15}$/.test(s) ? { ok: true, value: Number(s) } : { ok: false, code: 'NOT_AN_INTEGER' };
    case 'number':
      return /^[+-]?(\d{1,15}(\.\d*)?|\.\d+)$/.test(s)
        ? { ok: true, value: Number(s) }
        : { ok: false, code: 'NOT_A_NUMBER' };
    case 'required':
      return s === '' ? { ok: false, code: 'REQUIRED' } : { ok: true, value: s };
  }
}

export type RawValue = string | number | boolean | null | undefined | object;

export type CleanResult =
  | { readonly ok: true; readonly key: string; readonly values: Record<string, string | number | null> }
  | { readonly ok: false; readonly rejection: Rejection };

/** Cleans one raw row (item → raw value). An empty value is null and skips the item's later steps, unless `required`. */
export function cleanRow(rules: CleaningRules, raw: Readonly<Record<string, RawValue>>): CleanResult {
  const values: Record<string, string | number | null> = {};
  for (const [item, steps] of rules.items) {
    const input = raw[item];
    if (input !== null && input !== undefined && typeof input === 'object')
      return { ok: false, rejection: { item, code: 'NOT_A_SCALAR', value: JSON.stringify(input) } };
    let value: string | number =
      input === null || input === undefined ? '' : typeof input === 'number' ? input : String(input);
    let empty = false;
    for (const step of steps) {
      if (value === '' && step.step !== 'required') {
        empty = true;
        continue;
      }
      const r = applyStep(step, value);
      if (!r.ok) return { ok: false, rejection: { item, code: r.code, value: String(input ?? '') } };
      value = r.value;
    }
    values[item] = empty || value === '' ? null : value;
  }
  const key = values[rules.keyItem];
  if (key === null || key === undefined || key === '')
    return { ok: false, rejection: { item: rules.keyItem, code: 'NO_KEY', value: '' } };
  return { ok: true, key: String(key).toUpperCase(), values };
}

/**
 * De-duplication by key within one import. `last` (the default): a later row replaces the
 * earlier one — a registry's extract lists changes in order — and the later row's report line
 * names the row it superseded; `first`: the later row is dropped, with a line naming the row kept.
 */
export class KeyTracker {
  readonly #seen = new Map<string, number>();
  readonly policy: DedupePolicy;
  constructor(policy: DedupePolicy) {
    this.policy = policy;
  }
  /** `keep`: store this row; `earlier`: the row number it duplicates, if any. */
  see(key: string, row: number): { keep: boolean; earlier?: number } {
    const earlier = this.#seen.get(key);
    if (earlier === undefined) {
      this.#seen.set(key, row);
      return { keep: true };
    }
    if (this.policy === 'last') {
      this.#seen.set(key, row);
      return { keep: true, earlier };
    }
    return { keep: false, earlier };
  }
}
