// Issue 13: an approved task of a matter that produces a licence issues it to the applicant, once
// under redelivery; the holder sees it, the issuing department's officers change its status with a
// reason (mfa), every other principal is refused, and every change is an event.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import { databaseLabel } from '@tongban/kernel/testing';
import licenses, { isValidIdentifier, Licenses, statusEntries } from '@tongban/licenses';
import workflow from '@tongban/workflow';
import { sql } from 'kysely';
import {
  approveBirthCertificate,
  startWorkflow,
  submitBirthCertificate,
  token,
  type Harness,
} from '../workflow/fixtures.ts';

const WJW = '330100-WJW';

describe(`licence issuance and status (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({ modules: [catalog, identity, workflow, licenses], identity: true });
  });
  after(() => h.p.dispose());

  const issuer = () => h.p.instanceOf(licenses);
  const eventsOf = async (type: string, licenceId: string) =>
    (
      await sql<{
        id: string;
      }>`select data->>'licenceId' as id from licenses.outbox where type = ${type} and data->>'licenceId' = ${licenceId}`.execute(
        issuer().db,
      )
    ).rows.map((r) => r.id);
  const settle = async () => {
    await h.p.bus.settled();
    await issuer().kick();
  };

  /** A 出生医学证明 application approved by 卫健委; answers the approved task's id. */
  async function approvedBirthCertificate(citizen: string): Promise<string> {
    const taskId = await approveBirthCertificate(h, citizen);
    await settle();
    return taskId;
  }

  test("the workflow gives an approved task's answers to licences' issuer only: not to the applicant, an officer or before approval", async () => {
    const taskId = await approvedBirthCertificate('c-answers');
    const url = `/api/workflow/tasks/${taskId}/answers`;
    assert.equal((await h.call('GET', url, await h.citizen('c-answers'))).status, 403, 'the applicant');
    assert.equal((await h.call('GET', url, await h.officer(WJW, ['officer', 'approver']))).status, 403, 'an officer');
    assert.equal((await h.call('GET', url, {})).status, 401, 'anonymous');
    // The issuer's own token (client tongban-licenses, role workflow.answers.read) reads it; others 404 until approved.
    const token = await issuer().ctx.serviceToken();
    const own = await h.call('GET', url, { authorization: `Bearer ${token}` });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.taskId, taskId);
    assert.equal(own.body.applicant.kind, 'citizen');
    const open = (await submitBirthCertificate(h, await h.citizen('c-answers-2'))).tasks[0] as { id: string };
    const early = await h.call('GET', `/api/workflow/tasks/${open.id}/answers`, { authorization: `Bearer ${token}` });
    assert.equal(early.status, 404, 'a task not approved is not there for issuing');
  });

  test('an approved 出生医学证明 is issued once to the applicant with a valid GB/T 36904 identifier', async () => {
    const taskId = await approvedBirthCertificate('c-lic1');
    const mine = await h.call('GET', '/api/licenses/me', await h.citizen('c-lic1'));
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    assert.equal(mine.body.licences.length, 1);
    const [licence] = mine.body.licences;
    assert.equal(licence.type.code, 'birth-medical-certificate');
    assert.equal(licence.status, 'valid');
    assert.equal(licence.statusCode, '01');
    assert.equal(licence.validUntil, null);
    assert.ok(isValidIdentifier(licence.identifier), licence.identifier);
    assert.match(licence.identifier, /^1\.2\.156\.3005\.2\.1001\.11330100002489571.\.\d+\.001\.[0-9A-Z]$/);

    // The approval delivered again (a redelivery, a restart): still one licence.
    const again = await issuer().issue({
      taskId,
      applicationId: 'a-replayed',
      caseNumber: 'x',
      matterCode: '330100-WJW-001',
      departmentCode: WJW,
      applicantId: 'c-lic1',
      action: 'approve',
      from: 'reviewed',
      to: 'approved',
      actor: { kind: 'officer', id: 'o' },
      at: new Date().toISOString(),
      seq: 1,
    });
    assert.equal(again?.id, licence.id, 'the licence the task already issued');
    assert.equal((await issuer().findByIdentifier(licence.identifier))?.id, licence.id);
    assert.equal(await issuer().findByIdentifier(licence.identifier.replace(/.$/, '#')), undefined);
    assert.deepEqual(await eventsOf('licenses.licence.issued', licence.id), [licence.id], 'one issued event');
    assert.equal((await h.call('GET', '/api/licenses/me', await h.citizen('c-lic1'))).body.licences.length, 1);
  });

  test('two issuers racing for one approval make one licence and both answer it', async () => {
    const event = {
      taskId: 't-race',
      applicationId: 'a-race',
      caseNumber: 'x',
      matterCode: '330100-WJW-001',
      departmentCode: WJW,
      applicantId: 'c-race',
      action: 'approve',
      from: 'reviewed',
      to: 'approved',
      actor: { kind: 'officer', id: 'o' },
      at: new Date().toISOString(),
      seq: 1,
    };
    // Two issuers (two replicas) held until both have asked their sources, then let go together.
    let arrived = 0;
    let release!: () => void;
    const together = new Promise<void>((resolve) => (release = resolve));
    const replica = () =>
      new Licenses(issuer().ctx, {
        producedType: async () => 'birth-medical-certificate',
        answers: async () => {
          if (++arrived === 2) release();
          await together;
          return { childName: '王小明' };
        },
      });
    const [a, b] = await Promise.all([replica().issue(event), replica().issue(event)]);
    assert.ok(a && b);
    assert.equal(a.id, b.id);
    assert.equal(a.holder.name, '王**', 'the holder name only masked');
    // What it carries is sealed at rest: no name in clear in the row, and it opens in its own row only.
    const stored = await sql<{ fields: string }>`select fields from licenses.licence where id = ${a.id}`.execute(
      h.p.database.db,
    );
    assert.doesNotMatch(stored.rows[0]!.fields, /王小明/);
    assert.deepEqual(
      JSON.parse(await issuer().ctx.fields.open(stored.rows[0]!.fields, `licenses.licence.fields:${a.id}`)),
      { childName: '王小明' },
    );
    assert.equal((await h.call('GET', '/api/licenses/me', await h.citizen('c-race'))).body.licences.length, 1);
  });

  test('two approvals at one department get consecutive serials and distinct status-list slots', async () => {
    await approvedBirthCertificate('c-lic2');
    await approvedBirthCertificate('c-lic3');
    const a = (await h.call('GET', '/api/licenses/me', await h.citizen('c-lic2'))).body.licences[0];
    const b = (await h.call('GET', '/api/licenses/me', await h.citizen('c-lic3'))).body.licences[0];
    const serial = (id: string) => Number(id.split('.').at(-3));
    assert.equal(serial(b.identifier), serial(a.identifier) + 1);
    const one = (await h.call('GET', `/api/licenses/${b.id}`, await h.citizen('c-lic3'))).body;
    assert.equal(one.statusList.id, `sl-${WJW}`);
    const entries = await statusEntries(issuer().db, `sl-${WJW}`);
    // Slots are drawn at random (issuance order must not show): distinct, within the list's 131,072.
    const slots = entries.map((e) => e.index);
    assert.equal(new Set(slots).size, slots.length, 'no slot given twice');
    assert.ok(
      slots.every((i) => Number.isInteger(i) && i >= 0 && i < 131_072),
      String(slots),
    );
  });

  test('a licence is read by its holder and the issuing department, not by another person or department', async () => {
    await approvedBirthCertificate('c-lic4');
    const [licence] = (await h.call('GET', '/api/licenses/me', await h.citizen('c-lic4'))).body.licences;
    const url = `/api/licenses/${licence.id}`;
    assert.equal((await h.call('GET', url, await h.citizen('c-lic4'))).status, 200);
    assert.equal((await h.call('GET', url, await h.officer(WJW))).status, 200);
    assert.equal((await h.call('GET', url, await h.citizen('c-other'))).status, 403);
    assert.equal((await h.call('GET', url, await h.officer('330100-GA'))).status, 403);
    const missing = await h.call(
      'GET',
      '/api/licenses/00000000-0000-4000-8000-000000000000',
      await h.citizen('c-lic4'),
    );
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'LICENSES_NOT_FOUND');
  });

  test('suspend needs a reason, then reinstate and revoke; each change is an appended event; the wrong principal is refused', async () => {
    await approvedBirthCertificate('c-lic5');
    const [licence] = (await h.call('GET', '/api/licenses/me', await h.citizen('c-lic5'))).body.licences;
    const url = `/api/licenses/${licence.id}/status`;
    const officer = await h.officer(WJW);

    const noReason = await h.call('POST', url, officer, { action: 'suspend' });
    assert.equal(noReason.status, 422, JSON.stringify(noReason.body));
    assert.equal(noReason.body.code, 'LICENSES_REASON_REQUIRED');
    assert.equal(noReason.body.errors[0].field, 'body.reason');

    const badAction = await h.call('POST', url, officer, { action: 'explode', reason: 'x' });
    assert.equal(badAction.status, 400);

    // The holder, another department's officer, and an officer without multi-factor: refused.
    assert.equal(
      (await h.call('POST', url, await h.citizen('c-lic5'), { action: 'suspend', reason: '核查' })).status,
      403,
    );
    assert.equal(
      (await h.call('POST', url, await h.officer('330100-GA'), { action: 'suspend', reason: '核查' })).status,
      403,
    );
    const noMfa = {
      authorization: `Bearer ${await token(h.key, { sub: 'o-nomfa', kind: 'officer', roles: ['officer'], departments: [WJW], regions: ['330100'] })}`,
    };
    assert.equal((await h.call('POST', url, noMfa, { action: 'suspend', reason: '核查' })).status, 401);

    let r = await h.call('POST', url, officer, { action: 'suspend', reason: '信息核查中' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'suspended');
    assert.equal(r.body.statusCode, '02');
    assert.equal(
      (await h.call('POST', url, officer, { action: 'suspend', reason: '再次' })).body.code,
      'LICENSES_STATUS_NOT_ALLOWED',
    );
    r = await h.call('POST', url, officer, { action: 'reinstate' });
    assert.equal(r.body.status, 'valid');
    r = await h.call('POST', url, officer, { action: 'revoke', reason: '签发信息有误' });
    assert.equal(r.body.statusCode, '03');
    const again = await h.call('POST', url, officer, { action: 'reinstate' });
    assert.equal(again.status, 409);
    const { statusList } = (await h.call('GET', `/api/licenses/${licence.id}`, officer)).body;
    const entries = await issuer().statusEntries(statusList.id);
    assert.equal(entries.find((e) => e.index === statusList.index)?.status, 'revoked');
    const changes = await sql<{ data: { action: string; code: string; reason?: string; actor: { id: string } } }>`
      select data from licenses.outbox where type = 'licenses.licence.status-changed' and data->>'licenceId' = ${licence.id} order by seq`.execute(
      issuer().db,
    );
    assert.deepEqual(
      changes.rows.map((r) => [r.data.action, r.data.code, r.data.reason ?? null, r.data.actor.id]),
      [
        ['suspend', '02', '信息核查中', `officer-${WJW}`],
        ['reinstate', '01', null, `officer-${WJW}`],
        ['revoke', '03', '签发信息有误', `officer-${WJW}`],
      ],
    );
  });

  test('the holder shows a scan code that verifies; tampered, re-prefixed, foreign, suspended and revoked codes each say why not', async () => {
    await approvedBirthCertificate('c-scan');
    const [licence] = (await h.call('GET', '/api/licenses/me', await h.citizen('c-scan'))).body.licences;
    const shown = await h.call('GET', `/api/licenses/${licence.id}/scan-code`, await h.citizen('c-scan'));
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    const { code, qrSvg } = shown.body as { code: string; qrSvg: string };
    assert.match(code, /^TB1:[0-9A-Z $%*+\-./:]+$/, 'base45 behind the prefix: QR alphanumeric');
    assert.ok(code.length < 700, `${code.length} characters`);
    assert.match(qrSvg, /^<svg/);
    assert.equal(
      (await h.call('GET', `/api/licenses/${licence.id}/scan-code`, await h.citizen('c-other'))).status,
      403,
    );

    const verify = async (text: string) => (await h.call('POST', '/api/licenses/verify', {}, { code: text })).body;
    const ok = await verify(code);
    assert.equal(ok.valid, true, JSON.stringify(ok));
    assert.equal(ok.licence.identifier, licence.identifier);
    assert.equal(ok.status.state, 'valid');
    // one character changed inside the base45 text
    const i = 40;
    const tampered = code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1);
    assert.equal((await verify(tampered)).valid, false);
    assert.notEqual((await verify(tampered)).reason, undefined);
    assert.equal((await verify(code.replace('TB1:', 'HC1:'))).reason, 'wrong_prefix');
    assert.equal((await verify(code.slice(0, 60))).valid, false, 'truncated');
    // signed by a key this region does not trust (another secret)
    const { ScanCodes } = await import('../../../../modules/licenses/src/service/scan.ts');
    const row = await sql<Record<string, unknown>>`select * from licenses.licence where id = ${licence.id}`.execute(
      issuer().db,
    );
    const foreign = await new ScanCodes({ secret: () => 'another region entirely, another key' }).codeOf(
      row.rows[0] as never,
    );
    assert.equal((await verify(foreign.code)).reason, 'unknown_issuer');

    const officer = await h.officer(WJW);
    const status = `/api/licenses/${licence.id}/status`;
    assert.equal((await h.call('POST', status, officer, { action: 'suspend', reason: '信息核查中' })).status, 200);
    const suspended = await verify(code);
    assert.deepEqual([suspended.valid, suspended.reason, suspended.status.state], [false, 'suspended', 'suspended']);
    await h.call('POST', status, officer, { action: 'revoke', reason: '签发信息有误' });
    assert.equal((await verify(code)).reason, 'revoked');
    const bad = await h.call('POST', '/api/licenses/verify', {}, { code: '' });
    assert.equal(bad.status, 400);
  });

  test('my licences need a citizen or business', async () => {
    assert.equal((await h.call('GET', '/api/licenses/me', await h.officer(WJW))).status, 403);
    assert.equal((await h.call('GET', '/api/licenses/me', {})).status, 401);
  });
});
