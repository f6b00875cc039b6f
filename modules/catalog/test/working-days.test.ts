import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CalendarOverrides } from '../src/domain/model.ts';
import { WorkingCalendar, validateOverrides } from '../src/domain/working-days.ts';

// 国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025), mainland China.
const CHINA_2026: CalendarOverrides = {
  regionCode: '100000',
  holidays: [
    ...days('2026-01-01', 3), // 元旦
    ...days('2026-02-15', 9), // 春节
    ...days('2026-04-04', 3), // 清明节
    ...days('2026-05-01', 5), // 劳动节
    ...days('2026-06-19', 3), // 端午节
    ...days('2026-09-25', 3), // 中秋节
    ...days('2026-10-01', 7), // 国庆节
  ],
  workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};
const china2026 = new WorkingCalendar(CHINA_2026);
const plainWeek = new WorkingCalendar();

describe('working days in the 2026 mainland China calendar', () => {
  it('the day of acceptance is not counted', () => {
    assert.equal(china2026.addWorkingDays('2026-03-02', 1), '2026-03-03');
    assert.equal(china2026.addWorkingDays('2026-03-07', 1), '2026-03-09', 'accepted on a Saturday, day 1 is Monday');
  });

  it('zero working days after a date is that date, even a holiday', () => {
    assert.equal(china2026.addWorkingDays('2026-03-02', 0), '2026-03-02');
    assert.equal(china2026.addWorkingDays('2026-10-01', 0), '2026-10-01');
  });

  it('a deadline skips the Spring Festival holiday', () => {
    // 13 Feb (Fri) and the make-up Saturday 14 Feb, then 15–23 Feb off, then 24–26 Feb.
    assert.equal(china2026.addWorkingDays('2026-02-12', 5), '2026-02-26');
    assert.equal(china2026.workingDaysBetween('2026-02-12', '2026-02-26'), 5);
  });

  it('a public holiday on a weekday is not a working day', () => {
    assert.equal(china2026.isWorkingDay('2026-02-16'), false, 'Monday in 春节');
    assert.equal(china2026.isWorkingDay('2026-10-01'), false, 'Thursday, 国庆节');
    assert.equal(china2026.isWorkingDay('2026-03-02'), true, 'an ordinary Monday');
    assert.equal(china2026.workingDaysBetween('2026-09-30', '2026-10-01'), 0);
  });

  it('a make-up Saturday counts as a working day', () => {
    assert.equal(china2026.isWorkingDay('2026-02-14'), true);
    assert.equal(china2026.isWorkingDay('2026-03-07'), false, 'an ordinary Saturday');
    assert.equal(china2026.addWorkingDays('2026-02-13', 1), '2026-02-14');
    assert.equal(china2026.workingDaysBetween('2026-02-13', '2026-02-14'), 1);
    assert.equal(china2026.addWorkingDays('2026-09-30', 3), '2026-10-10', '8 Oct, 9 Oct, then make-up Saturday 10 Oct');
  });

  it('a make-up Sunday counts as a working day', () => {
    assert.equal(china2026.addWorkingDays('2025-12-31', 1), '2026-01-04', 'after 元旦 1–3 Jan');
    assert.equal(china2026.addWorkingDays('2026-09-18', 1), '2026-09-20');
  });

  it('a deadline accepted the day before National Day resumes after the Golden Week', () => {
    assert.equal(china2026.addWorkingDays('2026-09-30', 1), '2026-10-08');
    assert.equal(china2026.workingDaysBetween('2026-09-30', '2026-10-08'), 1);
  });

  it('a 20-working-day legal deadline spans Mid-Autumn and National Day', () => {
    // 22–24 Sep, 28–30 Sep, 8–10 Oct, 12–16 Oct, 19–23 Oct, 26 Oct: 3 + 3 + 3 + 5 + 5 + 1.
    assert.equal(china2026.addWorkingDays('2026-09-21', 20), '2026-10-26');
  });

  it('no working days have elapsed when the end is not after the start', () => {
    assert.equal(china2026.workingDaysBetween('2026-03-02', '2026-03-02'), 0);
    assert.equal(china2026.workingDaysBetween('2026-03-09', '2026-03-02'), 0);
  });

  it('a paused clock resumes on the next working day', () => {
    assert.equal(china2026.nextWorkingDay('2026-10-01'), '2026-10-08');
    assert.equal(china2026.nextWorkingDay('2026-02-15'), '2026-02-24', '23 Feb (Monday, 初七) is still a holiday');
    assert.equal(china2026.nextWorkingDay('2026-10-10'), '2026-10-10', 'a make-up Saturday is a working day');
    assert.equal(china2026.nextWorkingDay('2026-03-02'), '2026-03-02');
  });

  it('with no overrides a working week is Monday to Friday', () => {
    assert.equal(plainWeek.addWorkingDays('2026-03-06', 1), '2026-03-09', 'Friday to Monday');
    assert.equal(plainWeek.addWorkingDays('2026-03-07', 5), '2026-03-13', 'Saturday to Friday');
    assert.equal(plainWeek.workingDaysBetween('2026-03-01', '2026-03-31'), 22);
  });

  it('a daylight-saving change in the host time zone never shifts a day', () => {
    const saved = process.env.TZ;
    // Brazil started daylight saving at midnight on 4 Nov 2018: that local midnight never existed.
    process.env.TZ = 'America/Sao_Paulo';
    try {
      assert.equal(plainWeek.addWorkingDays('2018-11-02', 1), '2018-11-05');
      assert.equal(plainWeek.nextWorkingDay('2018-11-04'), '2018-11-05');
      assert.equal(plainWeek.workingDaysBetween('2018-11-02', '2018-11-09'), 5);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('invalid input', () => {
  it('a date that is not a real calendar date is a RangeError', () => {
    for (const bad of [
      '2026-02-30',
      '2025-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-2-3',
      '20260203',
      '2026-02-03T00:00',
      ' 2026-02-03',
      '',
    ]) {
      assert.throws(() => plainWeek.addWorkingDays(bad, 1), RangeError, bad);
      assert.throws(() => plainWeek.isWorkingDay(bad), RangeError, bad);
      assert.throws(() => plainWeek.nextWorkingDay(bad), RangeError, bad);
      assert.throws(() => plainWeek.workingDaysBetween('2026-01-01', bad), RangeError, bad);
      assert.throws(() => plainWeek.workingDaysBetween(bad, '2026-01-01'), RangeError, bad);
    }
    assert.equal(plainWeek.isWorkingDay('2024-02-29'), true, 'a leap day is real');
  });

  it('a negative or fractional number of working days is a RangeError', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      assert.throws(() => plainWeek.addWorkingDays('2026-03-02', bad), RangeError, String(bad));
    }
  });

  it('any string that is not YYYY-MM-DD is a RangeError', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)),
        (s) => {
          assert.throws(() => plainWeek.isWorkingDay(s), RangeError);
        },
      ),
    );
  });

  it('any negative or non-integer count is a RangeError', () => {
    const badCount = fc.oneof(
      fc.integer({ max: -1 }),
      fc.double().filter((x) => !Number.isInteger(x)),
    );
    fc.assert(
      fc.property(badCount, (n) => {
        assert.throws(() => plainWeek.addWorkingDays('2026-03-02', n), RangeError);
      }),
    );
  });
});

