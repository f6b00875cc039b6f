// 电子证照 — electronic licences (issue 13): issued once when a task of a matter that produces one
// is approved, GB/T 36904 identifiers, status (suspend, reinstate, revoke, expire), the holder's
// licences. Scan codes (domain/scan-code/) and status lists (domain/status-list/) build on the
// licence view and `statusEntries`.
import { defineModule, type EventHandler } from '@tongban/kernel';
import { licenceRoutes } from './api/routes.ts';
import { walletRootRoutes } from './api/wallet.ts';
import { LicenseErrors } from './errors.ts';
import { Licenses } from './service/licenses.ts';
import { attachTrust } from './service/trust.ts';
import { queueIssue, queueReceipt } from './store/licences.ts';
import { typed } from './store/tables.ts';

// Queued in the delivery's transaction with its inbox row: a redelivered approval queues nothing more.
const onTaskApproved: EventHandler = async (event, { trx }) => {
  const data = event.data as { taskId: string };
  await queueIssue(typed(trx), data.taskId, event.data);
};

export default defineModule({
  name: 'licenses',
  title: { zh: '电子证照', en: 'Licences' },
  dependsOn: ['catalog', 'identity', 'workflow'],
  // Its own authority towards the workflow (ctx.serviceToken(), client tongban-licenses): an approved task's answers.
  // and the seed of its issuers' scan-code keys (service/scan.ts), and of the key its published
  // trust list is signed with (service/trust.ts).
  secrets: ['licenses-service-key', 'licenses-signing-key', 'licenses-trust-key'],
  migrations: new URL('./store/migrations/', import.meta.url),
  errors: LicenseErrors,
  start(ctx) {
    const licenses = new Licenses(ctx);
    attachTrust(licenses);
    licenses.start();
    return licenses;
  },
  stop: (licenses) => licenses.stop(),
  routes: (app, _ctx, licenses) => licenceRoutes(app, licenses),
  // The wallet credential's metadata, where OpenID4VCI, RFC 8414 and SD-JWT VC put it (/.well-known/…).
  rootRoutes: (app, _ctx, licenses) => walletRootRoutes(app, licenses),
  consumers: {
    'workflow.task.approved': onTaskApproved,
    // 非税收入票据 for a paid order (issue 15): queued once per order, issued by the same worker.
    'payments.order.paid': async (event, { trx }) => {
      if (event.data.amountFen > 0) await queueReceipt(typed(trx), event.data.orderId, event.data);
    },
  },
  jobs: [
    {
      name: 'expire-licences',
      everyMs: 60_000,
      run: async ({ trx }, licenses) => void (await licenses.expireDue(trx)),
    },
  ],
});

export { formatIdentifier, isValidIdentifier, parseIdentifier, type LicenceIdentifier } from './domain/identifier.ts';
export { statusEntries } from './store/licences.ts';
export { licenceView, type LicenceView } from './service/views.ts';
export { Licenses, statusListOf, type IssueSources } from './service/licenses.ts';
