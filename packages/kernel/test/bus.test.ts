// The event bus keeps its promises with either driver: at-least-once delivery, effects applied
// once, retries with backoff, dead letters, and nothing lost when the relay stops mid-stream.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { sql } from 'kysely';
import { defineModule, type AnyTransaction, type EventEnvelope, type ModuleContext } from '../src/index.ts';
import Type from 'typebox';
import {
  busDrivers,
  databaseLabel,
  publishUntyped,
  startTestPlatform,
  testNatsUrl,
  untypedConsumers,
  type TestPlatform,
} from '../src/testing.ts';

const extraEventSchemas = { 'producer.thing.counted': Type.Object({ n: Type.Integer() }) };

interface Counted {
  n: number;
}

/** A module that writes events and one that consumes them, recording each effect in a table. */
function modulesUnderTest(behaviour: {
  failFirst?: Set<number>;
  alwaysFail?: Set<number>;
  failAtCommit?: Set<number>;
}) {
  const attempts = new Map<number, number>();
  const producer = defineModule({ name: 'producer', title: { zh: '生产者', en: 'Producer' } });
  const consumer = defineModule({
    name: 'consumer',
    title: { zh: '消费者', en: 'Consumer' },
    migrations: new URL('./fixtures/consumer-migrations/', import.meta.url),
    consumers: untypedConsumers({
      'producer.thing.counted': async (event: EventEnvelope, { trx }) => {
        const { n } = event.data as Counted;
        attempts.set(n, (attempts.get(n) ?? 0) + 1);
        // The effect is written first, then the handler fails: the rollback must undo it.
        await (trx as AnyTransaction).insertInto('consumer.effect').values({ n }).execute();
        if (behaviour.alwaysFail?.has(n)) throw new Error(`poison event ${n}`);
        // Twice into a table whose uniqueness is checked at commit: the statements pass, the commit fails.
        if (behaviour.failAtCommit?.has(n))
          await (trx as AnyTransaction).insertInto('consumer.deferred').values([{ n }, { n }]).execute();
        if (behaviour.failFirst?.has(n) && attempts.get(n) === 1) throw new Error(`transient failure on ${n}`);
      },
    }),
  });
  return { producer, consumer, attempts };
}

async function produce(ctx: ModuleContext, from: number, to: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    for (let n = from; n < to; n++) await publishUntyped(ctx, trx, 'producer.thing.counted', { n });
  });
}

