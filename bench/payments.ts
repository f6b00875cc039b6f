// Payments: how many of the channel's asynchronous notifies the callback route takes per second.
// N orders are checked out at the simulator (its own socket) and paid there with their notifies
// held back; the notifies, signed by the channel's key (RSA2), are then sent to
// POST /api/payments/callbacks/simulator by autocannon, each body once: every one verified,
// checked against its order and recorded (payment row, order status, `payments.order.paid` in
// the outbox, callback log) in one transaction. The same bodies again measure the replay path
// (refused: logged, with a security event). Afterwards exactly N payments exist, never more.
// Beside pgbench's TPC-B on the same PostgreSQL server, same run (TONGBAN_TEST_DATABASE_URL).
import { performance } from 'node:perf_hooks';
import { databaseLabel } from '@tongban/kernel/testing';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { APP_ID, factsFor, matterWithFee, startPayments } from '../apps/server/test/payments/harness.ts';
import { pgbench } from './harness.ts';

const COUNT = Number(process.env.BENCH_PAYMENTS_NOTIFIES ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;

async function fire(url: string, bodies: readonly string[]) {
  let i = 0;
  const t0 = performance.now();
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    amount: bodies.length,
    requests: [
      {
        method: 'POST',
        path: '/api/payments/callbacks/simulator',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }),
      },
    ],
  });
  return {
    perSecond: bodies.length / ((performance.now() - t0) / 1000),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

export async function benchPayments(): Promise<void> {
  // Thousands of callbacks from one address: the per-address budget would answer 429.
  const h = await startPayments(undefined, { TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000000' });
  try {
    const service = h.payments();
    await service.stop(); // its timers: nothing runs but the callbacks
    const t0 = performance.now();
    const bodies: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const payer = `bench-payer-${i}`;
      const order = await service.assessAndCreate(factsFor(payer), matterWithFee(2000 + (i % 50)));
      await service.checkout(payer, order.id, undefined);
      h.sim.dropNextNotify();
      const trade = await h.sim.pay(APP_ID, order.id);
      bodies.push(
        new URLSearchParams(
          h.sim.signNotify({
            notify_id: `bench-${i}`,
            notify_time: h.clock.now().toISOString(),
            notify_type: 'trade_status_sync',
            app_id: APP_ID,
            trade_no: trade.tradeNo,
            out_trade_no: order.id,
            total_amount: (trade.amountFen / 100).toFixed(2),
            trade_status: 'TRADE_SUCCESS',
            gmt_payment: trade.paidAt!,
            sign_type: 'RSA2',
          }),
        ).toString(),
      );
    }
    const setupSeconds = (performance.now() - t0) / 1000;
    const first = await fire(h.origin, bodies);
    const again = await fire(h.origin, bodies);
    const counted = (await sql<{ n: number }>`select count(*)::int as n from payments.payment`.execute(h.p.database.db))
      .rows[0]!.n;
    if (counted !== COUNT)
      throw new Error(`${counted} payments for ${COUNT} orders (${JSON.stringify({ first, again })})`);
    console.log(`\n## Payments (${databaseLabel}; ${COUNT} orders, set up in ${setupSeconds.toFixed(1)} s)\n`);
    console.log(`Signed notifies (RSA2) to POST /api/payments/callbacks/simulator, ${CONNECTIONS} connections:\n`);
    console.log('| what | callbacks/s | p50 ms | p99 ms | errors / non-2xx |\n|---|---:|---:|---:|---:|');
    console.log(
      `| first notify of each order: verified, recorded, paid event | ${first.perSecond.toFixed(0)} | ${first.p50} | ${first.p99} | ${first.errors} / ${first.non2xx} |`,
    );
    console.log(
      `| the same notifies again: refused as replays, logged, security event | ${again.perSecond.toFixed(0)} | ${again.p50} | ${again.p99} | ${again.errors} / ${again.non2xx} |`,
    );
    console.log(`\n${counted} payments recorded for ${COUNT} orders after ${2 * COUNT} notifies.`);
    if (process.env.TONGBAN_TEST_DATABASE_URL) {
      const tpcb = await pgbench(SECONDS);
      console.log(
        `beside pgbench TPC-B on the same server, same run: ${tpcb.tps.toFixed(0)} tps (${(first.perSecond / tpcb.tps).toFixed(3)} × pgbench)`,
      );
    } else
      console.log('(the embedded database: set TONGBAN_TEST_DATABASE_URL for the PostgreSQL figure beside pgbench)');
  } finally {
    await h.close();
  }
}
