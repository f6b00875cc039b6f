// Authenticator-app codes (RFC 6238): SHA-1, 6 digits, 30-second steps, one step of drift either
// way, and no code used twice.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { newTotpSecret, totpUri, verifyTotp } from '../src/domain/totp.ts';

const NOW = new Date('2026-03-02T01:00:10Z');
const STEP = Math.floor(NOW.getTime() / 1000 / 30);

/** The code an authenticator app would show `steps` steps from NOW. */
const codeAt = (secret: string, steps: number) =>
  generate({ secret, epoch: Math.floor(NOW.getTime() / 1000) + steps * 30 });

describe('authenticator-app codes', () => {
  it('a secret is 160 random bits in Base32', () => {
    const secret = newTotpSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.notEqual(newTotpSecret(), secret);
  });

  it('the enrolment URI names the issuer and the account and carries the secret', () => {
    const uri = new URL(totpUri({ secret: 'JBSWY3DPEHPK3PXP', account: '11010519491231002X' }));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/通办 Tongban:11010519491231002X');
    assert.equal(uri.searchParams.get('secret'), 'JBSWY3DPEHPK3PXP');
    assert.equal(uri.searchParams.get('issuer'), '通办 Tongban');
    for (const [name, value] of [
      ['algorithm', 'SHA1'],
      ['digits', '6'],
      ['period', '30'],
    ] as const) {
      const given = uri.searchParams.get(name);
      assert.ok(given === null || given === value, `${name} is absent (the app's default) or ${value}`);
    }
  });

  it("RFC 6238's SHA-1 test vector verifies", async () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // Base32 of "12345678901234567890"
    // Appendix B: at 1111111109 s the 8-digit code is 07081804; its last 6 digits are the 6-digit code.
    assert.deepEqual(await verifyTotp(secret, '081804', { now: new Date(1111111109_000) }), {
      ok: true,
      step: 37037036,
    });
  });

  it('a code generated for now verifies and reports its time step', async () => {
    const secret = newTotpSecret();
    assert.deepEqual(await verifyTotp(secret, await codeAt(secret, 0), { now: NOW }), { ok: true, step: STEP });
  });

  it('one step of clock drift either way is allowed', async () => {
    const secret = newTotpSecret();
    assert.deepEqual(await verifyTotp(secret, await codeAt(secret, -1), { now: NOW }), { ok: true, step: STEP - 1 });
    assert.deepEqual(await verifyTotp(secret, await codeAt(secret, 1), { now: NOW }), { ok: true, step: STEP + 1 });
  });

  it('a code from three steps ago, or two ahead, is refused', async () => {
    const secret = newTotpSecret();
    assert.equal((await verifyTotp(secret, await codeAt(secret, -3), { now: NOW })).ok, false);
    assert.equal((await verifyTotp(secret, await codeAt(secret, 2), { now: NOW })).ok, false);
  });

  it('the same step is refused the second time, and so is an earlier one', async () => {
    const secret = newTotpSecret();
    const code = await codeAt(secret, 0);
    const first = await verifyTotp(secret, code, { now: NOW });
    assert.equal(first.ok, true);
    assert.deepEqual(await verifyTotp(secret, code, { now: NOW, lastUsedStep: first.step }), { ok: false });
    assert.deepEqual(await verifyTotp(secret, await codeAt(secret, -1), { now: NOW, lastUsedStep: first.step }), {
      ok: false,
    });
    assert.deepEqual(await verifyTotp(secret, await codeAt(secret, 1), { now: NOW, lastUsedStep: first.step }), {
      ok: true,
      step: STEP + 1,
    });
  });

  it('a last used step beyond the window refuses everything rather than throwing', async () => {
    const secret = newTotpSecret();
    assert.deepEqual(await verifyTotp(secret, await codeAt(secret, 0), { now: NOW, lastUsedStep: STEP + 5 }), {
      ok: false,
    });
  });

  it('anything but six digits is refused', async () => {
    const secret = newTotpSecret();
    const code = await codeAt(secret, 0);
    for (const token of ['', code.slice(1), `${code}0`, ` ${code}`, 'abcdef']) {
      assert.deepEqual(await verifyTotp(secret, token, { now: NOW }), { ok: false }, token);
    }
  });
});
