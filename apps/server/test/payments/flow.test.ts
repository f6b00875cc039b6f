// Issue 15 end to end across the modules, with nothing standing in for any of them but the data
// hub's registry answer and the payment channel (the bundled simulator, on a socket of its own):
// a citizen applies for 居民身份证换领; the workflow starts the task awaiting payment; payments
// hears it, asks the catalog and the workflow's payment facts (its own service token, issued by
// identity), assesses 20.00 元 and opens an order; the citizen checks out and pays at the cashier;
// the signed notify is counted once; the workflow moves the task on and 秒批 approves it; the
// licences module issues the receipt (非税收入票据) and payments names it on the order; notify tells
// each step in the inbox and by SMS. A citizen aged 60 or over pays nothing (the exemption, checked
// against the verified ID number), and gets no receipt.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import type { PrefillValue } from '@tongban/contracts';
import identity from '@tongban/identity';
import { databaseLabel } from '@tongban/kernel/testing';
import licenses from '@tongban/licenses';
import notify from '@tongban/notify';
import payments from '@tongban/payments';
import { paysim, type PaysimControls } from '@tongban/paysim';
import workflow from '@tongban/workflow';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { fakeDatahub } from '../workflow/fake-datahub.ts';
import { applyForRenewal, startWorkflow, taskOf, type Harness } from '../workflow/fixtures.ts';

const RENEWAL = '330100-GA-003';
const GA = '330100-GA';
const population = (element: string, value: unknown, item: string): PrefillValue => ({
  element,
  value,
  source: { resource: 'population', department: GA, collectedAt: '2026-11-20T08:00:00.000Z', item },
  verified: true,
});

