// Sessions end after 30 minutes without use (configurable) and after 12 hours in any case; using
// the refresh token counts as use. Time is simulated by moving the stored expiry, not by waiting.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { sql } from 'kysely';
import * as client from 'openid-client';
import identity from '../src/index.ts';
import { createAccount } from './fixtures.ts';
import { relyingParty, type RelyingParty } from './flows.ts';

describe('session timeouts', () => {
  let p: TestPlatform;
  let rp: RelyingParty;

  before(async () => {
    p = await startTestPlatform([identity], {
      env: { TONGBAN_PORT: '0', TONGBAN_IDENTITY_SESSION_IDLE_SECONDS: '600' },
    });
    await p.listen();
    rp = await relyingParty(p, 'rp-timeout');
  });
  after(() => p.dispose());

  const sessionExpiry = async (accountId: string) => {
    const row = await p.database.db
      .selectFrom('identity.oidc_model')
      .select('expires_at')
      .where('model', '=', 'Session')
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return new Date(row.expires_at as Date).getTime();
  };

  test('a new session ends after the idle period, and using the refresh token pushes that back', async () => {
    const citizen = await createAccount(p, 'citizen');
    const { tokens } = await rp.signIn(citizen);
    const first = await sessionExpiry(citizen.id);
    assert.ok(Math.abs(first - (Date.now() + 600_000)) < 30_000, 'about ten minutes from now');
    // Pretend the session was last used eight minutes ago, then refresh.
    await sql`update identity.oidc_model set expires_at = expires_at - interval '8 minutes' where model = 'Session' and account_id = ${citizen.id}`.execute(
      p.database.db,
    );
    await client.refreshTokenGrant(rp.config, tokens.refresh_token!);
    assert.ok((await sessionExpiry(citizen.id)) > first - 30_000, 'the refresh restarted the idle period');
  });

  test('an idle session is over: its refresh token no longer works', async () => {
    const citizen = await createAccount(p, 'citizen');
    const { tokens } = await rp.signIn(citizen);
    await sql`update identity.oidc_model set expires_at = now() - interval '1 second' where model = 'Session' and account_id = ${citizen.id}`.execute(
      p.database.db,
    );
    await assert.rejects(
      client.refreshTokenGrant(rp.config, tokens.refresh_token!),
      (e: { error?: string }) => e.error === 'invalid_grant',
    );
  });
});
