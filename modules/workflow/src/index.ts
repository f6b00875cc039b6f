// 业务协同引擎 — the workflow: applications (办件) fanned out to department tasks with dependencies,
// corrections, working-day deadlines and escalation, automatic approval, queues and live status.
import { defineModule } from '@tongban/kernel';
import { applicantRoutes } from './api/applicant.ts';
import { documentRoutes } from './api/documents.ts';
import { inboxRoutes } from './api/inbox.ts';
import { officerRoutes } from './api/officer.ts';
import { serviceRoutes } from './api/services.ts';
import { statsRoutes } from './api/stats.ts';
import { WorkflowErrors } from './errors.ts';
import { catalogPort } from './service/catalog.ts';
import { cachedCatalog } from './service/catalog-cache.ts';
import { datahubPort } from './service/datahub.ts';
import { identityPort } from './service/identity.ts';
import { noteLicenceStatus, useIssuedLicence } from './service/licence-materials.ts';
import { licencePort } from './service/licences.ts';
import { sweepDeadlines } from './service/deadlines.ts';
import { lapseDocuments } from './service/documents.ts';
import { Engine } from './service/engine.ts';
import { LiveFeed } from './service/live.ts';
import { onOrderCreated, onOrderSettled, PaymentWorker, type PaymentServices } from './service/payments.ts';
import type { Services } from './service/submit.ts';
import { typed } from './store/tables.ts';

export default defineModule({
  name: 'workflow',
  title: { zh: '业务协同', en: 'Workflow' },
  dependsOn: ['catalog', 'identity'],
  migrations: new URL('./store/migrations/', import.meta.url),
  errors: WorkflowErrors,
  // Its own authority towards identity, the data hub and licences (ctx.serviceToken(), client tongban-workflow).
  // The data hub is not a dependency: without it drafts are made unfilled, and the counter refuses.
  secrets: ['workflow-service-key'],
  start: (ctx): PaymentServices & { readonly payments: PaymentWorker } => {
    const s: Services = {
      ctx,
      catalog: cachedCatalog(catalogPort(ctx.modules)),
      engine: new Engine(ctx),
      live: new LiveFeed(ctx.db, ctx.log),
      datahub: datahubPort(ctx.modules, ctx.log),
      licences: licencePort(ctx.modules, ctx.log),
    };
    // 统一支付: settlements heard from payments are applied outside the delivery (service/payments.ts).
    const payments = new PaymentWorker(s);
    payments.start();
    return { ...s, payments };
  },
  stop: (s) => s.payments.stop(),
  // 免证办: a licence a task of a case issued stands in for the later matters' materials; its status follows.
  consumers: {
    'licenses.licence.issued': async (event, { trx }, s) => void (await useIssuedLicence(s, trx, event.data)),
    'licenses.licence.status-changed': async (event, { trx }, s) => noteLicenceStatus(s, trx, event.data),
    // 统一支付: the order named on its task; paid or expired, the task moves on (service/payments.ts).
    'payments.order.created': async (event, { trx }, s) => onOrderCreated(s, trx, event.data),
    'payments.order.paid': async (event, { trx }, s) => onOrderSettled(s, trx, 'paid', event.data),
    'payments.order.expired': async (event, { trx }, s) => onOrderSettled(s, trx, 'expired', event.data),
  },
  // The catalog cache's hints: a new version's latest pointer is asked for at once, not after the TTL.
  hints: {
    'catalog.matter.published': async (event, _delivery, s) => s.catalog.forget?.('matter', event.data.code),
    'catalog.bundle.published': async (event, _delivery, s) => s.catalog.forget?.('bundle', event.data.code),
  },
  routes(app, ctx, s) {
    // preClose runs before Fastify waits for in-flight requests: open event streams end first.
    app.addHook('preClose', () => s.live.close());
    applicantRoutes(app, s);
    officerRoutes(app, s, identityPort(ctx.modules, ctx.log));
    inboxRoutes(app, s);
    documentRoutes(app, s);
    statsRoutes(app, s);
    serviceRoutes(app, s);
  },
  jobs: [
    {
      name: 'deadline-sweep',
      everyMs: 60_000,
      run: async (ctx, s) => {
        await sweepDeadlines(s, ctx.trx);
      },
    },
    {
      // Uploads no submitted application named within LAPSE_DAYS (domain/documents.ts) go.
      name: 'document-lapse',
      everyMs: 3_600_000,
      run: async (ctx, s) => {
        await lapseDocuments(s, typed(ctx.trx));
      },
    },
  ],
});

export { sweepDeadlines };
