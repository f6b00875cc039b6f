// When a failed webhook delivery is tried again: Standard Webhooks' / Svix's schedule, 8 attempts
// over about 25 hours, then a dead letter an operator can replay. Attempt n is the n-th failure.
//
//   after failure   1     2      3       4    5    6       7      8
//   wait            5 s   5 min  30 min  2 h  5 h  7.5 h   10 h   → dead letter
//
// Jitter is ±5 % of each wait (uniform from `random`), not full or equal jitter: full jitter could
// make the 10-hour wait 0 and equal jitter halves it, so the total would no longer be "about a day"
// (a department's nightly maintenance must not exhaust the attempts); ±5 % still spreads a burst of
// deliveries to a target that came back, and keeps every wait longer than the one before.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The waits before the 2nd … 8th attempt, without jitter. */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  7.5 * HOUR,
  10 * HOUR,
];
export const WEBHOOK_JITTER = 0.05;
/** Every attempt, the first included. */
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;

/** The wait after failure `attempt` (1 = after the first), or null when the delivery becomes a dead letter. */
export function nextAttemptDelayMs(attempt: number, random: () => number): number | null {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`attempt must be a positive integer, not ${attempt}`);
  const base = WEBHOOK_RETRY_DELAYS_MS[attempt - 1];
  if (base === undefined) return null;
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base * (1 + WEBHOOK_JITTER * (2 * r - 1)));
}
