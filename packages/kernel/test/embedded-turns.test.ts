// The embedded database's one connection passes from one user to the next on a later turn of the
// event loop: a queue of transactions does not run back to back in one turn (during which Node
// would accept no connection and read no request).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';

test('queued transactions on the embedded database leave the event loop turns in between', async () => {
  const database = await openDatabase({});
  try {
    const order: string[] = [];
    const transactions = Array.from({ length: 20 }, (_, i) =>
      database.db.transaction().execute(async (trx) => {
        await sql`select ${i}::int`.execute(trx);
        order.push(`tx${i}`);
      }),
    );
    setImmediate(() => order.push('turn'));
    await Promise.all(transactions);
    assert.equal(order.length, 21);
    assert.ok(order.indexOf('turn') <= 2, `the loop had a turn after the first transactions: ${order.join(' ')}`);
  } finally {
    await database.close();
  }
});
