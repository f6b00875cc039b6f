// The seams are checked by the compiler: `npm run typecheck` (CI's second step) fails if any line
// marked @ts-expect-error below stops being an error — an unknown error code, a role nobody
// grants, an event type outside the contracts, a payload that breaks its schema. The runtime
// checks behind them (the outbox's, the guard's) have tests of their own
// (packages/kernel/test/lifecycle.test.ts, guard.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '@tongban/contracts';
import type { AnyTransaction, ModuleContext, PrincipalPolicy } from '@tongban/kernel';
import { WorkflowError } from '../../../modules/workflow/src/errors.ts';
import { IdentityError } from '../../../modules/identity/src/errors.ts';

/** Never called: its body only has to compile (or, where marked, not to). */
function compileOnly(ctx: ModuleContext, trx: AnyTransaction) {
  void new WorkflowError('WORKFLOW_TASK_NOT_FOUND', { id: 't' });
  void new WorkflowError('NOT_FOUND'); // the kernel's codes are every module's
  // @ts-expect-error another module's code is not workflow's to raise
  void new WorkflowError('IDENTITY_ACCOUNT_EXISTS');
  // @ts-expect-error a misspelt code
  void new IdentityError('IDENTITY_ACCOUNT_EXIST');

  const granted: Role = 'identity.recovery';
  // @ts-expect-error a role nobody grants
  const invented: Role = 'identity.superuser';
  const policy: PrincipalPolicy = { kinds: ['officer'], roles: ['counter'] };
  // @ts-expect-error a misspelt role in a route's policy
  const typo: PrincipalPolicy = { kinds: ['officer'], roles: ['conuter'] };

  void ctx.events.publish(trx, 'catalog.matter.published', { code: 'M', version: 1, departmentCode: 'D' });
  // @ts-expect-error an event type outside the contracts' catalog
  void ctx.events.publish(trx, 'catalog.matter.deleted', { code: 'M' });
  // @ts-expect-error a payload without a field its schema requires
  void ctx.events.publish(trx, 'catalog.matter.published', { code: 'M', version: 1 });
  void ctx.transaction((_trx, events) =>
    // @ts-expect-error the version is an integer, not a string
    events.publish('catalog.bundle.published', { code: 'B', version: '1', matterVersions: {} }),
  );
  return [granted, invented, policy, typo];
}

test('the typed seams compile as intended (the check is `npm run typecheck`)', () => {
  assert.equal(typeof compileOnly, 'function');
  // A module's error class is DomainError itself: instanceof and the problem+json mapping hold.
  const error = new WorkflowError('WORKFLOW_TASK_NOT_FOUND', { id: 't-1' });
  assert.equal(error.name, 'DomainError');
  assert.equal(error.status, 404);
});
