// Accounts: registration checks the ID number and the password; a legal representative
// registers the business and names its agents; operators change staff roles with multi-factor
// only; anyone enrols an authenticator by QR code. Each change leaves an event in the outbox.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { generate } from 'otplib';
import identity from '../src/index.ts';
import { creditCodeCheckChar, residentIdCheckChar } from '@tongban/kernel';
import { createAccount } from './fixtures.ts';
import { relyingParty, type RelyingParty } from './flows.ts';

const residentId = (first17: string) => first17 + residentIdCheckChar(first17);
const flip = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1');

describe('accounts', () => {
  let p: TestPlatform;
  let rp: RelyingParty;
  const json = { 'content-type': 'application/json' };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}`, ...json });
  const events = async (type: string) =>
    (await p.database.db.selectFrom('identity.outbox').select('data').where('type', '=', type).execute()).map(
      (r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
    );

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    rp = await relyingParty(p, 'rp-accounts');
  });
  after(() => p.dispose());

  async function apiToken(account: Awaited<ReturnType<typeof createAccount>>, mfa = false) {
    const { tokens } = await rp.signIn(account, { mfa });
    return (await rp.apiToken(tokens.refresh_token!)).accessToken;
  }

  test('a citizen registers with a valid ID number and a strong password, once', async () => {
    const id = residentId('11010519491231002');
    const body = { residentId: id, name: '王五', mobile: '13912345678', password: 'a long and unusual phrase' };
    const bad = await p.app.inject({
      method: 'POST',
      url: '/api/identity/register',
      headers: json,
      payload: { ...body, residentId: flip(id) },
    });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().code, 'IDENTITY_INVALID_RESIDENT_ID');
    const weak = await p.app.inject({
      method: 'POST',
      url: '/api/identity/register',
      headers: json,
      payload: { ...body, password: 'password1' },
    });
    assert.equal(weak.statusCode, 422);
    assert.deepEqual(
      weak.json().errors.map((e: { code: string }) => e.code),
      ['common'],
    );
    const stray = await p.app.inject({
      method: 'POST',
      url: '/api/identity/register',
      headers: json,
      payload: { ...body, role: 'operator' },
    });
    assert.equal(stray.statusCode, 400, 'an unknown field is refused, not ignored');
    const ok = await p.app.inject({ method: 'POST', url: '/api/identity/register', headers: json, payload: body });
    assert.equal(ok.statusCode, 201);
    const again = await p.app.inject({ method: 'POST', url: '/api/identity/register', headers: json, payload: body });
    assert.equal(again.statusCode, 409);
    const rows = await p.database.db.selectFrom('identity.account').select('id').where('login', '=', id).execute();
    assert.equal(rows.length, 1, 'one account, nothing half-written by the refused attempts');
  });

  test('concurrent registrations of one ID: one 201, the rest 409 (never 500), one account, one event', async () => {
    const id = residentId('11010519491231037');
    const body = { residentId: id, name: '王五', mobile: '13912345637', password: 'a long and unusual phrase' };
    const answers = await Promise.all(
      // Three: the per-ID registration limit (3 a day) would answer a fourth 429 before the race.
      Array.from({ length: 3 }, (_, i) =>
        p.app.inject({
          method: 'POST',
          url: '/api/identity/register',
          remoteAddress: `198.51.100.${120 + i}`,
          headers: json,
          payload: body,
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    assert.deepEqual(statuses, [201, 409, 409], answers.map((a) => a.body).join('\n'));
    const rows = await p.database.db.selectFrom('identity.account').select('id').where('login', '=', id).execute();
    assert.equal(rows.length, 1);
    assert.equal((await events('identity.account.registered')).filter((e) => e.accountId === rows[0]!.id).length, 1);
  });

  test('concurrent registrations of one business: one 201, the rest 409 IDENTITY_ACCOUNT_EXISTS, with its event', async () => {
    const representative = await createAccount(p, 'citizen', { mfa: true });
    const token = await apiToken(representative);
    const first17 = '91330100MA2H00371';
    const code = first17 + creditCodeCheckChar(first17);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        p.app.inject({
          method: 'POST',
          url: '/api/identity/businesses',
          headers: bearer(token),
          payload: { creditCode: code, name: '并发公司', password: 'another long phrase here' },
        }),
      ),
    );
    assert.deepEqual(
      answers.map((a) => a.statusCode).sort(),
      [201, 409, 409, 409],
      answers.map((a) => a.body).join('\n'),
    );
    for (const refused of answers.filter((a) => a.statusCode === 409))
      assert.equal(refused.json().code, 'IDENTITY_ACCOUNT_EXISTS');
    const businessId = answers.find((a) => a.statusCode === 201)!.json().id as string;
    const registered = (await events('identity.account.registered')).filter((e) => e.accountId === businessId);
    assert.deepEqual(registered, [{ accountId: businessId, kind: 'business', legalRepresentative: representative.id }]);
  });

  test('a refused password says in words what is wrong and what would be accepted, in the asked language', async () => {
    const id = residentId('11010519491231010');
    const body = { residentId: id, name: '王五', mobile: '13912345670' };
    const zh = await p.app.inject({
      method: 'POST',
      url: '/api/identity/register',
      headers: json,
      payload: { ...body, password: 'abc' },
    });
    assert.equal(zh.statusCode, 422);
    const [short] = zh.json().errors as { field: string; code: string; message: string }[];
    assert.equal(short!.field, 'body.password');
    assert.equal(short!.code, 'too_short', 'the code stays for programs');
    assert.match(short!.message, /密码太短：至少需要 8 个字符/);
    const en = await p.app.inject({
      method: 'POST',
      url: '/api/identity/register',
      headers: { ...json, 'accept-language': 'en-GB,en;q=0.9' },
      payload: { ...body, password: 'password1' },
    });
    assert.match(en.json().errors[0].message, /commonly used password.*phrase of a few unrelated words/);
    const same = await p.app.inject({
      method: 'POST',
      url: '/api/identity/register',
      headers: { ...json, 'accept-language': 'en' },
      payload: { ...body, password: id },
    });
    assert.deepEqual(
      same.json().errors.map((e: { code: string }) => e.code),
      ['same_as_identifier'],
    );
    assert.match(same.json().errors[0].message, /must not be your ID number/);
  });

  test('a legal representative registers the business and authorises an agent; nobody else can', async () => {
    const representative = await createAccount(p, 'citizen', { mfa: true });
    const token = await apiToken(representative);
    const first17 = '91330100MA2H00099';
    const code = first17 + creditCodeCheckChar(first17);
    const invalid = await p.app.inject({
      method: 'POST',
      url: '/api/identity/businesses',
      headers: bearer(token),
      payload: {
        creditCode: `${first17}0` === code ? `${first17}1` : `${first17}0`,
        name: '示例公司',
        password: 'another long phrase here',
      },
    });
    assert.equal(invalid.json().code, 'IDENTITY_INVALID_CREDIT_CODE');
    const created = await p.app.inject({
      method: 'POST',
      url: '/api/identity/businesses',
      headers: bearer(token),
      payload: { creditCode: code, name: '示例公司', password: 'another long phrase here' },
    });
    assert.equal(created.statusCode, 201);
    const businessId = created.json().id as string;
    const agent = await createAccount(p, 'citizen');
    assert.equal(
      (
        await p.app.inject({
          method: 'PUT',
          url: `/api/identity/businesses/${businessId}/agents/${agent.id}`,
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
      204,
    );
    const stranger = await apiToken(await createAccount(p, 'citizen', { mfa: true }));
    const refused = await p.app.inject({
      method: 'PUT',
      url: `/api/identity/businesses/${businessId}/agents/${agent.id}`,
      headers: { authorization: `Bearer ${stranger}` },
    });
    assert.equal(refused.statusCode, 403);
  });

  test('an operator changes staff roles only with multi-factor, and the change is an event', async () => {
    const officer = await createAccount(p, 'officer', { mfa: true, departments: ['330100-GA'] });
    const change = { roles: ['officer', 'lead'], departments: ['330100-GA'], regions: ['330100'] };
    const withStaticToken = await p.app.inject({
      method: 'PUT',
      url: `/api/identity/accounts/${officer.id}/roles`,
      headers: operatorHeaders(json),
      payload: change,
    });
    assert.equal(withStaticToken.statusCode, 401);
    assert.equal(withStaticToken.json().code, 'STEP_UP_REQUIRED');
    const operator = await createAccount(p, 'operator', { mfa: true });
    const ok = await p.app.inject({
      method: 'PUT',
      url: `/api/identity/accounts/${officer.id}/roles`,
      headers: bearer(await apiToken(operator)),
      payload: change,
    });
    assert.equal(ok.statusCode, 200);
    const [event] = await events('identity.account.roles-changed');
    assert.deepEqual((event!.after as { roles: string[] }).roles, ['officer', 'lead']);
    assert.equal(event!.by, operator.id);
  });

  test('enrolling an authenticator by QR code makes the next sign-in ask for its code', async () => {
    // Enrolling needs multi-factor: an account with no second factor steps up by SMS.
    const citizen = await createAccount(p, 'citizen', { mobile: '13900009001' });
    const token = await apiToken(citizen, true);
    const start = await p.app.inject({
      method: 'POST',
      url: '/api/identity/me/totp',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(start.statusCode, 200);
    const { secret, uri, qrSvg } = start.json() as { secret: string; uri: string; qrSvg: string };
    assert.match(uri, /^otpauth:\/\/totp\//);
    assert.match(qrSvg, /^<svg/);
    const wrong = await p.app.inject({
      method: 'POST',
      url: '/api/identity/me/totp/confirm',
      headers: bearer(token),
      payload: { code: '000000' },
    });
    assert.equal(wrong.statusCode, 422);
    const right = await p.app.inject({
      method: 'POST',
      url: '/api/identity/me/totp/confirm',
      headers: bearer(token),
      payload: { code: await generate({ secret }) },
    });
    assert.equal(right.statusCode, 204);
    assert.equal((await events('identity.mfa.changed')).filter((e) => e.accountId === citizen.id).length, 1);
    await assert.rejects(
      rp.signIn(citizen),
      /sign-in ends at the relying party/,
      'a password alone no longer finishes the sign-in',
    );
  });
});
