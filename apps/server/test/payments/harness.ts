// The platform with payments on a real socket, and the payment-channel simulator as the outside
// party on a socket of its own (apps/paysim), both on one controllable clock. Orders are made
// through the service (`assessAndCreate`) with the facts a test gives: the workflow's
// payment-facts route is another helper's (payflow) and is wired by the integrator.
import { randomUUID } from 'node:crypto';
import { type PaymentFactsView } from '@tongban/contracts';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import payments, { type MatterFees, type Payments } from '@tongban/payments';
import { paysim, type PaysimControls } from '@tongban/paysim';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { authenticatorFor, signer, TestClock, token, type Signer, type Who } from '../workflow/fixtures.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely and asserted field by field
type Json = any;

export const DEPT = '330100-GA';
export const APP_ID = 'tongban-test';

export interface PayHarness {
  readonly p: TestPlatform;
  readonly clock: TestClock;
  readonly key: Signer;
  readonly sim: PaysimControls;
  readonly simServer: FastifyInstance;
  readonly simUrl: string;
  readonly origin: string;
  payments(): Payments;
  bearer(who: Who): Promise<Record<string, string>>;
  citizen(id: string): Promise<Record<string, string>>;
  officer(department?: string, mfa?: boolean): Promise<Record<string, string>>;
  operator(): Promise<Record<string, string>>;
  call(
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; body: Json; text: string; headers: Record<string, unknown> }>;
  /** A pending order of `amountFen` for a new task of `payer`. */
  order(
    payer: string,
    amountFen?: number,
    verified?: Record<string, unknown>,
    matter?: Partial<MatterFees>,
  ): Promise<Json>;
  /** Payloads of the module's outbox events of a type. */
  events(type: string): Promise<Json[]>;
  close(): Promise<void>;
}

export const matterWithFee = (amountFen: number): MatterFees => ({
  code: '330100-GA-003',
  version: 1,
  name: { zh: '居民身份证补领', en: 'Replacement resident ID card' },
  departmentCode: DEPT,
  fees: [{ code: 'id-card-fee', name: { zh: '证件工本费', en: 'Card fee' }, amountFen }],
});

export function factsFor(payer: string, verified: Record<string, unknown> = {}): PaymentFactsView {
  const taskId = randomUUID();
  return {
    taskId,
    applicationId: randomUUID(),
    caseNumber: `330100-${taskId.slice(0, 8)}`,
    matterCode: '330100-GA-003',
    matterVersion: 1,
    departmentCode: DEPT,
    payer: { id: payer, kind: 'citizen' },
    verified,
    awaitingPayment: true,
  };
}

export async function startPayments(
  now = '2026-12-01T02:00:00Z',
  env: Record<string, string> = {},
  signType: 'RSA2' | 'SM2' = 'RSA2',
): Promise<PayHarness> {
  const clock = new TestClock(now);
  const key = await signer();
  // No retries of its own: a test redelivers a notify when it means to.
  const plugin = paysim({ testControls: true, now: () => clock.now(), retryDelaysMs: [], signType });
  const simServer = Fastify();
  await simServer.register(plugin, { prefix: '/paysim' });
  const simBase = await simServer.listen({ host: '127.0.0.1', port: 0 });
  const simUrl = `${simBase}/paysim`;
  const started: { p?: TestPlatform } = {};
  const p = await startTestPlatform([payments], {
    seed: true,
    clock,
    authenticate: authenticatorFor(key),
    env: {
      TONGBAN_PORT: '0',
      TONGBAN_PAYMENTS_CHANNEL: 'simulator',
      TONGBAN_PAYMENTS_CHANNEL_URL: simUrl,
      TONGBAN_PAYMENTS_APP_ID: APP_ID,
      TONGBAN_PAYMENTS_SIGN_TYPE: signType,
      // The workers are stepped by the tests.
      TONGBAN_PAYMENTS_QUERY_INTERVAL_MS: '3600000',
      ...env,
    },
  });
  started.p = p;
  await p.listen();
  const origin = p.instanceOf(payments).ctx.origin();
  const bearer = async (who: Who) => ({ authorization: `Bearer ${await token(key, who)}` });
  const instance = () => p.instanceOf(payments);
  return {
    p,
    clock,
    key,
    sim: plugin.controls,
    simServer,
    simUrl,
    origin,
    payments: instance,
    bearer,
    citizen: (id) => bearer({ sub: id, kind: 'citizen', regions: ['330106'] }),
    officer: (department = DEPT, mfa = true) =>
      bearer({
        sub: `officer-${department}`,
        kind: 'officer',
        roles: ['officer'],
        departments: [department],
        regions: ['330100'],
        mfa,
      }),
    operator: () => bearer({ sub: 'operator-1', kind: 'operator', mfa: true }),
    async call(method, url, headers, body) {
      const r = await p.app.inject({
        method: method as 'GET',
        url,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      let parsed: Json;
      try {
        parsed = r.body ? JSON.parse(r.body) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: r.statusCode, body: parsed, text: r.body, headers: r.headers };
    },
    async order(payer, amountFen = 2000, verified = {}, matter = {}) {
      const row = await instance().assessAndCreate(factsFor(payer, verified), {
        ...matterWithFee(amountFen),
        ...matter,
      });
      return row;
    },
    async events(type) {
      const r = await sql<{ data: Json }>`select data from payments.outbox where type = ${type} order by id`.execute(
        p.database.db,
      );
      return r.rows.map((x) => (typeof x.data === 'string' ? JSON.parse(x.data) : x.data));
    },
    async close() {
      await p.dispose();
      await simServer.close();
    },
  };
}

/** The payer's browser at the channel: the cashier page, then its Pay button (a real HTTP form post). */
export async function payAtCashier(h: PayHarness, nextUrl: string): Promise<{ page: string; location: string | null }> {
  const page = await (await fetch(nextUrl)).text();
  const res = await fetch(`${nextUrl}/pay`, { method: 'POST', redirect: 'manual' });
  await h.sim.settled();
  return { page, location: res.headers.get('location') };
}
