// 出生一件事 issues its licences: 出生医学证明 (卫健委), 预防接种证 (疾控), 户口登记证明 (公安 落户) and
// the 社会保障卡 (人社, valid ten years) — each once, to the applicant, each recorded by the ledger
// under the holder's pseudonym; the expiry job ends the card at its validity, as an event.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import { databaseLabel } from '@tongban/kernel/testing';
import ledger from '@tongban/ledger';
import licenses from '@tongban/licenses';
import workflow from '@tongban/workflow';
import { sql } from 'kysely';
import { settle as settleLedger } from '../ledger/fixtures.ts';
import { M, startWorkflow, submitBirth, taskOf, type Harness } from '../workflow/fixtures.ts';

async function decide(h: Harness, taskId: string) {
  const { department_code: department } = await h.p.database.db
    .selectFrom('workflow.task')
    .select('department_code')
    .where('id', '=', taskId)
    .executeTakeFirstOrThrow();
  const officer = await h.officer(department);
  const { task } = (await h.call('GET', `/api/workflow/tasks/${taskId}`, officer)).body;
  let version = task.version;
  const act = async (action: string) => {
    const r = await h.call('POST', `/api/workflow/tasks/${taskId}/actions`, officer, { action, version });
    assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
    version = r.body.version;
  };
  if (task.state === 'submitted') await act('accept');
  if (task.process === 'standard') await act('review');
  await act('approve');
}

describe(`出生一件事 issues its licences (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({ modules: [catalog, identity, workflow, licenses, ledger], identity: true });
  });
  after(() => h.p.dispose());

  const issuer = () => h.p.instanceOf(licenses);
  const settle = async () => {
    await h.p.bus.settled();
    await issuer().kick();
    await h.p.bus.settled();
  };

  test('each approved matter that produces a licence issues it once to the applicant; the ledger records each', async () => {
    const citizen = await h.citizen('c-birth-lic');
    const { body: submitted, status } = await submitBirth(h, citizen);
    assert.equal(status, 201, JSON.stringify(submitted));
    const view = async () => (await h.call('GET', `/api/workflow/applications/${submitted.id}`, citizen)).body;

    await decide(h, taskOf(submitted, M.birthCertificate).id);
    await settle();
    for (const m of [M.vaccination, M.birthRegistration, M.maternityBenefits])
      await decide(h, taskOf(await view(), m).id);
    await settle();
    // 医保参保 approves itself by rule once 落户 is granted; then the social security card.
    await decide(h, taskOf(await view(), M.socialSecurityCard).id);
    await settle();

    const mine = (await h.call('GET', '/api/licenses/me', citizen)).body.licences as {
      type: { code: string };
      validUntil: string | null;
      identifier: string;
    }[];
    assert.deepEqual(mine.map((l) => l.type.code).sort(), [
      'birth-medical-certificate',
      'household-register',
      'social-security-card',
      'vaccination-certificate',
    ]);
    assert.equal(new Set(mine.map((l) => l.identifier)).size, 4);
    assert.equal(mine.find((l) => l.type.code === 'social-security-card')!.validUntil, '2036-12-01T02:00:00.000Z');

    await settleLedger(h);
    const entries = (await h.call('GET', '/api/ledger/me/entries?limit=100', citizen)).body.entries as {
      entry: { action: string; purpose: string; resource: { identifier?: string } };
    }[];
    const issued = entries.filter((e) => e.entry.action === 'licenses.licence.issued');
    assert.deepEqual(issued.map((e) => e.entry.resource.identifier).sort(), mine.map((l) => l.identifier).sort());
    assert.ok(issued.every((e) => e.entry.purpose === 'licence-issuance'));
  });

  test('the expiry job ends a licence at its validity, as a status change, and leaves the others', async () => {
    h.clock.set('2036-12-01T02:00:01Z');
    const expired = await issuer().ctx.transaction((trx) => issuer().expireDue(trx));
    assert.equal(expired, 1);
    const mine = (await h.call('GET', '/api/licenses/me', await h.citizen('c-birth-lic'))).body.licences as {
      type: { code: string };
      status: string;
      statusCode: string;
    }[];
    const card = mine.find((l) => l.type.code === 'social-security-card')!;
    assert.deepEqual([card.status, card.statusCode], ['expired', '05']);
    assert.ok(mine.filter((l) => l !== card).every((l) => l.status === 'valid'));
    const { rows } = await sql<{ action: string; actor: string }>`
      select data->>'action' as action, data->'actor'->>'id' as actor from licenses.outbox
      where type = 'licenses.licence.status-changed'`.execute(issuer().db);
    assert.deepEqual(rows, [{ action: 'expire', actor: 'licenses.expiry' }]);
    assert.equal(await issuer().ctx.transaction((trx) => issuer().expireDue(trx)), 0, 'once');
  });
});
