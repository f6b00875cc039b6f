// Sign-in throttles ahead of argon2: spraying one password across many accounts from one address
// stops at the address limit without hashing; one account attacked from many addresses is slowed,
// not locked, and its owner still signs in from an address they used before; the 5-failure lockout
// locks the attacker's address, not the owner's; password and code failures are counted apart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ModuleContext } from '@tongban/kernel';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import * as client from 'openid-client';
import identity from '../src/index.ts';
import { admit } from '../src/service/sign-in-throttle.ts';
import { passwordStep, type StepResult } from '../src/service/sign-in.ts';
import { dummyHash, hashGate } from '../src/domain/passwords.ts';
import { DEFAULT_THROTTLE } from '../src/domain/throttle.ts';
import { pruneThrottles } from '../src/store/throttle.ts';
import { Browser, formAction } from './browser.ts';
import { createAccount, registerBrowserClient, type TestAccount } from './fixtures.ts';

const REDIRECT = 'http://rp.example.test/callback';

describe('sign-in throttles', () => {
  let p: TestPlatform;
  let ctx: ModuleContext;
  let uid = 0;

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    ctx = p.contexts.get('identity')!;
    await dummyHash(); // computed once on first use: not a hash any attempt below should be charged
  });
  after(() => p.dispose());

  const attempt = (account: TestAccount | string, password: string, ip: string): Promise<StepResult> =>
    passwordStep(
      ctx,
      { uid: `throttle-test-${uid++}`, ip, now: ctx.clock.now() },
      typeof account === 'string' ? account : account.login,
      password,
    );
  const hashesDuring = async <T>(work: () => Promise<T>): Promise<{ result: T; hashes: number }> => {
    const started = hashGate.stats.started;
    const result = await work();
    return { result, hashes: hashGate.stats.started - started };
  };
  const events = async (type: string) =>
    (await p.database.db.selectFrom('identity.outbox').select('data').where('type', '=', type).execute()).map(
      (r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
    );

  test('one password sprayed across 30 accounts from one address is refused after the address limit, without hashing', async () => {
    const accounts: TestAccount[] = [];
    for (let i = 0; i < 30; i++) accounts.push(await createAccount(p, 'citizen'));
    const { result, hashes } = await hashesDuring(async () => {
      const outcomes: string[] = [];
      for (const a of accounts) outcomes.push((await attempt(a, 'Password123!', '203.0.113.7')).outcome);
      return outcomes;
    });
    const limit = DEFAULT_THROTTLE.addressFailures;
    assert.deepEqual(result.slice(0, limit), Array(limit).fill('failed'));
    assert.deepEqual(result.slice(limit), Array(30 - limit).fill('throttled'));
    assert.equal(hashes, limit, 'the refused attempts hashed nothing');
    const throttled = (await events('identity.sign-in.throttled')).filter((e) => e.ip === '203.0.113.7');
    assert.equal(throttled.length, 1, 'crossing the limit is one security event, not one per refusal');
    assert.equal(throttled[0]!.scope, 'address');
    // Another address is not affected, and the right password from there works.
    assert.equal((await attempt(accounts[0]!, accounts[0]!.password, '203.0.113.8')).outcome, 'done');
  });

  test('parallel attempts cannot outrun the address limit: it is counted before anything is hashed', async () => {
    const ip = '203.0.113.77';
    const { result, hashes } = await hashesDuring(() =>
      Promise.all(Array.from({ length: 30 }, (_, i) => attempt(`parallel-${i}`, 'wrong', ip))),
    );
    const limit = DEFAULT_THROTTLE.addressFailures;
    const count = (outcome: string) => result.filter((r) => r.outcome === outcome).length;
    assert.ok(hashes <= limit, `at most ${limit} hashes, not ${hashes}`);
    assert.ok(count('throttled') >= 30 - limit, 'the rest are throttled');
    assert.equal(count('failed'), hashes, 'every hash was a counted failure');
  });

  test('the sign-in page answers a throttled address with 429, Retry-After and words', async () => {
    const { issuer } = (await p.app.inject({ url: '/api/identity/keys' })).json() as { issuer: string };
    await registerBrowserClient(p, 'rp-throttle', REDIRECT);
    const rp = await client.discovery(new URL(issuer), 'rp-throttle', undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    });
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const browser = new Browser();
    const page = await browser.follow(url, REDIRECT);
    const action = formAction(await page.response!.text(), page.url);
    // The page's requests come from 127.0.0.1: use up that address's budget first.
    for (let i = 0; i < DEFAULT_THROTTLE.addressFailures; i++)
      await attempt(`nobody-${i}`, 'wrong password', '127.0.0.1');
    const refused = await browser.follow(action, REDIRECT, {
      form: { login: 'nobody-else', password: 'wrong password' },
    });
    assert.equal(refused.response?.status, 429);
    assert.ok(Number(refused.response?.headers.get('retry-after')) > 0);
    assert.match(await refused.response!.text(), /Too many failed sign-ins/);
  });

  test('one account attacked from many addresses is slowed, and its owner still signs in from a known address', async () => {
    const owner = await createAccount(p, 'citizen');
    assert.equal(
      (await attempt(owner, owner.password, '198.51.100.1')).outcome,
      'done',
      'the owner has signed in from home before',
    );
    const { result, hashes } = await hashesDuring(async () => {
      const outcomes: string[] = [];
      for (let i = 0; i < DEFAULT_THROTTLE.loginFailures + 5; i++)
        outcomes.push((await attempt(owner, `guess ${i}`, `192.0.2.${10 + i}`)).outcome);
      return outcomes;
    });
    const limit = DEFAULT_THROTTLE.loginFailures;
    assert.deepEqual(
      result.slice(0, limit + 1),
      Array(limit + 1).fill('failed'),
      'up to the limit, then one attempt per interval from unknown addresses',
    );
    assert.deepEqual(result.slice(limit + 1), Array(4).fill('throttled'));
    assert.equal(hashes, limit + 1);
    assert.equal((await attempt(owner, owner.password, '198.51.100.1')).outcome, 'done', 'home is known: no wait');
    assert.equal(
      (await attempt(owner, owner.password, '198.51.100.99')).outcome,
      'throttled',
      'a new address waits for the next slot (at most a minute)',
    );
  });

  test("five failures lock the attacker's address for that login, not the owner's", async () => {
    const owner = await createAccount(p, 'citizen');
    for (let i = 0; i < 5; i++) assert.equal((await attempt(owner, `guess ${i}`, '192.0.2.200')).outcome, 'failed');
    const locked = await hashesDuring(() => attempt(owner, owner.password, '192.0.2.200'));
    assert.equal(locked.result.outcome, 'failed', 'locked from there, even with the right password');
    assert.equal(locked.hashes, 0, 'a locked pair is refused without hashing');
    assert.ok(
      (await events('identity.account.locked')).some((e) => e.accountId === owner.id && e.ip === '192.0.2.200'),
    );
    assert.equal(
      (await attempt(owner, owner.password, '198.51.100.2')).outcome,
      'done',
      'the owner, elsewhere, is not locked out',
    );
  });

  test('an unknown login is throttled and locked exactly like an account (nothing to enumerate)', async () => {
    for (let i = 0; i < 5; i++)
      assert.equal((await attempt('330106199001019999', `guess ${i}`, '192.0.2.201')).outcome, 'failed');
    const locked = await hashesDuring(() => attempt('330106199001019999', 'guess', '192.0.2.201'));
    assert.deepEqual([locked.result.outcome, locked.hashes], ['failed', 0]);
  });

  test('password and one-time-code failures are counted apart', async () => {
    const ip = '192.0.2.202';
    for (let i = 0; i < DEFAULT_THROTTLE.addressFailures; i++) await attempt(`sprayed-${i}`, 'wrong', ip);
    assert.equal((await attempt('sprayed-x', 'wrong', ip)).outcome, 'throttled');
    assert.equal(
      (await admit(ctx, 'someone', ip, 'code', ctx.clock.now(), null)).outcome,
      'admitted',
      'the code budget of the address is untouched',
    );
  });

  test('counters untouched past the longest memory are forgotten, except a pair that is still locked', async () => {
    const db = p.database.db;
    const now = new Date('2027-06-01T00:00:00.000Z');
    const old = '2027-01-01T00:00:00.000Z';
    const lockedUntil = '2027-06-01T01:00:00.000Z';
    await db
      .insertInto('identity.sign_in_throttle')
      .values([
        { key: 'prune-old', factor: 'password', window_start: old, failures: 3 },
        {
          key: 'prune-locked',
          factor: 'password',
          window_start: old,
          failures: 0,
          lock_state: JSON.stringify({ failures: 0, lockCount: 1, lockedUntil }),
        },
        { key: 'prune-recent', factor: 'password', window_start: '2027-05-31T00:00:00.000Z', failures: 1 },
      ] as never)
      .execute();
    // The other tests' counters are months old by then too: only this test's rows are looked at.
    assert.ok((await pruneThrottles(db, now, DEFAULT_THROTTLE.knownAddressSeconds + 86_400)) >= 1);
    const left = await db
      .selectFrom('identity.sign_in_throttle')
      .select('key')
      .where('key', 'like', 'prune-%')
      .orderBy('key')
      .execute();
    assert.deepEqual(
      left.map((r) => r.key),
      ['prune-locked', 'prune-recent'],
    );
  });
});
