// Registration is confirmed by the SMS code to the mobile given; a pending account cannot sign in
// and lapses after 30 minutes, when another registration may replace it. An ID registered by
// someone else goes back to its holder at the counter: an officer with the recovery role checks
// the person in person and re-binds the account; the squatter's sessions end, the old mobile is told.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, mock, test } from 'node:test';
import type { ModuleContext } from '@tongban/kernel';
import { sql } from 'kysely';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import * as client from 'openid-client';
import identity from '../src/index.ts';
import { RECOVERY_ROLE } from '../src/api/registration.ts';
import { passwordStep } from '../src/service/sign-in.ts';
import { residentIdCheckChar } from '@tongban/kernel';
import { hashPassword } from '../src/domain/passwords.ts';
import { insertAccount } from '../src/store/accounts.ts';
import { createAccount, PASSWORD } from './fixtures.ts';
import { lastSmsCode, relyingParty, type RelyingParty } from './flows.ts';

const residentId = (first17: string) => first17 + residentIdCheckChar(first17);
const MINUTE = 60_000;

describe('registration and counter recovery', () => {
  let p: TestPlatform;
  let ctx: ModuleContext;
  let rp: RelyingParty;
  let now = new Date();
  const clock = { now: () => now };
  const json = { 'content-type': 'application/json' };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}`, ...json });
  const events = async (type: string) =>
    (await p.database.db.selectFrom('identity.outbox').select('data').where('type', '=', type).execute()).map(
      (r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
    );
  let address = 0;
  // Each from its own address unless said, so that the per-address limit is only met where a test means it.
  const register = (body: Record<string, string>, headers: Record<string, string> = {}, ip = `198.18.0.${++address}`) =>
    p.app.inject({
      method: 'POST',
      url: '/api/identity/register',
      remoteAddress: ip,
      headers: { ...json, ...headers },
      payload: { name: '王五', password: PASSWORD, ...body },
    });
  const confirm = (id: string, code: string) =>
    p.app.inject({
      method: 'POST',
      url: '/api/identity/register/confirm',
      headers: json,
      payload: { residentId: id, code },
    });
  const signIn = (login: string, password: string, ip = '198.51.100.50') =>
    passwordStep(ctx, { uid: `reg-${Math.random()}`, ip, now: clock.now() }, login, password);
  const other = (code: string) => (code === '000000' ? '111111' : '000000');

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' }, clock });
    await p.listen();
    ctx = p.contexts.get('identity')!;
    rp = await relyingParty(p, 'rp-registration');
  });
  after(() => p.dispose());

  async function mfaToken(kind: 'officer' | 'citizen', roles?: string[], regions?: string[]) {
    const account = await createAccount(p, kind, {
      mfa: true,
      ...(roles ? { roles } : {}),
      ...(regions ? { regions } : {}),
    });
    const { tokens } = await rp.signIn(account, { at: now });
    return (await rp.apiToken(tokens.refresh_token!)).accessToken;
  }

  test('the development SMS sink shows a mobile its own latest messages, and only those', async () => {
    const id = residentId('11010519800101012');
    assert.equal((await register({ residentId: id, mobile: '13911110099' })).statusCode, 201);
    const sink = await p.app.inject({ url: '/api/identity/dev/sms?mobile=13911110099' });
    assert.equal(sink.statusCode, 200);
    const { items } = sink.json() as { items: { text: string }[] };
    assert.equal(items.length, 1);
    assert.match(items[0]!.text, new RegExp(await lastSmsCode(p, '13911110099')));
    assert.deepEqual((await p.app.inject({ url: '/api/identity/dev/sms?mobile=13911110098' })).json().items, []);
    const bad = await p.app.inject({ url: '/api/identity/dev/sms?mobile=1391111' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().errors[0].field, 'query.mobile');
  });

  test('a new registration is pending and cannot sign in until the SMS code is confirmed', async () => {
    const id = residentId('11010519800101001');
    const created = await register({ residentId: id, mobile: '13911110001' });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().active, false);
    assert.equal((await signIn(id, PASSWORD)).outcome, 'failed', 'pending: the right password does not sign in');
    const summary = await p.app.inject({
      url: `/api/identity/accounts/${created.json().id}/summary`,
      headers: operatorHeaders(),
    });
    assert.equal(summary.json().active, false);
    const ok = await confirm(id, await lastSmsCode(p, '13911110001'));
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { id: created.json().id, active: true });
    assert.ok(
      (await events('identity.account.registered')).some(
        (e) => e.accountId === created.json().id && e.pendingUntil === created.json().confirmBy,
      ),
    );
    assert.ok((await events('identity.account.activated')).some((e) => e.accountId === created.json().id));
    assert.equal((await signIn(id, PASSWORD)).outcome, 'done');
    assert.equal((await register({ residentId: id, mobile: '13911110009' })).json().code, 'IDENTITY_ACCOUNT_EXISTS');
  });

  test('a wrong code is refused and counted: after five tries even the right code is refused', async () => {
    const id = residentId('11010519800101002');
    await register({ residentId: id, mobile: '13911110002' });
    const code = await lastSmsCode(p, '13911110002');
    const wrong = await confirm(id, other(code));
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().code, 'IDENTITY_WRONG_CODE');
    assert.deepEqual(
      wrong.json().errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['body.code', 'wrong']],
    );
    assert.match(wrong.json().errors[0].message, /验证码不正确/);
    for (let i = 0; i < 4; i++) await confirm(id, other(code));
    const late = await confirm(id, code);
    assert.equal(late.statusCode, 422);
    assert.equal(late.json().errors[0].code, 'exhausted');
    assert.equal((await signIn(id, PASSWORD)).outcome, 'failed', 'still pending');
  });

  test('one mobile gets at most three registration codes an hour, whatever ID numbers are typed', async () => {
    const mobile = '13911110006';
    for (let i = 0; i < 3; i++)
      assert.equal((await register({ residentId: residentId(`1101051980010201${i}`), mobile })).statusCode, 201);
    const fourth = await register({ residentId: residentId('11010519800102019'), mobile });
    assert.equal(fourth.statusCode, 429);
    assert.equal(fourth.json().code, 'IDENTITY_TOO_MANY_CODES');
    assert.ok(fourth.json().retryAfterSeconds > 0);
    assert.equal(
      Number(fourth.headers['retry-after']),
      fourth.json().retryAfterSeconds,
      'the wait is in the header too',
    );
    assert.equal(
      (await p.database.db.selectFrom('identity.dev_sms').select('id').where('mobile', '=', mobile).execute()).length,
      3,
      'no fourth text',
    );
    assert.equal(
      (
        await p.database.db
          .selectFrom('identity.account')
          .select('id')
          .where('login', '=', residentId('11010519800102019'))
          .execute()
      ).length,
      0,
      'nothing half-written',
    );
  });

  test('the recovery role at multi-factor is needed: an officer without it and a citizen are refused', async () => {
    const body = {
      residentId: residentId('11010519800101003'),
      name: '王五',
      mobile: '13911110003',
      verified: 'in_person',
    };
    for (const token of [await mfaToken('officer'), await mfaToken('citizen')]) {
      const r = await p.app.inject({
        method: 'POST',
        url: '/api/identity/recoveries',
        headers: bearer(token),
        payload: body,
      });
      assert.equal(r.statusCode, 403, r.body);
      assert.equal(r.json().code, 'FORBIDDEN');
    }
  });

  test("an officer with the role returns a squatted ID to its holder: the squatter's sessions end, the old mobile is told", async () => {
    const id = residentId('11010519800101004');
    const squatterMobile = '13911110004';
    const holderMobile = '13911110044';
    const created = await register({ residentId: id, mobile: squatterMobile });
    await confirm(id, await lastSmsCode(p, squatterMobile));
    const { tokens } = await rp.signIn({ id: created.json().id, login: id, password: PASSWORD });
    assert.equal(
      (await register({ residentId: id, mobile: holderMobile })).statusCode,
      409,
      'the holder meets 该账号已注册',
    );

    const officer = await mfaToken('officer', ['officer', RECOVERY_ROLE], ['110100']);
    const recovered = await p.app.inject({
      method: 'POST',
      url: '/api/identity/recoveries',
      headers: bearer(officer),
      payload: { residentId: id, name: '赵六', mobile: holderMobile, verified: 'in_person' },
    });
    assert.equal(recovered.statusCode, 200, recovered.body);
    assert.deepEqual(recovered.json(), { accountId: created.json().id, sessionsEnded: 1 });
    await assert.rejects(
      client.refreshTokenGrant(rp.config, tokens.refresh_token!),
      (e: { error?: string }) => e.error === 'invalid_grant',
      "the squatter's session is over",
    );
    assert.equal((await signIn(id, PASSWORD)).outcome, 'failed', "the squatter's password is gone");
    const toOld = await p.database.db
      .selectFrom('identity.dev_sms')
      .select('text')
      .where('mobile', '=', squatterMobile)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.match(String(toOld.text), /已交还身份证持有人/);
    const [event] = (await events('identity.account.recovered')).filter((e) => e.accountId === created.json().id);
    assert.equal(event!.verified, 'in_person');
    assert.equal(event!.mobileChanged, true);

    const code = await lastSmsCode(p, holderMobile);
    const setPassword = (password: string, c = code) =>
      p.app.inject({
        method: 'POST',
        url: '/api/identity/recoveries/password',
        headers: json,
        payload: { residentId: id, code: c, password },
      });
    assert.equal(
      (await setPassword('password1')).json().code,
      'IDENTITY_WEAK_PASSWORD',
      'the policy applies, without using up the code',
    );
    assert.equal((await setPassword('the holder chose this phrase', other(code))).statusCode, 422);
    assert.equal((await setPassword('the holder chose this phrase')).statusCode, 204);
    assert.equal((await signIn(id, 'the holder chose this phrase')).outcome, 'done');
    assert.ok(
      (await events('identity.account.password-set')).some(
        (e) => e.accountId === created.json().id && e.via === 'counter-recovery',
      ),
    );
  });

  test('an unconfirmed registration holds the ID for 30 minutes only; then another replaces it', async () => {
    const id = residentId('11010519800101005');
    const squatter = await register({ residentId: id, mobile: '13911110005' });
    const squatterCode = await lastSmsCode(p, '13911110005');
    const early = await register({ residentId: id, mobile: '13911110055' }, { 'accept-language': 'en' });
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().code, 'IDENTITY_REGISTRATION_PENDING');
    assert.match(early.json().title, /lapses within 30 minutes/);
    now = new Date(now.getTime() + 31 * MINUTE);
    assert.equal((await confirm(id, squatterCode)).json().errors[0].code, 'expired');
    const holder = await register({ residentId: id, mobile: '13911110055' });
    assert.equal(holder.statusCode, 201, holder.body);
    assert.notEqual(holder.json().id, squatter.json().id);
    assert.ok((await events('identity.registration.lapsed')).some((e) => e.accountId === squatter.json().id));
    assert.equal(
      (await confirm(id, squatterCode)).statusCode,
      422,
      "the squatter's code belongs to the lapsed registration",
    );
    assert.equal((await confirm(id, await lastSmsCode(p, '13911110055'))).statusCode, 200);
    assert.equal((await signIn(id, PASSWORD, '198.51.100.51')).outcome, 'done');
  });

  test('an officer recovers IDs of their own jurisdiction only; one with no regions recovers none', async () => {
    const recover = (token: string, id: string, mobile: string) =>
      p.app.inject({
        method: 'POST',
        url: '/api/identity/recoveries',
        headers: bearer(token),
        payload: { residentId: id, name: '钱七', mobile, verified: 'in_person' },
      });
    const local = residentId('33010619850101007');
    const created = await register({ residentId: local, mobile: '13911110007' });
    await confirm(local, await lastSmsCode(p, '13911110007'));
    const hangzhou = await mfaToken('officer', ['officer', RECOVERY_ROLE], ['330100']);
    const beijing = residentId('11010119850101008');
    await register({ residentId: beijing, mobile: '13911110008' });
    const far = await recover(hangzhou, beijing, '13911110088');
    assert.equal(far.statusCode, 403, far.body);
    assert.equal(far.json().code, 'FORBIDDEN_RESOURCE');
    assert.deepEqual(
      far.json().errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['body.residentId', 'outside_jurisdiction']],
    );
    const nowhere = await recover(await mfaToken('officer', ['officer', RECOVERY_ROLE]), local, '13911110077');
    assert.equal(nowhere.statusCode, 403, nowhere.body);
    assert.equal(nowhere.json().code, 'FORBIDDEN_RESOURCE');
    assert.equal(
      (await events('identity.account.recovered')).filter((e) => e.accountId === created.json().id).length,
      0,
      'nothing recovered by the refused officers',
    );
    const near = await recover(hangzhou, local, '13911110077');
    assert.equal(near.statusCode, 200, near.body);
    assert.equal(near.json().accountId, created.json().id);
  });

  test('one address starts at most ten registrations an hour, whatever IDs and mobiles it types', async () => {
    const ip = '198.18.1.1';
    for (let i = 0; i < 10; i++) {
      const r = await register(
        { residentId: residentId(`1101051980010300${i}`), mobile: `139111120${String(i).padStart(2, '0')}` },
        {},
        ip,
      );
      assert.equal(r.statusCode, 201, r.body);
    }
    const eleventh = await register({ residentId: residentId('11010519800103010'), mobile: '13911112010' }, {}, ip);
    assert.equal(eleventh.statusCode, 429, eleventh.body);
    assert.equal(eleventh.json().code, 'RATE_LIMITED');
    assert.ok(Number(eleventh.headers['retry-after']) > 0);
    assert.equal(
      (await p.database.db.selectFrom('identity.dev_sms').select('id').where('mobile', '=', '13911112010').execute())
        .length,
      0,
      'no code sent',
    );
    assert.equal(
      (await register({ residentId: residentId('11010519800103010'), mobile: '13911112010' }, {}, '198.18.1.2'))
        .statusCode,
      201,
      'another address is not affected',
    );
  });

  test('one ID can be registered three times a day; then the holder is sent to the counter, where the recovery works', async () => {
    const id = residentId('11010519800104001');
    for (let i = 0; i < 3; i++) {
      assert.equal((await register({ residentId: id, mobile: `1391111300${i}` })).statusCode, 201);
      now = new Date(now.getTime() + 31 * MINUTE);
    }
    const fourth = await register({ residentId: id, mobile: '13911113009' });
    assert.equal(fourth.statusCode, 429, fourth.body);
    assert.equal(fourth.json().code, 'IDENTITY_TOO_MANY_REGISTRATIONS');
    assert.match(fourth.json().title, /政务服务窗口/);
    assert.deepEqual(
      fourth.json().errors.map((e: { field: string }) => e.field),
      ['body.residentId'],
    );
    assert.ok(Number(fourth.headers['retry-after']) > 0);
    const officer = await mfaToken('officer', ['officer', RECOVERY_ROLE], ['110105']);
    const recovered = await p.app.inject({
      method: 'POST',
      url: '/api/identity/recoveries',
      headers: bearer(officer),
      payload: { residentId: id, name: '孙八', mobile: '13911113009', verified: 'in_person' },
    });
    assert.equal(recovered.statusCode, 200, recovered.body);
  });

  test('a registration whose code cannot be sent is withdrawn, not left holding the ID', async () => {
    const db = p.database.db;
    await sql`create or replace function identity.refuse_test_sms() returns trigger language plpgsql as $$ begin raise exception 'gateway down'; end $$`.execute(
      db,
    );
    await sql`create trigger refuse_test_sms before insert on identity.dev_sms for each row when (new.mobile = '13911114444') execute function identity.refuse_test_sms()`.execute(
      db,
    );
    const id = residentId('11010519800105001');
    const failed = await register({ residentId: id, mobile: '13911114444' });
    assert.equal(failed.statusCode, 503, failed.body);
    assert.equal(failed.json().code, 'IDENTITY_SMS_UNAVAILABLE');
    assert.equal(
      (await db.selectFrom('identity.account').select('id').where('login', '=', id).execute()).length,
      0,
      'no pending row left',
    );
    assert.ok((await events('identity.registration.lapsed')).some((e) => e.reason === 'code-not-sent'));
    assert.equal((await register({ residentId: id, mobile: '13911114445' })).statusCode, 201, 'the ID is free at once');
  });

  test('a confirmation that loses the race to a lapse-and-replace activates nothing', async () => {
    const id = residentId('11010519800106001');
    const first = await register({ residentId: id, mobile: '13911115001' });
    const code = await lastSmsCode(p, '13911115001');
    const db = ctx.db;
    const original = db.transaction.bind(db);
    // Right after the code is checked (the first transaction of the confirmation), the registration lapses and another replaces it.
    const race = mock.method(db, 'transaction', () => {
      const builder = original();
      return {
        execute: async (work: never) => {
          const result = await builder.execute(work);
          race.mock.restore();
          now = new Date(now.getTime() + 31 * MINUTE);
          assert.equal((await register({ residentId: id, mobile: '13911115002' })).statusCode, 201);
          return result;
        },
      } as never;
    });
    const late = await confirm(id, code);
    assert.equal(race.mock.callCount(), 1);
    assert.equal(late.statusCode, 422, late.body);
    assert.equal(late.json().errors[0].code, 'expired');
    assert.equal(
      (await events('identity.account.activated')).filter((e) => e.accountId === first.json().id).length,
      0,
      'no activation of a registration that is gone',
    );
    assert.equal((await signIn(id, PASSWORD, '198.51.100.52')).outcome, 'failed', 'the replacement is still pending');
  });

  test("a recovery removes the squatter's agent links and suspends the businesses registered in the holder's name", async () => {
    const db = p.database.db;
    const id = residentId('11010519800107001');
    const created = await register({ residentId: id, mobile: '13911116001' });
    await confirm(id, await lastSmsCode(p, '13911116001'));
    const squatter = created.json().id as string;
    const someone = await createAccount(p, 'citizen');
    const theirs = randomUUID();
    const claimed = randomUUID();
    await insertAccount(db, {
      id: theirs,
      kind: 'business',
      login: '91110105MA00RECOV1',
      displayName: '别人的公司',
      legalRepresentative: someone.id,
    });
    await insertAccount(db, {
      id: claimed,
      kind: 'business',
      login: '91110105MA00RECOV2',
      displayName: '冒名的公司',
      passwordHash: await hashPassword(PASSWORD),
      legalRepresentative: squatter,
    });
    await db
      .insertInto('identity.agent')
      .values([
        { business_id: theirs, citizen_id: squatter },
        { business_id: claimed, citizen_id: someone.id },
      ])
      .execute();
    assert.equal(
      (await signIn('91110105MA00RECOV2', PASSWORD, '198.51.100.53')).outcome,
      'done',
      'the squatter uses the business',
    );

    const officer = await mfaToken('officer', ['officer', RECOVERY_ROLE], ['110105']);
    const recovered = await p.app.inject({
      method: 'POST',
      url: '/api/identity/recoveries',
      headers: bearer(officer),
      payload: { residentId: id, name: '周九', mobile: '13911116002', verified: 'in_person' },
    });
    assert.equal(recovered.statusCode, 200, recovered.body);
    const agents = await db
      .selectFrom('identity.agent')
      .select(['business_id', 'citizen_id'])
      .where((eb) => eb.or([eb('citizen_id', '=', squatter), eb('business_id', '=', claimed)]))
      .execute();
    assert.deepEqual(agents, [], 'no agent link of the squatter, none of the business they claimed');
    assert.equal(
      (await signIn('91110105MA00RECOV2', PASSWORD, '198.51.100.53')).outcome,
      'failed',
      'the claimed business is suspended',
    );
    assert.notEqual(
      (
        await db
          .selectFrom('identity.account')
          .select('disabled_at')
          .where('id', '=', claimed)
          .executeTakeFirstOrThrow()
      ).disabled_at,
      null,
    );
    assert.equal(
      (await db.selectFrom('identity.account').select('disabled_at').where('id', '=', theirs).executeTakeFirstOrThrow())
        .disabled_at,
      null,
      "someone else's business is untouched",
    );
    const [event] = (await events('identity.account.recovered')).filter((e) => e.accountId === squatter);
    assert.deepEqual([event!.agentLinksRemoved, event!.businessesSuspended], [1, [claimed]]);
  });
});
