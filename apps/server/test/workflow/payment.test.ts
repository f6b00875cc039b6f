// Issue 15, the workflow's side of payments: a task whose matter has fees starts awaiting payment
// (no clock, no officer may act), payments names its order (payments.order.created), and
// payments.order.paid moves it on — 秒批 decides the demo 居民身份证换领 at once — while
// payments.order.expired ends it and the application closes. The payments module is written in
// parallel: a stand-in named `payments` publishes its events here, as the real one will.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import type { EventData, PrefillValue } from '@tongban/contracts';
import identity from '@tongban/identity';
import { defineModule } from '@tongban/kernel';
import { databaseLabel } from '@tongban/kernel/testing';
import workflow from '@tongban/workflow';
import { sql } from 'kysely';
import { fakeDatahub } from './fake-datahub.ts';
import { act, applyForRenewal as applyRenewal, startWorkflow, taskOf, type Harness } from './fixtures.ts';

const RENEWAL = '330100-GA-003';
const GA = '330100-GA';
const ZHANG = '33010619900101123X';
const population = (element: string, value: unknown, item: string): PrefillValue => ({
  element,
  value,
  source: { resource: 'population', department: GA, collectedAt: '2026-11-20T08:00:00.000Z', item },
  verified: true,
});

/** The stand-in: only its name (so the workflow knows payments runs), its service key, its events. */
const payments = defineModule({
  name: 'payments',
  title: { zh: '统一支付（测试替身）', en: 'Payments (test double)' },
  secrets: ['payments-service-key'],
});

