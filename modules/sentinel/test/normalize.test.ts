// The normalizers: what a module's event becomes for the rules. One case per event that exists
// only because another module started publishing it (the rule was written first, on a trace).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventEnvelope } from '@tongban/kernel';
import { normalize } from '../src/service/normalize.ts';

const envelope = (type: string, data: unknown): EventEnvelope =>
  ({ id: '01900000-0000-7000-8000-000000000001', type, data, occurredAt: '2026-12-07T08:00:00.000Z' }) as never;

test("a refused payment callback is the rules' callback.refused, from its address, naming the channel and reason", () => {
  const signal = normalize(
    envelope('payments.callback.refused', {
      channel: 'simulator',
      reason: 'bad_signature',
      orderId: 'o-1',
      ip: '192.0.2.200',
      at: '2026-12-07T08:00:01.000Z',
    }),
  );
  assert.deepEqual(signal, {
    type: 'callback.refused',
    ip: '192.0.2.200',
    actorId: 'channel:simulator',
    detail: 'bad_signature',
    id: '01900000-0000-7000-8000-000000000001',
    at: '2026-12-07T08:00:01.000Z',
  });
});
