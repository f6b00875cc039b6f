// Webhook subscriptions and deliveries: every query of them.
import type { NoticeKind } from '@tongban/contracts';
import type { Insertable } from 'kysely';
import type {
  NotifyDb,
  WebhookDeliveryRow,
  WebhookDeliveryTable,
  WebhookSubscriptionRow,
  WebhookSubscriptionTable,
} from './tables.ts';

export async function insertSubscription(db: NotifyDb, row: Insertable<WebhookSubscriptionTable>) {
  await db.insertInto('notify.webhook_subscription').values(row).execute();
}

export async function subscriptions(db: NotifyDb): Promise<WebhookSubscriptionRow[]> {
  return db
    .selectFrom('notify.webhook_subscription')
    .selectAll()
    .where('active', '=', true)
    .orderBy('created_at')
    .execute();
}

export async function findSubscription(db: NotifyDb, id: string) {
  return db.selectFrom('notify.webhook_subscription').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deactivateSubscription(db: NotifyDb, id: string): Promise<boolean> {
  const done = await db
    .updateTable('notify.webhook_subscription')
    .set({ active: false })
    .where('id', '=', id)
    .where('active', '=', true)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}

/** The active subscriptions of these departments that hear this kind. */
export async function subscribersOf(db: NotifyDb, kind: NoticeKind, departments: readonly string[]) {
  if (departments.length === 0) return [];
  const rows = await db
    .selectFrom('notify.webhook_subscription')
    .select(['id', 'department_code', 'kinds'])
    .where('active', '=', true)
    .where('department_code', 'in', [...departments])
    .execute();
  return rows.filter((r) => r.kinds.includes(kind));
}

export async function queueDeliveries(db: NotifyDb, rows: Insertable<WebhookDeliveryTable>[]) {
  if (rows.length === 0) return;
  await db
    .insertInto('notify.webhook_delivery')
    .values(rows)
    .onConflict((oc) => oc.columns(['event_id', 'subscription_id']).doNothing())
    .execute();
}

export async function dueDeliveries(db: NotifyDb, now: Date, limit: number): Promise<WebhookDeliveryRow[]> {
  return db
    .selectFrom('notify.webhook_delivery')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
}

export async function leaseDelivery(db: NotifyDb, d: WebhookDeliveryRow, now: Date, until: Date): Promise<boolean> {
  const done = await db
    .updateTable('notify.webhook_delivery')
    .set({ lease_until: until })
    .where('id', '=', d.id)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}

export async function updateDelivery(db: NotifyDb, id: string, set: Partial<Omit<WebhookDeliveryRow, 'id'>>) {
  await db.updateTable('notify.webhook_delivery').set(set).where('id', '=', id).execute();
}

export async function deadLetters(db: NotifyDb, limit: number) {
  return db
    .selectFrom('notify.webhook_delivery as d')
    .innerJoin('notify.webhook_subscription as s', 's.id', 'd.subscription_id')
    .select([
      'd.id',
      'd.subscription_id',
      's.url',
      'd.kind',
      'd.attempts',
      'd.last_error',
      'd.first_attempt_at',
      'd.last_attempt_at',
      'd.replayed_at',
      'd.created_at',
    ])
    .where('d.status', '=', 'dead')
    .orderBy('d.dead_at', 'desc')
    .limit(limit)
    .execute();
}

/** A dead letter back in the queue, due now, its attempts counted afresh. */
export async function replayDeadLetter(db: NotifyDb, id: string, now: Date): Promise<boolean> {
  const done = await db
    .updateTable('notify.webhook_delivery')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_until: null, replayed_at: now, dead_at: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}
