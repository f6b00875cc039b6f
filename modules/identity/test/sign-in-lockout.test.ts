// The lockout where it counts: one-time codes are locked per account (only the password holder
// reaches that step, and rotating addresses must not buy more guesses); a shared address full of
// other people's failures still lets in a login that signed in from it before; a lock and its
// identity.account.locked event are written together, whatever happens to the attempt after.
import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import type { ModuleContext } from '@tongban/kernel';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import identity from '../src/index.ts';
import { passwordStep, secondFactorStep, type StepResult } from '../src/service/sign-in.ts';
import { dummyHash, hashGate } from '../src/domain/passwords.ts';
import { DEFAULT_THROTTLE } from '../src/domain/throttle.ts';
import { createAccount, totpNow, type TestAccount } from './fixtures.ts';

const MINUTE = 60_000;

describe('sign-in lockout', () => {
  let p: TestPlatform;
  let ctx: ModuleContext;
  let uid = 0;
  let now = new Date('2026-12-01T09:00:00Z');
  const clock = { now: () => now };

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' }, clock });
    ctx = p.contexts.get('identity')!;
    await dummyHash();
  });
  after(() => p.dispose());

  const password = (
    account: TestAccount | string,
    secret: string,
    ip: string,
    id = `lockout-${uid++}`,
  ): Promise<StepResult> =>
    passwordStep(ctx, { uid: id, ip, now }, typeof account === 'string' ? account : account.login, secret);
  const events = async (type: string, accountId: string) =>
    (await p.database.db.selectFrom('identity.outbox').select('data').where('type', '=', type).execute())
      .map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>)
      .filter((e) => e.accountId === accountId);

  /** The password (right) then a code, from one address: the outcome of the code step. */
  async function codeAttempt(account: TestAccount, code: string, ip: string): Promise<StepResult['outcome']> {
    const id = `lockout-${uid++}`;
    assert.equal((await password(account, account.password, ip, id)).outcome, 'needs_second_factor');
    return (await secondFactorStep(ctx, { uid: id, ip, now }, code)).outcome;
  }

  test('five wrong authenticator codes from five addresses lock the code step of the account, from every address', async () => {
    const owner = await createAccount(p, 'citizen', { mfa: true });
    const right = await totpNow(owner.totpSecret!, now);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) assert.equal(await codeAttempt(owner, wrong, `192.0.2.${30 + i}`), 'failed');
    assert.equal(
      await codeAttempt(owner, right, '192.0.2.99'),
      'failed',
      'locked: even the right code from a fresh address',
    );
    const locked = await events('identity.account.locked', owner.id);
    assert.equal(locked.length, 1);
    assert.equal(locked[0]!.factor, 'code');
    now = new Date(now.getTime() + 16 * MINUTE);
    assert.equal(
      await codeAttempt(owner, await totpNow(owner.totpSecret!, now), '192.0.2.99'),
      'done',
      'the lock ends',
    );
  });

  test('a shared address over its limit still lets in a login that signed in from it before; an unknown one is throttled', async () => {
    const ip = '203.0.113.50';
    const regular = await createAccount(p, 'citizen');
    const stranger = await createAccount(p, 'citizen');
    assert.equal(
      (await password(regular, regular.password, ip)).outcome,
      'done',
      'the regular has signed in from the office before',
    );
    for (let i = 0; i < DEFAULT_THROTTLE.addressFailures; i++)
      assert.equal((await password(`colleague-${i}`, 'wrong', ip)).outcome, 'failed');
    assert.equal((await password(`colleague-x`, 'wrong', ip)).outcome, 'throttled', 'the address is over its limit');
    assert.equal(
      (await password(regular, regular.password, ip)).outcome,
      'done',
      'a known login gets through with the right password',
    );
    assert.equal(
      (await password(stranger, stranger.password, ip)).outcome,
      'throttled',
      'a login new to the address does not',
    );
  });

  test('a lock is published with its charge: the event is there when hashing then throws, and so is the lock', async () => {
    const owner = await createAccount(p, 'citizen');
    const ip = '192.0.2.60';
    for (let i = 0; i < 4; i++) assert.equal((await password(owner, `guess ${i}`, ip)).outcome, 'failed');
    const boom = mock.method(hashGate, 'run', async () => {
      throw new Error('argon2 failed');
    });
    try {
      await assert.rejects(password(owner, 'guess 4', ip), /argon2 failed/);
    } finally {
      boom.mock.restore();
    }
    assert.equal(
      (await events('identity.account.locked', owner.id)).length,
      1,
      'the lock started by the fifth attempt is on record',
    );
    const started = hashGate.stats.started;
    assert.equal((await password(owner, owner.password, ip)).outcome, 'failed', 'and it holds');
    assert.equal(hashGate.stats.started, started, 'refused without hashing');
  });

  test('a fifth attempt that turns out right withdraws the lock it charged, and says so', async () => {
    const owner = await createAccount(p, 'citizen');
    const ip = '192.0.2.61';
    for (let i = 0; i < 4; i++) await password(owner, `guess ${i}`, ip);
    assert.equal((await password(owner, owner.password, ip)).outcome, 'done');
    assert.equal((await events('identity.account.locked', owner.id)).length, 1);
    assert.deepEqual(
      (await events('identity.account.unlocked', owner.id)).map((e) => e.reason),
      ['signed-in'],
    );
    assert.equal((await password(owner, owner.password, ip)).outcome, 'done', 'not locked');
  });
});
