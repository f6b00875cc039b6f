// Every query of sentinel: signals, window states, alerts and their history, responses and their
// lifts, the syslog cursor.
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Signal, WindowState } from '../service/engine.ts';
import type { AlertTable, ResponseTable, SentinelTables } from './tables.ts';

type Db = Kysely<SentinelTables> | Transaction<SentinelTables>;
type Trx = Transaction<SentinelTables>;

export const PAGE_SIZE = 50;

export async function insertSignal(trx: Trx, eventType: string, signal: Signal): Promise<void> {
  await trx
    .insertInto('sentinel.signal')
    .values({
      event_id: signal.id,
      event_type: eventType,
      type: signal.type,
      at: signal.at,
      signal: JSON.stringify(signal),
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .execute();
}

/**
 * Serializes the deliveries that touch the same window keys (consumers of different event types
 * may run at once on NATS): a transaction-scoped advisory lock per key, taken in sorted order.
 */
export async function lockKeys(trx: Trx, keys: readonly string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort())
    await sql`select pg_advisory_xact_lock(hashtextextended(${`sentinel:${key}`}, 0))`.execute(trx);
}

export async function loadStates(trx: Trx, keys: readonly string[]): Promise<Map<string, WindowState | undefined>> {
  const states = new Map<string, WindowState | undefined>(keys.map((k) => [k, undefined]));
  if (keys.length === 0) return states;
  const rows = await trx
    .selectFrom('sentinel.window_state')
    .select(['key', 'state'])
    .where('key', 'in', keys)
    .execute();
  for (const row of rows) states.set(row.key, row.state as WindowState);
  return states;
}

export async function saveStates(trx: Trx, states: ReadonlyMap<string, WindowState | null>, now: Date): Promise<void> {
  for (const [key, state] of states) {
    if (state === null) {
      await trx.deleteFrom('sentinel.window_state').where('key', '=', key).execute();
      continue;
    }
    const json = JSON.stringify(state);
    await trx
      .insertInto('sentinel.window_state')
      .values({ key, state: json, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ state: json, updated_at: now }))
      .execute();
  }
}

export type AlertRow = Omit<Selectable<AlertTable>, 'seq'> & { seq: number };
export type NewAlert = Omit<Insertable<AlertTable>, 'seq' | 'title' | 'evidence'> & {
  title: { zh: string; en: string };
  evidence: readonly string[];
};

export async function insertAlert(trx: Trx, alert: NewAlert): Promise<void> {
  await trx
    .insertInto('sentinel.alert')
    .values({ ...alert, title: JSON.stringify(alert.title), evidence: JSON.stringify(alert.evidence) })
    .execute();
}

export interface HistoryEntry {
  action: 'raised' | 'assigned' | 'closed' | 'reopened';
  status: string;
  by: { kind: string; id: string };
  assignee: string | null;
  reason: string | null;
  resolution: string | null;
  at: Date;
}

/** Appends one change and sets the alert's current state from it, in the caller's transaction. */
export async function appendHistory(trx: Trx, alertId: string, entry: HistoryEntry): Promise<void> {
  const last = await trx
    .selectFrom('sentinel.alert_history')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('alert_id', '=', alertId)
    .executeTakeFirst();
  await trx
    .insertInto('sentinel.alert_history')
    .values({
      alert_id: alertId,
      seq: Number(last?.seq ?? 0) + 1,
      action: entry.action,
      status: entry.status,
      by_kind: entry.by.kind,
      by_id: entry.by.id,
      assignee: entry.assignee,
      reason: entry.reason,
      resolution: entry.resolution,
      at: entry.at,
    })
    .execute();
  if (entry.action !== 'raised')
    await trx
      .updateTable('sentinel.alert')
      .set({ status: entry.status, assignee: entry.assignee, resolution: entry.resolution, updated_at: entry.at })
      .where('id', '=', alertId)
      .execute();
}

const withSeq = <T extends { seq: number | string }>(row: T): T & { seq: number } => ({ ...row, seq: Number(row.seq) });

export async function findAlert(db: Db, id: string, forUpdate = false): Promise<AlertRow | undefined> {
  let query = db.selectFrom('sentinel.alert').selectAll().where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && (withSeq(row) as unknown as AlertRow);
}

/** Newest first; `before` is the seq of the last alert of the previous page. */
export async function listAlerts(db: Db, status: string | undefined, before: number | undefined): Promise<AlertRow[]> {
  let query = db
    .selectFrom('sentinel.alert')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(PAGE_SIZE + 1);
  if (status) query = query.where('status', '=', status);
  if (before !== undefined) query = query.where('seq', '<', before);
  return (await query.execute()).map((r) => withSeq(r) as unknown as AlertRow);
}

