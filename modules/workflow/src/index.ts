// 业务协同引擎 — the workflow: applications (办件) fanned out to department tasks with dependencies,
// corrections, working-day deadlines and escalation, automatic approval, queues and live status.
import { defineModule, type ModuleContext } from '@tongban/kernel';
import { applicantRoutes } from './api/applicant.ts';
import { inboxRoutes } from './api/inbox.ts';
import { officerRoutes } from './api/officer.ts';
import { WorkflowErrors } from './errors.ts';
import { catalogPort } from './ports/catalog.ts';
import { cachedCatalog } from './service/catalog-cache.ts';
import { identityPort } from './ports/identity.ts';
import { sweepDeadlines } from './service/deadlines.ts';
import { Engine } from './service/engine.ts';
import { LiveFeed } from './service/live.ts';
import type { Services } from './service/submit.ts';

const services = new WeakMap<object, Services>();

/**
 * One set of services per platform (tests start several in one process), keyed by the platform's
 * database: a job receives a copy of the context (with its transaction), not the context itself.
 */
function servicesFor(ctx: ModuleContext): Services {
  let s = services.get(ctx.db);
  if (!s)
    services.set(
      ctx.db,
      (s = {
        ctx,
        catalog: cachedCatalog(catalogPort(ctx.modules)),
        engine: new Engine(ctx),
        live: new LiveFeed(ctx.db, ctx.log),
      }),
    );
  return s;
}

export default defineModule({
  name: 'workflow',
  title: { zh: '业务协同', en: 'Workflow' },
  dependsOn: ['catalog', 'identity'],
  migrations: new URL('./store/migrations/', import.meta.url),
  errors: WorkflowErrors,
  // Its own authority towards identity (ctx.serviceToken(), client tongban-workflow).
  secrets: ['workflow-service-key'],
  routes(app, ctx) {
    const s = servicesFor(ctx);
    // preClose runs before Fastify waits for in-flight requests: open event streams end first.
    app.addHook('preClose', () => s.live.close());
    applicantRoutes(app, s);
    officerRoutes(app, s, identityPort(ctx.modules, ctx.log));
    inboxRoutes(app, s);
  },
  jobs: [
    {
      name: 'deadline-sweep',
      everyMs: 60_000,
      run: async (ctx) => {
        await sweepDeadlines(servicesFor(ctx), ctx.trx);
      },
    },
  ],
});

export { sweepDeadlines };
