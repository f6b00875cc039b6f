// The workflow's statistics as the operator console and the service guides read them
// (GET /api/workflow/stats, operators only; GET /api/workflow/stats/matters/:code, public).
import Type, { type Static } from 'typebox';

/** Application and task volumes, and deadline compliance per department, over the last `days` days. */
export const WorkflowStatsView = Type.Object({
  /** The window the completed counts cover, in calendar days back from today. */
  days: Type.Integer({ minimum: 1 }),
  /** Today in China Standard Time (the day overdue is counted against). */
  today: Type.String(),
  /** Submitted applications in the window. */
  submitted: Type.Integer({ minimum: 0 }),
  /** Every application but drafts, by status, whenever it was submitted. */
  applications: Type.Array(Type.Object({ status: Type.String(), count: Type.Integer({ minimum: 0 }) })),
  /** Department tasks: open now, of which overdue, and completed in the window in time or late. */
  departments: Type.Array(
    Type.Object({
      departmentCode: Type.String(),
      open: Type.Integer({ minimum: 0 }),
      overdue: Type.Integer({ minimum: 0 }),
      completedInTime: Type.Integer({ minimum: 0 }),
      completedLate: Type.Integer({ minimum: 0 }),
    }),
  ),
});
export type WorkflowStatsView = Static<typeof WorkflowStatsView>;

/**
 * How long a matter has actually taken recently: working days from a task's start to its decision,
 * over the decisions of the last `windowDays` days. All null when there were fewer than the
 * minimum, so that no single case can be read off the figures.
 */
export const MatterDurationView = Type.Object({
  matterCode: Type.String(),
  windowDays: Type.Integer({ minimum: 1 }),
  count: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  medianDays: Type.Union([Type.Number(), Type.Null()]),
  p90Days: Type.Union([Type.Number(), Type.Null()]),
});
export type MatterDurationView = Static<typeof MatterDurationView>;
