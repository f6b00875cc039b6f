// How hard a configured token is to guess, estimated from what it is made of: the character
// classes it uses give the alphabet (lower 26, upper 26, digits 10, anything else 33), each
// character that is not a repeat or a step of a run (aaaa, 0123, zyx) adds log2(alphabet) bits,
// and a token that repeats a shorter block counts as that block. An estimate, not a measure: it
// can only flag tokens that are surely weak; a random one from `openssl rand -base64 32` has
// ~256 bits by it.

export const MIN_TOKEN_BITS = 128;

const CLASSES: readonly [RegExp, number, string][] = [
  [/[a-z]/, 26, 'lower-case letters'],
  [/[A-Z]/, 26, 'upper-case letters'],
  [/[0-9]/, 10, 'digits'],
  [/[^a-zA-Z0-9]/, 33, 'other characters'],
];

export interface TokenStrength {
  readonly bits: number;
  /** Characters that add nothing: repeats, steps of a run, or a repeated block. */
  readonly predictable: number;
  readonly classes: number;
}

/** The shortest block the token is a repetition of (the token itself when none). */
function period(token: string): string {
  for (let p = 1; p <= token.length / 2; p++) {
    if (token.length % p === 0 && token.slice(0, p).repeat(token.length / p) === token) return token.slice(0, p);
  }
  return token;
}

export function estimateTokenStrength(token: string): TokenStrength {
  const chars = Array.from(token);
  const alphabet = CLASSES.reduce((sum, [re, size]) => sum + (re.test(token) ? size : 0), 0);
  const classes = CLASSES.filter(([re]) => re.test(token)).length;
  const block = Array.from(period(token));
  let counted = 0;
  for (let i = 0; i < block.length; i++) {
    const c = block[i]!.codePointAt(0)!;
    const prev = i > 0 ? block[i - 1]!.codePointAt(0)! : undefined;
    const prev2 = i > 1 ? block[i - 2]!.codePointAt(0)! : undefined;
    const repeat = prev !== undefined && c === prev;
    const step = prev !== undefined && prev2 !== undefined && Math.abs(c - prev) === 1 && c - prev === prev - prev2;
    if (!repeat && !step) counted++;
  }
  return { bits: Math.floor(counted * Math.log2(Math.max(alphabet, 1))), predictable: chars.length - counted, classes };
}

/** What is wrong with a token meant to resist guessing, or undefined when it looks strong enough. */
export function tokenWeakness(token: string): string | undefined {
  const { bits, predictable, classes } = estimateTokenStrength(token);
  if (bits >= MIN_TOKEN_BITS) return undefined;
  const why: string[] = [];
  if (predictable > 0) why.push(`${predictable} of its ${Array.from(token).length} characters are repeats or runs`);
  if (classes < 3)
    why.push(
      `it uses only ${
        CLASSES.filter(([re]) => re.test(token))
          .map(([, , name]) => name)
          .join(' and ') || 'nothing'
      }`,
    );
  if (why.length === 0) why.push(`it is only ${Array.from(token).length} characters long`);
  return `about ${bits} bits of entropy where ${MIN_TOKEN_BITS} are needed (${why.join('; ')}); make one with \`openssl rand -base64 32\``;
}