describe('validating calendar overrides', () => {
  it('the published 2026 calendar is valid', () => {
    assert.deepEqual(validateOverrides(CHINA_2026), []);
  });

  it('a make-up workday on a weekday is rejected', () => {
    const problems = validateOverrides({ holidays: [], workdays: ['2026-02-16'] });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /2026-02-16 is a Monday/);
  });

  it('a date listed as both holiday and workday is rejected', () => {
    const problems = validateOverrides({ holidays: ['2026-02-14'], workdays: ['2026-02-14'] });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /2026-02-14 is listed both as a holiday and as a make-up workday/);
  });

  it('a date that does not exist is rejected', () => {
    const problems = validateOverrides({ holidays: ['2026-02-30'], workdays: ['2026/02/14'] });
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /holidays\[0\]: "2026-02-30" is not a calendar date/);
    assert.match(problems[1]!, /workdays\[0\]: "2026\/02\/14" is not a calendar date/);
  });

  it('a calendar cannot be built from invalid overrides', () => {
    assert.throws(
      () => new WorkingCalendar({ holidays: [], workdays: ['2026-02-16'] }),
      (e: unknown) => e instanceof RangeError && /2026-02-16 is a Monday/.test(e.message),
    );
  });
});

// --- Properties over random calendars --------------------------------------------------------

const OVERRIDES_FROM = dayNumber('2024-01-01');
const OVERRIDES_SPAN = 5 * 366;

/** Holiday periods (of 1–9 days, like 春节) and make-up weekend days scattered over five years. */
const calendarArb: fc.Arbitrary<CalendarOverrides> = fc
  .record({
    periods: fc.array(fc.record({ start: fc.nat(OVERRIDES_SPAN), length: fc.integer({ min: 1, max: 9 }) }), {
      maxLength: 40,
    }),
    workdays: fc.array(fc.nat(OVERRIDES_SPAN), { maxLength: 40 }),
  })
  .map(({ periods, workdays }) => {
    const holidays = new Set(periods.flatMap(({ start, length }) => days(isoDate(OVERRIDES_FROM + start), length)));
    const makeUps = workdays.map((d) => isoDate(OVERRIDES_FROM + d)).filter((d) => isWeekend(d) && !holidays.has(d));
    return { regionCode: '000000', holidays: [...holidays], workdays: [...new Set(makeUps)] };
  });
/** Starts a little before, inside and after the span the overrides cover. */
const startArb = fc.integer({ min: OVERRIDES_FROM - 400, max: OVERRIDES_FROM + OVERRIDES_SPAN + 400 }).map(isoDate);
const countArb = fc.integer({ min: 0, max: 1500 });

