// Deadline arithmetic for department tasks, in working days (pure). The promise (承诺时限) is
// counted from the day a task starts, the start day not counted; a correction (补正) stops the
// clock — the legal deadline excludes the applicant's time — and the days left resume from the
// day the applicant answers.
import type { WorkingCalendar } from '@tongban/kernel';

/** Government offices count days in China Standard Time, whatever the server's zone. */
export const SERVICE_TIME_ZONE = 'Asia/Shanghai';

const dateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: SERVICE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date (YYYY-MM-DD) an instant falls on in the service time zone. */
export function serviceDate(instant: Date): string {
  return dateFormat.format(instant);
}

export interface Clock {
  readonly dueOn: string;
  /** The day the officer is warned: one working day before the due day (the due day itself for a same-day promise). */
  readonly warnOn: string;
}

export function startClock(calendar: WorkingCalendar, today: string, promisedDays: number): Clock {
  return {
    dueOn: calendar.addWorkingDays(today, promisedDays),
    warnOn: calendar.addWorkingDays(today, Math.max(0, promisedDays - 1)),
  };
}

/** Working days left on a clock that stops today (none when it is already overdue). */
export function pauseClock(calendar: WorkingCalendar, today: string, dueOn: string): number {
  return today >= dueOn ? 0 : calendar.workingDaysBetween(today, dueOn);
}

/** Restarts a paused clock with the days that were left. */
export function resumeClock(calendar: WorkingCalendar, today: string, remainingDays: number): Clock {
  return startClock(calendar, today, remainingDays);
}

export type DeadlineStatus = 'on_time' | 'due_soon' | 'overdue';

export function deadlineStatus(
  today: string,
  clock: { dueOn: string | null; warnOn: string | null },
): DeadlineStatus | undefined {
  if (!clock.dueOn) return undefined;
  if (today > clock.dueOn) return 'overdue';
  if (clock.warnOn && today >= clock.warnOn) return 'due_soon';
  return 'on_time';
}