async function effects(platform: TestPlatform): Promise<number[]> {
  const rows = await platform.database.db.selectFrom('consumer.effect').select('n').orderBy('n').execute();
  return rows.map((r) => Number(r.n));
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

for (const driver of busDrivers) {
  describe(`event bus (${driver} driver, ${databaseLabel})`, () => {
    test('every committed event is delivered and applied exactly once', async () => {
      const { producer, consumer } = modulesUnderTest({});
      const p = await startTestPlatform([producer, consumer], { bus: driver, extraEventSchemas });
      try {
        await produce(p.contexts.get('producer')!, 0, 50);
        await p.bus.settled();
        assert.deepEqual(await effects(p), range(0, 50));
      } finally {
        await p.dispose();
      }
    });

    test('events.commit (group commit): each is in the outbox when it resolves, all are delivered once, a refused one fails alone', async () => {
      const { producer, consumer } = modulesUnderTest({});
      const p = await startTestPlatform([producer, consumer], { bus: driver, extraEventSchemas });
      try {
        const ctx = p.contexts.get('producer')!;
        const commit = ctx.events.commit as (type: string, data: unknown) => Promise<EventEnvelope>;
        const outcomes = await Promise.allSettled([
          ...range(0, 40).map((n) => commit('producer.thing.counted', { n })),
          commit('producer.thing.counted', { n: 'not a number' }),
        ]);
        assert.equal(outcomes.at(-1)!.status, 'rejected');
        const committed = outcomes.slice(0, -1).map((o) => {
          assert.equal(o.status, 'fulfilled');
          return (o as PromiseFulfilledResult<EventEnvelope>).value;
        });
        const stored = await sql<{ id: string }>`select id from producer.outbox`.execute(p.database.db);
        assert.deepEqual(new Set(stored.rows.map((r) => r.id)), new Set(committed.map((e) => e.id)));
        await p.bus.settled();
        assert.deepEqual(await effects(p), range(0, 40));
      } finally {
        await p.dispose();
      }
    });

    test('events.publishAll: one insert, in order, delivered once; one refused payload refuses them all', async () => {
      const { producer, consumer } = modulesUnderTest({});
      const p = await startTestPlatform([producer, consumer], { bus: driver, extraEventSchemas });
      try {
        const ctx = p.contexts.get('producer')!;
        const publishAll = ctx.events.publishAll as (
          trx: AnyTransaction,
          events: readonly { type: string; data: unknown }[],
        ) => Promise<EventEnvelope[]>;
        const drafts = (ns: unknown[]) => ns.map((n) => ({ type: 'producer.thing.counted', data: { n } }));
        await assert.rejects(
          ctx.db.transaction().execute((trx) => publishAll(trx, drafts([100, 'not a number', 101]))),
          /refused|not a number|must be integer/i,
        );
        const written = await ctx.db.transaction().execute((trx) => publishAll(trx, drafts(range(0, 20))));
        assert.deepEqual(
          written.map((e) => (e.data as Counted).n),
          range(0, 20),
        );
        const stored = await sql<{ id: string }>`select id from producer.outbox order by seq`.execute(p.database.db);
        assert.deepEqual(
          stored.rows.map((r) => r.id),
          written.map((e) => e.id),
          'the outbox holds exactly these, in the order given',
        );
        await p.bus.settled();
        assert.deepEqual(await effects(p), range(0, 20));
      } finally {
        await p.dispose();
      }
    });

    test('an event written in a rolled-back transaction is never sent', async () => {
      const { producer, consumer } = modulesUnderTest({});
      const p = await startTestPlatform([producer, consumer], { bus: driver, extraEventSchemas });
      try {
        const ctx = p.contexts.get('producer')!;
        await assert.rejects(
          ctx.db.transaction().execute(async (trx) => {
            await publishUntyped(ctx, trx, 'producer.thing.counted', { n: 1 });
            throw new Error('business rule failed');
          }),
        );
        await produce(ctx, 2, 3);
        await p.bus.settled();
        assert.deepEqual(await effects(p), [2]);
      } finally {
        await p.dispose();
      }
    });

    test('a consumer that throws mid-event is redelivered and its effect applied once', async () => {
      const { producer, consumer, attempts } = modulesUnderTest({ failFirst: new Set([3, 7]) });
      const p = await startTestPlatform([producer, consumer], { bus: driver, extraEventSchemas });
      try {
        await produce(p.contexts.get('producer')!, 0, 10);
        await p.bus.settled();
        assert.deepEqual(await effects(p), range(0, 10));
        assert.equal(attempts.get(3), 2);
        assert.equal(attempts.get(7), 2);
        assert.equal(attempts.get(4), 1);
      } finally {
        await p.dispose();
      }
    });

    test('an event that always fails is dead-lettered after the last retry, and the rest flow on', async () => {
      const { producer, consumer, attempts } = modulesUnderTest({ alwaysFail: new Set([5]) });
      const p = await startTestPlatform([producer, consumer], {
        bus: driver,
        extraEventSchemas,
        env: { TONGBAN_BUS_MAX_ATTEMPTS: '3' },
      });
      try {
        await produce(p.contexts.get('producer')!, 0, 10);
        await p.bus.settled();
        assert.deepEqual(
          await effects(p),
          range(0, 10).filter((n) => n !== 5),
        );
        assert.equal(attempts.get(5), 3);
        const dead = await p.database.db.selectFrom('consumer.dead_letter').selectAll().execute();
        assert.equal(dead.length, 1);
        assert.match(String(dead[0]!.error), /poison event 5/);
        assert.equal(Number(dead[0]!.attempts), 3);
        const metrics = await p.metrics.registry.getSingleMetricAsString('tongban_bus_dead_letters_total');
        assert.match(metrics, /consumer="consumer:producer.thing.counted"\} 1/);
      } finally {
        await p.dispose();
      }
    });

    test(
      'an event whose effects fail only at commit is dead-lettered in the end, and the rest flow on',
      { timeout: 30_000 },
      async () => {
        const { producer, consumer } = modulesUnderTest({ failAtCommit: new Set([4]) });
        const p = await startTestPlatform([producer, consumer], {
          bus: driver,
          extraEventSchemas,
          env: { TONGBAN_BUS_MAX_ATTEMPTS: '3' },
        });
        try {
          await produce(p.contexts.get('producer')!, 0, 10);
          await p.bus.settled();
          assert.deepEqual(
            await effects(p),
            range(0, 10).filter((n) => n !== 4),
          );
          const dead = await p.database.db.selectFrom('consumer.dead_letter').selectAll().execute();
          assert.equal(dead.length, 1);
          assert.equal((dead[0]!.event as { data: Counted }).data.n, 4);
          assert.equal(Number(dead[0]!.attempts), 3);
        } finally {
          await p.dispose();
        }
      },
    );

    test('a relay stopped mid-stream and started again loses nothing and duplicates nothing', async () => {
      const { producer, consumer } = modulesUnderTest({});
      const p = await startTestPlatform([producer, consumer], { bus: driver, extraEventSchemas });
      try {
        const ctx = p.contexts.get('producer')!;
        await produce(ctx, 0, 300);
        // Stop the relay right after its first batch, while more events keep arriving.
        const { driver: bus } = p.bus;
        const original = bus.publish.bind(bus);
        let stopped: Promise<void> | undefined;
        bus.publish = async (trx, events) => {
          await original(trx, events);
          stopped ??= p.bus.relay.stop();
        };
        p.bus.relay.start();
        await p.bus.relay.runOnce();
        const writing = produce(ctx, 300, 400);
        await stopped;
        await writing;
        bus.publish = original;
        const sentBeforeRestart = await sentCount(p);
        assert.ok(sentBeforeRestart < 400, 'the relay stopped before the end of the stream');
        p.bus.relay.start();
        await p.bus.settled();
        assert.deepEqual(await effects(p), range(0, 400));
      } finally {
        await p.dispose();
      }
    });

    test('a relay that dies after sending but before marking the events sent causes no double effect', async () => {
      const { producer, consumer } = modulesUnderTest({});
      const p = await startTestPlatform([producer, consumer], { bus: driver, extraEventSchemas });
      try {
        await produce(p.contexts.get('producer')!, 0, 20);
        // Hand the events over, then fail before the relay's transaction commits its marking:
        // the next pass sends the same events again (NATS has them twice; memory rolls back).
        const { driver: bus } = p.bus;
        const original = bus.publish.bind(bus);
        let crashes = 1;
        bus.publish = async (trx, events) => {
          await original(trx, events);
          if (crashes-- > 0) throw new Error('relay crashed');
        };
        await assert.rejects(p.bus.relay.runOnce(), /relay crashed/);
        bus.publish = original;
        await p.bus.settled();
        assert.deepEqual(await effects(p), range(0, 20));
      } finally {
        await p.dispose();
      }
    });
  });
}

