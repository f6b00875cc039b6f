// The seams a module relies on: its life (start → instance → stop, in dependency order), the
// transaction through which a state change and its events commit together, the outbox's check
// of every event against the contracts, and the unique violation read the same way everywhere.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { EVENT_CATALOG } from '@tongban/contracts';
import { sql } from 'kysely';
import Type from 'typebox';
import {
  defineModule,
  EventRefusedError,
  eventProblems,
  isUniqueViolation,
  Policies,
  type AnyTransaction,
} from '../src/index.ts';
import { databaseLabel, publishUntyped, startTestPlatform, untypedConsumers } from '../src/testing.ts';

describe(`module lifecycle (${databaseLabel})`, () => {
  test('start runs in dependency order before routes, jobs and consumers get the instance; stop runs in reverse and shutdown waits for it', async () => {
    const calls: string[] = [];
    let releaseStop!: () => void;
    const stopHeld = new Promise<void>((resolve) => (releaseStop = resolve));
    let stopEntered!: () => void;
    const topStopping = new Promise<void>((resolve) => (stopEntered = resolve));
    const base = defineModule({
      name: 'base',
      title: { zh: '基础', en: 'Base' },
      start: async () => {
        calls.push('start base');
        return { label: 'base-instance' };
      },
      stop: async (instance) => {
        calls.push(`stop base (${instance.label})`);
      },
    });
    const top = defineModule({
      name: 'top',
      title: { zh: '上层', en: 'Top' },
      dependsOn: ['base'],
      start: (ctx) => {
        calls.push('start top');
        return { hits: 0, module: ctx.name };
      },
      stop: async (instance) => {
        calls.push(`stop top (${instance.hits} hits)`);
        stopEntered();
        await stopHeld;
        calls.push('stop top done');
      },
      routes(app, _ctx, instance) {
        calls.push('routes top');
        app.get('/hit', { config: { policy: Policies.public } }, async () => ({ hits: ++instance.hits }));
      },
      jobs: [
        {
          name: 'count',
          everyMs: 3_600_000,
          run: async (_ctx, instance) => {
            instance.hits += 10;
          },
        },
      ],
    });
    // Listed in the wrong order on purpose: the platform orders them.
    const p = await startTestPlatform([top, base]);
    let disposed = false;
    try {
      assert.deepEqual(calls, ['start base', 'start top', 'routes top']);
      assert.equal(p.instanceOf(top).module, 'top');
      assert.equal((await p.app.inject('/api/top/hit')).json().hits, 1);
      await p.runJob('top', 'count');
      assert.equal((await p.app.inject('/api/top/hit')).json().hits, 12, 'the job and the route share the instance');
      const closing = p.dispose().then(() => (disposed = true));
      // Shutdown waits for a stop that has not finished.
      await topStopping;
      assert.equal(disposed, false, 'shutdown waits for the module to stop');
      assert.ok(!calls.includes('stop base (base-instance)'), 'a dependency stops after its dependants');
      releaseStop();
      await closing;
      assert.deepEqual(calls.slice(3), ['stop top (12 hits)', 'stop top done', 'stop base (base-instance)']);
    } finally {
      releaseStop();
      if (!disposed) await p.dispose();
    }
  });

  test('listen() resolves only after every module has heard the origin it listens on', async () => {
    const heard: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const late = defineModule({
      name: 'late',
      title: { zh: '迟到', en: 'Late' },
      start: () => ({ heard }),
      async listening(ctx, instance) {
        await held;
        instance.heard.push(ctx.origin());
      },
    });
    const p = await startTestPlatform([late], { env: { TONGBAN_PORT: '0', TONGBAN_HOST: '127.0.0.1' } });
    try {
      let listened = false;
      const listening = p.listen().then(() => (listened = true));
      await once(p.app.server, 'listening');
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(listened, false, 'the socket listens, and listen() still waits for the module');
      release();
      const address = new URL(await listening.then(() => p.app.listeningOrigin));
      assert.deepEqual(heard, [`http://localhost:${address.port}`]);
      assert.notEqual(address.port, '0');
    } finally {
      release();
      await p.dispose();
    }
  });

  test('a consumer receives the instance of its module', async () => {
    const seen: string[] = [];
    const producer = defineModule({ name: 'producer', title: { zh: '生产者', en: 'Producer' } });
    const consumer = defineModule({
      name: 'consumer',
      title: { zh: '消费者', en: 'Consumer' },
      start: () => ({ seen }),
      consumers: untypedConsumers({
        'producer.thing.counted': async (event, _ctx) => {
          void event;
        },
      }),
    });
    // The untyped table above hides the instance; a typed one receives it (the ledger's record does).
    const typed = defineModule({
      name: 'typed',
      title: { zh: '类型', en: 'Typed' },
      start: () => ({ seen }),
      consumers: {
        'catalog.matter.published': async (event, _ctx, instance) => {
          instance.seen.push(`${event.data.code}@${event.data.version}`);
        },
      },
    });
    const catalogLike = defineModule({ name: 'catalog', title: { zh: '事项', en: 'Catalog' } });
    const p = await startTestPlatform([producer, consumer, typed, catalogLike], {
      extraEventSchemas: { 'producer.thing.counted': Type.Object({ n: Type.Integer() }) },
    });
    try {
      await p.contexts
        .get('catalog')!
        .transaction((_trx, events) =>
          events.publish('catalog.matter.published', { code: 'M-1', version: 2, departmentCode: 'D' }),
        );
      await p.bus.settled();
      assert.deepEqual(seen, ['M-1@2']);
    } finally {
      await p.dispose();
    }
  });
});

