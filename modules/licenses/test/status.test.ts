// The life of a licence: valid ⇄ suspended; revoked, revoked as a penalty and expired for good;
// a reason for every suspension and revocation; GB/T 36904's codes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STATUS_ACTIONS, statusBit, transition, type StatusAction } from '../src/domain/status.ts';
import { validUntil } from '../src/domain/licence-types.ts';

test('suspend needs a reason and gives 02; reinstate gives 01 back', () => {
  assert.deepEqual(transition('valid', 'suspend'), { ok: false, problem: 'reason_required' });
  assert.deepEqual(transition('valid', 'suspend', '  '), { ok: false, problem: 'reason_required' });
  assert.deepEqual(transition('valid', 'suspend', '核查'), { ok: true, to: 'suspended', code: '02' });
  assert.deepEqual(transition('suspended', 'reinstate'), { ok: true, to: 'valid', code: '01' });
});

test('revoked, revoked as a penalty and expired are final', () => {
  assert.deepEqual(transition('suspended', 'revoke', '错误签发'), { ok: true, to: 'revoked', code: '03' });
  assert.deepEqual(transition('valid', 'revoke-penalty', '行政处罚'), { ok: true, to: 'penalty-revoked', code: '07' });
  assert.deepEqual(transition('valid', 'expire'), { ok: true, to: 'expired', code: '05' });
  for (const from of ['revoked', 'penalty-revoked', 'expired', 'cancelled'] as const)
    for (const action of Object.keys(STATUS_ACTIONS) as StatusAction[])
      assert.deepEqual(transition(from, action, 'r'), { ok: false, problem: 'not_allowed' }, `${from} ${action}`);
});

test('only a valid licence reads as 0 on a status list', () => {
  assert.equal(statusBit('valid'), 0);
  for (const s of ['suspended', 'revoked', 'penalty-revoked', 'expired', 'cancelled'] as const)
    assert.equal(statusBit(s), 1);
});

test('validity in years or days from the issue, or none', () => {
  const from = new Date('2026-12-01T02:00:00Z');
  assert.equal(validUntil({ years: 10 }, from)?.toISOString(), '2036-12-01T02:00:00.000Z');
  assert.equal(validUntil({ days: 30 }, from)?.toISOString(), '2026-12-31T02:00:00.000Z');
  assert.equal(validUntil('none', from), null);
});
