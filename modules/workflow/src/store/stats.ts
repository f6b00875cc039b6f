// The statistics' queries (service/stats.ts): counted by the database, one statement each, so that
// the dashboard costs the same with a thousand tasks or a million. Days are China Standard Time.
import { sql } from 'kysely';
import { SERVICE_TIME_ZONE } from '../domain/deadlines.ts';
import type { WorkflowDb } from './tables.ts';

/** Tasks not yet decided (a paused one, 补正, is open too). */
const OPEN = ['waiting', 'awaiting_payment', 'submitted', 'accepted', 'reviewed', 'correction'] as const;
/** Tasks whose clock runs: the only ones that can be overdue (as the deadline sweep counts them). */
const RUNNING = ['submitted', 'accepted', 'reviewed'] as const;
/** Tasks decided by their department. */
export const DECIDED = ['approved', 'rejected'] as const;

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql.lit(v)),
    sql`, `,
  );
/** The calendar day (China Standard Time) an instant column falls on. */
const day = (column: string) => sql`(${sql.ref(column)} at time zone ${sql.lit(SERVICE_TIME_ZONE)})::date`;

export async function applicationsByStatus(db: WorkflowDb): Promise<{ status: string; count: number }[]> {
  const rows = await db
    .selectFrom('workflow.application')
    .select(['status', sql<string>`count(*)`.as('count')])
    .where('status', '<>', 'draft')
    .groupBy('status')
    .orderBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status, count: Number(r.count) }));
}

export async function submittedSince(db: WorkflowDb, since: Date): Promise<number> {
  const row = await db
    .selectFrom('workflow.application')
    .select(sql<string>`count(*)`.as('count'))
    .where('submitted_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface DepartmentCounts {
  departmentCode: string;
  open: number;
  overdue: number;
  completedInTime: number;
  completedLate: number;
}

/** Per department: open and overdue tasks now, and decisions since `since`, by their due day. */
export async function tasksByDepartment(db: WorkflowDb, today: string, since: Date): Promise<DepartmentCounts[]> {
  const finishedDay = day('finished_at');
  const decidedSince = sql`state in (${list(DECIDED)}) and finished_at >= ${since}`;
  const rows = await db
    .selectFrom('workflow.task')
    .select([
      'department_code',
      sql<string>`count(*) filter (where state in (${list(OPEN)}))`.as('open'),
      sql<string>`count(*) filter (where state in (${list(RUNNING)}) and due_on < ${today}::date)`.as('overdue'),
      sql<string>`count(*) filter (where ${decidedSince} and (due_on is null or ${finishedDay} <= due_on))`.as(
        'in_time',
      ),
      sql<string>`count(*) filter (where ${decidedSince} and ${finishedDay} > due_on)`.as('late'),
    ])
    // The decided side is read through 0006's task_decided; the open side is the live work.
    .where((eb) =>
      eb.or([eb('state', 'in', OPEN), eb.and([eb('state', 'in', DECIDED), eb('finished_at', '>=', since)])]),
    )
    .groupBy('department_code')
    .orderBy('department_code')
    .execute();
  return rows.map((r) => ({
    departmentCode: r.department_code,
    open: Number(r.open),
    overdue: Number(r.overdue),
    completedInTime: Number(r.in_time),
    completedLate: Number(r.late),
  }));
}

/** The regions of a matter's tasks decided since `since` (whose calendars count their working days). */
export async function decidedRegions(db: WorkflowDb, matterCode: string, since: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('workflow.task')
    .select('region_code')
    .distinct()
    .where('matter_code', '=', matterCode)
    .where('state', 'in', DECIDED)
    .where('finished_at', '>=', since)
    .execute();
  return rows.map((r) => r.region_code);
}

/** A day whose status differs from the plain Monday–Friday week, in a region. */
export interface CalendarOverride {
  region: string;
  day: string;
  workday: boolean;
}

export interface Durations {
  count: number;
  median: number | null;
  p90: number | null;
}

/**
 * Working days from start to decision of a matter's tasks decided since `since`: the start day not
 * counted (as deadlines count), weekends off unless a region's calendar says otherwise. The
 * median and the 90th percentile are interpolated (percentile_cont), as a fraction of a day.
 */
export async function decidedDurations(
  db: WorkflowDb,
  matterCode: string,
  since: Date,
  overrides: readonly CalendarOverride[],
): Promise<Durations> {
  const result = await sql<{ count: string; median: number | null; p90: number | null }>`
    with decided as (
      select id, region_code, ${day('started_at')} as started, ${day('finished_at')} as finished
      from workflow.task
      where matter_code = ${matterCode} and state in (${list(DECIDED)})
        and finished_at >= ${since} and started_at is not null
    ),
    overrides as (
      select * from jsonb_to_recordset(${JSON.stringify(overrides)}::jsonb) as o(region text, day date, workday boolean)
    ),
    taken as (
      select d.id, count(g.d) filter (where coalesce(o.workday, extract(isodow from g.d) < 6)) as days
      from decided d
      left join lateral (
        select s::date as d from generate_series(d.started + 1, d.finished, interval '1 day') as s
      ) g on true
      left join overrides o on o.region = d.region_code and o.day = g.d
      group by d.id
    )
    select count(*) as count,
      percentile_cont(0.5) within group (order by days) as median,
      percentile_cont(0.9) within group (order by days) as p90
    from taken
  `.execute(db);
  const row = result.rows[0];
  return {
    count: Number(row?.count ?? 0),
    median: row?.median === null || row?.median === undefined ? null : Number(row.median),
    p90: row?.p90 === null || row?.p90 === undefined ? null : Number(row.p90),
  };
}