describe(`events at the outbox (${databaseLabel})`, () => {
  const scratch = defineModule({
    name: 'scratch',
    title: { zh: '草稿', en: 'Scratch' },
    migrations: new URL('./fixtures/scratch-migrations/', import.meta.url),
  });
  const schemas = { 'scratch.note.written': Type.Object({ text: Type.String(), n: Type.Integer() }) };

  test('a state change and its event commit together, or neither does', async () => {
    const p = await startTestPlatform([scratch], { extraEventSchemas: schemas });
    try {
      const ctx = p.contexts.get('scratch')!;
      await ctx.transaction(async (trx) => {
        await (trx as AnyTransaction).insertInto('scratch.note').values({ text: 'kept' }).execute();
        await publishUntyped(ctx, trx, 'scratch.note.written', { text: 'kept', n: 1 });
      });
      await assert.rejects(
        ctx.transaction(async (trx) => {
          await (trx as AnyTransaction).insertInto('scratch.note').values({ text: 'lost' }).execute();
          await publishUntyped(ctx, trx, 'scratch.note.written', { text: 'lost', n: 2 });
          throw new Error('the process fails after both writes');
        }),
        /the process fails/,
      );
      const notes = await p.database.db.selectFrom('scratch.note').select('text').execute();
      const events = await p.database.db.selectFrom('scratch.outbox').select('data').execute();
      assert.deepEqual(
        notes.map((n) => n.text),
        ['kept'],
      );
      assert.equal(events.length, 1);
    } finally {
      await p.dispose();
    }
  });

  test('an unknown type and a payload that breaks its schema are refused, named, counted, and roll the change back', async () => {
    const p = await startTestPlatform([scratch], { extraEventSchemas: schemas });
    try {
      const ctx = p.contexts.get('scratch')!;
      const attempt = (type: string, data: unknown) =>
        ctx.transaction(async (trx) => {
          await (trx as AnyTransaction).insertInto('scratch.note').values({ text: type }).execute();
          await publishUntyped(ctx, trx, type, data);
        });
      await assert.rejects(attempt('scratch.note.erased', {}), (error: unknown) => {
        assert.ok(error instanceof EventRefusedError);
        assert.equal(error.type, 'scratch.note.erased');
        assert.match(error.problems[0]!, /not in EVENT_CATALOG/);
        return true;
      });
      await assert.rejects(attempt('scratch.note.written', { text: 42 }), (error: unknown) => {
        assert.ok(error instanceof EventRefusedError);
        assert.deepEqual(error.problems, ['/: must have required properties n', '/text: must be string']);
        return true;
      });
      assert.equal((await p.database.db.selectFrom('scratch.note').select('text').execute()).length, 0);
      assert.equal((await p.database.db.selectFrom('scratch.outbox').select('id').execute()).length, 0);
      const metrics = await p.metrics.registry.getSingleMetricAsString('tongban_bus_events_refused_total');
      assert.match(metrics, /module="scratch",type="scratch\.note\.erased"} 1/);
      assert.match(metrics, /module="scratch",type="scratch\.note\.written"} 1/);
    } finally {
      await p.dispose();
    }
  });

  test("the contracts' catalog checks real payloads: a workflow step without its task is refused", () => {
    assert.equal(
      eventProblems('catalog.bundle.published', { code: 'B', version: 1, matterVersions: { M: 1 } }),
      undefined,
    );
    assert.deepEqual(eventProblems('catalog.bundle.published', { code: 'B', version: 0, matterVersions: {} }), [
      '/version: must be >= 1',
    ]);
    assert.ok(eventProblems('workflow.task.approved', { applicationId: 'a' })!.length > 0);
    assert.ok(Object.keys(EVENT_CATALOG).every((type) => eventProblems(type, undefined) !== undefined));
  });
});

describe(`unique violations (${databaseLabel})`, () => {
  test('isUniqueViolation reads the same on PGlite and PostgreSQL, by constraint name too', async () => {
    const scratch = defineModule({
      name: 'scratch',
      title: { zh: '草稿', en: 'Scratch' },
      migrations: new URL('./fixtures/scratch-migrations/', import.meta.url),
    });
    const p = await startTestPlatform([scratch]);
    try {
      const db = p.database.db;
      await db.insertInto('scratch.note').values({ text: 'once' }).execute();
      const error = await db
        .insertInto('scratch.note')
        .values({ text: 'once' })
        .execute()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(isUniqueViolation(error));
      assert.ok(isUniqueViolation(error, 'note_text_key'));
      assert.ok(!isUniqueViolation(error, 'note_other_key'));
      const other = await sql`select 1 / 0`.execute(db).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(!isUniqueViolation(other));
      assert.ok(!isUniqueViolation('23505'));
    } finally {
      await p.dispose();
    }
  });
});
