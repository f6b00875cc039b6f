// The channel protocol's pure parts: amounts between fen and yuan strings, the signed canonical
// string, a notify's shape and freshness, the statement file and its comparison, refund limits.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { fenToYuan, yuanToFen } from '../../src/domain/amounts.ts';
import { isStale, parseNotify } from '../../src/domain/notify.ts';
import { checkRefund, statusAfterRefund } from '../../src/domain/refunds.ts';
import { sm2PrivateKeyFrom, sm2PublicKey } from '@tongban/kernel';
import { canonicalString, signParams, sm2Signer, sm2Verifier, verifyParams } from '../../src/domain/signing.ts';
import { compareStatement, parseStatement, STATEMENT_HEADER } from '../../src/domain/statement.ts';

test('fen and yuan: exact both ways, no float, no sign, at most two decimals', () => {
  for (const fen of [0, 1, 9, 10, 99, 100, 2000, 123456789]) assert.equal(yuanToFen(fenToYuan(fen)), fen);
  assert.equal(fenToYuan(5), '0.05');
  assert.equal(yuanToFen('20'), 2000);
  assert.equal(yuanToFen('20.5'), 2050);
  assert.equal(yuanToFen('0.1'), 10);
  for (const bad of ['-1.00', '1.001', '1e3', '01.00', '', ' 1', '1.', '.5', 'NaN'])
    assert.equal(yuanToFen(bad), undefined, bad);
  assert.throws(() => fenToYuan(1.5), RangeError);
});

test('the signature covers every non-empty field but sign, sorted; a changed field breaks it', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const params = { out_trade_no: 'o1', app_id: 'a', total_amount: '20.00', empty: '', sign_type: 'RSA2' };
  assert.equal(canonicalString(params), 'app_id=a&out_trade_no=o1&sign_type=RSA2&total_amount=20.00');
  const signed = signParams(params, privateKey, true);
  assert.equal(verifyParams(signed, publicKey, true), true);
  assert.equal(verifyParams({ ...signed, total_amount: '0.01' }, publicKey, true), false);
  assert.equal(verifyParams({ ...signed, extra: 'x' }, publicKey, true), false);
  assert.equal(verifyParams({ ...signed, sign: 'not base64!' }, publicKey, true), false);
  assert.equal(verifyParams({ ...signed, sign: '' }, publicKey, true), false);
});

test('SM2-with-SM3 (sign_type=SM2): what one key signs only its public key verifies, over the exact text', () => {
  const a = sm2PrivateKeyFrom(randomBytes(32));
  const b = sm2PrivateKeyFrom(randomBytes(32));
  const text = canonicalString({ app_id: 'a', out_trade_no: 'o1', total_amount: '20.00' });
  const signature = sm2Signer(a).sign(text);
  assert.equal(sm2Verifier(sm2PublicKey(a)).verify(text, signature), true);
  assert.equal(sm2Verifier(sm2PublicKey(b)).verify(text, signature), false);
  assert.equal(sm2Verifier(sm2PublicKey(a)).verify(`${text}0`, signature), false);
  assert.equal(sm2Verifier(sm2PublicKey(a)).verify(text, 'not base64!'), false);
});

test('a notify needs its fields in form; stale beyond the window or from the future', () => {
  const form = {
    notify_id: 'n',
    notify_time: '2026-12-01T02:00:00.000Z',
    app_id: 'a',
    trade_no: 't',
    out_trade_no: 'o',
    total_amount: '20.00',
    trade_status: 'TRADE_SUCCESS',
    sign: 's',
  };
  assert.equal(parseNotify(form)?.amountFen, 2000);
  assert.equal(parseNotify({ ...form, total_amount: '20.001' }), undefined);
  assert.equal(parseNotify({ ...form, notify_time: 'yesterday' }), undefined);
  const { notify_id: _dropped, ...missing } = form;
  assert.equal(parseNotify(missing), undefined);
  const now = new Date('2026-12-01T02:00:00Z');
  const h = 3_600_000;
  assert.equal(isStale(new Date(now.getTime() - 25 * h), now, 26 * h), false);
  assert.equal(isStale(new Date(now.getTime() - 27 * h), now, 26 * h), true);
  assert.equal(isStale(new Date(now.getTime() + 10 * 60_000), now, 26 * h), true);
});

test('the statement is compared line by line: matched, missing on either side, another amount', () => {
  const csv = [
    STATEMENT_HEADER,
    't1,o1,,pay,20.00,2026-12-01T02:00:00Z',
    't2,o2,,pay,10.00,2026-12-01T03:00:00Z',
    't3,o3,,pay,5.00,2026-12-01T04:00:00Z',
    't1,o1,r1,refund,5.00,2026-12-01T05:00:00Z',
  ].join('\n');
  const parsed = parseStatement(csv);
  assert.ok(parsed.ok);
  const r = compareStatement(parsed.lines, [
    { type: 'pay', key: 't1', orderId: 'o1', tradeNo: 't1', amountFen: 2000 },
    { type: 'pay', key: 't2', orderId: 'o2', tradeNo: 't2', amountFen: 1000 - 1 },
    { type: 'pay', key: 't9', orderId: 'o9', tradeNo: 't9', amountFen: 100 },
    { type: 'refund', key: 'r1', orderId: 'o1', tradeNo: 't1', amountFen: 500 },
  ]);
  assert.equal(r.matched, 2);
  assert.deepEqual(
    r.discrepancies.map((d) => `${d.kind}:${d.key}`),
    ['amount_differs:t2', 'missing_ours:t3', 'missing_channel:t9'],
  );
  assert.deepEqual(parseStatement('trade_no,x\n'), { ok: false, line: 1, problem: 'header' });
  assert.equal(parseStatement(`${STATEMENT_HEADER}\nt1,o1,,pay,-1,x`).ok, false);
});

test('a refund: only of a paid order, never beyond what is left; the status it leaves', () => {
  assert.deepEqual(checkRefund('paid', 2000, 0, 2000), { ok: true });
  assert.deepEqual(checkRefund('partially_refunded', 2000, 500, 1501), {
    ok: false,
    problem: 'exceeds_paid',
    refundableFen: 1500,
  });
  assert.equal(checkRefund('pending', 2000, 0, 1).ok, false);
  assert.equal(checkRefund('refunded', 2000, 2000, 1).ok, false);
  assert.equal(statusAfterRefund(2000, 500), 'partially_refunded');
  assert.equal(statusAfterRefund(2000, 2000), 'refunded');
});
