// Working days (工作日) between today and a due day, on a region's calendar (public holidays and
// make-up working days, catalog/calendars/:region). Pure: no DOM, no React.

export interface Calendar {
  holidays: readonly string[];
  workdays: readonly string[];
}

/** Today in China Standard Time, as the workflow dates its deadlines (YYYY-MM-DD). */
export function serviceToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

const next = (day: string, by: number): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + by);
  return d.toISOString().slice(0, 10);
};

export function isWorkingDay(day: string, calendar: Calendar): boolean {
  if (calendar.workdays.includes(day)) return true;
  if (calendar.holidays.includes(day)) return false;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * Working days from today to the due day: 0 when it is due today, positive while there is time
 * (the working days after today up to and including the due day), negative when overdue (the
 * working days since the due day up to and including today).
 */
export function workingDaysLeft(today: string, dueOn: string, calendar: Calendar): number {
  if (dueOn === today) return 0;
  const forward = dueOn > today;
  let count = 0;
  // A year of days at most: a due day further off is counted as far as that.
  for (let day = next(today, forward ? 1 : -1), i = 0; i < 400; i++, day = next(day, forward ? 1 : -1)) {
    if (forward ? day > dueOn : day < dueOn) break;
    if (forward ? isWorkingDay(day, calendar) : day !== dueOn && isWorkingDay(day, calendar)) count++;
  }
  // Overdue: counted back from today, today included when it is a working day.
  if (!forward) return -(count + (isWorkingDay(today, calendar) ? 1 : 0)) || -1;
  return count;
}
