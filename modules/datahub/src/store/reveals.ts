// 查看明文 rows: one per reveal, with the officer's reason (sealed by the service, aad
// 'datahub.reveal.reason'); counted for the hourly limit.
import { sql } from 'kysely';
import type { Db, DatahubTrx } from './tables.ts';

/** Serialises one officer's reveals (a transaction-scoped advisory lock), so the limit cannot be raced past. */
export async function lockOfficerReveals(trx: DatahubTrx, officerId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`datahub.reveal:${officerId}`}))`.execute(trx);
}

export async function countRevealsSince(db: Db, officerId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('datahub.reveal')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('officer_id', '=', officerId)
    .where('revealed_at', '>=', since)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function insertReveal(
  db: Db,
  reveal: {
    id: string;
    officerId: string;
    resource: string;
    recordKey: string;
    item: string;
    /** Sealed (ctx.fields): the officer's free text may name a person. */
    reason: string;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('datahub.reveal')
    .values({
      id: reveal.id,
      officer_id: reveal.officerId,
      resource_code: reveal.resource,
      record_key: reveal.recordKey,
      item: reveal.item,
      reason: reveal.reason,
      revealed_at: reveal.at,
    })
    .execute();
}
