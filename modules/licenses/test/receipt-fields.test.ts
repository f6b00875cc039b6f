// A receipt's (非税收入票据) particulars from the payment: amounts as yuan text by integer
// arithmetic (never a float division), the items, and only what the payment says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECEIPT_LICENCE_TYPE } from '@tongban/contracts';
import { findLicenceType } from '../src/domain/licence-types.ts';
import { receiptFields, yuan } from '../src/service/licenses.ts';

test('fen are written as yuan with two digits of fen, exactly', () => {
  assert.deepEqual([0, 5, 10, 99, 100, 2000, 8050, 123_456_789, 10_000_000_000].map(yuan), [
    '0.00',
    '0.05',
    '0.10',
    '0.99',
    '1.00',
    '20.00',
    '80.50',
    '1234567.89',
    '100000000.00',
  ]);
});

test('the receipt type is the finance department’s, and its fields come from the payment', () => {
  assert.equal(findLicenceType(RECEIPT_LICENCE_TYPE)?.departmentCode, '330100-CZ');
  const fields = receiptFields(
    {
      orderId: 'po-1',
      applicationId: 'a-1',
      taskId: 't-1',
      matterCode: '330100-GA-003',
      departmentCode: '330100-GA',
      payerId: 'c-1',
      amountFen: 2000,
      channel: 'exempt',
      via: 'exempt',
      items: [{ code: 'id-card-fee', name: { zh: '工本费', en: 'Fee' }, amountFen: 2000 }],
      paidAt: '2026-12-01T02:00:00.000Z',
    },
    null,
  );
  assert.deepEqual(fields, {
    amountFen: 2000,
    amountYuan: '20.00',
    orderId: 'po-1',
    items: [{ code: 'id-card-fee', name: { zh: '工本费', en: 'Fee' }, amountFen: 2000, amountYuan: '20.00' }],
    collectingDepartment: '330100-GA',
    channel: 'exempt',
    paidAt: '2026-12-01T02:00:00.000Z',
  });
});
