// 我的缴费's pure parts: amounts in fen shown as yuan by integer arithmetic (lib/money.ts), and the
// payer's model (src/payments/model.ts) — each status's words, what a task awaiting payment says
// about its order (read defensively: payflow adds those fields), the cashier address allowed, and
// when the return page stops asking.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fenToYuanString, formatFen, splitFen } from '../src/lib/money.ts';
import {
  orderStatus,
  payHref,
  paymentsDue,
  paymentsPaths,
  RETURN_CHECKS,
  returnState,
  safeNextUrl,
  type PayableNeed,
  type PayableTask,
} from '../src/payments/model.ts';
import { paymentsZh } from '../src/i18n/payments.zh-CN.ts';

test('fen are split into yuan and two-digit fen with integers only', () => {
  assert.deepEqual(splitFen(2000), { sign: '', yuan: 20, fen: '00' });
  assert.deepEqual(splitFen(5), { sign: '', yuan: 0, fen: '05' });
  assert.deepEqual(splitFen(-150), { sign: '-', yuan: 1, fen: '50' });
  assert.equal(fenToYuanString(7), '0.07');
  assert.equal(fenToYuanString(10), '0.10');
  // 0.1 + 0.2 in floats is 0.30000000000000004; in fen it is 30.
  assert.equal(fenToYuanString(10 + 20), '0.30');
  // The largest safe integer of fen keeps every digit (a float division would round the last ones).
  assert.equal(fenToYuanString(Number.MAX_SAFE_INTEGER), '90071992547409.91');
});

test('an amount that is not a whole number of fen is refused, not rounded', () => {
  assert.throws(() => splitFen(12.5), RangeError);
  assert.throws(() => splitFen(Number.NaN), RangeError);
  assert.throws(() => splitFen(2 ** 53), RangeError);
});

test('yuan are shown with the locale’s grouping and the ¥ sign, fen as given', () => {
  assert.equal(formatFen('zh-CN', 2000), '¥20.00');
  assert.equal(formatFen('en', 2000), '¥20.00');
  assert.equal(formatFen('zh-CN', 0), '¥0.00');
  assert.equal(formatFen('zh-CN', 123_456_789), '¥1,234,567.89');
  assert.equal(formatFen('en', 1), '¥0.01');
  assert.equal(formatFen('zh-CN', 1_999), '¥19.99');
});

test('every order status has words in the catalog, an unknown one says so', () => {
  for (const status of ['pending', 'paid', 'waived', 'expired', 'partially_refunded', 'refunded']) {
    const { key } = orderStatus(status);
    assert.ok(Object.hasOwn(paymentsZh, key), `${status}: ${key}`);
    assert.notEqual(key, 'payments.status.other', status);
  }
  assert.equal(orderStatus('frozen').key, 'payments.status.other');
  assert.equal(paymentsZh['payments.status.pending'], '待缴费');
});

const task = (over: Partial<PayableTask>): PayableTask =>
  ({
    id: 't1',
    matterCode: '330100-GA-003',
    matterVersion: 1,
    departmentCode: '330100-GA',
    regionCode: '330100',
    process: 'immediate',
    state: 'submitted',
    stateName: { zh: '已提交', en: 'Submitted' },
    dependsOn: [],
    dueOn: null,
    deadline: null,
    paused: false,
    remainingDays: null,
    escalated: false,
    assignee: null,
    pendingMaterials: [],
    correction: null,
    version: 1,
    startedAt: null,
    finishedAt: null,
    ...over,
  }) as PayableTask;

test('a task awaiting payment is due, with its order and amount from the task or its needed item', () => {
  assert.deepEqual(paymentsDue([task({})], []), [], 'a submitted task is not due');
  assert.deepEqual(paymentsDue([task({ state: 'awaiting_payment', orderId: 'o1', amountFen: 2000 })], []), [
    { taskId: 't1', matterCode: '330100-GA-003', orderId: 'o1', amountFen: 2000 },
  ]);
  const need: PayableNeed = {
    taskId: 't1',
    matterCode: '330100-GA-003',
    kind: 'payment',
    fields: [],
    materials: [],
    reason: '',
    version: 1,
    orderId: 'o2',
    amountFen: 1500,
  };
  assert.deepEqual(paymentsDue([task({ state: 'awaiting_payment' })], [need]), [
    { taskId: 't1', matterCode: '330100-GA-003', orderId: 'o2', amountFen: 1500 },
  ]);
  // Not yet known (the order is being made), or nonsense: left out rather than shown wrong.
  assert.deepEqual(paymentsDue([task({ state: 'awaiting_payment', amountFen: 12.5, orderId: '' })], []), [
    { taskId: 't1', matterCode: '330100-GA-003', orderId: null, amountFen: null },
  ]);
});

test('去缴费 goes to the order, or to 我的缴费 while the order is being made', () => {
  assert.equal(payHref({ orderId: 'o 1' }), '/payments/o%201');
  assert.equal(payHref({ orderId: null }), '/payments');
  assert.equal(paymentsPaths.receipt('l1'), '/licences#licence-l1');
});

test('the browser is sent only to an http(s) cashier', () => {
  const base = 'http://localhost:8080/payments/o1';
  assert.equal(safeNextUrl('/paysim/cashier/abc', base), 'http://localhost:8080/paysim/cashier/abc');
  assert.equal(safeNextUrl('https://pay.example.cn/c?s=1', base), 'https://pay.example.cn/c?s=1');
  assert.equal(safeNextUrl('javascript:alert(1)', base), null);
  assert.equal(safeNextUrl('data:text/html,hi', base), null);
  assert.equal(safeNextUrl('http://[bad', base), null);
});

test('the return page asks a pending order again a few times, then says it is not confirmed yet', () => {
  assert.equal(returnState({ status: 'paid' }, 1), 'settled');
  assert.equal(returnState({ status: 'waived' }, 1), 'settled');
  assert.equal(returnState({ status: 'expired' }, 1), 'failed');
  assert.equal(returnState({ status: 'pending' }, 1), 'confirming');
  assert.equal(returnState({ status: 'pending' }, RETURN_CHECKS), 'unconfirmed');
  assert.equal(returnState({ status: 'pending' }, RETURN_CHECKS, RETURN_CHECKS * 2), 'confirming', 'check again');
});
