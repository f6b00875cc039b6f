// On PostgreSQL each module's handle runs as a role that owns its schema and has no rights on
// any other: a query from one module into another's tables fails at the database (42501), not
// only at compile time. (PGlite has a single user: skipped there, with the reason.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { defineModule, type AnyKysely } from '../src/index.ts';
import Type from 'typebox';
import {
  publishUntyped,
  startTestPlatform,
  testPostgresUrl,
  untypedConsumers,
  type TestPlatform,
} from '../src/testing.ts';

const owner = defineModule({
  name: 'scratch',
  title: { zh: '草稿', en: 'Scratch' },
  migrations: new URL('./fixtures/scratch-migrations/', import.meta.url),
});
const seenAs: string[] = [];
const neighbour = defineModule({
  name: 'neighbour',
  title: { zh: '邻居', en: 'Neighbour' },
  // Its deliveries run as its role too: the inbox row and the handler's writes are the module's.
  consumers: untypedConsumers({
    'scratch.note.written': async (_event, { trx }) => {
      const { rows } = await sql<{ who: string }>`select current_user as who`.execute(trx);
      seenAs.push(rows[0]!.who);
    },
  }),
});

const denied = (error: unknown) => (error as { code?: string }).code === '42501';

describe(
  'a database role per module (PostgreSQL)',
  { skip: testPostgresUrl ? false : 'needs PostgreSQL: the embedded database has one user' },
  () => {
    let p: TestPlatform;
    before(async () => {
      p = await startTestPlatform([owner, neighbour], {
        extraEventSchemas: { 'scratch.note.written': Type.Object({}) },
      });
    });
    after(() => p?.dispose());

    test("a module reads and writes its own schema as its role, and the role owns the schema's objects", async () => {
      const ctx = p.contexts.get('scratch')!;
      // The module's handle widened by hand: the test's tables are declared to no compiler.
      const db = ctx.db as AnyKysely;
      const { rows } = await sql<{ who: string }>`select current_user as who`.execute(db);
      assert.equal(rows[0]!.who, 'tongban_scratch');
      await db.insertInto('scratch.note').values({ text: 'mine' }).execute();
      assert.equal((await db.selectFrom('scratch.note').selectAll().execute()).length, 1);
      const owners = await sql<{ owner: string }>`
      select distinct pg_get_userbyid(c.relowner) as owner from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'scratch'`.execute(p.database.db);
      assert.deepEqual(
        owners.rows.map((r) => r.owner),
        ['tongban_scratch'],
      );
    });

    test("a query into another module's schema fails at the database, read or write", async () => {
      // What the types would refuse (another module's table), written past them: the database refuses it too.
      const intruder = { db: p.contexts.get('neighbour')!.db as AnyKysely };
      await assert.rejects(intruder.db.selectFrom('scratch.note').selectAll().execute(), denied);
      await assert.rejects(intruder.db.insertInto('scratch.note').values({ text: 'theirs' }).execute(), denied);
      await assert.rejects(intruder.db.deleteFrom('scratch.outbox').execute(), denied);
      await assert.rejects(sql`alter table scratch.note add column stolen text`.execute(intruder.db), denied);
      assert.equal((await p.database.db.selectFrom('scratch.note').selectAll().execute()).length, 1, 'nothing changed');
    });

    test("an event's delivery runs as the consuming module's role", async () => {
      const ctx = p.contexts.get('scratch')!;
      await ctx.transaction((trx) => publishUntyped(ctx, trx, 'scratch.note.written', {}));
      await p.bus.settled();
      assert.deepEqual(seenAs, ['tongban_neighbour']);
    });
  },
);
