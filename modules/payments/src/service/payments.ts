// 统一支付: orders assessed for a started task, the payer's checkout at the channel, and the
// workers. A started task is queued by the consumer in its delivery transaction (once, with the
// inbox row); the assessor asks the catalog and the workflow outside any transaction — the
// embedded database has one connection, and a call into another module from inside a
// transaction would wait on itself — then creates the order in one transaction of its own. The
// order's unique task id makes it once under redelivery, restarts and two replicas racing. The
// channel is never called inside a transaction either.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  CatalogApi,
  PaymentFactsView,
  type ApiRoute,
  type CheckoutView,
  type EventData,
  type PaymentOrderStatus,
  type PaymentOrderView,
} from '@tongban/contracts';
import {
  isUniqueViolation,
  maskName,
  type ModuleContext,
  type ModuleTrx,
  type TransactionEvents,
} from '@tongban/kernel';
import { assess, chinaDate, type CatalogFee } from '../domain/assess.ts';
import { PaymentsError } from '../errors.ts';
import {
  dropAssessment,
  findCheckout,
  findCheckoutByKey,
  findOrder,
  findOrderByTask,
  insertCheckout,
  insertOrder,
  noteAssessmentFailure,
  ordersOfDepartments,
  ordersOfPayer,
  pendingAssessments,
} from '../store/payments.ts';
import { typed, type OrderRow, type PaymentsDb } from '../store/tables.ts';
import { ChannelError, type GatewayChannel } from './channel.ts';
import { orderView } from './views.ts';

type TaskStarted = EventData<'workflow.task.started'>;

/** The workflow's answer for a task to be paid for (payflow's service route, role workflow.payment-facts.read). */
export const PaymentFactsRoute = {
  module: 'workflow',
  method: 'GET',
  path: (taskId: string) => `/services/tasks/${encodeURIComponent(taskId)}/payment-facts`,
  response: PaymentFactsView,
} as const satisfies ApiRoute<[string], typeof PaymentFactsView>;

/** What the assessment reads of a matter version: the catalog's MatterVersionView, fees in payflow's model. */
export interface MatterFees {
  code: string;
  version: number;
  name: { zh: string; en: string };
  departmentCode: string;
  fees: readonly CatalogFee[];
}

/** Where the assessor learns what the event does not say; tests and the integrator may wire others. */
export interface AssessSources {
  /** The matter's version (latest when `version` is absent). */
  matter(code: string, version?: number): Promise<MatterFees>;
  facts(taskId: string): Promise<PaymentFactsView>;
}

export function platformSources(ctx: ModuleContext): AssessSources {
  const asFees = (m: {
    code: string;
    version: number;
    name: { zh: string; en: string };
    departmentCode: string;
    fees: unknown[];
  }) => ({
    code: m.code,
    version: m.version,
    name: m.name,
    departmentCode: m.departmentCode,
    fees: m.fees as CatalogFee[],
  });
  return {
    matter: async (code, version) =>
      asFees(
        version === undefined
          ? await ctx.modules.call(CatalogApi.latestMatter, [code])
          : await ctx.modules.call(CatalogApi.matterVersion, [code, version]),
      ),
    facts: (taskId) => ctx.modules.call(PaymentFactsRoute, [taskId], { auth: 'service' }),
  };
}

/** Test hooks: a crash between the channel's notify and our commit. */
export interface PaymentsTestHooks {
  /** Runs inside the transaction that records a payment, before it commits: a throw rolls it back. */
  beforePaymentCommit?: (orderId: string, via: 'notify' | 'query') => void;
}

const MAX_ASSESS_ATTEMPTS = 50;

export class Payments {
  readonly ctx: ModuleContext;
  readonly channel: GatewayChannel;
  readonly sources: AssessSources;
  readonly hooks: PaymentsTestHooks = {};
  /** Our merchant public key (SPKI PEM for RSA2, 04‖x‖y hex for SM2): what the channel verifies our requests with. */
  merchantPublicKey = '';
  #timers: NodeJS.Timeout[] = [];
  #assessing: Promise<void> | undefined;
  #querying: Promise<void> | undefined;
  /** The workers, set by service/settle.ts and service/reconcile.ts (kept apart to keep each file small). */
  queryDue: () => Promise<void> = async () => {};
  dailyReconciliation: () => Promise<void> = async () => {};

