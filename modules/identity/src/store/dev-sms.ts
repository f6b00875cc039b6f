// The development SMS driver's outbox: each message it "sends", for operators of non-production shapes to read.
import type { AnyKysely } from '@tongban/kernel';

export async function writeDevSms(db: AnyKysely, mobile: string, text: string): Promise<void> {
  await db.insertInto('identity.dev_sms').values({ mobile, text }).execute();
}