// Two deployments on one NATS server (staging beside production, two cities): with the same stream
// their durable consumers would be shared, and each would take some of the other's events.
describe(`event bus: deployments sharing a NATS server (${databaseLabel})`, () => {
  test(
    "each in the stream and subjects it is configured with (TONGBAN_NATS_STREAM, TONGBAN_NATS_SUBJECT_PREFIX): neither takes the other's events",
    { skip: !testNatsUrl && 'needs TONGBAN_TEST_NATS_URL' },
    async () => {
      const suffix = randomBytes(4).toString('hex');
      const deployment = (name: string) => ({
        stream: `TEST_${name}_${suffix}`,
        prefix: `test${name}${suffix}.events`,
      });
      const a = deployment('a');
      const b = deployment('b');
      const start = (d: { stream: string; prefix: string }) => {
        const { producer, consumer } = modulesUnderTest({});
        // The same modules, so the same durable consumer names: only the configuration keeps them apart.
        return startTestPlatform([producer, consumer], {
          extraEventSchemas,
          env: { TONGBAN_NATS_URL: testNatsUrl, TONGBAN_NATS_STREAM: d.stream, TONGBAN_NATS_SUBJECT_PREFIX: d.prefix },
        });
      };
      const nc = await connect({ servers: testNatsUrl! });
      const jsm = await jetstreamManager(nc);
      const platforms: TestPlatform[] = [];
      try {
        platforms.push(await start(a), await start(b));
        const [pa, pb] = platforms as [TestPlatform, TestPlatform];
        assert.equal(pa.bus.driver.name, 'nats');
        await produce(pa.contexts.get('producer')!, 0, 20);
        await produce(pb.contexts.get('producer')!, 100, 110);
        await Promise.all([pa.bus.settled(), pb.bus.settled()]);
        assert.deepEqual(await effects(pa), range(0, 20), "a's consumer has a's events, all of them");
        assert.deepEqual(await effects(pb), range(100, 110), "b's consumer has b's events, all of them");
        for (const [d, n] of [
          [a, 20],
          [b, 10],
        ] as const) {
          const info = await jsm.streams.info(d.stream);
          assert.deepEqual(info.config.subjects, [`${d.prefix}.>`]);
          assert.equal(info.state.messages, n, `${d.stream} holds its deployment's events`);
        }
      } finally {
        for (const p of platforms) await p.dispose();
        for (const d of [a, b]) await jsm.streams.delete(d.stream).catch(() => undefined);
        await nc.close();
      }
    },
  );
});

