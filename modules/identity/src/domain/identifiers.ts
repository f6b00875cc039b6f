// Identifiers people and organisations sign in with, and how they are shown masked: the resident
// ID number (居民身份证号码, GB 11643-1999), the unified social credit code (统一社会信用代码,
// GB 32100-2015) and mainland mobile numbers.

// GB 11643-1999 check character: weights 2^(17-i) mod 11, sum mod 11 indexes this string.
const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const RESIDENT_ID_CHECK = '10X98765432';
const RESIDENT_ID_SHAPE = /^\d{17}[\dX]$/;

// GB 32100-2015: 31 symbols (no I, O, S, V, Z), weights 3^i mod 31.
const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const CREDIT_CODE_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

// China keeps one time zone (UTC+8) without daylight saving, so "today" for a birth date is fixed.
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

export type Sex = 'male' | 'female';

export interface ResidentIdFacts {
  /** Administrative division code (GB/T 2260) of the place of first registration. */
  readonly regionCode: string;
  /** ISO 8601 calendar date, YYYY-MM-DD. */
  readonly birthDate: string;
  /** From the parity of the sequence number: odd is male. */
  readonly sex: Sex;
}

/** The 18th character of a resident ID number for its first 17 digits. Throws on anything else. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('a resident ID check character needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RESIDENT_ID_WEIGHTS[i]!;
  return RESIDENT_ID_CHECK[sum % 11]!;
}

/** Upper-cases a final `x` (people type it either way) and drops surrounding spaces. */
export function normaliseResidentId(id: string): string {
  return id.trim().toUpperCase();
}

/**
 * Region, birth date and sex of a valid resident ID number; undefined when the number is not
 * valid: wrong shape, not a real calendar date, born after `today` (in China's time zone), or a
 * wrong check character. A lower-case `x` check character is accepted.
 */
export function parseResidentId(id: string, today: Date = new Date()): ResidentIdFacts | undefined {
  const upper = id.toUpperCase();
  if (!RESIDENT_ID_SHAPE.test(upper)) return undefined;
  const [year, month, day] = [upper.slice(6, 10), upper.slice(10, 12), upper.slice(12, 14)];
  const birthDate = `${year}-${month}-${day}`;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return undefined;
  if (birthDate > chinaDate(today)) return undefined;
  if (residentIdCheckChar(upper.slice(0, 17)) !== upper[17]) return undefined;
  return { regionCode: upper.slice(0, 6), birthDate, sex: Number(upper.slice(14, 17)) % 2 === 1 ? 'male' : 'female' };
}

export function isValidResidentId(id: string, today: Date = new Date()): boolean {
  return parseResidentId(id, today) !== undefined;
}

/** The 18th character of a unified social credit code for its first 17 characters. Throws on anything else. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('a credit code check character needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17[i]!);
    if (value < 0) throw new RangeError(`'${first17[i]}' is not a credit code character`);
    sum += value * CREDIT_CODE_WEIGHTS[i]!;
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!; // c = 31 − (sum mod 31); 31 maps to 0
}

/** GB 32100-2015: 18 characters of the 31-symbol alphabet (upper case) with a correct check character. */
export function isValidCreditCode(code: string): boolean {
  return CREDIT_CODE_SHAPE.test(code) && creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

/** Mainland China mobile numbers: 11 digits, 1 then 3–9. */
export function isValidMobile(mobile: string): boolean {
  return /^1[3-9]\d{9}$/.test(mobile);
}

/** `110101********1234`: region and last four kept. Anything not 18 characters long is masked whole. */
export function maskResidentId(id: string): string {
  const chars = [...id];
  if (chars.length !== 18) return '*'.repeat(chars.length);
  return `${chars.slice(0, 6).join('')}${'*'.repeat(8)}${chars.slice(14).join('')}`;
}

/** `138****5678`. Anything not shaped like a mainland mobile number is masked whole. */
export function maskMobile(mobile: string): string {
  if (!isValidMobile(mobile)) return '*'.repeat([...mobile].length);
  return `${mobile.slice(0, 3)}****${mobile.slice(7)}`;
}

/**
 * `张*`, `张**`, `欧阳**`: the first character kept for names of up to three characters (the
 * surname), the first two for longer ones (most are compound surnames such as 欧阳). Counts
 * code points so a rare character outside the BMP (𠮷) is one character; a one-character name
 * is masked whole.
 */
export function maskName(name: string): string {
  const chars = [...name];
  const kept = chars.length <= 1 ? 0 : chars.length <= 3 ? 1 : 2;
  return chars.slice(0, kept).join('') + '*'.repeat(chars.length - kept);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years 0–99 as 1900–1999
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The GB/T 2260 region an account's identifier names: a resident ID's first six digits are the
 * place of household registration at issue (GB 11643), a credit code's characters 3–8 the
 * registering authority's division (GB 32100). Staff identifiers name none (undefined).
 */
export function regionOfIdentifier(kind: string, identifier: string): string | undefined {
  const region = kind === 'citizen' && RESIDENT_ID_SHAPE.test(identifier) ? identifier.slice(0, 6)
    : kind === 'business' && CREDIT_CODE_SHAPE.test(identifier) ? identifier.slice(2, 8) : undefined;
  return region !== undefined && /^\d{6}$/.test(region) ? region : undefined;
}
