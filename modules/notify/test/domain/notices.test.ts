// Which notice each consumed event makes: the kind, for whom, with which values and departments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fromApplicationEnd,
  fromOrderCreated,
  fromOrderPaid,
  fromSubmitted,
  fromTask,
  webhookPayload,
} from '../../src/domain/notices.ts';

const task = {
  applicationId: 'a1',
  caseNumber: 'C1',
  taskId: 't1',
  matterCode: 'M1',
  departmentCode: 'D1',
  applicantId: 'p1',
  action: 'approve',
  from: 'reviewed',
  to: 'approved',
  actor: { kind: 'officer', id: 'o1' },
  at: '2026-12-01T02:00:00Z',
  seq: 1,
};

test('submitted online, or filed at a counter', () => {
  const base = {
    applicationId: 'a1',
    caseNumber: 'C1',
    applicantId: 'p1',
    channel: 'online',
    actor: { kind: 'citizen', id: 'p1' },
    subject: { kind: 'matter', code: 'M1', version: 1 },
    tasks: [
      { taskId: 't1', matterCode: 'M1', departmentCode: 'D1', state: 'waiting' },
      { taskId: 't2', matterCode: 'M2', departmentCode: 'D1', state: 'waiting' },
    ],
  };
  assert.equal(fromSubmitted(base).kind, 'submitted');
  assert.deepEqual(fromSubmitted(base).departments, ['D1']);
  assert.equal(
    fromSubmitted({ ...base, channel: 'counter', actor: { kind: 'officer', id: 'o1' } }).kind,
    'counter_filed',
  );
});

test('the task steps the applicant hears of; accepted with materials to follow; not the others', () => {
  assert.equal(fromTask('approved', task)?.kind, 'approved');
  assert.equal(fromTask('approved', { ...task, action: 'autoApprove' })?.kind, 'approved');
  assert.equal(fromTask('rejected', { ...task, reason: '不符合' })?.params.reason, '不符合');
  assert.equal(fromTask('correction-requested', task)?.kind, 'correction_requested');
  assert.equal(fromTask('accepted', { ...task, action: 'acceptPending' })?.kind, 'materials_to_follow');
  assert.equal(fromTask('accepted', { ...task, action: 'accept' }), undefined);
  for (const verb of ['started', 'claimed', 'reviewed', 'assigned']) assert.equal(fromTask(verb, task), undefined);
});

test('payments: a pending order is due, a waived one says nothing; the case number from the projection', () => {
  const known = { caseNumber: 'C9', applicantId: 'p1', departments: ['D1'] };
  const order = {
    orderId: 'o1',
    applicationId: 'a1',
    taskId: 't1',
    matterCode: 'M1',
    payerId: 'p1',
    amountFen: 1000,
    expiresAt: '2026-12-01T03:30:00Z',
    at: '2026-12-01T02:00:00Z',
  };
  const due = fromOrderCreated({ ...order, status: 'pending' }, known)!;
  assert.deepEqual([due.kind, due.params.caseNumber, due.params.amount], ['payment_due', 'C9', '1000']);
  assert.equal(fromOrderCreated({ ...order, status: 'waived' }, known), undefined);
  const paid = { ...order, departmentCode: 'D1', channel: 'sim', via: 'notify' as const, items: [], paidAt: order.at };
  assert.equal(fromOrderPaid(paid, known)?.kind, 'payment_received');
  assert.equal(fromOrderPaid({ ...paid, via: 'exempt', channel: 'exempt' }, known), undefined);
});

test('a webhook payload carries ids, the case number and the department, no personal data', () => {
  const d = fromApplicationEnd('completed', { applicationId: 'a1', caseNumber: 'C1', applicantId: 'p1' }, undefined);
  assert.deepEqual(webhookPayload('e1', d, 'D1', new Date('2026-12-01T02:00:00Z')), {
    type: 'notify.completed',
    eventId: 'e1',
    kind: 'completed',
    applicationId: 'a1',
    taskId: null,
    caseNumber: 'C1',
    departmentCode: 'D1',
    at: '2026-12-01T02:00:00.000Z',
  });
});