describe('working-day arithmetic over random calendars', () => {
  it('random calendars are valid', () => {
    fc.assert(fc.property(calendarArb, (o) => validateOverrides(o).length === 0));
  });

  it('the n-th working day after a start is a working day after it', () => {
    fc.assert(
      fc.property(calendarArb, startArb, fc.integer({ min: 1, max: 1500 }), (o, s, n) => {
        const calendar = new WorkingCalendar(o);
        const due = calendar.addWorkingDays(s, n);
        assert.ok(due > s, `${due} is after ${s}`);
        assert.ok(calendar.isWorkingDay(due), `${due} is a working day`);
      }),
    );
  });

  it('counting the working days up to a deadline gives back n', () => {
    fc.assert(
      fc.property(calendarArb, startArb, countArb, (o, s, n) => {
        const calendar = new WorkingCalendar(o);
        assert.equal(calendar.workingDaysBetween(s, calendar.addWorkingDays(s, n)), n);
      }),
    );
  });

  it('adding a then b working days is adding a + b', () => {
    fc.assert(
      fc.property(calendarArb, startArb, countArb, countArb, (o, s, a, b) => {
        const calendar = new WorkingCalendar(o);
        assert.equal(calendar.addWorkingDays(calendar.addWorkingDays(s, a), b), calendar.addWorkingDays(s, a + b));
      }),
    );
  });

  it('a longer deadline ends strictly later', () => {
    fc.assert(
      fc.property(calendarArb, startArb, countArb, countArb, (o, s, x, y) => {
        fc.pre(x !== y);
        const [n, m] = x < y ? [x, y] : [y, x];
        const calendar = new WorkingCalendar(o);
        assert.ok(calendar.addWorkingDays(s, n) < calendar.addWorkingDays(s, m));
      }),
    );
  });

  it('with no overrides, 5 working days after a working day is 7 calendar days later', () => {
    fc.assert(
      fc.property(startArb, (s) => {
        fc.pre(!isWeekend(s));
        assert.equal(plainWeek.addWorkingDays(s, 5), isoDate(dayNumber(s) + 7));
      }),
    );
  });

  it('agrees with a naive day-by-day count', () => {
    fc.assert(
      fc.property(calendarArb, startArb, countArb, startArb, (o, s, n, other) => {
        const calendar = new WorkingCalendar(o);
        assert.equal(calendar.addWorkingDays(s, n), naiveAddWorkingDays(o, s, n));
        assert.equal(calendar.workingDaysBetween(s, other), naiveWorkingDaysBetween(o, s, other));
        assert.equal(calendar.nextWorkingDay(s), naiveNextWorkingDay(o, s));
        assert.equal(calendar.isWorkingDay(s), naiveIsWorkingDay(o, s));
      }),
    );
  });

  it('agrees with a naive count when the interval starts or ends on an override', () => {
    const withOverride = calendarArb.filter((o) => o.holidays.length + o.workdays.length > 0);
    fc.assert(
      fc.property(withOverride, fc.nat(), startArb, (o, i, other) => {
        const overrides = [...o.holidays, ...o.workdays];
        const date = overrides[i % overrides.length]!;
        const calendar = new WorkingCalendar(o);
        assert.equal(calendar.workingDaysBetween(other, date), naiveWorkingDaysBetween(o, other, date));
        assert.equal(calendar.workingDaysBetween(date, other), naiveWorkingDaysBetween(o, date, other));
      }),
    );
  });

  it('stays fast for long deadlines', () => {
    const calendar = new WorkingCalendar(CHINA_2026);
    const started = performance.now();
    for (let i = 0; i < 1000; i++) calendar.addWorkingDays('2025-06-01', 5000);
    assert.ok(performance.now() - started < 1000, 'a thousand 5000-day deadlines in under a second');
    assert.equal(calendar.addWorkingDays('2025-06-01', 5000), naiveAddWorkingDays(CHINA_2026, '2025-06-01', 5000));
  });
});

// --- A reference written independently of the implementation: one day at a time. ---------------

function naiveIsWorkingDay(o: CalendarOverrides, date: string): boolean {
  if (o.workdays.includes(date)) return true;
  return !isWeekend(date) && !o.holidays.includes(date);
}

function naiveAddWorkingDays(o: CalendarOverrides, start: string, n: number): string {
  let date = start;
  for (let left = n; left > 0;) {
    date = isoDate(dayNumber(date) + 1);
    if (naiveIsWorkingDay(o, date)) left -= 1;
  }
  return date;
}

function naiveWorkingDaysBetween(o: CalendarOverrides, from: string, to: string): number {
  let count = 0;
  for (let d = dayNumber(from) + 1; d <= dayNumber(to); d++) if (naiveIsWorkingDay(o, isoDate(d))) count += 1;
  return count;
}

function naiveNextWorkingDay(o: CalendarOverrides, date: string): string {
  let d = dayNumber(date);
  while (!naiveIsWorkingDay(o, isoDate(d))) d += 1;
  return isoDate(d);
}

// --- Small date helpers for building fixtures (UTC, years 1970–9999). ----------------------------

function dayNumber(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
}

function isoDate(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function isWeekend(iso: string): boolean {
  const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** `length` consecutive dates from `first`. */
function days(first: string, length: number): string[] {
  return Array.from({ length }, (_, i) => isoDate(dayNumber(first) + i));
}
