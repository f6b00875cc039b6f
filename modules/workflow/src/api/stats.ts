// Statistics: the operators' dashboard (operators only: it spans every department), and how long
// a matter has actually taken recently (public: figures over at least five decisions, never fewer).
import { MatterDurationView, WorkflowStatsView } from '@tongban/contracts';
import { Policies, type HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import { matterDurations, workflowStats } from '../service/stats.ts';
import type { Services } from '../service/submit.ts';

const tags = ['workflow: statistics'];

export const StatsQuery = Type.Object(
  { days: Type.Integer({ minimum: 1, maximum: 366, default: 30 }) },
  { additionalProperties: false },
);
const MatterParam = Type.Object({ code: Type.String({ pattern: '^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$' }) });

export function statsRoutes(app: HttpApp, s: Services): void {
  app.get(
    '/stats',
    {
      // Who: operators. Whose: every department's (aggregates only, no case). Assurance: the sign-in's.
      config: { policy: Policies.operator },
      schema: {
        tags,
        summary: 'Applications by status; open, overdue and in-time vs late tasks per department',
        querystring: StatsQuery,
        response: { 200: WorkflowStatsView },
      },
    },
    async (req) => workflowStats(s, req.query.days),
  );

  app.get(
    '/stats/matters/:code',
    {
      // Who: anyone (it is on the service guide). Whose: no one's — null figures below five decisions.
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'How long a matter has taken over the last 90 days: median and 90th percentile working days',
        params: MatterParam,
        response: { 200: MatterDurationView },
      },
    },
    async (req) => matterDurations(s, req.params.code),
  );
}
