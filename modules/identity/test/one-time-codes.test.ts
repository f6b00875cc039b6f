// SMS and e-mail one-time codes: six random digits, stored as an HMAC, ten minutes to use,
// five tries counted before each comparison.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkCode, hashCode, issueCode, newCode, type CodeRecord } from '../src/domain/one-time-codes.ts';

const PEPPER = 'test pepper, not a secret';
const T0 = new Date('2026-03-02T01:00:00Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** A code that is certainly not `code`. */
const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

describe('one-time codes', () => {
  it('a code is six decimal digits, leading zeros kept', () => {
    for (let i = 0; i < 2000; i++) assert.match(newCode(), /^\d{6}$/);
  });

  it('codes are spread over the whole range, small ones included', () => {
    const codes = Array.from({ length: 5000 }, newCode);
    assert.ok(
      codes.some((c) => c.startsWith('0')),
      'about 500 of 5000 start with 0',
    );
    assert.ok(new Set(codes).size > 4900, 'repeats are rare among a million values');
  });

  it('only an HMAC-SHA-256 of the code is stored, and it depends on the pepper', () => {
    const { code, record } = issueCode(T0, PEPPER);
    assert.match(record.hash, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(record).includes(code));
    assert.equal(record.hash, hashCode(code, PEPPER));
    assert.notEqual(hashCode(code, 'another pepper'), record.hash);
    // RFC 4231 test case 2 (key "Jefe").
    assert.equal(
      hashCode('what do ya want for nothing?', 'Jefe'),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('a code lasts ten minutes by default, or as long as asked', () => {
    assert.equal(issueCode(T0, PEPPER).record.expiresAt, '2026-03-02T01:10:00.000Z');
    assert.equal(issueCode(T0, PEPPER, 1800).record.expiresAt, '2026-03-02T01:30:00.000Z');
    assert.equal(issueCode(T0, PEPPER).record.attempts, 0);
  });

  it('the right code before expiry is accepted, once', () => {
    const { code, record } = issueCode(T0, PEPPER);
    const first = checkCode(record, code, later(599), PEPPER);
    assert.equal(first.outcome, 'ok');
    assert.equal(first.record.attempts, 1, 'a right try is counted too');
    assert.equal(checkCode(first.record, code, later(600 - 1), PEPPER).outcome, 'exhausted', 'a used code is spent');
  });

  it('a wrong code is counted before it is compared', () => {
    const { code, record } = issueCode(T0, PEPPER);
    const wrong = checkCode(record, wrongFor(code), later(1), PEPPER);
    assert.deepEqual(wrong, { outcome: 'wrong', record: { ...record, attempts: 1 } });
    assert.equal(record.attempts, 0, 'the stored record is not changed in place');
  });

  it('a code is refused at and after its expiry, without counting the try', () => {
    const { code, record } = issueCode(T0, PEPPER);
    assert.deepEqual(checkCode(record, code, later(600), PEPPER), { outcome: 'expired', record });
    assert.equal(checkCode(record, code, later(86_400), PEPPER).outcome, 'expired');
    assert.equal(checkCode({ ...record, expiresAt: 'garbage' }, code, T0, PEPPER).outcome, 'expired');
  });

  it('after five wrong tries even the right code is refused', () => {
    const { code, record } = issueCode(T0, PEPPER);
    let current: CodeRecord = record;
    for (let i = 1; i <= 5; i++) {
      const result = checkCode(current, wrongFor(code), later(i), PEPPER);
      assert.equal(result.outcome, 'wrong', `try ${i}`);
      current = result.record;
    }
    assert.equal(current.attempts, 5);
    assert.deepEqual(checkCode(current, code, later(10), PEPPER), { outcome: 'exhausted', record: current });
  });

  it('the fifth try may still be the right one; the limit is configurable', () => {
    const { code, record } = issueCode(T0, PEPPER);
    assert.equal(checkCode({ ...record, attempts: 4 }, code, T0, PEPPER).outcome, 'ok');
    assert.equal(checkCode({ ...record, attempts: 3 }, code, T0, PEPPER, 3).outcome, 'exhausted');
  });

  it('a damaged stored hash never matches', () => {
    const { code, record } = issueCode(T0, PEPPER);
    assert.equal(checkCode({ ...record, hash: record.hash.slice(1) }, code, T0, PEPPER).outcome, 'wrong');
    assert.equal(checkCode({ ...record, hash: '' }, code, T0, PEPPER).outcome, 'wrong');
  });

  it('whatever is submitted, an exhausted or expired record never says ok and every compared try is counted', () => {
    const step = fc.record({
      submitted: fc.oneof(fc.constant('RIGHT'), fc.string({ maxLength: 8 })),
      after: fc.integer({ min: 0, max: 900 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 20 }), (steps) => {
        const { code, record } = issueCode(T0, PEPPER);
        let current = record;
        for (const { submitted, after } of steps) {
          const wasSpent = current.attempts >= 5 || current.consumed === true || after >= 600;
          const result = checkCode(current, submitted === 'RIGHT' ? code : submitted, later(after), PEPPER);
          if (wasSpent && result.outcome === 'ok') return false;
          if (
            (result.outcome === 'ok' || result.outcome === 'wrong') &&
            result.record.attempts !== current.attempts + 1
          )
            return false;
          if ((result.outcome === 'expired' || result.outcome === 'exhausted') && result.record !== current)
            return false;
          current = result.record;
        }
        return current.attempts <= 5;
      }),
    );
  });
});
