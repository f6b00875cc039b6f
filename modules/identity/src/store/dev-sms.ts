// The development SMS driver's outbox: each message it "sends", for operators of non-production shapes to read.
import type { Db } from './tables.ts';

export async function writeDevSms(db: Db, mobile: string, text: string): Promise<void> {
  await db.insertInto('identity.dev_sms').values({ mobile, text }).execute();
}

/** The latest messages to one mobile since `since`, newest first (the development sink's page). */
export async function devSmsTo(
  db: Db,
  mobile: string,
  since: Date,
  limit: number,
): Promise<{ text: string; sentAt: Date }[]> {
  const rows = await db
    .selectFrom('identity.dev_sms')
    .select(['text', 'sent_at'])
    .where('mobile', '=', mobile)
    .where('sent_at', '>=', since)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ text: r.text, sentAt: new Date(r.sent_at) }));
}
