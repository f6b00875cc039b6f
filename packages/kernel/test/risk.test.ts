// The risk board: sentinel's responses as the guard sees them — by action and target, until their
// end on the platform clock, gone once lifted (and not revived by a late applied event or the
// start-up snapshot); the snapshot is retried until sentinel answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { isLoopback, loadRiskBoard, RiskBoard } from '../src/risk.ts';

class Clock {
  at = Date.parse('2026-12-01T02:00:00Z');
  now = () => new Date(this.at);
}

const applied = (
  id: string,
  action: 'block-address' | 'throttle-address' | 'step-up-session',
  target: object,
  until: string | null,
) => ({
  responseId: id,
  action,
  target,
  until,
});

test('a response applies to its action and target only, until its end on the platform clock', () => {
  const clock = new Clock();
  const board = new RiskBoard(clock);
  board.apply(applied('r1', 'block-address', { ip: '192.0.2.1' }, '2026-12-01T02:10:00Z'));
  board.apply(applied('r2', 'throttle-address', { ip: '192.0.2.2' }, '2026-12-01T02:05:00Z'));
  board.apply(applied('r3', 'step-up-session', { sessionId: 's-1' }, null));
  assert.equal(board.isBlockedAddress('192.0.2.1'), true);
  assert.equal(board.isThrottledAddress('192.0.2.1'), false);
  assert.equal(board.isBlockedAddress('192.0.2.2'), false);
  assert.equal(board.isThrottledAddress('192.0.2.2'), true);
  assert.equal(board.isFlaggedSession('s-1'), true);
  assert.equal(board.isFlaggedSession('s-2'), false);
  clock.at = Date.parse('2026-12-01T02:05:00Z');
  assert.equal(board.isThrottledAddress('192.0.2.2'), false, 'ended at until');
  assert.equal(board.isBlockedAddress('192.0.2.1'), true);
  assert.equal(board.active().length, 2);
});

test('a lifted response is gone, and neither a late applied event nor the snapshot revives it', () => {
  const board = new RiskBoard(new Clock());
  board.lift({ responseId: 'r1' });
  board.apply(applied('r1', 'block-address', { ip: '192.0.2.1' }, null));
  assert.equal(board.isBlockedAddress('192.0.2.1'), false);
  board.load({ at: '2026-12-01T02:00:00Z', items: [applied('r1', 'block-address', { ip: '192.0.2.1' }, null)] });
  assert.equal(board.isBlockedAddress('192.0.2.1'), false);
  assert.equal(board.loaded, true);
});

test('the start-up snapshot is asked for again until sentinel answers', async () => {
  const board = new RiskBoard(new Clock());
  let asked = 0;
  const loader = loadRiskBoard(
    board,
    async () => {
      asked++;
      if (asked < 3) throw new Error('sentinel unreachable');
      return { at: '2026-12-01T02:00:00Z', items: [applied('r9', 'block-address', { ip: '192.0.2.9' }, null)] };
    },
    pino({ level: 'silent' }),
    5,
  );
  await loader.done;
  assert.equal(asked, 3);
  assert.equal(board.isBlockedAddress('192.0.2.9'), true);
  const stopped = loadRiskBoard(board, () => Promise.reject(new Error('down')), pino({ level: 'silent' }), 60_000);
  stopped.stop();
  await stopped.done; // resolves at stop: shutdown does not wait for sentinel
});

test('loopback, the platform calling itself, is never blocked or throttled', () => {
  assert.equal(isLoopback('127.0.0.1'), true);
  assert.equal(isLoopback('::ffff:127.0.0.1'), true);
  assert.equal(isLoopback('::1'), true);
  assert.equal(isLoopback('203.0.113.5'), false);
  const board = new RiskBoard(new Clock());
  board.apply(applied('r1', 'block-address', { ip: '127.0.0.1' }, null));
  board.apply(applied('r2', 'throttle-address', { ip: '::1' }, null));
  board.apply(applied('r3', 'block-address', { ip: '203.0.113.5' }, null));
  assert.equal(board.isBlockedAddress('127.0.0.1'), false);
  assert.equal(board.isThrottledAddress('::1'), false);
  assert.equal(board.isBlockedAddress('203.0.113.5'), true);
});
