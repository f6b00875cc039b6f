// The simulator as the other party: it checks the merchant's signature on every gateway request,
// signs its answers, keeps one trade per order (no double charge), and keeps its books in its
// state file, so a restarted simulator still answers the query for a trade it took.
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { signParams } from '@tongban/payments';
import { paysim } from '@tongban/paysim';
import Fastify from 'fastify';

const dir = mkdtempSync(join(tmpdir(), 'paysim-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchantPem = merchant.publicKey.export({ type: 'spki', format: 'pem' }).toString();

async function simulator(stateFile: string) {
  const plugin = paysim({ testControls: true, stateFile, merchants: { m1: merchantPem }, retryDelaysMs: [] });
  const app = Fastify();
  await app.register(plugin, { prefix: '/paysim' });
  const gateway = async (method: string, biz: Record<string, unknown>, key = merchant.privateKey) => {
    const form = signParams(
      {
        app_id: 'm1',
        method,
        sign_type: 'RSA2',
        timestamp: new Date().toISOString(),
        biz_content: JSON.stringify(biz),
        notify_url: 'http://127.0.0.1:9/notify',
        return_url: 'http://127.0.0.1:9/return/t',
      },
      key,
    );
    const r = await app.inject({
      method: 'POST',
      url: '/paysim/gateway',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
    const m = /^\{"response":(\{.*\}),"sign":"([^"]+)"\}$/s.exec(r.body)!;
    const signed = verify(
      'sha256',
      Buffer.from(m[1]!),
      createPublicKey(plugin.publicKey),
      Buffer.from(m[2]!, 'base64'),
    );
    return { response: JSON.parse(m[1]!) as Record<string, string>, signed };
  };
  return { plugin, app, gateway };
}

test('a request not signed by the merchant is refused; the answers are signed by the channel', async () => {
  const sim = await simulator(join(dir, 'a.json'));
  const forged = await sim.gateway(
    'trade.query',
    { out_trade_no: 'o1' },
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  );
  assert.equal(forged.response.sub_code, 'isv.invalid-signature');
  const created = await sim.gateway('trade.create', { out_trade_no: 'o1', total_amount: '20.00', subject: 's' });
  assert.equal(created.response.code, '10000');
  assert.ok(created.signed, "the answer verifies under the channel's key");
  const other = await sim.gateway('trade.create', { out_trade_no: 'o1', total_amount: '30.00', subject: 's' });
  assert.equal(other.response.sub_code, 'ACQ.CONTEXT_INCONSISTENT', 'one trade per order, one amount');
  await sim.app.close();
});

test('a paid trade survives a restart of the simulator: the query still answers it, and it is not paid again', async () => {
  const file = join(dir, 'b.json');
  const first = await simulator(file);
  await first.gateway('trade.create', { out_trade_no: 'o2', total_amount: '20.00', subject: 's' });
  first.plugin.controls.dropNextNotify();
  const paid = await first.plugin.controls.pay('m1', 'o2');
  await first.app.close();

  const second = await simulator(file);
  const q = await second.gateway('trade.query', { out_trade_no: 'o2' });
  assert.equal(q.response.trade_status, 'TRADE_SUCCESS');
  assert.equal(q.response.trade_no, paid.tradeNo);
  assert.equal(q.response.total_amount, '20.00');
  const again = await second.gateway('trade.create', { out_trade_no: 'o2', total_amount: '20.00', subject: 's' });
  assert.equal(again.response.sub_code, 'ACQ.TRADE_HAS_SUCCESS');
  await second.app.close();
});
