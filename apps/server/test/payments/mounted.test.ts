// The server as `tongban serve` composes it in development: the simulator mounted at /paysim on
// the platform's own socket, our merchant key registered with it once we listen, its key fetched
// from /paysim/keys — and a payment made through it end to end, under the platform's CSP.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { databaseLabel, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import payments, { queryOrder } from '@tongban/payments';
import { sql } from 'kysely';
import { paysimModule } from '../../src/paysim.ts';
import { factsFor, matterWithFee } from './harness.ts';

describe(`the simulator mounted in the server (${databaseLabel})`, () => {
  let p: TestPlatform;
  let origin: string;
  before(async () => {
    p = await startTestPlatform([payments, paysimModule], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    origin = p.instanceOf(payments).ctx.origin();
  });
  after(() => p.dispose());

  test('a checkout through the mounted simulator is paid by its notify, over the platform’s own socket', async () => {
    const keys = await fetch(`${origin}/paysim/keys`);
    assert.equal(keys.status, 200);
    const service = p.instanceOf(payments);
    const payer = `c-${randomUUID()}`;
    const order = await service.assessAndCreate(factsFor(payer), matterWithFee(2000));
    const co = await service.checkout(payer, order.id, undefined);
    assert.ok(co.nextUrl.startsWith(`${origin}/paysim/cashier/`), co.nextUrl);
    const page = await fetch(co.nextUrl, { headers: { 'accept-language': 'en' } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src/, 'under the platform’s CSP');
    assert.match(await page.text(), /<button type="submit">Pay<\/button>/);
    const paid = await fetch(`${co.nextUrl}/pay`, { method: 'POST', redirect: 'manual' });
    assert.equal(paid.status, 303);
    assert.match(paid.headers.get('location') ?? '', new RegExp(`^${origin}/payments/return/`));
    // Back from the channel: paid, by the notify or (when the browser is faster) the active query — counted once.
    const token = paid.headers.get('location')!.split('/').pop()!;
    const back = await service.checkoutReturn(payer, token, (id) => queryOrder(service, id));
    assert.equal(back.status, 'paid');
    const count = await sql<{
      n: number;
    }>`select count(*)::int as n from payments.payment where order_id = ${order.id}`.execute(p.database.db);
    assert.equal(count.rows[0]!.n, 1);
  });
});
