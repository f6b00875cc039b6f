// Issue 15, payments: a citizen pays an order through the simulator over real HTTP; the notify
// counts it once however often it comes; forged, replayed, stale and mismatched callbacks are
// refused with a record and a security event; a crash between the notify and our commit is
// caught by the active query and counted once; refunds are partial, full and idempotent; the
// reconciliation finds a planted discrepancy; every route refuses the wrong principal.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import payments, { canonicalString, noteReceipt, Payments, signParams } from '@tongban/payments';
import { sql } from 'kysely';
import { APP_ID, DEPT, factsFor, matterWithFee, payAtCashier, startPayments, type PayHarness } from './harness.ts';

describe(`payments through the channel simulator (${databaseLabel})`, () => {
  let h: PayHarness;
  before(async () => {
    h = await startPayments();
  });
  after(() => h.close());

  const checkout = async (citizen: string, orderId: string, key?: string) =>
    h.call('POST', `/api/payments/me/orders/${orderId}/checkout`, {
      ...(await h.citizen(citizen)),
      ...(key ? { 'idempotency-key': key } : {}),
    });
  const paymentsOf = async (orderId: string) =>
    (
      await sql<{ n: number }>`select count(*)::int as n from payments.payment where order_id = ${orderId}`.execute(
        h.p.database.db,
      )
    ).rows[0]!.n;
  const paidEvents = async (orderId: string) =>
    (await h.events('payments.order.paid')).filter((e) => e.orderId === orderId);
  const callbacks = async (orderId: string) =>
    (
      await sql<{
        outcome: string;
        reason: string | null;
      }>`select outcome, reason from payments.callback_log where order_id = ${orderId} order by id`.execute(
        h.p.database.db,
      )
    ).rows;
  const postNotify = async (form: Record<string, string>) => {
    const res = await fetch(`${h.origin}/api/payments/callbacks/simulator`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, text: await res.text() };
  };
  const notifyFor = (orderId: string, amount: string, extra: Record<string, string> = {}) => ({
    notify_id: `n-${Math.random().toString(36).slice(2)}`,
    notify_time: h.clock.now().toISOString(),
    notify_type: 'trade_status_sync',
    app_id: APP_ID,
    trade_no: `T${Math.random().toString(36).slice(2)}`,
    out_trade_no: orderId,
    total_amount: amount,
    trade_status: 'TRADE_SUCCESS',
    gmt_payment: h.clock.now().toISOString(),
    sign_type: 'RSA2',
    ...extra,
  });

  test('an assessed order is the payer’s alone: listed, read, and another citizen’s answers 404', async () => {
    const order = await h.order('c-own');
    const mine = await h.call('GET', '/api/payments/me/orders', await h.citizen('c-own'));
    assert.equal(mine.status, 200, mine.text);
    assert.deepEqual(
      mine.body.map((o: { id: string }) => o.id),
      [order.id],
    );
    assert.equal(mine.body[0].status, 'pending');
    assert.equal(mine.body[0].amountFen, 2000);
    assert.equal((await h.call('GET', `/api/payments/me/orders/${order.id}`, await h.citizen('c-own'))).status, 200);
    assert.equal((await h.call('GET', `/api/payments/me/orders/${order.id}`, await h.citizen('c-other'))).status, 404);
    assert.equal((await checkout('c-other', order.id)).status, 404, 'another citizen cannot check it out');
    assert.equal((await h.call('GET', '/api/payments/me/orders', await h.officer())).status, 403, 'an officer');
    assert.equal((await h.call('GET', '/api/payments/me/orders', {})).status, 401, 'anonymous');
    const [created] = (await h.events('payments.order.created')).filter((e) => e.orderId === order.id);
    assert.equal(created.status, 'pending');
    assert.equal(created.amountFen, 2000);
  });

  test('a citizen pays at the cashier: one payment, one paid event via notify, and no order id in the return URL', async () => {
    const order = await h.order('c-pay');
    const co = await checkout('c-pay', order.id, 'checkout-key-1');
    assert.equal(co.status, 200, co.text);
    assert.ok(co.body.nextUrl.startsWith(`${h.simUrl}/cashier/`));
    const again = await checkout('c-pay', order.id, 'checkout-key-1');
    assert.equal(again.body.nextUrl, co.body.nextUrl, 'the same Idempotency-Key: the same session');
    const trade = h.sim.trade(APP_ID, order.id)!;
    assert.match(trade.returnUrl, new RegExp(`^${h.origin}/payments/return/[A-Za-z0-9_-]{32}$`));
    assert.ok(!trade.returnUrl.includes(order.id), 'no order id in the return URL');
    assert.equal(new Date(co.body.expiresAt).getTime() - h.clock.now().getTime(), 90 * 60_000, 'a 90-minute session');

    const { page, location } = await payAtCashier(h, co.body.nextUrl);
    assert.match(page, /确认支付/);
    assert.match(page, /¥20\.00/);
    assert.equal(location, trade.returnUrl);
    const view = await h.call('GET', `/api/payments/me/orders/${order.id}`, await h.citizen('c-pay'));
    assert.equal(view.body.status, 'paid');
    assert.equal(view.body.channel, 'simulator');
    assert.equal(await paymentsOf(order.id), 1);
    const paid = await paidEvents(order.id);
    assert.equal(paid.length, 1);
    assert.equal(paid[0].via, 'notify');
    assert.equal(paid[0].amountFen, 2000);
    assert.equal(paid[0].departmentCode, DEPT);
    assert.equal((await checkout('c-pay', order.id)).status, 409, 'a paid order is not paid again');
    // Back from the channel: the return token shows the order to its payer, to no one else.
    const token = trade.returnUrl.split('/').pop()!;
    const back = await h.call('GET', `/api/payments/me/checkouts/${token}`, await h.citizen('c-pay'));
    assert.equal(back.status, 200, back.text);
    assert.equal(back.body.status, 'paid');
    assert.equal((await h.call('GET', `/api/payments/me/checkouts/${token}`, await h.citizen('c-else'))).status, 404);
  });

  test('the same notify twice, and a second notify of the same trade, make one payment and one paid event', async () => {
    const order = await h.order('c-double');
    const co = await checkout('c-double', order.id);
    h.sim.duplicateNextNotify();
    await payAtCashier(h, co.body.nextUrl);
    await h.sim.redeliver(APP_ID, order.id);
    assert.equal(await paymentsOf(order.id), 1);
    assert.equal((await paidEvents(order.id)).length, 1);
    const log = await callbacks(order.id);
    assert.deepEqual(
      log.map((l) => `${l.outcome}:${l.reason ?? ''}`),
      ['accepted:', 'refused:replayed', 'refused:replayed'],
    );
    assert.ok(
      h.sim.notifies.filter((n) => n.outTradeNo === order.id).every((n) => n.answer === 'success'),
      'the channel is told success each time, so it stops retrying',
    );
    // Another notify id for the same trade (a channel that sends two): a duplicate, counted once.
    const trade = h.sim.trade(APP_ID, order.id)!;
    const second = h.sim.signNotify({
      ...notifyFor(order.id, '20.00'),
      trade_no: trade.tradeNo,
    });
    assert.equal((await postNotify(second)).text, 'success');
    assert.equal(await paymentsOf(order.id), 1);
    assert.equal((await paidEvents(order.id)).length, 1);
  });

  test('forged, stale, mismatched, unknown and malformed callbacks are refused, each logged with a security event', async () => {
    const order = await h.order('c-forge');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const cases: [string, Record<string, string>, string][] = [
      ['bad_signature', signParams(notifyFor(order.id, '20.00'), other, true), 'a key that is not the channel’s'],
      [
        'bad_signature',
        { ...h.sim.signNotify(notifyFor(order.id, '20.00')), total_amount: '0.01' },
        'a signed notify altered',
      ],
      ['amount_mismatch', h.sim.signNotify(notifyFor(order.id, '0.01')), 'another amount'],
      [
        'unknown_order',
        h.sim.signNotify(notifyFor('00000000-0000-4000-8000-000000000000', '20.00')),
        'an unknown order',
      ],
      [
        'order_mismatch',
        h.sim.signNotify(notifyFor(order.id, '20.00', { app_id: 'another-merchant' })),
        'another merchant',
      ],
      [
        'stale',
        h.sim.signNotify(
          notifyFor(order.id, '20.00', {
            notify_time: new Date(h.clock.now().getTime() - 27 * 3_600_000).toISOString(),
          }),
        ),
        'a day-old notify',
      ],
      ['malformed', { out_trade_no: order.id, sign: 'x' }, 'fields missing'],
    ];
    const before = (await h.events('payments.callback.refused')).length;
    for (const [, form, what] of cases) {
      const r = await postNotify(form);
      assert.equal(r.status, 200, what);
      assert.equal(r.text, 'fail', what);
    }
    const refused = (await h.events('payments.callback.refused')).slice(before);
    assert.deepEqual(
      refused.map((e) => e.reason),
      cases.map(([reason]) => reason),
    );
    assert.equal(refused[0].channel, 'simulator');
    assert.ok(refused[0].ip);
    assert.equal(await paymentsOf(order.id), 0);
    const view = await h.call('GET', `/api/payments/me/orders/${order.id}`, await h.citizen('c-forge'));
    assert.equal(view.body.status, 'pending', 'nothing counted');
  });

  test('a crash between the channel’s notify and our commit: the active query finds the payment and counts it once, the late notify too', async () => {
    const order = await h.order('c-crash');
    const co = await checkout('c-crash', order.id);
    h.payments().hooks.beforePaymentCommit = () => {
      throw new Error('crash before commit (test)');
    };
    try {
      await payAtCashier(h, co.body.nextUrl);
    } finally {
      h.payments().hooks.beforePaymentCommit = undefined;
    }
    assert.notEqual(h.sim.notifies.at(-1)!.answer, 'success', 'the channel was not told success');
    assert.equal(await paymentsOf(order.id), 0, 'rolled back');
    // Too early for the query (the notify may still come)…
    await h.payments().queryDue();
    assert.equal(await paymentsOf(order.id), 0);
    // …30 s on, it asks the channel.
    h.clock.set(new Date(h.clock.now().getTime() + 31_000).toISOString());
    await h.payments().queryDue();
    assert.equal(await paymentsOf(order.id), 1);
    const paid = await paidEvents(order.id);
    assert.equal(paid.length, 1);
    assert.equal(paid[0].via, 'query');
    // The channel's retry arrives late: a duplicate, answered success, nothing counted twice.
    assert.equal(await h.sim.redeliver(APP_ID, order.id), 'success');
    assert.equal(await paymentsOf(order.id), 1);
    assert.equal((await paidEvents(order.id)).length, 1);
  });

  test('a lost notify: the payer comes back before it, and the return asks the channel at once', async () => {
    const order = await h.order('c-lost');
    const co = await checkout('c-lost', order.id);
    h.sim.dropNextNotify();
    const { location } = await payAtCashier(h, co.body.nextUrl);
    const token = location!.split('/').pop()!;
    const back = await h.call('GET', `/api/payments/me/checkouts/${token}`, await h.citizen('c-lost'));
    assert.equal(back.status, 200, back.text);
    assert.equal(back.body.status, 'paid');
    assert.equal((await paidEvents(order.id))[0].via, 'query');
  });

  test('refunds: partial then full, idempotent by key, never beyond what was paid; only the department’s officers at mfa', async () => {
    const order = await h.order('c-refund');
    const co = await checkout('c-refund', order.id);
    await payAtCashier(h, co.body.nextUrl);
    const url = `/api/payments/orders/${order.id}/refunds`;
    const officer = await h.officer();
    const post = (headers: Record<string, string>, key: string, body: unknown) =>
      h.call('POST', url, { ...headers, 'idempotency-key': key }, body);

    assert.equal(
      (await post(await h.citizen('c-refund'), 'refund-key-0', { amountFen: 100, reason: 'x' })).status,
      403,
    );
    assert.equal(
      (await post(await h.officer('330100-WJW'), 'refund-key-0', { amountFen: 100, reason: 'x' })).status,
      403,
    );
    assert.equal(
      (await post(await h.officer(DEPT, false), 'refund-key-0', { amountFen: 100, reason: 'x' })).status,
      401,
      'step up',
    );
    assert.equal((await h.call('POST', url, officer, { amountFen: 100, reason: 'x' })).status, 400, 'no key');

    const part = await post(officer, 'refund-key-1', { amountFen: 500, reason: '多收退还' });
    assert.equal(part.status, 200, part.text);
    assert.equal(part.body.status, 'succeeded');
    const same = await post(officer, 'refund-key-1', { amountFen: 500, reason: '多收退还' });
    assert.equal(same.body.id, part.body.id, 'the same key: the same refund');
    const reused = await post(officer, 'refund-key-1', { amountFen: 600, reason: '多收退还' });
    assert.equal(reused.status, 422);
    assert.equal(reused.body.code, 'PAYMENTS_IDEMPOTENCY_KEY_REUSED');
    let view = await h.call('GET', `/api/payments/orders/${order.id}`, officer);
    assert.equal(view.body.status, 'partially_refunded');
    assert.equal(view.body.refundedFen, 500);

    const over = await post(officer, 'refund-key-2', { amountFen: 1501, reason: '退款' });
    assert.equal(over.status, 422);
    assert.equal(over.body.code, 'PAYMENTS_REFUND_EXCEEDS_PAID');
    const rest = await post(officer, 'refund-key-3', { amountFen: 1500, reason: '申请撤回' });
    assert.equal(rest.status, 200, rest.text);
    view = await h.call('GET', `/api/payments/orders/${order.id}`, officer);
    assert.equal(view.body.status, 'refunded');
    assert.equal(view.body.refundedFen, 2000);
    const refunds = (await h.events('payments.refund.succeeded')).filter((e) => e.orderId === order.id);
    assert.deepEqual(
      refunds.map((r) => [r.amountFen, r.refundedTotalFen]),
      [
        [500, 500],
        [1500, 2000],
      ],
    );
    assert.equal(h.sim.trade(APP_ID, order.id)!.refunds.length, 2, 'the channel refunded twice, not three times');
    const list = await h.call('GET', `${url}`, officer);
    assert.equal(list.body.length, 2);
  });

  test('the officer’s view: their departments’ orders, by state; another department’s order is refused', async () => {
    const order = await h.order('c-officer');
    const list = await h.call('GET', '/api/payments/orders?state=pending', await h.officer());
    assert.equal(list.status, 200, list.text);
    assert.ok(list.body.some((o: { id: string }) => o.id === order.id));
    assert.ok(list.body.every((o: { status: string }) => o.status === 'pending'));
    assert.deepEqual((await h.call('GET', '/api/payments/orders', await h.officer('330100-WJW'))).body, []);
    assert.equal((await h.call('GET', `/api/payments/orders/${order.id}`, await h.officer('330100-WJW'))).status, 403);
    assert.equal((await h.call('GET', `/api/payments/orders/${order.id}`, await h.citizen('c-officer'))).status, 403);
    assert.equal((await h.call('GET', '/api/payments/orders', await h.officer(DEPT, false))).status, 401);
  });

  test('the reconciliation finds planted discrepancies, and counts a payment whose notify was lost', async () => {
    const day = '2026-12-01';
    // A payment the channel took whose notify was lost, not yet queried: reconciliation counts it.
    const lost = await h.order('c-recon');
    const co = await checkout('c-recon', lost.id);
    h.sim.dropNextNotify();
    await payAtCashier(h, co.body.nextUrl);
    assert.equal(await paymentsOf(lost.id), 0);
    // Planted: a line for a trade we never had, and another amount for a paid one.
    const paidTrade = h.sim.trade(APP_ID, (await h.order('c-recon-2')).id);
    assert.equal(paidTrade, undefined);
    const known = (await h.events('payments.order.paid')).find((e) => e.via === 'notify');
    h.sim.plantStatementLine(day, {
      tradeNo: 'T-PLANTED',
      outTradeNo: '00000000-0000-4000-8000-0000000000aa',
      type: 'pay',
      amountFen: 990,
    });
    h.sim.plantAmount(day, known.channelTradeNo, 1999);

    const url = '/api/payments/reconciliations';
    assert.equal((await h.call('POST', url, await h.officer(), { channel: 'simulator', day })).status, 403);
    assert.equal((await h.call('POST', url, await h.citizen('c-recon'), { channel: 'simulator', day })).status, 403);
    assert.equal(
      (await h.call('POST', url, await h.operator(), { channel: 'simulator', day: '2026-13-01' })).status,
      400,
    );
    const r = await h.call('POST', url, await h.operator(), { channel: 'simulator', day });
    assert.equal(r.status, 200, r.text);
    const kinds = r.body.discrepancies.map(
      (d: { kind: string; key: string; resolution: string }) => `${d.kind}:${d.key}:${d.resolution}`,
    );
    assert.ok(kinds.includes('missing_ours:T-PLANTED:open'), kinds.join(' '));
    assert.ok(kinds.includes(`amount_differs:${known.channelTradeNo}:open`), kinds.join(' '));
    const counted = h.sim.trade(APP_ID, lost.id)!.tradeNo;
    assert.ok(kinds.includes(`missing_ours:${counted}:counted`), kinds.join(' '));
    assert.equal(await paymentsOf(lost.id), 1, 'the lost payment is counted now');
    assert.ok(r.body.matched >= 3, `matched ${r.body.matched}`);
    const report = await h.call('GET', `${url}/${r.body.id}`, await h.operator());
    assert.deepEqual(report.body, r.body);
    const [done] = (await h.events('payments.reconciliation.completed')).filter((e) => e.day === day);
    assert.equal(done.discrepancies, r.body.discrepancies.length);
  });

  test('an exemption that holds on verified data waives the order: waived and paid via exempt at once', async () => {
    const matter = {
      fees: [
        {
          code: 'id-card-fee',
          name: { zh: '证件工本费', en: 'Card fee' },
          amountFen: 2000,
          exemptions: [
            {
              code: 'elderly',
              name: { zh: '七十周岁以上老年人', en: 'Aged 70 or over' },
              when: { element: 'person.birthDate', ageAtLeast: 70 },
            },
          ],
        },
      ],
    };
    const order = await h.order('c-exempt', 2000, { 'person.birthDate': '1950-03-01' }, matter);
    assert.equal(order.status, 'waived');
    assert.equal(Number(order.amount_fen), 0);
    const [paid] = await paidEvents(order.id);
    assert.equal(paid.via, 'exempt');
    assert.equal(paid.channel, 'exempt');
    assert.equal(paid.items[0].exemption.code, 'elderly');
    const young = await h.order('c-young', 2000, { 'person.birthDate': '1990-03-01' }, matter);
    assert.equal(young.status, 'pending');
    assert.equal((await checkout('c-exempt', order.id)).status, 409, 'nothing to pay');
  });

  test('an order unpaid by its expiry expires with its event; a receipt issued for a task is shown on its order', async () => {
    const order = await h.order('c-expire');
    const paidOrder = await h.order('c-receipt');
    await h.payments().ctx.transaction(async (trx) => {
      await noteReceipt(trx, {
        licenceId: 'lic-1',
        identifier: '1.2.156.3005.2.x',
        typeCode: 'non-tax-receipt',
        holderId: 'c-receipt',
        departmentCode: '330100-CZ',
        applicationId: paidOrder.application_id,
        taskId: paidOrder.task_id,
        validFrom: h.clock.now().toISOString(),
        validUntil: null,
        statusList: { id: 'sl', index: 0 },
        at: h.clock.now().toISOString(),
      });
    });
    const receipt = await h.call('GET', `/api/payments/me/orders/${paidOrder.id}`, await h.citizen('c-receipt'));
    assert.deepEqual(receipt.body.receipt, { licenceId: 'lic-1', identifier: '1.2.156.3005.2.x' });

    h.clock.set(new Date(h.clock.now().getTime() + 16 * 86_400_000).toISOString());
    await h.p.runJob('payments', 'expire-orders');
    const view = await h.call('GET', `/api/payments/me/orders/${order.id}`, await h.citizen('c-expire'));
    assert.equal(view.body.status, 'expired');
    assert.ok((await h.events('payments.order.expired')).some((e) => e.orderId === order.id));
    const co = await checkout('c-expire', order.id);
    assert.equal(co.status, 409);
    assert.equal(co.body.code, 'PAYMENTS_ORDER_EXPIRED');
  });

  test('a started task is assessed once from the catalog and the workflow’s facts; a matter without fees makes no order', async () => {
    const facts = factsFor('c-started');
    let factsAsked = 0;
    const withFee = matterWithFee(2000);
    const assessor = new Payments(h.payments().ctx, h.payments().channel, {
      matter: async (code) => (code === withFee.code ? withFee : { ...withFee, code, fees: [] }),
      facts: async () => {
        factsAsked += 1;
        return facts;
      },
    });
    const order = await assessor.assessTask({ taskId: facts.taskId, matterCode: withFee.code });
    assert.equal(order?.status, 'pending');
    assert.equal(Number(order?.amount_fen), 2000);
    const again = await assessor.assessTask({ taskId: facts.taskId, matterCode: withFee.code });
    assert.equal(again?.id, order?.id, 'a redelivered start: the same order');
    assert.equal((await h.events('payments.order.created')).filter((e) => e.taskId === facts.taskId).length, 1);
    const asked = factsAsked;
    assert.equal(await assessor.assessTask({ taskId: 'no-fee-task', matterCode: '330100-WJW-001' }), undefined);
    assert.equal(factsAsked, asked, 'no fees: the workflow is not asked');
  });

  test('the consumer queues a started task once under redelivery; the assessor turns the queue into one order', async () => {
    const facts = factsFor('c-queued');
    const started = {
      taskId: facts.taskId,
      applicationId: facts.applicationId,
      caseNumber: facts.caseNumber,
      matterCode: facts.matterCode,
      departmentCode: DEPT,
      applicantId: 'c-queued',
      action: 'start',
      from: null,
      to: 'awaiting_payment',
      actor: { kind: 'system', id: 'workflow' },
      at: h.clock.now().toISOString(),
      seq: 1,
    };
    const handler = payments.consumers!['workflow.task.started']!;
    for (let delivery = 0; delivery < 2; delivery++)
      await h.payments().ctx.transaction((trx) =>
        handler(
          {
            id: `e-${delivery}`,
            type: 'workflow.task.started',
            source: 'workflow',
            occurredAt: started.at,
            data: started as never,
          },
          { trx, log: h.payments().ctx.log, attempt: 1 },
          h.payments(),
        ),
      );
    const queued = await sql<{
      n: number;
    }>`select count(*)::int as n from payments.pending_assessment where task_id = ${facts.taskId}`.execute(
      h.p.database.db,
    );
    assert.equal(queued.rows[0]!.n, 1, 'queued once');
    const assessor = new Payments(h.payments().ctx, h.payments().channel, {
      matter: async () => matterWithFee(2000),
      facts: async () => facts,
    });
    await assessor.kick();
    await assessor.kick();
    const orders = await sql<{
      n: number;
    }>`select count(*)::int as n from payments.payment_order where task_id = ${facts.taskId}`.execute(h.p.database.db);
    assert.equal(orders.rows[0]!.n, 1);
    const left = await sql<{
      n: number;
    }>`select count(*)::int as n from payments.pending_assessment where task_id = ${facts.taskId}`.execute(
      h.p.database.db,
    );
    assert.equal(left.rows[0]!.n, 0, 'the queue row is gone with the order');
  });

  test('a payment the channel took for an order that expired meanwhile is recorded and the order marked paid', async () => {
    const order = await h.order('c-late');
    const co = await checkout('c-late', order.id);
    const held = h.sim.holdNextNotify();
    await payAtCashier(h, co.body.nextUrl);
    // The order expires before the channel's notify arrives.
    await sql`update payments.payment_order set status = 'expired' where id = ${order.id}`.execute(h.p.database.db);
    await held.release();
    assert.equal(h.sim.notifies.at(-1)!.answer, 'success');
    const view = await h.call('GET', `/api/payments/me/orders/${order.id}`, await h.citizen('c-late'));
    assert.equal(view.body.status, 'paid');
    assert.equal(await paymentsOf(order.id), 1);
  });

  test('the daily run reconciles yesterday (China time) once, not before 02:00', async () => {
    const reports = async (day: string) =>
      (
        await sql<{ requested_by: string }>`select requested_by from payments.reconciliation
          where day = ${day} order by completed_at`.execute(h.p.database.db)
      ).rows.map((r) => r.requested_by);
    // 01:30 on 3 December in Beijing: the channel's statement of the 2nd may not be final yet.
    h.clock.set('2026-12-02T17:30:00Z');
    await h.payments().kickQuery();
    assert.deepEqual(await reports('2026-12-02'), []);
    // 02:05: the 2nd is reconciled by the platform itself, and a second run (or a restart) adds none.
    h.clock.set('2026-12-02T18:05:00Z');
    await h.payments().kickQuery();
    assert.deepEqual(await reports('2026-12-02'), ['system:daily']);
    h.clock.set('2026-12-02T23:00:00Z');
    await h.payments().kickQuery();
    assert.deepEqual(await reports('2026-12-02'), ['system:daily']);
    const [done] = (await h.events('payments.reconciliation.completed')).filter((e) => e.day === '2026-12-02');
    assert.ok(done, 'the completed event for the day');
    // Two replicas at 02:00 of the next day, both before either has a report: one report, no error.
    h.clock.set('2026-12-03T18:01:00Z');
    await Promise.all([h.payments().dailyReconciliation(), h.payments().dailyReconciliation()]);
    assert.deepEqual(await reports('2026-12-03'), ['system:daily']);
  });

  test('the canonical string both sides sign is the sorted k=v of the non-empty fields without sign', () => {
    assert.equal(canonicalString({ b: '2', a: '1', sign: 's', sign_type: 'RSA2', c: '' }), 'a=1&b=2&sign_type=RSA2');
    assert.equal(canonicalString({ b: '2', a: '1', sign_type: 'RSA2' }, true), 'a=1&b=2');
  });
});
