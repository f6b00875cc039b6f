// 窗口核验 (issue 12): a counter officer looks a resident up by ID number before filing for them —
// whether there is an account, whether it is active, the name and mobile masked — only within
// their jurisdiction (the ID number's region), every look-up recorded as identity.resident.looked-up;
// a citizen, an officer without the counter role and another region's officer are refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StaffRoles } from '@tongban/contracts';
import { residentIdCheckChar } from '@tongban/kernel';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import identity from '../src/index.ts';
import { randomUUID } from 'node:crypto';
import { insertAccount } from '../src/store/accounts.ts';
import { createAccount } from './fixtures.ts';
import { relyingParty, type RelyingParty } from './flows.ts';

describe('a counter looks a resident up by ID number', () => {
  let p: TestPlatform;
  let rp: RelyingParty;
  let counter: string;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const url = (idNumber: string) => `/api/identity/accounts/by-resident-id/${idNumber}/counter-summary`;

  async function token(kind: 'citizen' | 'officer', roles?: string[], regions?: string[]) {
    const account = await createAccount(p, kind, {
      mfa: true,
      ...(roles ? { roles } : {}),
      ...(regions ? { regions } : {}),
    });
    const { tokens } = await rp.signIn(account);
    return (await rp.apiToken(tokens.refresh_token!)).accessToken;
  }
  const lookUps = async () =>
    (
      await p.database.db
        .selectFrom('identity.outbox')
        .select(['type', 'data'])
        .where('type', '=', 'identity.resident.looked-up')
        .execute()
    ).map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>);

  /** A citizen whose ID number is a real one (a real birth date, as a counter sees on a card). */
  let serial = 100;
  async function resident(mobile?: string): Promise<{ id: string; login: string }> {
    const first17 = `33010619880305${String(serial++).padStart(3, '0')}`;
    const login = first17 + residentIdCheckChar(first17);
    const id = randomUUID();
    await insertAccount(p.database.db, {
      id,
      kind: 'citizen',
      login,
      displayName: '张三丰',
      ...(mobile ? { mobile } : {}),
    });
    return { id, login };
  }

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    rp = await relyingParty(p, 'rp-counter-lookup');
    counter = await token('officer', ['officer', StaffRoles.counter], ['330100']);
  });
  after(() => p.dispose());

  test('a resident with an account: masked name and mobile, active, and the look-up recorded', async () => {
    const citizen = await resident('13912345678');
    const r = await p.app.inject({ url: url(citizen.login.toLowerCase()), headers: bearer(counter) });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    assert.equal(body.account, true);
    assert.equal(body.active, true);
    assert.equal(body.mobile, '139****5678');
    assert.equal(body.idNumber, `${citizen.login.slice(0, 6)}********${citizen.login.slice(14)}`);
    assert.equal(body.name, '张**', 'the name masked');
    assert.ok(!r.body.includes(citizen.login) && !r.body.includes(citizen.id), 'neither the number nor the account id');
    const recorded = (await lookUps()).filter((e) => e['accountId'] === citizen.id);
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0]!['found'], true);
    assert.equal(recorded[0]!['region'], '330106');
    assert.ok(!JSON.stringify(recorded[0]).includes(citizen.login), 'the event holds no ID number');
  });

  test('a resident without an account is answered as such (and recorded too); a bad check character is 422', async () => {
    const before = (await lookUps()).length;
    const first17 = '33010619850202123';
    const r = await p.app.inject({ url: url(first17 + residentIdCheckChar(first17)), headers: bearer(counter) });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(
      { ...(r.json() as object), idNumber: undefined },
      {
        idNumber: undefined,
        account: false,
        active: false,
        name: null,
        mobile: null,
      },
    );
    const after = await lookUps();
    assert.equal(after.length, before + 1);
    assert.equal(after.at(-1)!['found'], false);
    const wrong = residentIdCheckChar(first17) === '0' ? '1' : '0';
    const bad = await p.app.inject({ url: url(first17 + wrong), headers: bearer(counter) });
    assert.equal(bad.statusCode, 422, bad.body);
    assert.equal(bad.json().errors[0].field, 'params.idNumber');
  });

  test('a citizen, an officer without the counter role and an officer of another region are refused', async () => {
    const citizen = await resident();
    const before = (await lookUps()).length;
    for (const [who, t] of [
      ['citizen', await token('citizen')],
      ['officer without the role', await token('officer', ['officer'], ['330100'])],
    ] as const) {
      const r = await p.app.inject({ url: url(citizen.login), headers: bearer(t) });
      assert.equal(r.statusCode, 403, `${who}: ${r.body}`);
    }
    const elsewhere = await token('officer', ['officer', StaffRoles.counter], ['110100']);
    const r = await p.app.inject({ url: url(citizen.login), headers: bearer(elsewhere) });
    assert.equal(r.statusCode, 403, r.body);
    assert.equal(r.json().errors[0].code, 'outside_jurisdiction');
    assert.equal((await lookUps()).length, before, 'a refusal reads nothing');
  });
});
