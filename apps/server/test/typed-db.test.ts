// Each module's queries see its own tables only (issue 10, item 3, the compile-time half; the
// run-time half is a PostgreSQL role per module, packages/kernel/src/db/roles.ts). The check is
// `npm run typecheck`: it fails if any line marked @ts-expect-error below stops being an error —
// another module's table, an unknown column, a value of the wrong type. The kernel hands out an
// handle that names no table (ModuleDb); a module narrows it once, with its store/tables.ts `typed()`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnyKysely, AnyTransaction, ModuleContext, ModuleTrx } from '@tongban/kernel';
import type { WorkflowDb } from '../../../modules/workflow/src/store/tables.ts';
import { typed as catalogTyped } from '../../../modules/catalog/src/store/tables.ts';
import {
  typed as identityTyped,
  type IdentityDb,
  type IdentityTrx,
} from '../../../modules/identity/src/store/tables.ts';
import { typed as ledgerTyped } from '../../../modules/ledger/src/store/tables.ts';

/** Never called: its body only has to compile (or, where marked, not to). */
function compileOnly(db: AnyKysely, trx: AnyTransaction) {
  const identity: IdentityDb = identityTyped(db);
  const identityTrx: IdentityTrx = identityTyped(trx);
  void identity.selectFrom('identity.account').select(['id', 'login', 'pending_until']);
  void identityTrx.insertInto('identity.one_time_code').values({ account_id: 'a', purpose: 'p', record: '{}' });
  // @ts-expect-error the catalog's table is not identity's to read
  void identity.selectFrom('catalog.matter');
  // @ts-expect-error nor is the workflow's
  void identity.selectFrom('workflow.application');
  // @ts-expect-error a column identity.account does not have
  void identity.selectFrom('identity.account').select('password');
  // @ts-expect-error jsonb is written as JSON text, not as an object
  void identityTrx.insertInto('identity.one_time_code').values({ account_id: 'a', purpose: 'p', record: {} });
  const step = { uid: 'u', account_id: 'a', factors: ['pwd'], expires_at: new Date() };
  void identity.insertInto('identity.sign_in_step').values({ ...step, second_factor: 'totp' });
  // @ts-expect-error a second factor the table's check does not allow
  void identity.insertInto('identity.sign_in_step').values({ ...step, second_factor: 'email' });

  const catalog = catalogTyped(db);
  void catalog.selectFrom('catalog.matter').select(['code', 'draft']);
  // @ts-expect-error identity's accounts are not the catalog's to read
  void catalog.selectFrom('identity.account');
  // @ts-expect-error a version is an integer
  void catalog.insertInto('catalog.matter_version').values({ code: 'M', version: '1', content: '{}' });

  const ledger = ledgerTyped(trx);
  void ledger.selectFrom('ledger.entry').select(['idx', 'body']);
  // @ts-expect-error the workflow's tasks are not the ledger's to read
  void ledger.selectFrom('workflow.task');
  // @ts-expect-error an entry has no such column
  void ledger.selectFrom('ledger.entry').select('payload');
}

/** What the kernel hands a module names no table: a query that forgets to narrow does not compile. */
function forgotten(ctx: ModuleContext, job: { trx: ModuleTrx }, workflowDb: WorkflowDb) {
  // @ts-expect-error ctx.db is not a handle to any table until the module narrows it
  void ctx.db.selectFrom('identity.account');
  // @ts-expect-error nor is a job's transaction
  void job.trx.insertInto('workflow.task');
  // @ts-expect-error nor can it stand in for a module's typed handle
  const wrong: WorkflowDb = ctx.db;
  void identityTyped(ctx.db).selectFrom('identity.account');
  void workflowDb.selectFrom('workflow.application').select('id');
  // @ts-expect-error the workflow's handle does not reach the catalog's tables
  void workflowDb.selectFrom('catalog.matter');
  return wrong;
}

test('each module reads only its own tables (the check is `npm run typecheck`)', () => {
  assert.equal(typeof compileOnly, 'function');
  assert.equal(typeof forgotten, 'function');
  // typed() is a cast, not a copy: the handle the kernel gave is the one the module queries with.
  const handle = {} as AnyKysely;
  assert.equal(identityTyped(handle), handle);
  assert.equal(catalogTyped(handle), handle);
  assert.equal(ledgerTyped(handle), handle);
});
