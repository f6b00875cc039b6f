// Working-day (工作日) arithmetic for legal and promised deadlines (法定时限, 承诺时限).
//
// A working day is Monday–Friday, unless the region's calendar lists it as a public holiday
// (法定节假日), plus any weekend day listed as a make-up working day (调休上班).
//
// Dates are ISO calendar dates (YYYY-MM-DD) with no time zone. Internally each date is a day
// number (days since 1970-01-01, counted in UTC), so neither the host time zone nor a
// daylight-saving change can ever move a deadline by a day.

// Shared by the catalog (which keeps the calendars and answers deadline questions) and the
// workflow (which counts each task's deadline, and pauses it during 补正).

/** The days of one region's calendar that differ from the plain Monday–Friday week. */
export interface Overrides {
  /** ISO dates (YYYY-MM-DD) that are public holidays (法定节假日), weekdays included. */
  readonly holidays: readonly string[];
  /** ISO dates on a weekend that are working days (调休上班). */
  readonly workdays: readonly string[];
}

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export class WorkingCalendar {
  readonly #holidays: ReadonlySet<number>;
  readonly #workdays: ReadonlySet<number>;
  /** Sorted days whose status differs from the plain Monday–Friday week; everything between them is regular. */
  readonly #exceptions: readonly number[];

  /** Throws a RangeError listing every problem `validateOverrides` finds. */
  constructor(overrides: Overrides = { holidays: [], workdays: [] }) {
    const problems = validateOverrides(overrides);
    if (problems.length > 0) throw new RangeError(`Invalid calendar overrides: ${problems.join('; ')}`);
    this.#holidays = new Set(overrides.holidays.map(toDay));
    this.#workdays = new Set(overrides.workdays.map(toDay));
    this.#exceptions = [
      ...[...this.#holidays].filter(isWeekday),
      ...this.#workdays, // validated to be weekend days
    ].sort((a, b) => a - b);
  }

  isWorkingDay(date: string): boolean {
    return this.#isWorking(toDay(date));
  }

  /**
   * The n-th working day after `start`. The day of acceptance is not counted (受理之日起 N 个工作日
   * counts from the next day), so n = 0 is `start` itself, working day or not.
   */
  addWorkingDays(start: string, n: number): string {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`A number of working days must be a non-negative integer, got ${n}`);
    }
    let day = toDay(start);
    let remaining = n;
    while (remaining > 0) {
      // Any 7 consecutive regular days hold exactly 5 working days, so whole weeks that contain
      // no exception can be skipped, as long as at least one working day remains after them.
      const weeks = Math.min(
        Math.floor((remaining - 1) / 5),
        Math.floor((this.#nextExceptionAfter(day) - 1 - day) / 7),
      );
      if (weeks > 0) {
        day += 7 * weeks;
        remaining -= 5 * weeks;
      } else {
        day += 1;
        if (this.#isWorking(day)) remaining -= 1;
      }
    }
    return toIso(day);
  }

  /** The number of working days in (from, to]: what has elapsed of a deadline counted from `from`. */
  workingDaysBetween(from: string, to: string): number {
    const a = toDay(from);
    const b = toDay(to);
    if (b <= a) return 0;
    let count = weekdaysThrough(b) - weekdaysThrough(a);
    for (let i = lowerBound(this.#exceptions, a + 1); i < this.#exceptions.length; i++) {
      const day = this.#exceptions[i]!;
      if (day > b) break;
      count += isWeekday(day) ? -1 : 1;
    }
    return count;
  }

  /** The first working day on or after `date`: where a paused deadline clock resumes. */
  nextWorkingDay(date: string): string {
    let day = toDay(date);
    while (!this.#isWorking(day)) day += 1;
    return toIso(day);
  }

  #isWorking(day: number): boolean {
    if (this.#workdays.has(day)) return true;
    return isWeekday(day) && !this.#holidays.has(day);
  }

  #nextExceptionAfter(day: number): number {
    return this.#exceptions[lowerBound(this.#exceptions, day + 1)] ?? Number.POSITIVE_INFINITY;
  }
}

/**
 * Problems with a calendar, in words an editor can act on; empty when it is usable. Holidays may
 * fall on weekends (a holiday period is usually listed whole), but a make-up workday on a weekday
 * or a date that is both holiday and workday means the calendar was entered wrong.
 */
export function validateOverrides(overrides: Overrides): string[] {
  const problems: string[] = [];
  const holidays = new Set<string>();
  for (const [i, date] of overrides.holidays.entries()) {
    if (findDay(date) === undefined)
      problems.push(`holidays[${i}]: ${JSON.stringify(date)} is not a calendar date (YYYY-MM-DD)`);
    else holidays.add(date);
  }
  for (const [i, date] of overrides.workdays.entries()) {
    const day = findDay(date);
    if (day === undefined) {
      problems.push(`workdays[${i}]: ${JSON.stringify(date)} is not a calendar date (YYYY-MM-DD)`);
      continue;
    }
    if (isWeekday(day)) {
      problems.push(
        `workdays[${i}]: ${date} is a ${WEEKDAY_NAMES[weekdayOf(day)]}; a make-up workday (调休上班) must fall on a weekend`,
      );
    }
    if (holidays.has(date)) problems.push(`${date} is listed both as a holiday and as a make-up workday`);
  }
  return problems;
}

function findDay(date: unknown): number | undefined {
  const match = typeof date === 'string' ? ISO_DATE.exec(date) : null;
  if (!match) return undefined;
  const [year, month, dayOfMonth] = match.slice(1).map(Number) as [number, number, number];
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, dayOfMonth); // not Date.UTC, which maps years 0–99 to 1900–1999
  // Date rolls 2026-02-30 over to March; a real date survives the round trip.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== dayOfMonth) return undefined;
  return d.getTime() / MS_PER_DAY;
}

function toDay(date: string): number {
  const day = findDay(date);
  if (day === undefined) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return day;
}

function toIso(day: number): string {
  const d = new Date(day * MS_PER_DAY);
  const year = d.getUTCFullYear();
  if (year > 9999) throw new RangeError('Date is beyond the year 9999');
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function isWeekday(day: number): boolean {
  const w = weekdayOf(day);
  return w !== 0 && w !== 6;
}

/** Mondays–Fridays up to and including `day`, from an arbitrary origin: only differences mean anything. */
function weekdaysThrough(day: number): number {
  const sinceMonday = day - 4; // day 4 (1970-01-05) was a Monday
  const weeks = Math.floor(sinceMonday / 7);
  return 5 * weeks + Math.min(sinceMonday - 7 * weeks + 1, 5);
}

/** The index of the first element ≥ value in a sorted array. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
