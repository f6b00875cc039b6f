// 国密: the same channel protocol signed with SM2-with-SM3 (sign_type=SM2) both ways — our gateway
// requests under the merchant's SM2 key, the channel's answers, notifies and statement under its
// own — a payment counted once, a notify under another SM2 key refused, a refund and the day's
// reconciliation through it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sm2PrivateKeyFrom, sm2Sign } from '@tongban/kernel';
import { databaseLabel } from '@tongban/kernel/testing';
import { canonicalString } from '@tongban/payments';
import { APP_ID, payAtCashier, startPayments, type PayHarness } from './harness.ts';

describe(`payments signed with SM2 (${databaseLabel})`, () => {
  let h: PayHarness;
  before(async () => {
    h = await startPayments(undefined, {}, 'SM2');
  });
  after(() => h.close());

  test('an SM2 channel: checkout, a signed notify counted once, a forged one refused, a refund and the reconciliation', async () => {
    const keys = (await (await fetch(`${h.simUrl}/keys`)).json()) as { alg: string; publicKey: string };
    assert.equal(keys.alg, 'SM2');
    assert.match(keys.publicKey, /^04[0-9a-f]{128}$/);
    const order = await h.order('c-sm2');
    const co = await h.call('POST', `/api/payments/me/orders/${order.id}/checkout`, await h.citizen('c-sm2'));
    assert.equal(co.status, 200, co.text);
    await payAtCashier(h, co.body.nextUrl);
    const notify = h.sim.notifies.at(-1)!;
    assert.equal(notify.answer, 'success');
    const view = await h.call('GET', `/api/payments/me/orders/${order.id}`, await h.citizen('c-sm2'));
    assert.equal(view.body.status, 'paid');

    // A notify signed with an SM2 key that is not the channel's.
    const other = await h.order('c-sm2-forged');
    const form: Record<string, string> = {
      notify_id: 'sm2-forged',
      notify_time: h.clock.now().toISOString(),
      app_id: APP_ID,
      trade_no: 'T-forged',
      out_trade_no: other.id,
      total_amount: '20.00',
      trade_status: 'TRADE_SUCCESS',
      sign_type: 'SM2',
    };
    const forgedKey = sm2PrivateKeyFrom(randomBytes(32));
    form.sign = Buffer.from(sm2Sign(canonicalString(form, true), forgedKey)).toString('base64');
    const res = await fetch(`${h.origin}/api/payments/callbacks/simulator`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    assert.equal(await res.text(), 'fail');
    const refused = (await h.events('payments.callback.refused')).filter((e) => e.orderId === other.id);
    assert.deepEqual(
      refused.map((e) => e.reason),
      ['bad_signature'],
    );

    const refund = await h.call(
      'POST',
      `/api/payments/orders/${order.id}/refunds`,
      { ...(await h.officer()), 'idempotency-key': 'sm2-refund-1' },
      { amountFen: 2000, reason: '撤回申请' },
    );
    assert.equal(refund.status, 200, refund.text);
    const recon = await h.call('POST', '/api/payments/reconciliations', await h.operator(), {
      channel: 'simulator',
      day: '2026-12-01',
    });
    assert.equal(recon.status, 200, recon.text);
    assert.equal(recon.body.matched, 2, 'the payment and its refund');
    assert.deepEqual(recon.body.discrepancies, []);
  });
});
