// STUB by notify-core: the integrator keeps notify-channels' version of this file.
const SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

export function nextAttemptDelayMs(attempt: number, random: () => number): number | null {
  const base = SCHEDULE_MS[attempt - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.5 + random()));
}
