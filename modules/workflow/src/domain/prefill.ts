// Prefill with provenance (pure): the data hub's answer merged into an application's form, and the
// lock on what an authoritative registry verified (Myinfo's locked data items; FormSG's "verified
// prefill that respondents cannot edit"). The lock is by data element: a bundle's form, or a
// matter's with two keys bound to one element, has every key of a verified element locked.
import type { FieldError, Lang, Message } from '@tongban/kernel';
import type { PrefillValue, PrefillView } from '@tongban/contracts';

/** What an application keeps of a prefill (workflow.application.prefill, migration 0005). */
export interface StoredPrefill {
  /** When the hub was asked (ISO 8601). */
  readonly at: string;
  /** 'unavailable': the hub was absent or refused; the form was left as it was. */
  readonly status: 'filled' | 'unavailable';
  /** Why it was unavailable: the problem code (UPSTREAM_UNAVAILABLE, UPSTREAM_CONTRACT_BROKEN, the hub's own …). */
  readonly problem: string | null;
  readonly values: readonly StoredPrefillValue[];
  readonly consentNeeded: PrefillView['consentNeeded'];
  readonly missing: readonly string[];
}

export interface StoredPrefillValue extends PrefillValue {
  /** The form keys this value was put under. */
  readonly keys: readonly string[];
}

/** A form's data element per key (`x-data-element`), inverted: the keys of each element. */
export function keysByElement(properties: Readonly<Record<string, { 'x-data-element': string }>>) {
  const out = new Map<string, string[]>();
  for (const [key, field] of Object.entries(properties)) {
    const element = field['x-data-element'];
    out.set(element, [...(out.get(element) ?? []), key]);
  }
  return out;
}

const empty = (v: unknown) => v === undefined || v === null || v === '';

/**
 * The hub's answer merged into a form. A verified value replaces what the form held under each
 * key of its element (it will be locked); an unverified one only fills keys still empty. A value
 * the form would refuse (`accepts`: its schema and data element) is not filled but reported missing,
 * so the applicant types it. Values for elements the form does not bind are ignored.
 */
export function applyPrefill(
  form: Readonly<Record<string, unknown>>,
  view: PrefillView,
  keysOf: ReadonlyMap<string, readonly string[]>,
  accepts: (key: string, value: unknown) => boolean,
  at: string,
): { form: Record<string, unknown>; prefill: StoredPrefill } {
  const out: Record<string, unknown> = { ...form };
  const values: StoredPrefillValue[] = [];
  const missing = new Set(view.missing.filter((e) => keysOf.has(e)));
  // A verified value for an element wins over an unverified one, whichever the hub listed first.
  const ordered = [...view.values].sort((a, b) => Number(b.verified) - Number(a.verified));
  const seen = new Set<string>();
  for (const v of ordered) {
    const keys = keysOf.get(v.element);
    if (!keys || seen.has(v.element)) continue;
    seen.add(v.element);
    if (!keys.every((k) => accepts(k, v.value))) {
      missing.add(v.element);
      continue;
    }
    const filled = v.verified ? keys : keys.filter((k) => empty(out[k]));
    if (filled.length === 0) continue;
    for (const k of filled) out[k] = v.value;
    values.push({ element: v.element, keys: filled, value: v.value, source: v.source, verified: v.verified });
    missing.delete(v.element);
  }
  return {
    form: out,
    prefill: {
      at,
      status: 'filled',
      problem: null,
      values,
      consentNeeded: view.consentNeeded.filter((c) => keysOf.has(c.element)),
      missing: [...missing],
    },
  };
}

/** The hub could not be asked: the form as it was; what an earlier prefill verified stays locked. */
export function prefillUnavailable(previous: StoredPrefill | null, problem: string, at: string): StoredPrefill {
  return {
    at,
    status: 'unavailable',
    problem,
    values: previous?.values ?? [],
    consentNeeded: previous?.consentNeeded ?? [],
    missing: previous?.missing ?? [],
  };
}

const LOCKED: Message = {
  zh: '此项已由权威部门核验（{resource}），不能修改',
  en: 'was verified by an authoritative source ({resource}) and cannot be changed',
};

/** Equal as JSON values are (form values are strings, numbers, booleans or null). */
const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Every locked key whose value is no longer the verified one (removed counts as changed), as `form.<key>` errors. */
export function lockedChanges(
  form: Readonly<Record<string, unknown>>,
  prefill: StoredPrefill | null,
  lang: Lang = 'zh',
): FieldError[] {
  if (!prefill) return [];
  const errors: FieldError[] = [];
  for (const v of prefill.values) {
    if (!v.verified) continue;
    for (const key of v.keys) {
      if (same(form[key], v.value)) continue;
      errors.push({
        field: `form.${key}`,
        code: 'locked_value_changed',
        message: LOCKED[lang].replace('{resource}', v.source.resource),
      });
    }
  }
  return errors;
}

/** The verified values by data element: what 秒批 rules read as `verified`. */
export function verifiedOf(prefill: StoredPrefill | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of prefill?.values ?? []) if (v.verified) out[v.element] = v.value;
  return out;
}

/** Per form key: where its value came from and whether it is locked (the application view). */
export function prefillFields(prefill: StoredPrefill | null, only?: (key: string) => boolean) {
  const fields: Record<
    string,
    { element: string; source: PrefillValue['source']; verified: boolean; locked: boolean }
  > = {};
  for (const v of prefill?.values ?? [])
    for (const key of v.keys)
      if (!only || only(key))
        fields[key] = { element: v.element, source: v.source, verified: v.verified, locked: v.verified };
  return fields;
}
