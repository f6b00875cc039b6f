// The sign-in throttle's counters (domain/throttle.ts), one row per key and factor. Every change is
// a single statement or a row lock, so parallel attempts on any replica count exactly.
import { sql } from 'kysely';
import { evaluateLock, recordFailure, resetLock, type LockoutPolicy, type LockState } from '../domain/lockout.ts';
import type { ThrottleFactor } from '../domain/throttle.ts';
import type { Db, IdentityTrx } from './tables.ts';
const iso = (d: Date) => d.toISOString();

/** One more failure in the key's current window (a new window once the old one is over). */
export async function chargeCounter(
  db: Db,
  key: string,
  factor: ThrottleFactor,
  now: Date,
  windowSeconds: number,
): Promise<{ failures: number; windowStart: Date }> {
  const stale = iso(new Date(now.getTime() - windowSeconds * 1000));
  const { rows } = await sql<{ failures: number; window_start: Date | string }>`
    insert into identity.sign_in_throttle as t (key, factor, window_start, failures) values (${key}, ${factor}, ${iso(now)}::timestamptz, 1)
    on conflict (key, factor) do update set
      failures = case when t.window_start <= ${stale}::timestamptz then 1 else t.failures + 1 end,
      window_start = case when t.window_start <= ${stale}::timestamptz then ${iso(now)}::timestamptz else t.window_start end
    returning failures, window_start`.execute(db);
  return { failures: Number(rows[0]!.failures), windowStart: new Date(rows[0]!.window_start) };
}

/** Takes back a charged failure: the attempt succeeded, or was refused before it was tried. */
export async function refundCounter(db: Db, key: string, factor: ThrottleFactor): Promise<void> {
  await sql`update identity.sign_in_throttle set failures = greatest(failures - 1, 0) where key = ${key} and factor = ${factor}`.execute(
    db,
  );
}

/** A slowed login lets one attempt from an unknown address through per interval; true when this one may go. */
export async function claimSlot(
  db: Db,
  key: string,
  factor: ThrottleFactor,
  now: Date,
  intervalSeconds: number,
): Promise<boolean> {
  const { rows } = await sql`
    update identity.sign_in_throttle set slot_at = ${iso(now)}::timestamptz
    where key = ${key} and factor = ${factor} and (slot_at is null or slot_at <= ${iso(new Date(now.getTime() - intervalSeconds * 1000))}::timestamptz)
    returning key`.execute(db);
  return rows.length === 1;
}

export async function rememberAddress(db: Db, key: string, now: Date): Promise<void> {
  await sql`
    insert into identity.sign_in_throttle (key, factor, window_start) values (${key}, 'password', ${iso(now)}::timestamptz)
    on conflict (key, factor) do update set window_start = excluded.window_start`.execute(db);
}

export async function isKnownAddress(db: Db, key: string, now: Date, seconds: number): Promise<boolean> {
  const { rows } = await sql`
    select 1 from identity.sign_in_throttle where key = ${key} and factor = 'password'
    and window_start > ${iso(new Date(now.getTime() - seconds * 1000))}::timestamptz`.execute(db);
  return rows.length > 0;
}

const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as LockState;

/**
 * Charges one attempt to a pair's lockout before the secret is compared, under a row lock so
 * parallel guesses cannot outrun it. Undefined when the pair is locked (the attempt is refused
 * uncompared); otherwise the state before, to settle with on success, and whether this attempt
 * started a lock.
 */
export async function chargeLock(
  trx: IdentityTrx,
  key: string,
  factor: ThrottleFactor,
  now: Date,
  policy: LockoutPolicy,
): Promise<{ before: LockState; charged: LockState } | undefined> {
  await sql`
    insert into identity.sign_in_throttle (key, factor, window_start, lock_state) values (${key}, ${factor}, ${iso(now)}::timestamptz, ${JSON.stringify(resetLock())}::jsonb)
    on conflict (key, factor) do nothing`.execute(trx);
  const { rows } = await sql<{
    lock_state: unknown;
  }>`select lock_state from identity.sign_in_throttle where key = ${key} and factor = ${factor} for update`.execute(
    trx,
  );
  const before = rows[0]?.lock_state ? parse(rows[0].lock_state) : resetLock();
  if (evaluateLock(before, now).locked) return undefined;
  const charged = recordFailure(before, now, policy);
  await sql`update identity.sign_in_throttle set lock_state = ${JSON.stringify(charged)}::jsonb where key = ${key} and factor = ${factor}`.execute(
    trx,
  );
  return { before, charged };
}

/** Writes a lock state back: the one before a success (failures cleared), or the one before an attempt never compared. */
export async function settleLock(db: Db, key: string, factor: ThrottleFactor, state: LockState): Promise<void> {
  await sql`update identity.sign_in_throttle set lock_state = ${JSON.stringify(state)}::jsonb where key = ${key} and factor = ${factor}`.execute(
    db,
  );
}

/**
 * Forgets counters nobody has touched for longer than anything reads them back (the known-address
 * memory is the longest), except a pair still locked: the table would otherwise grow with every
 * address and login ever tried. A lock's doubling history goes with its row.
 */
export async function pruneThrottles(db: Db, now: Date, keepSeconds: number): Promise<number> {
  const { numAffectedRows } = await sql`
    delete from identity.sign_in_throttle
    where window_start < ${iso(new Date(now.getTime() - keepSeconds * 1000))}::timestamptz
      and (lock_state->>'lockedUntil' is null or (lock_state->>'lockedUntil')::timestamptz < ${iso(now)}::timestamptz)`.execute(
    db,
  );
  return Number(numAffectedRows ?? 0);
}
