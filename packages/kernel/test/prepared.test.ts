// Named prepared statements on PostgreSQL: a statement with parameters seen again is prepared
// once per connection; one-off statements, statements without parameters (several commands, as
// migrations hold) and anything past the limits run unnamed, as before.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../src/db/database.ts';
import { createTestDatabase, testPostgresUrl, type TestDatabase } from '../src/testing.ts';

describe(
  'prepared statements (PostgreSQL)',
  { skip: testPostgresUrl ? false : 'needs TONGBAN_TEST_DATABASE_URL' },
  () => {
    let scratch: TestDatabase;
    let database: Database;
    before(async () => {
      scratch = await createTestDatabase();
      // One connection, so that pg_prepared_statements shows what this pool prepared.
      database = await openDatabase({ url: scratch.url, poolSize: 1 });
    });
    after(async () => {
      await database?.close();
      await scratch?.drop();
    });

    const names = async () =>
      (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(database.db)).rows.map(
        (r) => r.statement,
      );

    test('a statement with parameters is prepared the second time it runs, and gives the same answers', async () => {
      const once = sql<{ n: number }>`select ${41}::int + 1 as n /* hot */`;
      assert.equal((await once.execute(database.db)).rows[0]!.n, 42);
      assert.ok(!(await names()).some((s) => s.includes('/* hot */')), 'not after one run');
      for (let i = 0; i < 3; i++) {
        const r = await sql<{ n: number }>`select ${i}::int + 1 as n /* hot */`.execute(database.db);
        assert.equal(r.rows[0]!.n, i + 1);
      }
      assert.equal((await names()).filter((s) => s.includes('/* hot */')).length, 1, 'prepared once');
    });

    test('statements without parameters are never named: several commands in one still run', async () => {
      for (let i = 0; i < 3; i++)
        await sql
          .raw('create table if not exists t_prepared (n int); insert into t_prepared values (1);')
          .execute(database.db);
      const count = await sql<{ n: number }>`select count(*)::int as n from t_prepared`.execute(database.db);
      assert.equal(count.rows[0]!.n, 3);
      assert.ok(!(await names()).some((s) => s.includes('t_prepared (n int)')));
    });

    test('a prepared statement keeps working inside transactions, and after one fails', async () => {
      const read = () => sql<{ n: number }>`select ${7}::int as n /* in transactions */`.execute(database.db);
      await read();
      await read();
      await assert.rejects(
        database.db.transaction().execute(async (trx) => {
          await sql`select ${1}::int /* in transactions */`.execute(trx);
          await sql`select 1/0`.execute(trx);
        }),
        /division by zero/,
      );
      await database.db.transaction().execute(async (trx) => {
        assert.equal(
          (await sql<{ n: number }>`select ${7}::int as n /* in transactions */`.execute(trx)).rows[0]!.n,
          7,
        );
      });
    });
  },
);
