// Password policy (length, common passwords, not the account's own identifier) and Argon2id
// storage. Each hash costs tens of milliseconds, so only a few tests hash.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  createHashGate,
  dummyHash,
  hashPassword,
  HashesBusy,
  passwordProblems,
  verifyPassword,
} from '../src/domain/passwords.ts';

describe('password policy', () => {
  it('a long, uncommon password has no problems', () => {
    assert.deepEqual(passwordProblems('correct horse battery staple'), []);
  });

  it('at least 8 characters, counted as code points', () => {
    assert.deepEqual(passwordProblems('x7#kQ2!'), ['too_short']);
    assert.deepEqual(passwordProblems('x7#kQ2!m'), []);
    assert.deepEqual(passwordProblems('通办登录密码安全'), [], 'eight Chinese characters are eight characters');
    assert.deepEqual(passwordProblems('🔐🔑🗝️🛡'), ['too_short'], 'five code points, though nine UTF-16 units');
  });

  it('at most 128 characters, counted as code points', () => {
    assert.deepEqual(passwordProblems('密'.repeat(128)), []);
    assert.deepEqual(passwordProblems('密'.repeat(129)), ['too_long']);
    assert.deepEqual(passwordProblems('😀'.repeat(128)), [], '128 code points are 256 UTF-16 units');
  });

  it('common passwords are refused whatever their case', () => {
    for (const pw of ['password', 'PASSWORD', 'Password', '12345678', 'iloveyou', 'qwertyuiop']) {
      assert.deepEqual(passwordProblems(pw), ['common'], pw);
    }
    assert.deepEqual(passwordProblems('123456'), ['too_short', 'common'], 'every problem is listed');
  });

  it("the account's identifier or mobile number is refused", () => {
    const owner = { identifier: '11010519491231002X', mobile: '13812345678' };
    assert.deepEqual(passwordProblems('11010519491231002x', owner), ['same_as_identifier']);
    assert.deepEqual(passwordProblems('13812345678', owner), ['same_as_identifier']);
    assert.deepEqual(passwordProblems('13812345679', owner), []);
    assert.deepEqual(passwordProblems('13812345678', { identifier: null, mobile: null }), []);
  });

  it('any string of 8 to 128 code points outside the common list passes the length rules', () => {
    const codePoint = fc
      .integer({ min: 0x21, max: 0x10ffff })
      .filter((cp) => cp < 0xd800 || cp > 0xdfff)
      .map((cp) => String.fromCodePoint(cp));
    fc.assert(
      fc.property(fc.array(codePoint, { minLength: 8, maxLength: 128 }), (chars) => {
        const problems = passwordProblems(chars.join(''));
        return !problems.includes('too_short') && !problems.includes('too_long');
      }),
    );
  });
});

describe('password storage', () => {
  it('hashes with Argon2id at m=19 MiB, t=2, p=1 and verifies only the same password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword(stored, 'correct horse battery staple'), true);
    assert.equal(await verifyPassword(stored, 'correct horse battery stapl'), false);
    assert.notEqual(await hashPassword('correct horse battery staple'), stored, 'each hash has its own salt');
  });

  it('a malformed hash verifies as false instead of throwing', async () => {
    for (const broken of ['', 'not a hash', '$argon2id$v=19$m=19456,t=2,p=1$', '$2b$10$abcdefghijklmnopqrstuv']) {
      assert.equal(await verifyPassword(broken, 'anything'), false, broken);
    }
  });

  it('the dummy hash is one Argon2id hash, computed once, that no password is likely to match', async () => {
    const [a, b] = await Promise.all([dummyHash(), dummyHash()]);
    assert.equal(a, b);
    assert.match(a, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword(a, ''), false);
  });
});

describe('the hash gate', () => {
  it('runs at most N hashes at once, queues M more in order and refuses the rest at once', async () => {
    const gate = createHashGate(2, 1);
    const releases: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const work = (n: number) =>
      gate.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        order.push(n);
        running--;
        return n;
      });
    const first = work(1);
    const second = work(2);
    const third = work(3); // waits for a slot
    await assert.rejects(work(4), HashesBusy, 'the queue is full: refused without waiting');
    assert.deepEqual(
      { inFlight: gate.stats.inFlight, waiting: gate.stats.waiting, refused: gate.stats.refused },
      { inFlight: 2, waiting: 1, refused: 1 },
    );
    releases.shift()!();
    assert.equal(await first, 1);
    while (releases.length < 2) await new Promise((resolve) => setImmediate(resolve));
    releases.shift()!();
    releases.shift()!();
    assert.deepEqual(await Promise.all([second, third]), [2, 3]);
    assert.equal(most, 2, 'never more than two at once');
    assert.equal(gate.stats.started, 3);
    assert.equal(gate.stats.inFlight, 0, 'the slots are all given back');
  });
});
