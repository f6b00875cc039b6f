// The state each rule kind keeps per (rule, subject), as small JSON values: epoch milliseconds and
// strings in arrays, so a row of sentinel.window_state is a few hundred bytes and reads back exactly.
// Every state carries `x`, the instant after which it no longer matters (the window emptied, the
// cooldown ran out, the norm was forgotten): the service may delete it then, and a rule stepped on a
// deleted state decides what it would have decided on the old one.
import { createHash } from 'node:crypto';
import { findRegion } from './geo.ts';
import { isWorkingTime } from './hours.ts';
import type { NormRule, OffHoursRule, RuleSet, ThresholdRule, TravelRule } from './rules.ts';
import type { Signal } from './signals.ts';

/** At most this many signal ids go into a finding's evidence. */
export const EVIDENCE_CAP = 20;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** threshold: entries [at, signal id, weight, target hash | null], oldest first, pruned to what can still decide. */
export interface CountState {
  readonly k: 'c';
  readonly e: readonly (readonly [number, string, number, string | null])[];
  readonly f?: number;
  readonly x: number;
}
/** travel: the latest sign-in per region still in the window: [at, region, signal id]. */
export interface TravelState {
  readonly k: 't';
  readonly s: readonly (readonly [number, string, string])[];
  readonly f?: number;
  readonly x: number;
}
/** off-hours: when it last fired (quiet for the cooldown after). */
export interface OffHoursState {
  readonly k: 'o';
  readonly f: number;
  readonly x: number;
}
/**
 * norm: the current clock hour `h` (hours since the epoch) and its count `c`; the norm `r` (an
 * exponentially weighted count per hour) over `n` folded hours; per-minute counts `m` of the rate's
 * window; the last evidence ids `e`; the latest signal's instant `l`.
 */
export interface NormState {
  readonly k: 'n';
  readonly h: number;
  readonly c: number;
  readonly r: number;
  readonly n: number;
  readonly m: readonly (readonly [number, number])[];
  readonly e: readonly (readonly [number, string])[];
  readonly l: number;
  readonly f?: number;
  readonly x: number;
}
export type WindowState = CountState | TravelState | OffHoursState | NormState;

/** What a rule kind decided for one subject: its next state ('same' = unchanged, nothing to write) and whether it fired. */
export interface Outcome {
  readonly state: WindowState | null | 'same';
  readonly fired: boolean;
  readonly evidence: readonly string[];
}
const SAME: Outcome = { state: 'same', fired: false, evidence: [] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored state of the expected kind, or undefined (absent, of another rule kind, or not one). */
export function readState<K extends WindowState['k']>(raw: unknown, k: K): Extract<WindowState, { k: K }> | undefined {
  if (!isRecord(raw) || raw.k !== k || typeof raw.x !== 'number') return undefined;
  for (const list of ['e', 's', 'm']) if (list in raw && !Array.isArray(raw[list])) return undefined;
  return raw as unknown as Extract<WindowState, { k: K }>;
}

/** The ISO instant after which a stored state can be deleted without changing any decision; undefined if not a state. */
export function expiresAt(state: unknown): string | undefined {
  return isRecord(state) && typeof state.x === 'number' ? new Date(state.x).toISOString() : undefined;
}

const canFire = (t: number, fired: number | undefined, cooldownMs: number) =>
  fired === undefined || t - fired >= cooldownMs;

/** The target a distinct count counts: the account, else the login tried — hashed, so no login is kept. */
function targetOf(signal: Signal): string | null {
  const target = signal.accountId ? `a:${signal.accountId}` : signal.login ? `l:${signal.login.toLowerCase()}` : null;
  return target === null ? null : createHash('sha256').update(target).digest('base64url').slice(0, 12);
}

export function stepThreshold(rule: ThresholdRule, signal: Signal, t: number, raw: unknown): Outcome {
  const windowMs = rule.windowSeconds * 1000;
  const prev = readState(raw, 'c');
  const newest = prev?.e.at(-1)?.[0] ?? t;
  const now = Math.max(t, newest);
  if (t <= now - windowMs) return SAME; // arrived after its window passed
  let entries = (prev?.e ?? []).filter((e) => e[0] > now - windowMs);
  // Re-armed once the window has emptied.
  let fired = entries.length > 0 ? prev?.f : undefined;
  const weight = rule.weight === 'count' ? Math.max(0, Math.floor(signal.count ?? 1)) : 1;
  if (!(weight > 0)) return SAME; // a read of no records adds nothing (and must not grow the state)
  const entry = [t, signal.id, weight, rule.distinct ? targetOf(signal) : null] as const;
  const at = entries.findIndex((e) => e[0] > t);
  entries = at < 0 ? [...entries, entry] : [...entries.slice(0, at), entry, ...entries.slice(at)];

  // Keep, newest first, what can still decide: the entries up to the threshold (and the evidence),
  // and the newest entry of each of the `atLeast` most recent targets. A later window holds every
  // newer entry too, so "≥ threshold and ≥ atLeast distinct" comes out the same without the rest.
  const need = rule.distinct?.atLeast ?? 0;
  let sum = 0;
  const targets = new Set<string>();
  const kept: (typeof entries)[number][] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    if (sum >= rule.threshold && kept.length >= EVIDENCE_CAP && targets.size >= need) break;
    const e = entries[i]!;
    const newTarget = e[3] !== null && !targets.has(e[3]) && targets.size < need;
    if (sum >= rule.threshold && kept.length >= EVIDENCE_CAP && !newTarget) continue;
    sum += e[2];
    if (newTarget) targets.add(e[3]!);
    kept.push(e);
  }
  entries = kept.reverse();
  const met = sum >= rule.threshold && targets.size >= need;
  const fire = met && canFire(t, fired, (rule.cooldownSeconds ?? rule.windowSeconds) * 1000);
  if (fire) fired = t;
  const state: CountState = {
    k: 'c',
    e: entries,
    ...(fired === undefined ? {} : { f: fired }),
    x: entries.at(-1)![0] + windowMs,
  };
  return { state, fired: fire, evidence: fire ? entries.slice(-EVIDENCE_CAP).map((e) => e[1]) : [] };
}

