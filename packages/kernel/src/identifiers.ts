// Check digits of the identifiers forms carry, pure and shared: the resident ID number
// (公民身份号码, GB 11643-1999) and the unified social credit code (统一社会信用代码,
// GB 32100-2015). Both detect any single changed character: their weights are never 0 modulo
// the (prime) modulus, and neither is the difference of two distinct characters.

// GB 11643-1999: weights 2^(17-i) mod 11; the weighted sum mod 11 indexes this string.
const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const RESIDENT_ID_CHECK = '10X98765432';

// GB 32100-2015: 31 symbols (no I, O, S, V, Z), weights 3^i mod 31, check = 31 − sum mod 31.
const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The 18th character of a resident ID number for its first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('a resident ID check character needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RESIDENT_ID_WEIGHTS[i]!;
  return RESIDENT_ID_CHECK[sum % 11]!;
}

/** True for a real calendar date (proleptic Gregorian), e.g. not 2026-02-30. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (
    !Number.isInteger(year) ||
    !Number.isInteger(month) ||
    !Number.isInteger(day) ||
    month < 1 ||
    month > 12 ||
    day < 1
  )
    return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year); // years 0–99 would otherwise be read as 1900–1999
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An ISO 8601 calendar date `YYYY-MM-DD` that exists. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * A well-formed GB 11643 number: 17 digits and a check character (a lower-case `x` accepted),
 * a real date of birth, and the right check character. Whether that date is in the future is
 * for the caller, who knows what day it is.
 */
export function isValidResidentId(id: string): boolean {
  const upper = id.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(upper)) return false;
  if (!isCalendarDate(Number(upper.slice(6, 10)), Number(upper.slice(10, 12)), Number(upper.slice(12, 14))))
    return false;
  return residentIdCheckChar(upper.slice(0, 17)) === upper[17];
}

/** The 18th character of a unified social credit code for its first 17. */
export function creditCodeCheckChar(first17: string): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{17}$/.test(first17))
    throw new RangeError('a credit code check character needs 17 characters of its alphabet');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i]!) * CREDIT_CODE_WEIGHTS[i]!;
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** A well-formed GB 32100 code: 18 characters of its alphabet ending in the right check character. */
export function isValidCreditCode(code: string): boolean {
  return /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code) && creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

export const IDENTIFIER_CHECKS = {
  gb11643: isValidResidentId,
  gb32100: isValidCreditCode,
} as const satisfies Record<string, (value: string) => boolean>;
export type IdentifierCheck = keyof typeof IDENTIFIER_CHECKS;
