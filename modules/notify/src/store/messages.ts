// Messages per (notice, channel), the development SMS sink: every query of them.
import type { DeliveryStatus } from '@tongban/contracts';
import type { MessageRow, MessageTable, NotifyDb } from './tables.ts';
import type { Insertable } from 'kysely';

export async function queueMessages(db: NotifyDb, rows: Insertable<MessageTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('notify.message')
    .values(rows)
    .onConflict((oc) => oc.columns(['event_id', 'channel']).doNothing())
    .execute();
}

/** Queued messages whose time has come and that no worker holds. */
export async function dueMessages(db: NotifyDb, now: Date, limit: number): Promise<MessageRow[]> {
  return db
    .selectFrom('notify.message')
    .selectAll()
    .where('status', '=', 'queued')
    .where((eb) => eb.or([eb('not_before', 'is', null), eb('not_before', '<=', now)]))
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/** Takes a message for one worker until `until`; false when another took it first. */
export async function leaseMessage(db: NotifyDb, m: MessageRow, now: Date, until: Date): Promise<boolean> {
  const done = await db
    .updateTable('notify.message')
    .set({ lease_until: until })
    .where('id', '=', m.id)
    .where('status', '=', 'queued')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}

export async function updateMessage(db: NotifyDb, id: string, set: Partial<Omit<MessageRow, 'id'>>): Promise<void> {
  await db.updateTable('notify.message').set(set).where('id', '=', id).execute();
}

/** When this recipient's messages on a channel were sent in the hour before `now` (the rate limit). */
export async function sentSince(db: NotifyDb, recipientId: string, channel: 'sms' | 'email', since: Date) {
  const rows = await db
    .selectFrom('notify.message')
    .select('sent_at')
    .where('recipient_id', '=', recipientId)
    .where('channel', '=', channel)
    .where('sent_at', '>', since)
    .execute();
  return rows.map((r) => r.sent_at!);
}

export async function messagesOf(db: NotifyDb, recipientId: string, limit: number) {
  return db
    .selectFrom('notify.message')
    .selectAll()
    .where('recipient_id', '=', recipientId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function findMessages(
  db: NotifyDb,
  f: { recipient?: string; status?: DeliveryStatus; channel?: 'sms' | 'email'; limit: number },
) {
  let q = db.selectFrom('notify.message').selectAll();
  if (f.recipient) q = q.where('recipient_id', '=', f.recipient);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.channel) q = q.where('channel', '=', f.channel);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

/** A provider's delivery receipt: the message it names moves from sent to delivered or failed. */
export async function recordReceipt(
  db: NotifyDb,
  provider: string,
  providerMessageId: string,
  status: 'delivered' | 'failed',
  at: Date,
  error: string | null,
): Promise<boolean> {
  const done = await db
    .updateTable('notify.message')
    .set(
      status === 'delivered'
        ? { status, delivered_at: at }
        : { status, failed_at: at, last_error: error ?? 'undelivered' },
    )
    .where('provider', '=', provider)
    .where('provider_message_id', '=', providerMessageId)
    .where('status', '=', 'sent')
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}

export async function insertDevSms(db: NotifyDb, row: { id: string; to_number: string; text: string; at: Date }) {
  // Idempotent on our messageId, as a gateway must be: a resend after a crash adds no second text.
  await db
    .insertInto('notify.dev_sms')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function devSms(db: NotifyDb, limit: number) {
  return db.selectFrom('notify.dev_sms').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
