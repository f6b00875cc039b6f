// The development SMS driver's outbox: each message it "sends", for operators of non-production shapes to read.
import type { Db } from './tables.ts';

export async function writeDevSms(db: Db, mobile: string, text: string): Promise<void> {
  await db.insertInto('identity.dev_sms').values({ mobile, text }).execute();
}
