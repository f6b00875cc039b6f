import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_SESSION_LIFETIME, sessionTtl } from '../src/domain/session-lifetime.ts';

describe('session lifetime', () => {
  test('a fresh session lives for the idle period', () => {
    assert.equal(sessionTtl(1_000, 1_000), 30 * 60);
  });

  test('use near the end of the day cannot stretch a session past 12 hours', () => {
    assert.equal(sessionTtl(0, 12 * 3600 - 600), 600);
    assert.equal(sessionTtl(0, 12 * 3600 + 5), 1);
  });

  test('the session never outlives either limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 200_000 }), (login, elapsed) => {
        const ttl = sessionTtl(login, login + elapsed);
        assert.ok(ttl >= 1);
        assert.ok(ttl <= DEFAULT_SESSION_LIFETIME.idleSeconds);
        assert.ok(login + elapsed + ttl <= login + DEFAULT_SESSION_LIFETIME.absoluteSeconds || ttl === 1);
      }),
    );
  });
});