describe(`the workflow waits for payment (${databaseLabel})`, () => {
  let h: Harness;
  const hub = fakeDatahub();
  before(async () => {
    h = await startWorkflow({ modules: [catalog, identity, workflow, hub.module, payments], identity: true });
    hub.answer = () => ({
      values: [
        population('person.name', '张三', 'name'),
        population('person.idNumber', ZHANG, 'idNumber'),
        population('person.mobile', '13800000001', 'mobile'),
        population('household.address', '浙江省杭州市西湖区文三路 1 号', 'householdAddress'),
      ],
      consentNeeded: [],
      missing: [],
    });
  });
  after(() => h.p.dispose());

  const publish = async <K extends 'payments.order.created' | 'payments.order.paid' | 'payments.order.expired'>(
    type: K,
    data: EventData<K>,
  ) => {
    await h.p.contexts.get('payments')!.transaction((_trx, events) => events.publish(type, data as never));
    await h.p.bus.settled();
    await h.p.instanceOf(workflow).payments.kick();
  };

  /** A 居民身份证换领 applied for online with the population register's values. */
  const applyForRenewal = (citizen: string) => applyRenewal(h, citizen);
  const view = async (who: Record<string, string>, id: string) => {
    const r = await h.call('GET', `/api/workflow/applications/${id}`, who);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const order = (app: { id: string }, task: { id: string }, orderId: string, applicantId: string) => ({
    orderId,
    applicationId: app.id,
    taskId: task.id,
    matterCode: RENEWAL,
    payerId: applicantId,
    at: h.clock.now().toISOString(),
  });
  const paid = (app: { id: string }, task: { id: string }, orderId: string, applicantId: string) => ({
    ...order(app, task, orderId, applicantId),
    departmentCode: GA,
    amountFen: 2000,
    channel: 'simulator',
    channelTradeNo: `T${orderId}`,
    via: 'notify' as const,
    items: [
      { code: 'id-card-fee', name: { zh: '居民身份证工本费', en: 'Resident identity card fee' }, amountFen: 2000 },
    ],
    paidAt: h.clock.now().toISOString(),
  });

  test('a matter with fees starts awaiting payment: no clock runs, the applicant is told to pay, no officer may act', async () => {
    const { app, task } = await applyForRenewal('c-pay-wait');
    assert.equal(task.state, 'awaiting_payment');
    assert.deepEqual(task.stateName, { zh: '待缴费', en: 'Awaiting payment' });
    assert.equal(task.dueOn, null, 'the promised days count from payment');
    assert.equal(app.status, 'in_progress');
    assert.deepEqual(
      app.needed.map((n: { kind: string; taskId: string }) => [n.kind, n.taskId]),
      [['payment', task.id]],
    );
    const officer = await h.officer(GA, ['officer', 'approver']);
    const accept = await act(h, officer, task.id, { action: 'accept', version: task.version });
    assert.equal(accept.status, 409, JSON.stringify(accept.body));
    assert.equal(accept.body.code, 'WORKFLOW_AWAITING_PAYMENT');
    const reject = await act(h, officer, task.id, { action: 'reject', version: task.version, reason: '测试' });
    assert.equal(reject.body.code, 'WORKFLOW_AWAITING_PAYMENT');
    const claim = await h.call('POST', `/api/workflow/tasks/${task.id}/claim`, officer, { version: task.version });
    assert.equal(claim.body.code, 'WORKFLOW_AWAITING_PAYMENT', JSON.stringify(claim.body));
    // Not in the department's queue: it is not theirs until paid.
    const queue = await h.call('GET', `/api/workflow/queue?department=${GA}`, officer);
    assert.equal(queue.status, 200, JSON.stringify(queue.body));
    assert.ok(!queue.body.some((row: { taskId: string }) => row.taskId === task.id));
  });

  test('the order payments created is named on the task and in what the applicant needs, once', async () => {
    const { who, app, task } = await applyForRenewal('c-pay-order');
    const created = {
      ...order(app, task, 'po-order-1', 'c-pay-order'),
      amountFen: 2000,
      status: 'pending' as const,
      expiresAt: '2026-12-16T02:00:00.000Z',
    };
    await publish('payments.order.created', created);
    await publish('payments.order.created', created); // delivered again: nothing more
    const seen = await view(who, app.id);
    const t = taskOf(seen, RENEWAL);
    assert.deepEqual([t.state, t.orderId, t.amountFen], ['awaiting_payment', 'po-order-1', 2000]);
    assert.deepEqual(
      seen.needed.map((n: { kind: string; orderId: string; amountFen: number }) => [n.kind, n.orderId, n.amountFen]),
      [['payment', 'po-order-1', 2000]],
    );
    const timeline = await h.call('GET', `/api/workflow/applications/${app.id}/timeline`, who);
    const orders = timeline.body.filter((e: { action: string }) => e.action === 'payment_order');
    assert.equal(orders.length, 1, JSON.stringify(timeline.body));
    assert.equal(orders[0].actionName.zh, '生成缴费订单');
    // Another application's task named by the event: nothing is written to this one or that.
    await publish('payments.order.created', { ...created, orderId: 'po-other', applicationId: randomUUID() });
    assert.equal(taskOf(await view(who, app.id), RENEWAL).orderId, 'po-order-1');
  });

  test('paid: the task is submitted, its clock starts, 秒批 decides it at once and the application completes — once under redelivery', async () => {
    const { who, app, task } = await applyForRenewal('c-pay-paid');
    const event = paid(app, task, 'po-paid-1', 'c-pay-paid');
    await publish('payments.order.paid', event);
    await publish('payments.order.paid', event); // a second notify the payments module let through, or a redelivery
    const seen = await view(who, app.id);
    const t = taskOf(seen, RENEWAL);
    assert.equal(t.state, 'approved', JSON.stringify(t));
    assert.equal(seen.status, 'completed');
    assert.deepEqual([t.orderId, t.amountFen], ['po-paid-1', 2000]);
    assert.notEqual(t.dueOn, null, 'the clock started on payment');
    assert.deepEqual(seen.needed, []);
    const timeline = (await h.call('GET', `/api/workflow/applications/${app.id}/timeline`, who)).body;
    const steps = timeline.map((e: { action: string }) => e.action);
    assert.deepEqual(steps, ['submit', 'startAwaitingPayment', 'paymentReceived', 'autoApprove', 'complete']);
    assert.equal(timeline[2].actionName.zh, '已缴费');
    // One payment-received event for the task, whatever the deliveries.
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from workflow.outbox
      where type = 'workflow.task.payment-received' and data->>'taskId' = ${task.id}`.execute(h.p.database.db);
    assert.equal(rows[0]!.n, 1);
  });

  test('expired: the task ends with the reason and the application closes; a late paid event then changes nothing', async () => {
    const { who, app, task } = await applyForRenewal('c-pay-lapse');
    await publish('payments.order.expired', order(app, task, 'po-lapse-1', 'c-pay-lapse'));
    let seen = await view(who, app.id);
    assert.equal(taskOf(seen, RENEWAL).state, 'cancelled');
    assert.equal(seen.status, 'closed');
    const timeline = (await h.call('GET', `/api/workflow/applications/${app.id}/timeline`, who)).body;
    const lapsed = timeline.find((e: { action: string }) => e.action === 'paymentLapsed');
    assert.match(lapsed.reason, /逾期未缴费/);
    await publish('payments.order.paid', paid(app, task, 'po-lapse-1', 'c-pay-lapse'));
    seen = await view(who, app.id);
    assert.deepEqual([taskOf(seen, RENEWAL).state, seen.status], ['cancelled', 'closed']);
  });

  test('paid heard after an expiry the worker has not applied yet wins: the money was taken, the task goes on', async () => {
    const { who, app, task } = await applyForRenewal('c-pay-late');
    const ctx = h.p.contexts.get('payments')!;
    // The worker held (no timer, no kick after a delivery) so both are heard before it runs.
    const worker = h.p.instanceOf(workflow).payments;
    await worker.stop();
    await ctx.transaction((_trx, events) =>
      events.publish('payments.order.expired', order(app, task, 'po-late-1', 'c-pay-late')),
    );
    await ctx.transaction((_trx, events) =>
      events.publish('payments.order.paid', paid(app, task, 'po-late-1', 'c-pay-late')),
    );
    await h.p.bus.settled();
    await worker.kick();
    worker.start();
    const seen = await view(who, app.id);
    assert.deepEqual([taskOf(seen, RENEWAL).state, seen.status], ['approved', 'completed']);
  });

  test('the applicant may withdraw while awaiting payment; a payment heard after that moves nothing', async () => {
    const { who, app, task } = await applyForRenewal('c-pay-withdraw');
    const r = await h.call('POST', `/api/workflow/applications/${app.id}/withdraw`, who, { reason: '不再需要' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await publish('payments.order.paid', paid(app, task, 'po-withdrawn-1', 'c-pay-withdraw'));
    const seen = await view(who, app.id);
    assert.deepEqual([taskOf(seen, RENEWAL).state, seen.status], ['withdrawn', 'withdrawn']);
  });

  test('payment facts: the payments client reads the payer and only the verified values the fees name; every other principal is refused', async () => {
    const { app, task } = await applyForRenewal('c-pay-facts');
    const url = `/api/workflow/services/tasks/${task.id}/payment-facts`;
    const own = await h.p.contexts.get('payments')!.serviceToken();
    const r = await h.call('GET', url, { authorization: `Bearer ${own}` });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, {
      taskId: task.id,
      applicationId: app.id,
      caseNumber: app.caseNumber,
      matterCode: RENEWAL,
      matterVersion: task.matterVersion,
      departmentCode: GA,
      payer: { id: 'c-pay-facts', kind: 'citizen' },
      payerName: '张三',
      // The exemption reads the verified ID number (its date of birth); mobile and address stay out.
      verified: { 'person.idNumber': ZHANG },
      awaitingPayment: true,
    });
    const workflowToken = await h.p.contexts.get('workflow')!.serviceToken();
    assert.equal(
      (await h.call('GET', url, { authorization: `Bearer ${workflowToken}` })).status,
      403,
      'another client',
    );
    assert.equal((await h.call('GET', url, await h.citizen('c-pay-facts'))).status, 403, 'the payer');
    assert.equal((await h.call('GET', url, await h.officer(GA, ['officer']))).status, 403, 'an officer');
    assert.equal((await h.call('GET', url, {})).status, 401, 'anonymous');
    const unknown = await h.call('GET', `/api/workflow/services/tasks/${randomUUID()}/payment-facts`, {
      authorization: `Bearer ${own}`,
    });
    assert.equal(unknown.status, 404);
  });
});

describe(`without a payments module fees are paid as before (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow();
  });
  after(() => h.p.dispose());

  test('a matter with fees starts submitted, its clock running', async () => {
    const r = await h.call(
      'POST',
      '/api/workflow/applications',
      { ...(await h.citizen('c-no-payments')), 'idempotency-key': randomUUID() },
      {
        subject: { kind: 'matter', code: RENEWAL },
        form: {
          applicantName: '张三',
          applicantIdNumber: ZHANG,
          applicantMobile: '13800000001',
          householdAddress: '浙江省杭州市西湖区文三路 1 号',
          pickup: '2',
        },
        materials: [],
      },
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const task = taskOf(r.body, RENEWAL);
    assert.equal(task.state, 'submitted');
    assert.notEqual(task.dueOn, null);
    assert.deepEqual(r.body.needed, []);
  });
});
