// Working hours in the platform's time zone (Asia/Shanghai by default). Weekends are off; public
// holidays (and the make-up working days of 调休) are not modelled: a privileged action on a holiday
// raises an alert a security operator closes as benign, which is the safe side to err on.

export interface WorkingHours {
  /** IANA zone name. */
  readonly timeZone: string;
  /** ISO weekdays that are working days: 1 Monday … 7 Sunday. */
  readonly days: readonly number[];
  /** Minutes after local midnight: start inclusive, end exclusive. */
  readonly startMinute: number;
  readonly endMinute: number;
}

const WEEKDAYS: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether the zone is one this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local ISO weekday and minute of the day of an instant. */
export function localTime(ms: number, timeZone: string): { weekday: number; minute: number } {
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? 0;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { weekday, minute: hour * 60 + minute };
}

export function isWorkingTime(hours: WorkingHours, ms: number): boolean {
  const { weekday, minute } = localTime(ms, hours.timeZone);
  return hours.days.includes(weekday) && minute >= hours.startMinute && minute < hours.endMinute;
}

/** `08:30` → 510. */
export function parseClock(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text) ?? (text === '24:00' ? ['', '24', '00'] : null);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}
