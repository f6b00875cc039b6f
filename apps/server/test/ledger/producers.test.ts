// The ledger's producers: identity's security events arrive through the bus and are recorded once,
// with the account as subject and no personal data (the mapping itself: modules/ledger/test/entry.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import { databaseLabel } from '@tongban/kernel/testing';
import ledger from '@tongban/ledger';
import workflow from '@tongban/workflow';
import { startWorkflow } from '../workflow/fixtures.ts';
import { settle, type Harness } from './fixtures.ts';

describe(`ledger producers (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({ modules: [catalog, identity, workflow, ledger] });
  });
  after(() => h.p.dispose());

  test("identity's security events are recorded exactly once, the account as subject", async () => {
    const r = await h.call(
      'POST',
      '/api/identity/register',
      {},
      {
        residentId: '11010519491231002X',
        name: '王五',
        mobile: '13900000009',
        password: 'a long passphrase for tongban',
      },
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await settle(h);
    await h.p.bus.settled();
    const rows = await h.p.database.db
      .selectFrom('ledger.entry')
      .select(['body', 'subject_id'])
      .where('subject_id', '=', r.body.id)
      .execute();
    assert.equal(rows.length, 1);
    const entry = JSON.parse(rows[0]!.body as string);
    assert.equal(entry.action, 'identity.account.registered');
    assert.equal(entry.purpose, 'identity-and-access');
    assert.equal(rows[0]!.body.includes('王五'), false);
    assert.equal(rows[0]!.body.includes('11010519491231002X'), false);
  });
});
