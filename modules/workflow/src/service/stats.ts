// Statistics (统计): the operators' dashboard — volumes, open and overdue tasks, deadline
// compliance per department — and, for every citizen, how long a matter has actually taken.
import { CatalogApi, type MatterDurationView, type WorkflowStatsView } from '@tongban/contracts';
import { serviceDate } from '../domain/deadlines.ts';
import * as store from '../store/stats.ts';
import { typed } from '../store/tables.ts';
import type { Services } from './submit.ts';

const DAY_MS = 86_400_000;
/** The public figures cover the decisions of the last 90 days... */
export const DURATION_WINDOW_DAYS = 90;
/** ...and are given only over at least this many, so that no single case can be read off them. */
export const MIN_DECISIONS = 5;

export async function workflowStats(s: Services, days: number): Promise<WorkflowStatsView> {
  const db = typed(s.ctx.db);
  const now = s.engine.now();
  const today = serviceDate(now);
  const since = new Date(now.getTime() - days * DAY_MS);
  const [applications, submitted, departments] = await Promise.all([
    store.applicationsByStatus(db),
    store.submittedSince(db, since),
    store.tasksByDepartment(db, today, since),
  ]);
  return { days, today, submitted, applications, departments };
}

/**
 * The public figures are read on every service guide's visit and change slowly: each matter's are
 * kept for ten minutes, per running workflow (a bounded map: the oldest goes first).
 */
const KEEP_MS = 10 * 60_000;
const KEEP_MAX = 2_000;
const kept = new WeakMap<Services, Map<string, { at: number; value: Promise<MatterDurationView> }>>();

export function matterDurations(s: Services, matterCode: string): Promise<MatterDurationView> {
  let cache = kept.get(s);
  if (!cache) kept.set(s, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(matterCode);
  if (hit && now - hit.at < KEEP_MS) return hit.value;
  cache.delete(matterCode);
  if (cache.size >= KEEP_MAX) cache.delete(cache.keys().next().value!);
  const value = computeDurations(s, matterCode);
  cache.set(matterCode, { at: now, value });
  value.catch(() => cache.delete(matterCode));
  return value;
}

async function computeDurations(s: Services, matterCode: string): Promise<MatterDurationView> {
  const db = typed(s.ctx.db);
  const since = new Date(s.engine.now().getTime() - DURATION_WINDOW_DAYS * DAY_MS);
  const regions = await store.decidedRegions(db, matterCode, since);
  // The calendars are read before the query (the embedded database has one connection).
  const overrides = (await Promise.all(regions.map((region) => calendarOverrides(s, region)))).flat();
  const d = await store.decidedDurations(db, matterCode, since, overrides);
  const enough = d.count >= MIN_DECISIONS;
  return {
    matterCode,
    windowDays: DURATION_WINDOW_DAYS,
    count: enough ? d.count : null,
    medianDays: enough ? round(d.median) : null,
    p90Days: enough ? round(d.p90) : null,
  };
}

const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** A region's holidays and extra working days; none for a region without a calendar of its own. */
async function calendarOverrides(s: Services, region: string): Promise<store.CalendarOverride[]> {
  const calendar = await s.ctx.modules.call(CatalogApi.calendar, [region]).catch((error: unknown) => {
    if ((error as { problem?: { code?: string } }).problem?.code === 'CATALOG_CALENDAR_NOT_FOUND')
      return { holidays: [], workdays: [] };
    throw error;
  });
  return [
    ...calendar.holidays.map((day) => ({ region, day, workday: false })),
    ...calendar.workdays.map((day) => ({ region, day, workday: true })),
  ];
}
