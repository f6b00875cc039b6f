// Issue 14, "Done when": the response reaches the guard within 1 s of the triggering event. The
// brute-force trace — 8 wrong passwords from one address, published as identity publishes them —
// on the real bus (NATS when TONGBAN_TEST_NATS_URL is set, else the in-process one) with the relay
// and consumers running in the background; measured from the commit of the 8th failure to the first
// request from that address the guard's rate limiter refuses. In the cluster shape (NATS) a second
// process — other modules, same database and stream — must hear the response too.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import {
  createTestDatabase,
  startTestPlatform,
  testConfig,
  testNatsUrl,
  type TestPlatform,
} from '@tongban/kernel/testing';
import sentinel from '@tongban/sentinel';
import { authenticatorFor, signer } from '../workflow/fixtures.ts';

const LIMIT_MS = 1000;
const ATTACKER = '198.51.100.23';

test(`a brute force's throttle reaches the guard within ${LIMIT_MS} ms of the 8th failure (${testNatsUrl ? 'NATS' : 'in-process bus'})`, async () => {
  const database = await createTestDatabase();
  const key = await signer();
  const suffix = randomBytes(4).toString('hex');
  const nats = testNatsUrl ? { stream: `TEST_${suffix}`, subjectPrefix: `test${suffix}` } : undefined;
  const config = () =>
    testConfig({ TONGBAN_DATABASE_URL: database.url, ...(testNatsUrl ? { TONGBAN_NATS_URL: testNatsUrl } : {}) });
  const started: TestPlatform[] = [];
  try {
    const p = await startTestPlatform([identity, sentinel], {
      config: config(),
      database,
      background: true,
      authenticate: authenticatorFor(key),
      ...(nats ? { nats } : {}),
    });
    started.push(p);
    // The cluster shape: another process, other modules, the same database and stream.
    const other = nats
      ? await startTestPlatform([catalog], {
          config: config(),
          database,
          background: true,
          authenticate: authenticatorFor(key),
          nats,
        })
      : undefined;
    if (other) started.push(other);

    const fail = (ip = ATTACKER) =>
      p.contexts.get('identity')!.events.commit('identity.sign-in.failed', {
        accountId: 'acct-victim',
        factor: 'password',
        reason: 'wrong_password',
        ip,
      });
    // Steady state, not start-up: one whole trace from another address first (the processes'
    // start-up work — keys, first connections, compiled paths — is over once it has fired).
    const warmUp = '198.51.100.99';
    for (let i = 0; i < 8; i++) await fail(warmUp);
    await p.bus.settled();
    while (!p.risk!.isThrottledAddress(warmUp) || (other && !other.risk!.isThrottledAddress(warmUp)))
      await new Promise((resolve) => setTimeout(resolve, 20));
    for (let i = 0; i < 7; i++) await fail();
    await p.bus.settled();
    // A public route: polling must not itself make denials (events, and probing signals).
    const ask = () => p.app.inject({ method: 'GET', url: '/api/identity/keys', remoteAddress: ATTACKER });
    assert.notEqual((await ask()).statusCode, 429, 'not throttled before the 8th failure');

    await fail();
    const committed = performance.now();
    let refusedAfter: number | undefined;
    let heardElsewhere: number | undefined;
    // The attacker keeps trying (every 100 ms, and at once when this process's board has the
    // response): the first of those requests refused is the figure. Asking more often would load
    // the one-connection embedded database with the test's own requests.
    let lastAsked = -Infinity;
    while (performance.now() - committed < 5 * LIMIT_MS) {
      const now = performance.now();
      if (refusedAfter === undefined && (p.risk!.isThrottledAddress(ATTACKER) || now - lastAsked >= 100)) {
        lastAsked = now;
        if ((await ask()).statusCode === 429) refusedAfter = performance.now() - committed;
      }
      if (other && heardElsewhere === undefined && other.risk!.isThrottledAddress(ATTACKER))
        heardElsewhere = performance.now() - committed;
      if (refusedAfter !== undefined && (!other || heardElsewhere !== undefined)) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    console.log(
      `response latency: ${refusedAfter?.toFixed(0)} ms to the first refused request` +
        (other ? `; ${heardElsewhere?.toFixed(0)} ms to the second process's board` : '') +
        ` (bus: ${nats ? 'NATS' : 'in-process'}, limit ${LIMIT_MS} ms)`,
    );
    assert.ok(refusedAfter !== undefined && refusedAfter <= LIMIT_MS, `refused after ${refusedAfter} ms`);
    if (other)
      assert.ok(heardElsewhere !== undefined && heardElsewhere <= LIMIT_MS, `heard after ${heardElsewhere} ms`);
  } finally {
    for (const p of started.reverse()) await p.close();
    await database.drop();
  }
});
