// 窗口: filing at a service counter needs the counter role at multi-factor; the applicant must be
// an active account of the kind stated, asked of identity with the workflow's own service token;
// the applicant and the departments must lie in the officer's jurisdiction; the filing officer is
// on the application, in the timeline and in the ledger entry as the actor.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import { databaseLabel } from '@tongban/kernel/testing';
import ledger from '@tongban/ledger';
import workflow from '@tongban/workflow';
// Identity's own factories for a stored account (only tests reach into a module like this).
import { creditCodeCheckChar, residentIdCheckChar } from '../../../../modules/identity/src/domain/identifiers.ts';
import { insertAccount } from '../../../../modules/identity/src/store/accounts.ts';
import { settle } from '../ledger/fixtures.ts';
import { birthCertificateForm, M, startWorkflow, type Harness } from './fixtures.ts';

const COUNTER_DEPARTMENT = '330100-SJZY';
let serial = 1000;

describe(`filing at a service counter (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({ modules: [catalog, identity, workflow, ledger], identity: true });
  });
  after(() => h.p.dispose());

  /** A stored account; a citizen's region is that of its resident ID (GB 11643: the first six digits). */
  async function account(kind: 'citizen' | 'business', region = '330106', pendingUntil?: Date): Promise<string> {
    const representative = kind === 'business' ? await account('citizen', region) : undefined;
    const id = randomUUID();
    const n = String(serial++);
    const login =
      kind === 'citizen'
        ? (() => {
            const first17 = `${region}1990010${n.padStart(4, '0')}`;
            return first17 + residentIdCheckChar(first17);
          })()
        : (() => {
            const first17 = `91${region}MA2H0${n.padStart(4, '0')}`;
            return first17 + creditCodeCheckChar(first17);
          })();
    await insertAccount(h.p.database.db as never, {
      id,
      kind,
      login,
      displayName: `${kind} ${n}`,
      ...(pendingUntil ? { pendingUntil } : {}),
      ...(representative ? { legalRepresentative: representative } : {}),
    });
    return id;
  }
  const counterOfficer = (regions = ['330100'], id = 'counter-officer-1') =>
    h.officer(COUNTER_DEPARTMENT, ['officer', 'counter'], id, regions);
  const filing = (applicant: { id: string; kind: string }) => ({
    applicant,
    subject: { kind: 'matter', code: M.birthCertificate },
    form: birthCertificateForm(),
    materials: [{ code: 'mother-id-card', ref: 'doc:scanned-at-counter' }],
  });
  const file = (who: Record<string, string>, body: unknown, key = randomUUID()) =>
    h.call('POST', '/api/workflow/counter/applications', { ...who, 'idempotency-key': key }, body);
  const applications = async (applicantId: string) =>
    Number(
      (
        await h.p.database.db
          .selectFrom('workflow.application')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('applicant_id', '=', applicantId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('the right officer files: the application, the timeline and the ledger name the filer; the citizen sees it and is told', async () => {
    const citizenId = await account('citizen');
    const counter = await counterOfficer();
    const key = randomUUID();
    const r = await file(counter, filing({ id: citizenId, kind: 'citizen' }), key);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.channel, 'counter');
    assert.equal(r.body.filedBy, 'counter-officer-1');
    assert.equal(
      (await file(counter, filing({ id: citizenId, kind: 'citizen' }), key)).status,
      200,
      'a retried filing is the same one',
    );
    const citizen = await h.citizen(citizenId);
    const mine = (await h.call('GET', '/api/workflow/applications', citizen)).body;
    assert.deepEqual(
      mine.map((a: { id: string; channel: string }) => [a.id, a.channel]),
      [[r.body.id, 'counter']],
    );
    const notices = (await h.call('GET', '/api/workflow/me/notices', citizen)).body;
    assert.equal(notices[0].kind, 'counter_filed');
    const timeline = (await h.call('GET', `/api/workflow/applications/${r.body.id}/timeline`, citizen)).body;
    assert.deepEqual(timeline[0].actor, { kind: 'officer' }, 'the citizen sees an officer filed it, not who');
    const handling = await h.officer('330100-WJW');
    const task = (await h.call('GET', `/api/workflow/tasks/${r.body.tasks[0].id}`, handling)).body;
    assert.equal(task.application.filedBy, 'counter-officer-1');
    assert.deepEqual(task.timeline[0].actor, { kind: 'officer', id: 'counter-officer-1' });

    await settle(h);
    const entries = (
      await h.p.database.db.selectFrom('ledger.entry').select('body').where('subject_id', '=', citizenId).execute()
    ).map((e) => JSON.parse(e.body as string));
    const submitted = entries.find((e) => e.action === 'workflow.application.submitted');
    assert.ok(submitted, JSON.stringify(entries.map((e) => e.action)));
    assert.deepEqual(
      submitted.actor,
      { kind: 'officer', id: 'counter-officer-1' },
      'the ledger names the officer who filed, not the citizen',
    );
    assert.equal(submitted.resource.channel, 'counter');
    assert.equal(JSON.stringify(submitted).includes(citizenId), false, 'the citizen only by pseudonym');
  });

  test("another department's officer without the counter role: 403, nothing filed", async () => {
    const citizenId = await account('citizen');
    const realEstate = await h.officer('330100-BDC');
    const r = await file(realEstate, filing({ id: citizenId, kind: 'citizen' }));
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.code, 'FORBIDDEN');
    const lead = await h.officer(COUNTER_DEPARTMENT, ['officer', 'approver', 'lead']);
    assert.equal(
      (await file(lead, filing({ id: citizenId, kind: 'citizen' }))).status,
      403,
      'no task role stands in for the counter role',
    );
    assert.equal(await applications(citizenId), 0);
  });

  test('the counter role at password assurance is asked to step up', async () => {
    const citizenId = await account('citizen');
    const { token } = await import('./fixtures.ts');
    const weak = {
      authorization: `Bearer ${await token(h.key, { sub: 'counter-weak', kind: 'officer', roles: ['counter'], departments: [COUNTER_DEPARTMENT], regions: ['330100'] })}`,
    };
    const r = await file(weak, filing({ id: citizenId, kind: 'citizen' }));
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'STEP_UP_REQUIRED');
  });

  test('an applicant who is no account, not active, or of another kind: 422 WORKFLOW_APPLICANT_UNKNOWN naming the field; nothing filed, no notice', async () => {
    const counter = await counterOfficer();
    const nobody = randomUUID();
    const r = await file(counter, filing({ id: nobody, kind: 'citizen' }));
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.code, 'WORKFLOW_APPLICANT_UNKNOWN');
    assert.deepEqual(
      r.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['body.applicant.id', 'unknown']],
    );
    assert.equal(await applications(nobody), 0);
    const notices = await h.p.database.db
      .selectFrom('workflow.notice')
      .select('id')
      .where('recipient_id', '=', nobody)
      .execute();
    assert.deepEqual(notices, []);

    const business = await account('business', '330100');
    const wrongKind = await file(counter, filing({ id: business, kind: 'citizen' }));
    assert.equal(wrongKind.status, 422);
    assert.deepEqual(
      wrongKind.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['body.applicant.kind', 'kind_mismatch']],
    );
    const pending = await account('citizen', '330106', new Date(Date.now() + 600_000));
    const inactive = await file(counter, filing({ id: pending, kind: 'citizen' }));
    assert.equal(inactive.status, 422, JSON.stringify(inactive.body));
    assert.deepEqual(
      inactive.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['body.applicant.id', 'inactive']],
    );
    const malformed = await file(counter, filing({ id: 'c-counter', kind: 'citizen' }));
    assert.equal(malformed.status, 400, 'an account id is a UUID');
    assert.equal(malformed.body.errors[0].field, 'body.applicant.id');
  });

  test("a citizen of another region: 403; and a district's counter cannot file the city's matters", async () => {
    const ningbo = await account('citizen', '330203');
    const r = await file(await counterOfficer(), filing({ id: ningbo, kind: 'citizen' }));
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.code, 'FORBIDDEN_RESOURCE');
    assert.equal(r.body.errors[0].field, 'body.applicant');
    assert.equal(await applications(ningbo), 0);
    // 西湖区's counter, a 西湖区 resident, a matter of a city department (330100): out of its reach.
    const xihu = await account('citizen', '330106');
    const district = await file(
      await counterOfficer(['330106'], 'counter-xihu'),
      filing({ id: xihu, kind: 'citizen' }),
    );
    assert.equal(district.status, 403, JSON.stringify(district.body));
    assert.deepEqual(
      district.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['body.subject.code', 'outside_jurisdiction']],
    );
    assert.equal(await applications(xihu), 0);
    // The province's counter reaches both.
    assert.equal(
      (await file(await counterOfficer(['330000'], 'counter-zj'), filing({ id: xihu, kind: 'citizen' }))).status,
      201,
    );
  });

  test('a citizen calling the counter route: 403; identity answers the account lookup only to the service token', async () => {
    const citizenId = await account('citizen');
    const citizen = await h.citizen(citizenId);
    const r = await file(citizen, filing({ id: citizenId, kind: 'citizen' }));
    assert.equal(r.status, 403);
    assert.equal(await applications(citizenId), 0);
    // Nothing is trusted for coming from inside: the lookup the workflow makes needs its token.
    const url = `/api/identity/accounts/${citizenId}/summary`;
    assert.equal((await h.call('GET', url, {})).status, 401);
    assert.equal((await h.call('GET', url, await counterOfficer())).status, 403, 'not for officers, even counter ones');
    const token = await h.p.contexts.get('workflow')!.serviceToken();
    const asWorkflow = await h.call('GET', url, { authorization: `Bearer ${token}` });
    assert.equal(asWorkflow.status, 200, JSON.stringify(asWorkflow.body));
    assert.deepEqual([asWorkflow.body.kind, asWorkflow.body.region], ['citizen', '330106']);
  });
});