describe(`event bus: replicas sharing a consumer name (nats driver, ${databaseLabel})`, () => {
  test(
    'an ordinary subscription is shared (each event handled once among the replicas), a broadcast one is heard by each',
    { skip: !testNatsUrl && 'needs TONGBAN_TEST_NATS_URL' },
    async () => {
      const p = await startTestPlatform([defineModule({ name: 'producer', title: { zh: '生产者', en: 'Producer' } })], {
        bus: 'nats',
        extraEventSchemas,
      });
      try {
        // Two replicas are two subscriptions under one consumer name, as two processes of one shape make them.
        const heard = { shared: [] as number[][], broadcast: [] as number[][] };
        for (const kind of ['shared', 'broadcast'] as const)
          for (let replica = 0; replica < 2; replica++) {
            const got: number[] = [];
            heard[kind].push(got);
            await p.bus.driver.subscribe({
              consumer: `producer:replicas-${kind}:producer.thing.counted`,
              module: 'producer',
              type: 'producer.thing.counted',
              broadcast: kind === 'broadcast',
              handler: async (event) => void got.push((event.data as Counted).n),
            });
          }
        await produce(p.contexts.get('producer')!, 0, 30);
        await p.bus.settled();
        const [s0, s1] = heard.shared as [number[], number[]];
        assert.deepEqual(
          [...s0, ...s1].sort((a, b) => a - b),
          range(0, 30),
          'shared: each event once in all',
        );
        for (const got of heard.broadcast)
          assert.deepEqual(
            [...got].sort((a, b) => a - b),
            range(0, 30),
            'broadcast: every event in each replica',
          );
      } finally {
        await p.dispose();
      }
    },
  );
});

async function sentCount(p: TestPlatform): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from producer.outbox where published_at is not null`.execute(p.database.db);
  return rows[0]!.n;
}
