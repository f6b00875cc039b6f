// Every refusal by the guard becomes a security event (`<module>.request.denied`, one schema for
// every module, packages/contracts/src/sentinel.ts) through the outbox of the module whose route
// refused it, group-committed (ctx.events.commit). A flood of refusals must not take the process
// down with it: at most PER_ADDRESS a second from one address and OVERALL a second in all become
// events — the rest are counted (tongban_guard_denial_events_dropped_total) and logged at debug.
import { GUARDED_MODULES, type RequestDenied } from '@tongban/contracts';
import type { Logger } from 'pino';
import type { Denial } from './guard.ts';
import type { Metrics } from './metrics.ts';
import type { Clock, EventPublisher } from './module.ts';

export const DENIAL_CAP = { perAddress: 20, overall: 500 } as const;

const guarded: ReadonlySet<string> = new Set(GUARDED_MODULES);

/** Counts per address within the current second; the map is emptied when the second changes. */
export class DenialCap {
  #second = -1;
  #total = 0;
  readonly #byAddress = new Map<string, number>();
  readonly #limits: { perAddress: number; overall: number };

  constructor(limits: { perAddress: number; overall: number } = DENIAL_CAP) {
    this.#limits = limits;
  }

  /** 'ok', or which cap the denial is over. */
  take(ip: string, nowMs: number): 'ok' | 'address' | 'overall' {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#total = 0;
      this.#byAddress.clear();
    }
    const seen = this.#byAddress.get(ip) ?? 0;
    if (seen >= this.#limits.perAddress) return 'address';
    if (this.#total >= this.#limits.overall) return 'overall';
    this.#byAddress.set(ip, seen + 1);
    this.#total++;
    return 'ok';
  }
}

/** The module a refused request belongs to: `/api/<module>/…` when it runs here, else `fallback`. */
export function moduleOfRoute(route: string, local: ReadonlyMap<string, unknown>, fallback: string | undefined) {
  const m = /^\/api\/([a-z]+)(?:\/|$)/.exec(route);
  return m?.[1] && local.has(m[1]) ? m[1] : fallback;
}

export interface DenialEventOptions {
  readonly publishers: ReadonlyMap<string, EventPublisher>;
  /** Routes outside `/api/<module>/` (OIDC, well-known, unmatched): identity's when it runs here. */
  readonly fallback: string | undefined;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly cap?: DenialCap;
}

export function denialEvents(options: DenialEventOptions): (denial: Denial) => Promise<void> {
  const cap = options.cap ?? new DenialCap();
  return async (denial) => {
    const { request, principal } = denial;
    const route = request.route ?? 'unmatched';
    const module = moduleOfRoute(request.route ?? request.url, options.publishers, options.fallback);
    if (!module || !guarded.has(module)) return;
    const publisher = options.publishers.get(module);
    if (!publisher) return;
    const now = options.clock.now();
    const verdict = cap.take(request.ip, now.getTime());
    if (verdict !== 'ok') {
      options.metrics.denialsDropped.inc({ cap: verdict });
      options.log.debug({ reqId: request.id, ip: request.ip, cap: verdict }, 'denial not made an event: over the cap');
      return;
    }
    const data: RequestDenied = {
      code: denial.code,
      reason: denial.reason,
      method: request.method,
      route,
      ip: request.ip,
      ...(principal
        ? {
            principal: {
              kind: principal.kind,
              id: principal.id,
              ...(principal.sessionId !== undefined ? { sessionId: principal.sessionId } : {}),
            },
          }
        : {}),
      requestId: request.id,
      at: now.toISOString(),
    };
    // The catalog has `<module>.request.denied` for every guarded module (one schema).
    const commit = publisher.commit as (type: string, data: RequestDenied) => Promise<unknown>;
    await commit(`${module}.request.denied`, data);
    options.metrics.denialEvents.inc({ module, code: denial.code });
  };
}