export function stepTravel(rule: TravelRule, rules: RuleSet, signal: Signal, t: number, raw: unknown): Outcome {
  const region = findRegion(rules.geo, signal.ip)?.region;
  if (region === undefined) return SAME; // an unknown address is never travel
  const windowMs = rule.windowSeconds * 1000;
  const prev = readState(raw, 't');
  const now = Math.max(t, prev?.s.at(-1)?.[0] ?? t);
  if (t <= now - windowMs) return SAME;
  const recent = (prev?.s ?? []).filter((s) => s[0] > now - windowMs);
  let fired = recent.length > 0 ? prev?.f : undefined;
  const elsewhere = recent.filter((s) => s[1] !== region).at(-1);
  const fire = elsewhere !== undefined && canFire(t, fired, (rule.cooldownSeconds ?? rule.windowSeconds) * 1000);
  if (fire) fired = t;
  const s = [...recent.filter((s) => s[1] !== region), [t, region, signal.id] as const].sort((a, b) => a[0] - b[0]);
  const state: TravelState = { k: 't', s, ...(fired === undefined ? {} : { f: fired }), x: s.at(-1)![0] + windowMs };
  return { state, fired: fire, evidence: fire && elsewhere ? [elsewhere[2], signal.id] : [] };
}

export function stepOffHours(rule: OffHoursRule, rules: RuleSet, signal: Signal, t: number, raw: unknown): Outcome {
  if (isWorkingTime(rules.workingHours, t)) return SAME;
  const cooldownMs = (rule.cooldownSeconds ?? 3600) * 1000;
  const prev = readState(raw, 'o');
  if (prev && t >= prev.f && t - prev.f < cooldownMs) return SAME;
  return { state: { k: 'o', f: t, x: t + cooldownMs }, fired: true, evidence: [signal.id] };
}

export function stepNorm(rule: NormRule, rules: RuleSet, signal: Signal, t: number, raw: unknown): Outcome {
  const forgetMs = rule.forgetAfterHours * HOUR_MS;
  const windowMs = rule.windowSeconds * 1000;
  let prev = readState(raw, 'n');
  if (prev && t - prev.l > forgetMs) prev = undefined;
  const hour = Math.floor(t / HOUR_MS);
  let { h, c, r, n } = prev ?? { h: hour, c: 0, r: 0, n: 0 };
  const alpha = 1 - 2 ** (-1 / rule.halfLifeHours);
  const fold = (count: number) => {
    r = n === 0 ? count : r + alpha * (count - r);
    n += 1;
  };
  if (hour > h) {
    // The hour that ended, then the empty hours since: a quiet working hour lowers the norm, a
    // quiet night or weekend says nothing about the officer's rate and is skipped.
    fold(c);
    for (let hh = h + 1; hh < hour; hh += 1) if (isWorkingTime(rules.workingHours, hh * HOUR_MS + HOUR_MS / 2)) fold(0);
    h = hour;
    c = 0;
  }
  c += 1;
  const last = Math.max(t, prev?.l ?? t);
  const windowStart = last - windowMs;
  const minutes = (prev?.m ?? []).filter((m) => m[0] * MINUTE_MS > windowStart);
  let fired = minutes.length > 0 ? prev?.f : undefined;
  const minute = Math.floor(t / MINUTE_MS);
  const i = minutes.findIndex((m) => m[0] === minute);
  const m =
    i >= 0
      ? minutes.map((b, j) => (j === i ? ([b[0], b[1] + 1] as const) : b))
      : [...minutes, [minute, 1] as const].sort((a, b) => a[0] - b[0]);
  const e = [...(prev?.e ?? []).filter((x) => x[0] > windowStart), [t, signal.id] as const]
    .sort((a, b) => a[0] - b[0])
    .slice(-EVIDENCE_CAP);
  const count = m.reduce((sum, b) => sum + b[1], 0);
  const limit = Math.max(rule.floor, rule.factor * r);
  const fire =
    n >= rule.minBaselineHours &&
    count > limit &&
    canFire(t, fired, (rule.cooldownSeconds ?? rule.windowSeconds) * 1000);
  if (fire) fired = t;
  const state: NormState = {
    k: 'n',
    h,
    c,
    r,
    n,
    m,
    e,
    l: last,
    ...(fired === undefined ? {} : { f: fired }),
    x: last + forgetMs,
  };
  return { state, fired: fire, evidence: fire ? e.map((x) => x[1]) : [] };
}
