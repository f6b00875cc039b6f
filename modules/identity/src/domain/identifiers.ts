// Identifiers people and organisations sign in with, and how they are shown masked: the resident
// ID number (居民身份证号码, GB 11643-1999), the unified social credit code (统一社会信用代码,
// GB 32100-2015) and mainland mobile numbers. The check characters are the kernel's (shared with
// the forms' checks); what is identity's own is reading an ID (region, birth date not in the
// future, sex), the region of an account's identifier, masks and the mobile check.
import { isCalendarDate, residentIdCheckChar } from '@tongban/kernel';

// Re-exported for the tests and the bench outside this module that import them from here.
export { creditCodeCheckChar, residentIdCheckChar } from '@tongban/kernel';

const RESIDENT_ID_SHAPE = /^\d{17}[\dX]$/;
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

function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The GB/T 2260 region an account's identifier names: a resident ID's first six digits are the
 * place of household registration at issue (GB 11643), a credit code's characters 3–8 the
 * registering authority's division (GB 32100). Staff identifiers name none (undefined).
 */
export function regionOfIdentifier(kind: string, identifier: string): string | undefined {
  const region =
    kind === 'citizen' && RESIDENT_ID_SHAPE.test(identifier)
      ? identifier.slice(0, 6)
      : kind === 'business' && CREDIT_CODE_SHAPE.test(identifier)
        ? identifier.slice(2, 8)
        : undefined;
  return region !== undefined && /^\d{6}$/.test(region) ? region : undefined;
}
