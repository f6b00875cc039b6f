// 消息 — notifications (issue 15): every step of an application, every fee and licence, and a
// security lock told in the inbox (站内信, moved here from the workflow), by SMS and e-mail as
// the person chose (quiet hours, rate limits), and to department systems by signed webhooks.
// Consumers queue in the delivery's transaction, keyed by the event id; the delivery worker
// renders and sends between transactions (service/notify.ts).
import { defineModule } from '@tongban/kernel';
import { notifyRoutes } from './api/routes.ts';
import {
  fromApplicationEnd,
  fromLicenceIssued,
  fromOrderCreated,
  fromOrderPaid,
  fromRefund,
  fromSecurityLocked,
  fromTask,
} from './domain/notices.ts';
import { NotifyErrors } from './errors.ts';
import { Notify } from './service/notify.ts';

type TaskEvent = Parameters<typeof fromTask>[1];
const task =
  (verb: string) =>
  async (event: { id: string; data: TaskEvent }, { trx }: { trx: Parameters<Notify['queue']>[0] }, n: Notify) =>
    n.queue(trx, event.id, fromTask(verb, event.data));

export default defineModule<Notify>({
  name: 'notify',
  title: { zh: '消息', en: 'Notifications' },
  // Identity: a person's mobile (its contact service route); the catalog: matter names.
  dependsOn: ['catalog', 'identity'],
  // Its own authority towards identity (client tongban-notify); the SMS gateways' keys (gateway mode only).
  secrets: ['notify-service-key', 'notify-sms-gateway-key', 'notify-sms-fallback-key'],
  migrations: new URL('./store/migrations/', import.meta.url),
  errors: NotifyErrors,
  async start(ctx) {
    const n = new Notify(ctx);
    await n.seedTemplates();
    n.start();
    return n;
  },
  stop: (n) => n.stop(),
  routes: (app, _ctx, n) => notifyRoutes(app, n),
  consumers: {
    'workflow.application.submitted': async (event, { trx }, n) => n.onSubmitted(trx, event.id, event.data),
    'workflow.task.approved': task('approved'),
    'workflow.task.rejected': task('rejected'),
    'workflow.task.correction-requested': task('correction-requested'),
    'workflow.task.accepted': task('accepted'),
    'workflow.application.withdrawn': async (event, { trx }, n) =>
      n.queue(trx, event.id, fromApplicationEnd('withdrawn', event.data, await n.known(trx, event.data.applicationId))),
    'workflow.application.completed': async (event, { trx }, n) =>
      n.queue(trx, event.id, fromApplicationEnd('completed', event.data, await n.known(trx, event.data.applicationId))),
    'workflow.application.closed': async (event, { trx }, n) =>
      n.queue(trx, event.id, fromApplicationEnd('closed', event.data, await n.known(trx, event.data.applicationId))),
    'payments.order.created': async (event, { trx }, n) =>
      n.queue(trx, event.id, fromOrderCreated(event.data, await n.known(trx, event.data.applicationId))),
    'payments.order.paid': async (event, { trx }, n) =>
      n.queue(trx, event.id, fromOrderPaid(event.data, await n.known(trx, event.data.applicationId))),
    'payments.refund.succeeded': async (event, { trx }, n) =>
      n.queue(trx, event.id, fromRefund(event.data, await n.known(trx, event.data.applicationId))),
    'licenses.licence.issued': async (event, { trx }, n) =>
      n.queue(trx, event.id, fromLicenceIssued(event.data, await n.known(trx, event.data.applicationId))),
    'identity.account.security-locked': async (event, { trx }, n) =>
      n.queue(trx, event.id, fromSecurityLocked(event.data)),
  },
});

export { Notify } from './service/notify.ts';
export type { NotifyOptions } from './service/notify.ts';