/** Oldest first after `after`: the export's and the forwarder's order. */
export async function alertsAfter(db: Db, after: number, limit: number): Promise<AlertRow[]> {
  const rows = await db
    .selectFrom('sentinel.alert')
    .selectAll()
    .where('seq', '>', after)
    .orderBy('seq', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => withSeq(r) as unknown as AlertRow);
}

export async function historyOf(db: Db, alertId: string) {
  return db.selectFrom('sentinel.alert_history').selectAll().where('alert_id', '=', alertId).orderBy('seq').execute();
}

export async function signalsById(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('sentinel.signal').selectAll().where('event_id', 'in', ids).execute();
}

export type ResponseRow = Selectable<ResponseTable>;
export type ResponseWithLift = ResponseRow & {
  lift_at: Date | null;
  lift_by_kind: string | null;
  lift_by_id: string | null;
  lift_reason: string | null;
};

export async function insertResponse(trx: Trx, row: Omit<Insertable<ResponseTable>, 'target'> & { target: object }) {
  await trx
    .insertInto('sentinel.response')
    .values({ ...row, target: JSON.stringify(row.target) })
    .execute();
}

function responsesQuery(db: Db) {
  return db
    .selectFrom('sentinel.response as r')
    .leftJoin('sentinel.response_lift as l', 'l.response_id', 'r.id')
    .selectAll('r')
    .select(['l.at as lift_at', 'l.by_kind as lift_by_kind', 'l.by_id as lift_by_id', 'l.reason as lift_reason']);
}

export async function findResponse(db: Db, id: string): Promise<ResponseWithLift | undefined> {
  return (await responsesQuery(db).where('r.id', '=', id).executeTakeFirst()) as unknown as
    ResponseWithLift | undefined;
}

export async function responsesOf(db: Db, alertId: string): Promise<ResponseWithLift[]> {
  return (await responsesQuery(db)
    .where('r.alert_id', '=', alertId)
    .orderBy('r.applied_at')
    .execute()) as unknown as ResponseWithLift[];
}

/** Active (not lifted, not past `until`) when `active`, else the latest of all. */
export async function listResponses(db: Db, active: boolean, now: Date): Promise<ResponseWithLift[]> {
  let query = responsesQuery(db).orderBy('r.applied_at', 'desc').limit(500);
  if (active)
    query = query
      .where('l.response_id', 'is', null)
      .where((eb) => eb.or([eb('r.until', 'is', null), eb('r.until', '>', now)]));
  return (await query.execute()) as unknown as ResponseWithLift[];
}

export async function insertLift(
  trx: Trx,
  lift: { responseId: string; at: Date; by: { kind: string; id: string }; reason: string },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('sentinel.response_lift')
    .values({
      response_id: lift.responseId,
      at: lift.at,
      by_kind: lift.by.kind,
      by_id: lift.by.id,
      reason: lift.reason,
    })
    .onConflict((oc) => oc.column('response_id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function readCursor(db: Db, target: string): Promise<number> {
  const row = await db
    .selectFrom('sentinel.forward_cursor')
    .select('seq')
    .where('target', '=', target)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

export async function writeCursor(db: Db, target: string, seq: number): Promise<void> {
  await db
    .insertInto('sentinel.forward_cursor')
    .values({ target, seq })
    .onConflict((oc) => oc.column('target').doUpdateSet({ seq }))
    .execute();
}

export async function queueIdentityCall(
  trx: Trx,
  call: { responseId: string; call: 'lock' | 'unlock' | 'revoke'; body: Record<string, unknown>; at: Date },
): Promise<void> {
  await trx
    .insertInto('sentinel.identity_call')
    .values({ response_id: call.responseId, call: call.call, body: JSON.stringify(call.body), next_at: call.at })
    .execute();
}

export async function dueIdentityCalls(db: Db, now: Date, limit: number) {
  const rows = await db
    .selectFrom('sentinel.identity_call')
    .selectAll()
    .where('state', '=', 'pending')
    .where('next_at', '<=', now)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** The call's outcome, and the response's delivery with it (what the alert queue shows). */
export async function recordIdentityCall(
  db: Kysely<SentinelTables>,
  call: { id: number; responseId: string; state: 'pending' | 'done' | 'failed'; error: string | null; nextAt: Date },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sentinel.identity_call')
      .set((eb) => ({
        state: call.state,
        last_error: call.error,
        next_at: call.nextAt,
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', call.id)
      .execute();
    await trx
      .updateTable('sentinel.response')
      .set((eb) => ({
        delivery_state: call.state,
        delivery_error: call.error,
        delivery_attempts: eb('delivery_attempts', '+', 1),
      }))
      .where('id', '=', call.responseId)
      .execute();
  });
}
