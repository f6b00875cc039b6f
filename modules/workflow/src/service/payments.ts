// The workflow waits for payment (统一支付, issue 15). A task of a matter with fees starts
// 'awaiting_payment' (engine.ts); payments assesses it and names the order (payments.order.created,
// recorded on the task in the delivery's transaction); payments.order.paid moves it to 'submitted'
// — its clock starts, 秒批 may decide it — and payments.order.expired ends it. Those two are queued
// in the delivery's transaction (one row per task, with the inbox row) and applied by the payment
// worker outside it: moving on needs the catalog (calendar, rules), and a call into another module
// inside a transaction would wait on the embedded database's one connection. The task's state and
// version guard the move: a redelivery, a second worker or a paid-after-expired finds nothing to do.
import type { EventData } from '@tongban/contracts';
import type { ModuleTrx } from '@tongban/kernel';
import { insertAction } from '../store/actions.ts';
import { findApplication, lockApplication } from '../store/applications.ts';
import {
  dropSettlement,
  noteSettlementFailure,
  pendingSettlements,
  queueSettlement,
  recordOrder,
  type PendingSettlement,
} from '../store/payments.ts';
import { typed } from '../store/tables.ts';
import { findTask, lockTask, matterKeysOf } from '../store/tasks.ts';
import { prefetch } from './engine.ts';
import type { Services } from './submit.ts';

/** The workflow's instance with its payment worker (index.ts). */
export type PaymentServices = Services & { readonly payments?: PaymentWorker };

type OrderCreated = EventData<'payments.order.created'>;
type OrderPaid = EventData<'payments.order.paid'>;
type OrderExpired = EventData<'payments.order.expired'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The task an event names, when it is one of ours and of the application the event says. */
async function taskOf(anyTrx: ModuleTrx, taskId: string, applicationId: string) {
  if (!UUID.test(taskId)) return undefined;
  const task = await findTask(typed(anyTrx), taskId);
  return task && task.application_id === applicationId ? task : undefined;
}

/** payments.order.created: the order and amount on the task, and a timeline entry (what to pay). */
export async function onOrderCreated(s: PaymentServices, anyTrx: ModuleTrx, order: OrderCreated): Promise<void> {
  const task = await taskOf(anyTrx, order.taskId, order.applicationId);
  if (!task) {
    s.ctx.log.warn(
      { taskId: order.taskId, orderId: order.orderId },
      'payment order for a task the workflow does not have',
    );
    return;
  }
  const trx = typed(anyTrx);
  if (!(await recordOrder(trx, task.id, order.orderId, order.amountFen))) return;
  await insertAction(trx, {
    application_id: task.application_id,
    task_id: task.id,
    task_version: null,
    action: 'payment_order',
    actor_kind: 'system',
    actor_id: 'workflow.payments',
    from_state: null,
    to_state: null,
    reason: null,
    rule: null,
    detail: { orderId: order.orderId, amountFen: order.amountFen, status: order.status, expiresAt: order.expiresAt },
    at: s.engine.now(),
  });
}

/** payments.order.paid / expired: queued for the worker, once per task. */
export async function onOrderSettled(
  s: PaymentServices,
  anyTrx: ModuleTrx,
  outcome: 'paid' | 'expired',
  event: OrderPaid | OrderExpired,
): Promise<void> {
  const task = await taskOf(anyTrx, event.taskId, event.applicationId);
  if (!task) {
    s.ctx.log.warn({ taskId: event.taskId, orderId: event.orderId, outcome }, 'settlement for an unknown task');
    return;
  }
  await queueSettlement(typed(anyTrx), {
    task_id: task.id,
    outcome,
    order_id: event.orderId,
    event: event as unknown as Record<string, unknown>,
    queued_at: s.engine.now(),
  });
  s.payments?.soon();
}

/** Applies queued settlements; one run at a time per process (the task's version covers replicas). */
export class PaymentWorker {
  readonly #s: Services;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(s: Services) {
    this.#s = s;
  }

  start(everyMs = 1000): void {
    this.#timer = setInterval(() => this.soon(), everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** A run after the current delivery has committed (a tick later), unless one runs already. */
  soon(): void {
    if (!this.#timer) return;
    setImmediate(() => void this.kick().catch((e) => this.#s.ctx.log.error(e, 'payment worker failed')));
  }

  /** Applies what is queued now; answers how many settlements were applied or dropped. */
  kick(): Promise<number> {
    this.#running ??= this.#drain().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #drain(): Promise<number> {
    const db = typed(this.#s.ctx.db);
    let done = 0;
    for (const row of await pendingSettlements(db, 50)) {
      try {
        await this.#apply(row);
        done++;
      } catch (error) {
        this.#s.ctx.log.warn({ err: error, taskId: row.task_id }, 'payment settlement not applied yet; retried');
        await noteSettlementFailure(db, row.task_id, String((error as Error).message ?? error));
      }
    }
    return done;
  }

  async #apply(row: PendingSettlement): Promise<void> {
    const s = this.#s;
    const db = typed(s.ctx.db);
    const seen = await findTask(db, row.task_id);
    const app = seen && (await findApplication(db, seen.application_id));
    if (!seen || !app || seen.state !== 'awaiting_payment') {
      // Paid for a task that ended meanwhile (withdrawn, lapsed): the money is the payments module's to refund.
      if (seen && row.outcome === 'paid' && ['cancelled', 'withdrawn'].includes(seen.state))
        s.ctx.log.warn(
          { taskId: row.task_id, state: seen.state, orderId: row.order_id },
          'paid for a task that has ended',
        );
      await dropSettlement(db, row.task_id);
      return;
    }
    const loaded = await prefetch(s.catalog, await matterKeysOf(db, app.id));
    await s.ctx.db.transaction().execute(async (anyTrx) => {
      const trx = typed(anyTrx);
      // Application first, then the task: the order every writer takes.
      const locked = await lockApplication(trx, app.id);
      const task = await lockTask(trx, row.task_id);
      if (task.state === 'awaiting_payment' && locked.status === 'in_progress') {
        if (row.outcome === 'paid') {
          const paid = row.event as unknown as OrderPaid;
          await s.engine.paymentReceived(trx, locked, task, loaded, {
            orderId: paid.orderId,
            amountFen: paid.amountFen,
            via: paid.via,
            paidAt: paid.paidAt,
          });
        } else {
          await s.engine.paymentLapsed(trx, locked, task, loaded, row.order_id);
        }
      }
      await dropSettlement(trx, row.task_id);
    });
    s.live.nudge();
  }
}
