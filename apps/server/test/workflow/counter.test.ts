// 窗口: filing at a service counter needs the counter role at multi-factor; the officer names the
// person by ID number, which the data hub resolves through the population registry (a stand-in
// here: fake-datahub.ts) to an account that identity confirms active and a citizen's, both asked
// with the workflow's own service token; the answer shows the person masked; the applicant and the
// departments must lie in the officer's jurisdiction; the filing officer is on the application, in
// the timeline and in the ledger entry as the actor.
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
import { fakeDatahub, masked } from './fake-datahub.ts';
import { birthCertificateForm, M, startWorkflow, type Harness } from './fixtures.ts';
import notify from '@tongban/notify';
import { inbox } from '../notify/inbox.ts';

const COUNTER_DEPARTMENT = '330100-SJZY';
let serial = 1000;

describe(`filing at a service counter (${databaseLabel})`, () => {
  let h: Harness;
  const datahub = fakeDatahub();
  before(async () => {
    h = await startWorkflow({ modules: [catalog, identity, workflow, ledger, datahub.module, notify], identity: true });
  });
  after(() => h.p.dispose());

  /**
   * A stored account; a citizen's region is that of its resident ID (GB 11643: the first six
   * digits), and the population registry knows them by it (`idNumbers`).
   */
  const idNumbers = new Map<string, string>();
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
    idNumbers.set(id, login);
    datahub.persons.set(login, { person: masked(`公民${n}`, login), region, accountId: id });
    return id;
  }
  /** A resident the registry knows who has no account. */
  const unregistered = (region = '330106') => {
    const first17 = `${region}1985020${String(serial++).padStart(4, '0')}`;
    const idNumber = first17 + residentIdCheckChar(first17);
    datahub.persons.set(idNumber, { person: masked('王五', idNumber), region, accountId: null });
    return idNumber;
  };
  const counterOfficer = (regions = ['330100'], id = 'counter-officer-1') =>
    h.officer(COUNTER_DEPARTMENT, ['officer', 'counter'], id, regions);
  /** A filing for an account (its ID number), or for an ID number as given. */
  const filing = (who: string | { idNumber: string }) => ({
    applicant: typeof who === 'string' ? { idNumber: idNumbers.get(who) ?? who } : who,
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
    const r = await file(counter, filing(citizenId), key);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.channel, 'counter');
    assert.equal(r.body.filedBy, 'counter-officer-1');
    // Whom for, as the hub shows them: masked, never the number the officer typed.
    const idNumber = idNumbers.get(citizenId)!;
    const person = datahub.persons.get(idNumber)!;
    assert.deepEqual(r.body.applicant, person.person);
    assert.match(r.body.applicant.idNumber, /^330106\*{8}\d{3}[0-9X]$/);
    assert.equal(JSON.stringify(r.body.applicant).includes(idNumber), false);
    const lookup = datahub.requests.findLast((q) => q.path === '/persons/resolve')!;
    assert.deepEqual(lookup.body, { idNumber, purpose: M.birthCertificate });
    assert.deepEqual([lookup.principal.kind, lookup.principal.id], ['service', 'tongban-workflow']);
    assert.equal((await file(counter, filing(citizenId), key)).status, 200, 'a retried filing is the same one');
    const citizen = await h.citizen(citizenId);
    const mine = (await h.call('GET', '/api/workflow/applications', citizen)).body;
    assert.deepEqual(
      mine.map((a: { id: string; channel: string }) => [a.id, a.channel]),
      [[r.body.id, 'counter']],
    );
    const notices = await inbox(h, citizen);
    assert.equal(notices[0]!.kind, 'counter_filed');
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
    const r = await file(realEstate, filing(citizenId));
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.code, 'FORBIDDEN');
    const lead = await h.officer(COUNTER_DEPARTMENT, ['officer', 'approver', 'lead']);
    assert.equal((await file(lead, filing(citizenId))).status, 403, 'no task role stands in for the counter role');
    assert.equal(await applications(citizenId), 0);
  });

  test('the counter role at password assurance is asked to step up', async () => {
    const citizenId = await account('citizen');
    const { token } = await import('./fixtures.ts');
    const weak = {
      authorization: `Bearer ${await token(h.key, { sub: 'counter-weak', kind: 'officer', roles: ['counter'], departments: [COUNTER_DEPARTMENT], regions: ['330100'] })}`,
    };
    const r = await file(weak, filing(citizenId));
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'STEP_UP_REQUIRED');
  });

  test("an ID number the registry does not know, of no account, not active or not a citizen's, or with a wrong check digit: 422 naming body.applicant.idNumber; nothing filed, no notice", async () => {
    const counter = await counterOfficer();
    const fields = (r: { body: { errors: { field: string; code: string }[] } }) =>
      r.body.errors.map((e) => [e.field, e.code]);
    const first17 = `3301061970010${String(serial++).padStart(4, '0')}`;
    const stranger = first17 + residentIdCheckChar(first17);
    const r = await file(counter, filing({ idNumber: stranger }));
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.code, 'WORKFLOW_APPLICANT_UNKNOWN');
    assert.deepEqual(fields(r), [['body.applicant.idNumber', 'unknown']]);

    const noAccount = unregistered();
    const none = await file(counter, filing({ idNumber: noAccount }), randomUUID());
    assert.equal(none.status, 422, JSON.stringify(none.body));
    assert.deepEqual(fields(none), [['body.applicant.idNumber', 'no_account']]);
    assert.match(none.body.errors[0].message, /尚未注册/, 'in zh-CN unless asked otherwise');
    const english = await h.call(
      'POST',
      '/api/workflow/counter/applications',
      { ...counter, 'idempotency-key': randomUUID(), 'accept-language': 'en' },
      filing({ idNumber: noAccount }),
    );
    assert.match(english.body.errors[0].message, /no platform account/);
    await h.p.bus.settled();
    const notices = await h.p.database.db.selectFrom('notify.notice').select('id').execute();
    const before = notices.length;

    // The registry links the number to an account that is a business's: refused.
    const business = await account('business', '330100');
    const linked = unregistered();
    datahub.persons.set(linked, { ...datahub.persons.get(linked)!, accountId: business });
    assert.deepEqual(fields(await file(counter, filing({ idNumber: linked }))), [
      ['body.applicant.idNumber', 'kind_mismatch'],
    ]);
    const pending = await account('citizen', '330106', new Date(Date.now() + 600_000));
    const inactive = await file(counter, filing(pending));
    assert.equal(inactive.status, 422, JSON.stringify(inactive.body));
    assert.deepEqual(fields(inactive), [['body.applicant.idNumber', 'inactive']]);
    assert.equal(await applications(pending), 0);

    // A wrong check character is refused before the registry is asked.
    const asked = datahub.requests.length;
    const wrongCheck = stranger.slice(0, 17) + (stranger.endsWith('1') ? '2' : '1');
    assert.deepEqual(fields(await file(counter, filing({ idNumber: wrongCheck }))), [
      ['body.applicant.idNumber', 'check_digit'],
    ]);
    assert.equal(datahub.requests.length, asked);
    const malformed = await file(counter, filing({ idNumber: '12345' }));
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.errors[0].field, 'body.applicant.idNumber');

    await h.p.bus.settled();
    assert.equal((await h.p.database.db.selectFrom('notify.notice').select('id').execute()).length, before);
  });

  test("a citizen of another region: 403; and a district's counter cannot file the city's matters", async () => {
    const ningbo = await account('citizen', '330203');
    const r = await file(await counterOfficer(), filing(ningbo));
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.code, 'FORBIDDEN_RESOURCE');
    assert.equal(r.body.errors[0].field, 'body.applicant');
    assert.equal(await applications(ningbo), 0);
    // 西湖区's counter, a 西湖区 resident, a matter of a city department (330100): out of its reach.
    const xihu = await account('citizen', '330106');
    const district = await file(await counterOfficer(['330106'], 'counter-xihu'), filing(xihu));
    assert.equal(district.status, 403, JSON.stringify(district.body));
    assert.deepEqual(
      district.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['body.subject.code', 'outside_jurisdiction']],
    );
    assert.equal(await applications(xihu), 0);
    // The province's counter reaches both.
    assert.equal((await file(await counterOfficer(['330000'], 'counter-zj'), filing(xihu))).status, 201);
  });

  test('a citizen calling the counter route: 403; identity answers the account lookup only to the service token', async () => {
    const citizenId = await account('citizen');
    const citizen = await h.citizen(citizenId);
    const r = await file(citizen, filing(citizenId));
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

  test("an account id instead of an ID number is refused (400 naming body.applicant): the counter does not take identity's word alone", async () => {
    const counter = await counterOfficer();
    const citizenId = await account('citizen');
    for (const applicant of [
      { id: citizenId, kind: 'citizen' },
      { id: citizenId, kind: 'citizen', idNumber: idNumbers.get(citizenId) },
    ]) {
      const r = await file(counter, { ...filing(citizenId), applicant });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.ok(
        r.body.errors.some((e: { field: string }) => e.field.startsWith('body.applicant')),
        JSON.stringify(r.body.errors),
      );
    }
    assert.equal(await applications(citizenId), 0);
  });
});
