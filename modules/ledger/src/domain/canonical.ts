// JSON Canonicalization Scheme (RFC 8785): the one byte string an entry hashes to, whoever
// serialises it. Object members sorted by their names' UTF-16 code units; numbers in ECMAScript's
// shortest round-trip form (what JSON.stringify writes for a finite number); strings escaped as
// JSON.stringify does; no whitespace. Values JSON cannot carry (undefined, NaN, Infinity, BigInt,
// functions) are refused rather than silently changed.

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

export function canonicalize(value: unknown): string {
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`RFC 8785 has no form for ${value}`);
      return JSON.stringify(value); // -0 becomes 0, as RFC 8785 §3.2.2.3 says
    case 'string':
      return quote(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map((v) => canonicalize(v)).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        throw new TypeError(`RFC 8785 has no form for a ${proto?.constructor?.name ?? 'non-plain'} object`);
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      // Default sort compares UTF-16 code units: exactly RFC 8785 §3.2.3.
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${quote(k)}:${canonicalize(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`RFC 8785 has no form for a ${typeof value}`);
  }
}

/** RFC 8785 §3.2.2.2: strings as JSON.stringify writes them; a lone surrogate has no form (it is refused, as the RFC asks). */
function quote(text: string): string {
  if (!text.isWellFormed()) throw new TypeError('RFC 8785 has no form for a string with a lone surrogate');
  return JSON.stringify(text);
}