  constructor(ctx: ModuleContext, channel: GatewayChannel, sources: AssessSources = platformSources(ctx)) {
    this.ctx = ctx;
    this.channel = channel;
    this.sources = sources;
  }

  get db(): PaymentsDb {
    return typed(this.ctx.db);
  }

  now(): Date {
    return this.ctx.clock.now();
  }

  start(assessEveryMs = 1000): void {
    const every = (ms: number, run: () => Promise<void>, what: string) => {
      const t = setInterval(() => void run().catch((e) => this.ctx.log.error(e, what)), ms);
      t.unref();
      this.#timers.push(t);
    };
    every(assessEveryMs, () => this.kick(), 'payment assessment failed');
    every(this.ctx.config.payments.queryIntervalMs, () => this.kickQuery(), 'active payment query failed');
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    await Promise.allSettled([this.#assessing, this.#querying]);
  }

  /** Assesses what is queued now; one run at a time per process (the unique task id covers replicas). */
  kick(): Promise<void> {
    this.#assessing ??= this.assessPending().finally(() => (this.#assessing = undefined));
    return this.#assessing;
  }

  /** The active query of late notifies, and the daily reconciliation when due. */
  kickQuery(): Promise<void> {
    this.#querying ??= (async () => {
      await this.queryDue();
      await this.dailyReconciliation();
    })().finally(() => (this.#querying = undefined));
    return this.#querying;
  }

  private async assessPending(): Promise<void> {
    for (const row of await pendingAssessments(this.db, 50, MAX_ASSESS_ATTEMPTS)) {
      const event = row.event as TaskStarted;
      try {
        await this.assessTask(event);
      } catch (error) {
        const code = (error as { problem?: { code?: string } }).problem?.code;
        // A matter the catalog does not know, or a task the workflow does not hold for payment, will never be assessed.
        if (code === 'CATALOG_MATTER_NOT_FOUND' || code === 'WORKFLOW_TASK_NOT_FOUND') {
          this.ctx.log.warn({ taskId: row.task_id, code }, 'started task not assessable: dropped');
          await dropAssessment(this.db, row.task_id);
          continue;
        }
        this.ctx.log.warn({ err: error, taskId: row.task_id }, 'payment not assessed yet; retried');
        await noteAssessmentFailure(this.db, row.task_id, String((error as Error).message ?? error));
      }
    }
  }

  /** A started task: nothing when its matter has no fees; else the workflow's facts, the assessment and the order. */
  async assessTask(event: Pick<TaskStarted, 'taskId' | 'matterCode'>): Promise<OrderRow | undefined> {
    const latest = await this.sources.matter(event.matterCode);
    if (latest.fees.length === 0) {
      await dropAssessment(this.db, event.taskId);
      return undefined;
    }
    const facts = await this.sources.facts(event.taskId);
    const matter =
      facts.matterVersion === latest.version
        ? latest
        : await this.sources.matter(event.matterCode, facts.matterVersion);
    if (!facts.awaitingPayment || matter.fees.length === 0) {
      // The pinned version asks for nothing, or the task no longer waits (withdrawn): no order.
      const existing = await findOrderByTask(this.db, event.taskId);
      await dropAssessment(this.db, event.taskId);
      return existing;
    }
    return this.assessAndCreate(facts, matter);
  }

  /**
   * The order for a task, assessed from the matter's fees and the verified facts, in one
   * transaction with `payments.order.created` (and, at 0, `payments.order.paid` via exempt):
   * once per task, whoever calls it and however often.
   */
  async assessAndCreate(facts: PaymentFactsView, matter: MatterFees): Promise<OrderRow> {
    const existing = await findOrderByTask(this.db, facts.taskId);
    if (existing) {
      await dropAssessment(this.db, facts.taskId);
      return existing;
    }
    const now = this.now();
    const { items, amountFen } = assess(matter.fees, facts.verified, chinaDate(now));
    const row: OrderRow = {
      id: randomUUID(),
      task_id: facts.taskId,
      application_id: facts.applicationId,
      case_number: facts.caseNumber,
      matter_code: facts.matterCode,
      matter_version: facts.matterVersion,
      matter_name: { zh: matter.name.zh, en: matter.name.en },
      department_code: facts.departmentCode,
      payer_id: facts.payer.id,
      payer_kind: facts.payer.kind,
      payer_name_masked: facts.payerName?.trim() ? maskName(facts.payerName.trim()) : null,
      amount_fen: amountFen,
      refunded_fen: 0,
      items,
      status: amountFen === 0 ? 'waived' : 'pending',
      channel: amountFen === 0 ? 'exempt' : null,
      channel_trade_no: null,
      paid_via: amountFen === 0 ? 'exempt' : null,
      paid_at: amountFen === 0 ? now : null,
      created_at: now,
      expires_at: new Date(now.getTime() + this.ctx.config.payments.orderExpiryDays * 86_400_000),
      receipt_licence_id: null,
      receipt_identifier: null,
    };
    try {
      await this.ctx.transaction(async (trx, events) => {
        const db = typed(trx);
        await insertOrder(db, {
          ...row,
          matter_name: JSON.stringify(row.matter_name),
          items: JSON.stringify(row.items),
        });
        await dropAssessment(db, facts.taskId);
        await events.publish('payments.order.created', {
          orderId: row.id,
          applicationId: row.application_id,
          taskId: row.task_id,
          matterCode: row.matter_code,
          payerId: row.payer_id,
          amountFen,
          status: row.status === 'waived' ? 'waived' : 'pending',
          expiresAt: row.expires_at.toISOString(),
          at: now.toISOString(),
        });
        if (row.status === 'waived') await this.publishPaid(events, row, 'exempt', undefined, 'exempt', now);
      });
    } catch (error) {
      // Another assessor made it between our check and our insert: theirs is the order.
      if (!isUniqueViolation(error)) throw error;
      const done = await findOrderByTask(this.db, facts.taskId);
      if (!done) throw error;
      return done;
    }
    return row;
  }

  /** `payments.order.paid`, once per order: the caller holds the order's status change in the same transaction. */
  publishPaid(
    events: TransactionEvents,
    order: OrderRow,
    channel: string,
    tradeNo: string | undefined,
    via: 'notify' | 'query' | 'exempt',
    paidAt: Date,
  ) {
    return events.publish('payments.order.paid', {
      orderId: order.id,
      applicationId: order.application_id,
      caseNumber: order.case_number,
      taskId: order.task_id,
      matterCode: order.matter_code,
      departmentCode: order.department_code,
      payerId: order.payer_id,
      ...(order.payer_name_masked ? { payerName: order.payer_name_masked } : {}),
      amountFen: Number(order.amount_fen),
      channel,
      ...(tradeNo === undefined ? {} : { channelTradeNo: tradeNo }),
      via,
      items: order.items,
      paidAt: paidAt.toISOString(),
    });
  }

  // --- the payer ------------------------------------------------------------------------------

  findOrder(id: string): Promise<OrderRow | undefined> {
    return findOrder(this.db, id);
  }

  /** An officer's departments' orders, of one status or all. */
  async departmentOrders(departments: readonly string[], status?: PaymentOrderStatus): Promise<PaymentOrderView[]> {
    return (await ordersOfDepartments(this.db, departments, status)).map(orderView);
  }

  async ordersOf(payerId: string): Promise<PaymentOrderView[]> {
    return (await ordersOfPayer(this.db, payerId)).map(orderView);
  }

  /** The payer's own order; another's answers 404 like an unknown one. */
  async ownOrder(payerId: string, id: string): Promise<OrderRow> {
    const order = await findOrder(this.db, id);
    if (!order || order.payer_id !== payerId) throw new PaymentsError('PAYMENTS_ORDER_NOT_FOUND', { id });
    return order;
  }

  /**
   * A cashier session at the channel (90 minutes, never beyond the order's expiry). The return
   * URL carries a random token only; the same Idempotency-Key answers the same live session.
   */
  async checkout(payerId: string, orderId: string, idempotencyKey: string | undefined): Promise<CheckoutView> {
    const order = await this.ownOrder(payerId, orderId);
    const now = this.now();
    if (idempotencyKey) {
      const same = await findCheckoutByKey(this.db, order.id, idempotencyKey);
      if (same && same.expires_at > now && order.status === 'pending')
        return { orderId: order.id, nextUrl: same.next_url, expiresAt: same.expires_at.toISOString() };
    }
    if (order.status !== 'pending')
      throw order.status === 'expired'
        ? new PaymentsError('PAYMENTS_ORDER_EXPIRED')
        : new PaymentsError('PAYMENTS_ORDER_NOT_PAYABLE', { status: order.status });
    if (order.expires_at <= now) throw new PaymentsError('PAYMENTS_ORDER_EXPIRED');
    const token = randomBytes(24).toString('base64url');
    const limit = new Date(now.getTime() + this.ctx.config.payments.checkoutMinutes * 60_000);
    const expiresAt = limit < order.expires_at ? limit : order.expires_at;
    const origin = this.ctx.origin();
    let session: { sessionId: string; nextUrl: string };
    try {
      session = await this.channel.createSession({
        orderId: order.id,
        amountFen: Number(order.amount_fen),
        subject: `${order.matter_name.zh} ${order.case_number}`,
        notifyUrl: `${origin}/api/payments/callbacks/${this.channel.name}`,
        returnUrl: `${origin}/payments/return/${token}`,
        expiresAt,
      });
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      this.ctx.log.warn({ err: error, orderId }, 'the channel did not open a session');
      throw new PaymentsError('PAYMENTS_CHANNEL_UNAVAILABLE');
    }
    try {
      await this.ctx.transaction(async (trx) =>
        insertCheckout(typed(trx), {
          token,
          order_id: order.id,
          payer_id: payerId,
          channel: this.channel.name,
          session_id: session.sessionId,
          next_url: session.nextUrl,
          idempotency_key: idempotencyKey ?? null,
          created_at: now,
          expires_at: expiresAt,
        }),
      );
    } catch (error) {
      // The same key raced in twice: the first session is the answer.
      const same =
        idempotencyKey && isUniqueViolation(error) && (await findCheckoutByKey(this.db, order.id, idempotencyKey));
      if (!same) throw error;
      return { orderId: order.id, nextUrl: same.next_url, expiresAt: same.expires_at.toISOString() };
    }
    return { orderId: order.id, nextUrl: session.nextUrl, expiresAt: expiresAt.toISOString() };
  }

  /** Where the payer's browser comes back to: the order, asked of the channel first while still pending (the notify may be late). */
  async checkoutReturn(
    payerId: string,
    token: string,
    query: (orderId: string) => Promise<unknown>,
  ): Promise<PaymentOrderView> {
    const checkout = await findCheckout(this.db, token);
    if (!checkout || checkout.payer_id !== payerId) throw new PaymentsError('PAYMENTS_CHECKOUT_NOT_FOUND');
    let order = await findOrder(this.db, checkout.order_id);
    if (!order) throw new PaymentsError('PAYMENTS_CHECKOUT_NOT_FOUND');
    if (order.status === 'pending' || order.status === 'expired') {
      try {
        await query(order.id);
      } catch (error) {
        this.ctx.log.warn({ err: error, orderId: order.id }, 'active query at checkout return failed');
      }
      order = (await findOrder(this.db, checkout.order_id))!;
    }
    return orderView(order);
  }
}

export type { ModuleTrx };
