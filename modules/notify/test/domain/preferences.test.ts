// Preferences: channels per group, quiet hours in China Standard Time (across midnight), the rate
// limit per recipient, the message retry schedule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  channelsFor,
  defaultPreferences,
  groupOf,
  messageRetryDelayMs,
  rateLimitedUntil,
  releaseAt,
} from '../../src/domain/preferences.ts';

test('channels follow the group; e-mail only with an address and a platform that sends it; security always by SMS', () => {
  const p = {
    ...defaultPreferences(),
    channels: { progress: ['email' as const], payments: [], licences: [], security: [] },
  };
  assert.deepEqual(channelsFor(p, 'approved', true), []);
  assert.deepEqual(channelsFor({ ...p, email: 'sealed' }, 'approved', true), ['email']);
  assert.deepEqual(channelsFor({ ...p, email: 'sealed' }, 'approved', false), []);
  assert.deepEqual(channelsFor(p, 'payment_due', true), []);
  assert.deepEqual(channelsFor(p, 'account_locked', true), ['sms']);
  assert.equal(groupOf('refund_succeeded'), 'payments');
  assert.equal(groupOf('licence_issued'), 'licences');
});

test('quiet hours hold until their end in China Standard Time, across midnight; security does not wait', () => {
  const q = { start: '22:00', end: '07:30' };
  // 23:00 CST = 15:00 UTC → 07:30 CST next day = 23:30 UTC.
  assert.equal(releaseAt(new Date('2026-12-01T15:00:00Z'), q, 'approved').toISOString(), '2026-12-01T23:30:00.000Z');
  // 03:00 CST = 19:00 UTC the day before → 07:30 CST the same local day.
  assert.equal(releaseAt(new Date('2026-12-01T19:00:00Z'), q, 'approved').toISOString(), '2026-12-01T23:30:00.000Z');
  // 12:00 CST: outside.
  assert.equal(releaseAt(new Date('2026-12-01T04:00:00Z'), q, 'approved').toISOString(), '2026-12-01T04:00:00.000Z');
  assert.equal(
    releaseAt(new Date('2026-12-01T15:00:00Z'), q, 'account_locked').toISOString(),
    '2026-12-01T15:00:00.000Z',
  );
  // A daytime window (12:00–14:00 CST).
  const lunch = { start: '12:00', end: '14:00' };
  assert.equal(
    releaseAt(new Date('2026-12-01T04:30:00Z'), lunch, 'approved').toISOString(),
    '2026-12-01T06:00:00.000Z',
  );
  assert.equal(
    releaseAt(new Date('2026-12-01T06:00:00Z'), lunch, 'approved').toISOString(),
    '2026-12-01T06:00:00.000Z',
  );
  assert.equal(releaseAt(new Date('2026-12-01T04:30:00Z'), null, 'approved').toISOString(), '2026-12-01T04:30:00.000Z');
});

test('past the hourly limit a message waits until the oldest counted is an hour old; security is not held', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const sent = [0, 10, 20].map((m) => new Date(now.getTime() - (50 - m) * 60_000));
  assert.equal(rateLimitedUntil(sent, 4, now, 'approved'), null);
  assert.equal(rateLimitedUntil(sent, 3, now, 'approved')!.toISOString(), '2026-12-01T10:10:00.000Z');
  assert.equal(rateLimitedUntil(sent, 2, now, 'approved')!.toISOString(), '2026-12-01T10:20:00.000Z');
  assert.equal(rateLimitedUntil(sent, 1, now, 'account_locked'), null);
});

test('an SMS or e-mail is retried four times, then failed', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(messageRetryDelayMs), [30_000, 120_000, 600_000, 1_800_000, null]);
});
