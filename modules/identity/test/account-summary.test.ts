// Who may call what: `/me/*` is for people with an account, and refuses the operator token and
// systems with a clear 403; the account summary is for systems with the right role (workflow's
// counter filing) and for operators, never for officers or citizens.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { operatorHeaders, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import identity from '../src/index.ts';
import { ACCOUNTS_READ_ROLE } from '../src/api/accounts.ts';
import { creditCodeCheckChar } from '@tongban/kernel';
import { hashPassword } from '../src/domain/passwords.ts';
import { insertAccount } from '../src/store/accounts.ts';
import { createAccount, serviceToken } from './fixtures.ts';
import { relyingParty, type RelyingParty } from './flows.ts';

describe('principals that are not accounts, and the account summary for systems', () => {
  let p: TestPlatform;
  let rp: RelyingParty;
  let reader: string;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    rp = await relyingParty(p, 'rp-summary');
    reader = await serviceToken(p, 'tongban-test-reader', [ACCOUNTS_READ_ROLE]);
  });
  after(() => p.dispose());

  async function apiToken(kind: 'citizen' | 'officer') {
    const { tokens } = await rp.signIn(await createAccount(p, kind, { mfa: true }));
    return (await rp.apiToken(tokens.refresh_token!)).accessToken;
  }

  test('the operator token on every /me/ route is a 403 NOT_AN_ACCOUNT problem, in zh and en, not a 500', async () => {
    const routes = [
      ['GET', '/api/identity/me/sessions'],
      ['DELETE', '/api/identity/me/sessions/abcdefgh12'],
      ['GET', '/api/identity/me/passkeys'],
    ] as const;
    for (const [method, url] of routes) {
      const r = await p.app.inject({ method, url, headers: operatorHeaders() });
      assert.equal(r.statusCode, 403, `${method} ${url}: ${r.body}`);
      assert.match(String(r.headers['content-type']), /application\/problem\+json/);
      assert.equal(r.json().code, 'IDENTITY_NOT_AN_ACCOUNT');
      assert.match(r.json().title, /账号/);
    }
    // Factor routes need multi-factor, which the guard asks for before any handler or hook runs.
    for (const url of ['/api/identity/me/totp', '/api/identity/me/passkeys/options']) {
      const r = await p.app.inject({ method: 'POST', url, headers: operatorHeaders(), payload: {} });
      assert.equal(r.statusCode, 401, r.body);
      assert.equal(r.json().code, 'STEP_UP_REQUIRED');
    }
    const en = await p.app.inject({
      url: '/api/identity/me/passkeys',
      headers: operatorHeaders({ 'accept-language': 'en' }),
    });
    assert.match(JSON.stringify(en.json()), /belongs to no account/);
  });

  test('a person still reaches their own /me/ routes', async () => {
    const token = await apiToken('citizen');
    assert.equal((await p.app.inject({ url: '/api/identity/me/sessions', headers: bearer(token) })).statusCode, 200);
    assert.equal((await p.app.inject({ url: '/api/identity/me/passkeys', headers: bearer(token) })).statusCode, 200);
  });

  test('a system with the role reads a citizen summary: kind, region from the ID number, active', async () => {
    const citizen = await createAccount(p, 'citizen');
    const r = await p.app.inject({ url: `/api/identity/accounts/${citizen.id}/summary`, headers: bearer(reader) });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json(), {
      id: citizen.id,
      kind: 'citizen',
      region: citizen.login.slice(0, 6),
      active: true,
      idNumber: citizen.login,
    });
  });

  test('a counter finds a citizen by resident ID number; a business login or an unknown number is 404', async () => {
    const citizen = await createAccount(p, 'citizen');
    const url = (n: string) => `/api/identity/accounts/by-resident-id/${n}/summary`;
    const r = await p.app.inject({ url: url(citizen.login.toLowerCase()), headers: bearer(reader) });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().id, citizen.id);
    assert.equal(r.json().idNumber, citizen.login);
    const unknown = await p.app.inject({ url: url('110101199001011237'), headers: bearer(reader) });
    assert.equal(unknown.statusCode, 404);
    const malformed = await p.app.inject({ url: url('11010119900101'), headers: bearer(reader) });
    assert.equal(malformed.statusCode, 400);
    const officer = await apiToken('officer');
    const refused = await p.app.inject({ url: url(citizen.login), headers: bearer(officer) });
    assert.equal(refused.statusCode, 403, 'officers do not look people up by ID number here');
  });

  test("a business's region is its credit code's characters 3–8; staff have none", async () => {
    const representative = await createAccount(p, 'citizen');
    const id = randomUUID();
    const creditCode = '91330102MA2H00123' + creditCodeCheckChar('91330102MA2H00123');
    await insertAccount(p.database.db, {
      id,
      kind: 'business',
      login: creditCode,
      displayName: '示例公司',
      passwordHash: await hashPassword('unused phrase here'),
      legalRepresentative: representative.id,
    });
    const business = await p.app.inject({ url: `/api/identity/accounts/${id}/summary`, headers: bearer(reader) });
    assert.deepEqual(business.json(), { id, kind: 'business', region: '330102', active: true, idNumber: null });
    const officer = await createAccount(p, 'officer');
    const staff = await p.app.inject({
      url: `/api/identity/accounts/${officer.id}/summary`,
      headers: operatorHeaders(),
    });
    assert.equal(staff.statusCode, 200, 'operators may look accounts up too');
    assert.equal(staff.json().region, null);
  });

  test('unknown is 404, malformed is 400', async () => {
    const unknown = await p.app.inject({
      url: `/api/identity/accounts/${randomUUID()}/summary`,
      headers: bearer(reader),
    });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'NOT_FOUND');
    const malformed = await p.app.inject({ url: '/api/identity/accounts/not-a-uuid/summary', headers: bearer(reader) });
    assert.equal(malformed.statusCode, 400);
  });

  test('a system without the role, an officer and a citizen are refused', async () => {
    const citizen = await createAccount(p, 'citizen');
    const url = `/api/identity/accounts/${citizen.id}/summary`;
    const roleless = await serviceToken(p, 'tongban-test-roleless', ['catalog.read']);
    for (const token of [roleless, await apiToken('officer'), await apiToken('citizen')]) {
      const r = await p.app.inject({ url, headers: bearer(token) });
      assert.equal(r.statusCode, 403, r.body);
      assert.equal(r.json().code, 'FORBIDDEN');
    }
    assert.equal((await p.app.inject({ url })).statusCode, 401, 'no credential, no answer');
  });
});