describe(`a fee paid once, end to end across the modules (${databaseLabel})`, () => {
  let h: Harness;
  let sim: PaysimControls;
  let simServer: FastifyInstance;
  const hub = fakeDatahub();
  let idNumber = '33010619900101123X';

  before(async () => {
    // The channel keeps the platform's (test) clock: its sessions expire 90 minutes after that clock's now.
    const plugin = paysim({ testControls: true, retryDelaysMs: [], now: () => h.clock.now() });
    sim = plugin.controls;
    simServer = Fastify();
    await simServer.register(plugin, { prefix: '/paysim' });
    const simUrl = `${await simServer.listen({ host: '127.0.0.1', port: 0 })}/paysim`;
    h = await startWorkflow({
      modules: [catalog, identity, workflow, hub.module, licenses, payments, notify],
      identity: true,
      env: {
        TONGBAN_PORT: '0',
        TONGBAN_PAYMENTS_CHANNEL: 'simulator',
        TONGBAN_PAYMENTS_CHANNEL_URL: simUrl,
        TONGBAN_PAYMENTS_QUERY_INTERVAL_MS: '3600000',
        TONGBAN_NOTIFY_WORKER_INTERVAL_MS: '3600000',
      },
    });
    await h.p.listen();
    hub.answer = () => ({
      values: [
        population('person.name', '张三', 'name'),
        population('person.idNumber', idNumber, 'idNumber'),
        population('person.mobile', '13800000001', 'mobile'),
        population('household.address', '浙江省杭州市西湖区文三路 1 号', 'householdAddress'),
      ],
      consentNeeded: [],
      missing: [],
    });
  });
  after(async () => {
    await h.p.dispose();
    await simServer.close();
  });

  /** Every module's worker, until nothing is left to do: what a second of the running platform does. */
  async function settle(): Promise<void> {
    for (let round = 0; round < 5; round++) {
      await h.p.bus.settled();
      await h.p.instanceOf(payments).kick();
      await h.p.instanceOf(workflow).payments.kick();
      await h.p.instanceOf(licenses).kick();
      await h.p.bus.settled();
      await h.p.instanceOf(notify).kick();
    }
  }

  const apply = (citizen: string) => applyForRenewal(h, citizen);

  test('apply → awaiting payment → an order of ¥20.00 → paid at the cashier → 秒批 → the receipt, each step told', async () => {
    const { who, app, task } = await apply('c-flow');
    assert.equal(task.state, 'awaiting_payment');
    await settle();

    const orders = await h.call('GET', '/api/payments/me/orders', who);
    assert.equal(orders.status, 200, JSON.stringify(orders.body));
    assert.equal(orders.body.length, 1);
    const [order] = orders.body;
    assert.deepEqual(
      [order.taskId, order.status, order.amountFen, order.caseNumber],
      [task.id, 'pending', 2000, app.caseNumber],
    );
    // The workflow names the order on the task, for the portal's 去缴费.
    const waiting = await h.call('GET', `/api/workflow/applications/${app.id}`, who);
    const waitingTask = taskOf(waiting.body, RENEWAL);
    assert.deepEqual([waitingTask.state, waitingTask.orderId], ['awaiting_payment', order.id]);

    const co = await h.call('POST', `/api/payments/me/orders/${order.id}/checkout`, who);
    assert.equal(co.status, 200, JSON.stringify(co.body));
    const pay = await fetch(`${co.body.nextUrl}/pay`, { method: 'POST', redirect: 'manual' });
    assert.equal(pay.status, 303);
    await sim.settled();
    await settle();

    const after = await h.call('GET', `/api/workflow/applications/${app.id}`, who);
    assert.equal(taskOf(after.body, RENEWAL).state, 'approved', JSON.stringify(taskOf(after.body, RENEWAL)));
    assert.equal(after.body.status, 'completed');
    const paid = await h.call('GET', `/api/payments/me/orders/${order.id}`, who);
    assert.equal(paid.body.status, 'paid');
    assert.ok(paid.body.receipt, 'the receipt is named on the order');
    const mine = await h.call('GET', '/api/licenses/me', who);
    const receipt = mine.body.licences.find((l: { id: string }) => l.id === paid.body.receipt.licenceId);
    assert.ok(receipt, JSON.stringify(mine.body));
    assert.equal(receipt.type.code, 'non-tax-receipt');
    assert.equal(receipt.identifier, paid.body.receipt.identifier);
    // 交款人: the registry-verified name, masked by payments when it made the order; never stored whole there.
    const detail = await h.call('GET', `/api/licenses/${receipt.id}`, who);
    assert.equal(detail.body.holder.name, '张*', JSON.stringify(detail.body));
    const stored = await sql<{
      name: string | null;
    }>`select payer_name_masked as name from payments.payment_order where id = ${order.id}`.execute(h.p.database.db);
    assert.equal(stored.rows[0]!.name, '张*');
    const payments_ = await sql<{
      n: number;
    }>`select count(*)::int as n from payments.payment where order_id = ${order.id}`.execute(h.p.database.db);
    assert.equal(payments_.rows[0]!.n, 1, 'one payment');

    // The inbox tells each step, and so does the development SMS sink.
    const notices = await h.call('GET', '/api/notify/me/notices?limit=50', who);
    assert.equal(notices.status, 200, JSON.stringify(notices.body));
    const kinds = new Set(notices.body.map((n: { kind: string }) => n.kind));
    for (const kind of ['submitted', 'payment_due', 'payment_received', 'approved', 'completed', 'licence_issued'])
      assert.ok(kinds.has(kind), `a ${kind} notice: ${[...kinds].join(', ')}`);
  });

  test('aged 60 or over by the verified ID number: nothing to pay, the task goes on at once, no receipt', async () => {
    idNumber = '330106195001011231';
    try {
      const { who, app } = await apply('c-senior');
      await settle();
      const [order] = (await h.call('GET', '/api/payments/me/orders', who)).body;
      assert.equal(order.status, 'waived');
      assert.equal(order.amountFen, 0);
      assert.equal(order.items[0].exemption.code, 'senior-60');
      const view = await h.call('GET', `/api/workflow/applications/${app.id}`, who);
      assert.equal(taskOf(view.body, RENEWAL).state, 'approved');
      assert.equal(order.receipt, null);
    } finally {
      idNumber = '33010619900101123X';
    }
  });
});
