// Patterns that come from data — a data element's `pattern`, a form field's — are run against
// citizens' input. A backtracking engine lets one pattern such as `^(a|a)*$` hold the whole
// process for seconds on thirty characters (ReDoS), so every such pattern is compiled with RE2
// (re2js), which matches in time linear in the input and refuses what it cannot do that way
// (backreferences, lookarounds). Schemas written in code (TypeBox routes) keep the JS engine.
import { RE2JS } from 're2js';

/** A data pattern (ECMA-262 syntax, as JSON Schema's `pattern`) compiled by RE2; throws on what RE2 refuses. */
export function compileDataPattern(pattern: string): RE2JS {
  // translateRegExp reads JS escapes RE2 spells otherwise (\u4e00 → \x{4e00}, (?<n>) → (?P<n>)).
  return RE2JS.compile(RE2JS.translateRegExp(pattern));
}

/** Why RE2 refuses the pattern, or undefined when it compiles. */
export function findPatternError(pattern: string): string | undefined {
  try {
    compileDataPattern(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Ajv's `code.regExp` engine: `pattern` and `patternProperties` of data-defined schemas match
 * with RE2. Ajv keys compiled patterns by `toString()`, so it names the pattern.
 */
export const re2RegExp = Object.assign(
  (pattern: string) => {
    const re = compileDataPattern(pattern);
    return { test: (s: string) => re.test(s), toString: () => `/${pattern}/` };
  },
  { code: 'compileDataPattern' },
);
