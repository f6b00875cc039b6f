import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ACTIONS,
  actionsFor,
  allows,
  checkProcess,
  findDecided,
  nextState,
  PROCESSES,
  TASK_STATES,
  type ActionSpec,
} from '../src/domain/process.ts';

test('the process tables are sound: every state reached, every open state has a way out, terminal states none', () => {
  assert.deepEqual(checkProcess(TASK_STATES, PROCESSES.standard), []);
  const { reviewed: _reviewed, ...withoutReview } = TASK_STATES;
  assert.deepEqual(checkProcess(withoutReview, PROCESSES.immediate), []);
});

test('即办件 (immediate) is decided on acceptance: no review step', () => {
  assert.equal(allows('immediate', 'approve', 'accepted'), true);
  assert.equal(allows('immediate', 'review', 'accepted'), false);
  assert.deepEqual(actionsFor('immediate', 'accepted', ['officer']).sort(), ['approve', 'reject', 'requestCorrection']);
  assert.deepEqual(actionsFor('standard', 'accepted', ['officer']).sort(), ['reject', 'requestCorrection', 'review']);
});

test('the load-time check catches an unknown state, a way out of a terminal state, an unreachable state and a role-less officer action', () => {
  const broken: Record<string, ActionSpec> = {
    ...ACTIONS,
    reopen: {
      zh: '重开',
      en: 'Reopen',
      actor: 'officer',
      roles: ['officer'],
      from: ['approved'],
      to: 'submitted',
      event: 'workflow.task.reopened' as never,
    },
    vanish: {
      zh: '消失',
      en: 'Vanish',
      actor: 'officer',
      from: ['submitted'],
      to: 'nowhere' as never,
      event: 'workflow.task.vanished' as never,
    },
  };
  const problems = checkProcess({ ...TASK_STATES, limbo: { terminal: false } }, broken);
  assert.ok(
    problems.some((p) => p.includes('reopen: leaves the terminal state approved')),
    problems.join('\n'),
  );
  assert.ok(problems.some((p) => p.includes('vanish: unknown to-state nowhere')));
  assert.ok(problems.some((p) => p.includes('vanish: an officer action names no role')));
  assert.ok(problems.some((p) => p.includes('state limbo is never reached')));
  assert.ok(problems.some((p) => p.includes('state limbo has no way out')));
});

test('a correction returns to the state it interrupted; supplying materials keeps the state', () => {
  assert.equal(nextState('resubmit', 'correction', 'accepted'), 'accepted');
  assert.equal(nextState('resubmit', 'correction', 'submitted'), 'submitted');
  assert.throws(() => nextState('resubmit', 'correction'));
  assert.equal(nextState('supplyMaterial', 'reviewed'), 'reviewed');
  assert.equal(nextState('approve', 'reviewed'), 'approved');
});

test('the decision comes only after review; nothing leaves a finished task', () => {
  assert.equal(allows('standard', 'approve', 'accepted'), false);
  assert.equal(allows('standard', 'approve', 'reviewed'), true);
  for (const state of ['approved', 'rejected', 'cancelled'] as const)
    assert.deepEqual(actionsFor('standard', state, ['officer', 'approver', 'lead']), []);
});

test("an officer's queue offers only the actions of the officer's roles", () => {
  assert.deepEqual(actionsFor('standard', 'submitted', ['officer']).sort(), [
    'accept',
    'acceptPending',
    'reject',
    'requestCorrection',
  ]);
  assert.deepEqual(actionsFor('standard', 'reviewed', ['viewer']), []);
});

test('withdrawing ends any open task, in both processes, and nothing finished', () => {
  for (const from of ['waiting', 'submitted', 'accepted', 'reviewed', 'correction'] as const)
    assert.equal(allows('standard', 'withdraw', from), true, from);
  assert.equal(allows('immediate', 'withdraw', 'accepted'), true);
  for (const from of ['approved', 'rejected', 'cancelled', 'withdrawn'] as const)
    assert.equal(allows('standard', 'withdraw', from), false, from);
  assert.equal(nextState('withdraw', 'correction'), 'withdrawn');
  assert.deepEqual(
    actionsFor('standard', 'withdrawn', ['officer', 'approver', 'lead']),
    [],
    'a withdrawn task offers officers nothing',
  );
  assert.equal(ACTIONS.withdraw.actor, 'applicant');
});

test('a department has decided once a task is approved — by an officer or by 秒批 alike — or rejected', () => {
  assert.equal(
    findDecided([{ state: 'waiting' }, { state: 'accepted' }, { state: 'correction' }, { state: 'reviewed' }]),
    undefined,
  );
  assert.deepEqual(
    findDecided([
      { state: 'submitted', id: 1 },
      { state: 'approved', id: 2 },
    ]),
    { state: 'approved', id: 2 },
    'an approval by rule is an approval',
  );
  assert.deepEqual(findDecided([{ state: 'rejected' }, { state: 'cancelled' }]), { state: 'rejected' });
});

test('a task with fees waits for payment in both processes: the system moves it on, no officer action is open', () => {
  for (const process of ['standard', 'immediate'] as const) {
    assert.equal(allows(process, 'startAwaitingPayment', 'waiting'), true);
    assert.equal(allows(process, 'paymentReceived', 'awaiting_payment'), true);
    assert.equal(allows(process, 'paymentLapsed', 'awaiting_payment'), true);
    assert.equal(allows(process, 'withdraw', 'awaiting_payment'), true, 'the applicant may still withdraw');
    assert.deepEqual(actionsFor(process, 'awaiting_payment', ['officer', 'approver', 'lead']), []);
  }
  assert.equal(nextState('paymentReceived', 'awaiting_payment'), 'submitted');
  assert.equal(nextState('paymentLapsed', 'awaiting_payment'), 'cancelled');
  assert.equal(ACTIONS.startAwaitingPayment.event, 'workflow.task.started', 'payments hears every start');
  assert.equal(ACTIONS.paymentLapsed.needsReason, true);
});
