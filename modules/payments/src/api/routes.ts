// The payer's orders and checkout, the department's orders and refunds, and the operators'
// reconciliations. The channel's callbacks are in callbacks.ts.
import { CheckoutView, PaymentOrderListView, PaymentOrderView, PAYMENT_ORDER_STATUSES } from '@tongban/contracts';
import { definePolicies, type HttpApp } from '@tongban/kernel';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { PaymentsError } from '../errors.ts';
import type { Payments } from '../service/payments.ts';
import { reconcile, reconciliationReport } from '../service/reconcile.ts';
import { refund, refundsOfOrder } from '../service/refunds.ts';
import { queryOrder } from '../service/settle.ts';
import { orderView } from '../service/views.ts';
import { callbackRoutes } from './callbacks.ts';
import { ReconciliationBody, ReconciliationView, RefundBody, RefundListView, RefundView } from './schemas.ts';

const OrderRef = Type.Object({ id: Type.String({ format: 'uuid' }) });
const TokenRef = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$' }) });
const IdempotencyHeaders = (required: boolean) =>
  Type.Object(
    required
      ? { 'idempotency-key': Type.String({ minLength: 8, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' }) }
      : {
          'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' })),
        },
  );

export function paymentRoutes(app: HttpApp, payments: Payments): void {
  const scopeOf = async (r: FastifyRequest) => {
    const id = (r.params as { id: string }).id;
    const order = await payments.findOrder(id);
    if (!order) throw new PaymentsError('PAYMENTS_ORDER_NOT_FOUND', { id });
    return { departmentCode: order.department_code };
  };
  const policies = definePolicies({
    // The payer only: another person's order is not found (checked in the handler, so it answers 404).
    payer: { kinds: ['citizen', 'business'], assurance: 'password' },
    departmentOrders: { kinds: ['officer'], assurance: 'mfa' },
    // An officer of the order's department, multi-factor: what money was taken and given back.
    departmentOrder: { kinds: ['officer'], assurance: 'mfa', resource: scopeOf },
    operator: { kinds: ['operator'], assurance: 'mfa' },
  });
  const payerOf = (r: FastifyRequest) => r.principal!.actingFor ?? r.principal!.id;
  const tags = ['payments'];

  app.get(
    '/me/orders',
    {
      config: { policy: policies.payer },
      schema: { tags, summary: 'My payment orders (缴费), newest first', response: { 200: PaymentOrderListView } },
    },
    async (req) => payments.ordersOf(payerOf(req)),
  );

  app.get(
    '/me/orders/:id',
    {
      config: { policy: policies.payer },
      schema: { tags, summary: 'One of my payment orders', params: OrderRef, response: { 200: PaymentOrderView } },
    },
    async (req) => orderView(await payments.ownOrder(payerOf(req), req.params.id)),
  );

  app.post(
    '/me/orders/:id/checkout',
    {
      config: { policy: policies.payer },
      schema: {
        tags,
        summary: 'Pay an order: a cashier session at the channel (90 minutes) and where to send the browser',
        params: OrderRef,
        headers: IdempotencyHeaders(false),
        response: { 200: CheckoutView },
      },
    },
    async (req) => payments.checkout(payerOf(req), req.params.id, req.headers['idempotency-key']),
  );

  app.get(
    '/me/checkouts/:token',
    {
      config: { policy: policies.payer },
      schema: {
        tags,
        summary: 'Back from the channel: the order, asked of the channel first while it is still pending',
        params: TokenRef,
        response: { 200: PaymentOrderView },
      },
    },
    async (req) => payments.checkoutReturn(payerOf(req), req.params.token, (id) => queryOrder(payments, id)),
  );

  app.get(
    '/orders',
    {
      config: { policy: policies.departmentOrders },
      schema: {
        tags,
        summary: "My departments' payment orders, newest first",
        querystring: Type.Object({ state: Type.Optional(Type.Enum(PAYMENT_ORDER_STATUSES)) }),
        response: { 200: PaymentOrderListView },
      },
    },
    async (req) => payments.departmentOrders(req.principal!.departments, req.query.state),
  );

  app.get(
    '/orders/:id',
    {
      config: { policy: policies.departmentOrder },
      schema: {
        tags,
        summary: 'A payment order of my department',
        params: OrderRef,
        response: { 200: PaymentOrderView },
      },
    },
    async (req) => {
      const order = await payments.findOrder(req.params.id);
      if (!order) throw new PaymentsError('PAYMENTS_ORDER_NOT_FOUND', { id: req.params.id });
      return orderView(order);
    },
  );

  app.get(
    '/orders/:id/refunds',
    {
      config: { policy: policies.departmentOrder },
      schema: { tags, summary: "An order's refunds", params: OrderRef, response: { 200: RefundListView } },
    },
    async (req) => refundsOfOrder(payments, req.params.id),
  );

  app.post(
    '/orders/:id/refunds',
    {
      config: { policy: policies.departmentOrder },
      schema: {
        tags,
        summary: 'Refund an order in full or in part (退款); the same Idempotency-Key answers the same refund',
        params: OrderRef,
        headers: IdempotencyHeaders(true),
        body: RefundBody,
        response: { 200: RefundView },
      },
    },
    async (req) => {
      const p = req.principal!;
      return refund(
        payments,
        req.params.id,
        { amountFen: req.body.amountFen, reason: req.body.reason, idempotencyKey: req.headers['idempotency-key'] },
        { kind: p.kind, id: p.id },
      );
    },
  );

  app.post(
    '/reconciliations',
    {
      config: { policy: policies.operator },
      schema: {
        tags,
        summary: "Reconcile a day (对账) against the channel's statement file: matched and discrepancies",
        body: ReconciliationBody,
        response: { 200: ReconciliationView },
      },
    },
    async (req) => reconcile(payments, req.body.channel, req.body.day, `${req.principal!.kind}:${req.principal!.id}`),
  );

  app.get(
    '/reconciliations/:id',
    {
      config: { policy: policies.operator },
      schema: {
        tags,
        summary: 'A reconciliation report',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: ReconciliationView },
      },
    },
    async (req) => reconciliationReport(payments, req.params.id),
  );

  callbackRoutes(app, payments);
}
