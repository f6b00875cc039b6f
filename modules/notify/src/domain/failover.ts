// SMS provider failover, GOV.UK Notify's rule: providers keep their order of preference, and one
// is demoted (the next takes the traffic) only after `errors` failures within a sliding window of
// `windowMs` — a single 5xx moves nothing. A demoted provider comes back after `cooldownMs`
// (default 5 minutes) with a clean slate; if it is still broken, another `errors` failures inside
// one window demote it again, and each of those messages has already gone out through the next
// provider. Pure: the time is always passed in.

export interface FailoverRule {
  /** Failures within the window that demote a provider (GOV.UK Notify: 50). */
  readonly errors: number;
  /** The sliding window (GOV.UK Notify: 60 s). */
  readonly windowMs: number;
  /** How long a demoted provider stays at the back before it is given its place again. */
  readonly cooldownMs: number;
}

export const DEFAULT_FAILOVER_RULE: FailoverRule = { errors: 50, windowMs: 60_000, cooldownMs: 5 * 60_000 };

export interface ProviderHealth {
  /** Failure times (ms) still inside the window, oldest first. */
  readonly failures: readonly number[];
  /** Until when the provider stays demoted; null while it holds its place. */
  readonly demotedUntil: number | null;
}

export type FailoverState = readonly ProviderHealth[];

export function initialFailoverState(providers: number): FailoverState {
  return Array.from({ length: providers }, () => ({ failures: [], demotedUntil: null }));
}

function current(h: ProviderHealth, now: number): ProviderHealth {
  return h.demotedUntil !== null && now >= h.demotedUntil ? { failures: [], demotedUntil: null } : h;
}

export function isDemoted(state: FailoverState, index: number, now: number): boolean {
  const h = state[index];
  return h !== undefined && current(h, now).demotedUntil !== null;
}

/** The providers to try, best first: those holding their place in their order, then the demoted ones (soonest back first). */
export function providerOrder(state: FailoverState, now: number): number[] {
  const healths = state.map((h) => current(h, now));
  const up = healths.flatMap((h, i) => (h.demotedUntil === null ? [i] : []));
  const down = healths
    .flatMap((h, i) => (h.demotedUntil === null ? [] : [{ i, until: h.demotedUntil }]))
    .sort((a, b) => a.until - b.until || a.i - b.i)
    .map((d) => d.i);
  return [...up, ...down];
}

/** One failure of provider `index` at `now`; it is demoted when the window then holds `errors` failures. */
export function recordFailure(state: FailoverState, index: number, now: number, rule: FailoverRule): FailoverState {
  return state.map((h, i) => {
    const c = current(h, now);
    if (i !== index) return c;
    if (c.demotedUntil !== null) return c; // already at the back: its failures count for nothing more
    const failures = [...c.failures.filter((t) => t > now - rule.windowMs), now];
    return failures.length >= rule.errors
      ? { failures: [], demotedUntil: now + rule.cooldownMs }
      : { failures, demotedUntil: null };
  });
}
