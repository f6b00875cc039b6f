// 统一支付 — unified payments (issue 15): an order per task whose matter has fees, assessed from
// the catalog's fee model against verified data; the payer's checkout at a payment channel; the
// channel's signed notify and our active query, counted once; refunds; the daily reconciliation
// against the channel's statement; the receipt the licences module issues.
import { defineModule, type EventHandler } from '@tongban/kernel';
import type { EventData } from '@tongban/contracts';
import { paymentRoutes } from './api/routes.ts';
import { PaymentsErrors } from './errors.ts';
import { channelFromConfig, MERCHANT_KEY_SECRET, merchantSigner } from './service/keys.ts';
import { Payments } from './service/payments.ts';
import { dailyReconciliation } from './service/reconcile.ts';
import { expireOrders, noteReceipt, queryDue } from './service/settle.ts';
import { queueAssessment } from './store/payments.ts';
import { typed } from './store/tables.ts';

// Queued in the delivery's transaction with its inbox row: a redelivered start queues nothing more.
const onTaskStarted: EventHandler = async (event, { trx }) => {
  const data = event.data as EventData<'workflow.task.started'>;
  await queueAssessment(typed(trx), data.taskId, data);
};

const onLicenceIssued: EventHandler = async (event, { trx }) =>
  noteReceipt(trx, event.data as EventData<'licenses.licence.issued'>);

export default defineModule({
  name: 'payments',
  title: { zh: '统一支付', en: 'Payments' },
  dependsOn: ['catalog', 'identity', 'workflow', 'licenses'],
  // Its own authority towards the workflow (payment facts), and the merchant key it signs the channel's requests with.
  secrets: ['payments-service-key', MERCHANT_KEY_SECRET],
  migrations: new URL('./store/migrations/', import.meta.url),
  errors: PaymentsErrors,
  start(ctx) {
    const merchant = merchantSigner(ctx);
    const payments = new Payments(ctx, channelFromConfig(ctx, merchant.signer));
    payments.merchantPublicKey = merchant.publicKey;
    payments.queryDue = () => queryDue(payments);
    payments.dailyReconciliation = () => dailyReconciliation(payments);
    payments.start();
    return payments;
  },
  // The bundled simulator learns our merchant key once we can be reached (development; a real channel has it from onboarding).
  async listening(ctx, payments) {
    if (payments.channel.name !== 'simulator') return;
    await payments.channel
      .register(payments.merchantPublicKey)
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'the simulator did not take our merchant key'));
  },
  stop: (payments) => payments.stop(),
  routes: (app, _ctx, payments) => paymentRoutes(app, payments),
  consumers: {
    'workflow.task.started': onTaskStarted,
    'licenses.licence.issued': onLicenceIssued,
  },
  jobs: [
    {
      name: 'expire-orders',
      everyMs: 60_000,
      run: async ({ trx }, payments) => void (await expireOrders(payments, trx)),
    },
  ],
});

export {
  Payments,
  platformSources,
  type AssessSources,
  type MatterFees,
  type PaymentsTestHooks,
} from './service/payments.ts';
export { handleNotify, noteReceipt, queryOrder, settle } from './service/settle.ts';
export { reconcile } from './service/reconcile.ts';
export { canonicalString, signParams, verifyParams } from './domain/signing.ts';
export { assess, type CatalogFee } from './domain/assess.ts';
export { fenToYuan, yuanToFen } from './domain/amounts.ts';
