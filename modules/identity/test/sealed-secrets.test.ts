// Identity's secrets at rest are sealed (ctx.fields): the database holds `tb1.…` for every
// authenticator secret and signing key, sign-in with an authenticator still works, and rows from
// before (in clear) are sealed by the start-time conversion.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { sql } from 'kysely';
import identity from '../src/index.ts';
import { newTotpSecret } from '../src/domain/totp.ts';
import { sealClearSecrets } from '../src/service/sealed-secrets.ts';
import { findAccountById, openTotpSecret, pendingTotpSecret, setPendingTotp } from '../src/store/accounts.ts';
import { activeSigningKeys } from '../src/store/keys.ts';
import { createAccount } from './fixtures.ts';
import { relyingParty, type RelyingParty } from './flows.ts';

describe(`identity's secrets are sealed at rest (${databaseLabel})`, () => {
  let p: TestPlatform;
  let rp: RelyingParty;
  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    rp = await relyingParty(p, 'rp-sealed');
  });
  after(() => p.dispose());
  const ctx = () => p.contexts.get('identity')!;
  const raw = async () => ({
    accounts: (
      await sql<{
        id: string;
        totp_secret: string | null;
        totp_pending_secret: string | null;
      }>`select id, totp_secret, totp_pending_secret from identity.account`.execute(p.database.db)
    ).rows,
    keys: (
      await sql<{ kid: string; private_jwk: string }>`select kid, private_jwk from identity.signing_key`.execute(
        p.database.db,
      )
    ).rows,
  });

  test('the raw rows hold only ciphertext, and sign-in with the authenticator works', async () => {
    const citizen = await createAccount(p, 'citizen', { mfa: true });
    const { tokens } = await rp.signIn(citizen);
    assert.ok(tokens.access_token);
    // an enrolment started: the pending secret is sealed too
    const pending = newTotpSecret();
    await setPendingTotp(p.database.db as never, ctx().fields, citizen.id, pending);

    const { accounts, keys } = await raw();
    const row = accounts.find((a) => a.id === citizen.id)!;
    assert.match(row.totp_secret!, /^tb1\./);
    assert.match(row.totp_pending_secret!, /^tb1\./);
    assert.ok(!row.totp_secret!.includes(citizen.totpSecret!));
    assert.ok(!row.totp_pending_secret!.includes(pending));
    assert.ok(keys.length > 0);
    for (const k of keys) {
      assert.match(k.private_jwk, /^tb1\./);
      assert.ok(!k.private_jwk.includes('"d"'));
    }
    for (const a of accounts) {
      if (a.totp_secret !== null) assert.match(a.totp_secret, /^tb1\./);
      if (a.totp_pending_secret !== null) assert.match(a.totp_pending_secret, /^tb1\./);
    }
  });

  test("a sealed secret copied into another account's row does not open there", async () => {
    const a = await createAccount(p, 'citizen', { mfa: true });
    const b = await createAccount(p, 'citizen', { mfa: true });
    const sealedA = (await findAccountById(p.database.db as never, a.id))!.totpSealed;
    const accountB = (await findAccountById(p.database.db as never, b.id))!;
    assert.equal(await openTotpSecret(ctx().fields, accountB), b.totpSecret);
    await assert.rejects(openTotpSecret(ctx().fields, { ...accountB, totpSealed: sealedA }), /does not open/);
  });

  test('rows stored in clear (before sealed fields) are sealed by the conversion; sign-in and JWKS still work', async () => {
    const citizen = await createAccount(p, 'citizen', { mfa: true });
    const pending = newTotpSecret();
    const [key] = await activeSigningKeys(p.database.db as never, ctx().fields);
    const { kid, ...jwk } = key!;
    await sql`update identity.account set totp_secret = ${citizen.totpSecret!}, totp_pending_secret = ${pending}
               where id = ${citizen.id}`.execute(p.database.db);
    await sql`update identity.signing_key set private_jwk = ${JSON.stringify(jwk)} where kid = ${kid}`.execute(
      p.database.db,
    );

    await sealClearSecrets(ctx());
    const { accounts, keys } = await raw();
    const row = accounts.find((a) => a.id === citizen.id)!;
    assert.match(row.totp_secret!, /^tb1\./);
    assert.match(row.totp_pending_secret!, /^tb1\./);
    assert.match(keys.find((k) => k.kid === kid)!.private_jwk, /^tb1\./);
    await sealClearSecrets(ctx()); // a second start changes nothing
    assert.deepEqual(
      (await raw()).keys.find((k) => k.kid === kid),
      keys.find((k) => k.kid === kid),
    );

    const { tokens } = await rp.signIn(citizen);
    assert.ok(tokens.access_token, 'the converted authenticator secret signs in');
    const published = (await p.app.inject({ url: '/api/identity/keys' })).json() as { keys: { kid: string }[] };
    assert.ok(published.keys.some((k) => k.kid === kid));
    assert.equal(await pendingTotpSecret(p.database.db as never, ctx().fields, citizen.id), pending);
  });
});
