// The risk board: this process's view of sentinel's responses in force, which the guard consults on
// every request (RiskSignals) as cheap look-ups in memory. It hears sentinel.response.applied and
// .lifted on a broadcast subscription (every replica hears them, like the guard's ended sessions),
// and at start learns what was already in force from sentinel (GET /api/sentinel/responses/active)
// — retried in the background until it answers. Until then a new process knows only the responses
// applied since it subscribed: that window is documented (docs/architecture.md, sentinel).
import type { ActiveResponses, ResponseApplied, ResponseLifted } from '@tongban/contracts';
import type { Logger } from 'pino';
import type { RiskSignals } from './guard.ts';
import type { Clock } from './module.ts';

type Entry = ActiveResponses['items'][number];

/** Lifted ids remembered so that an applied event arriving late (or the snapshot) does not revive one. */
const LIFTED_MEMORY = 10_000;

export interface RiskSnapshotSource {
  /** Sentinel's active responses; throws while it cannot be reached. */
  (): Promise<ActiveResponses>;
}

export class RiskBoard implements RiskSignals {
  readonly #clock: Clock;
  readonly #byId = new Map<string, Entry>();
  readonly #lifted = new Set<string>();
  #loaded = false;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Whether the start-up snapshot has been taken (before that, only events since subscribing). */
  get loaded(): boolean {
    return this.#loaded;
  }

  apply(event: Pick<ResponseApplied, 'responseId' | 'action' | 'target' | 'until'>): void {
    if (this.#lifted.has(event.responseId)) return;
    this.#byId.set(event.responseId, {
      responseId: event.responseId,
      action: event.action,
      target: event.target,
      until: event.until,
    });
  }

  lift(event: Pick<ResponseLifted, 'responseId'>): void {
    this.#byId.delete(event.responseId);
    this.#lifted.add(event.responseId);
    if (this.#lifted.size > LIFTED_MEMORY) this.#lifted.delete(this.#lifted.values().next().value!);
  }

  /** Takes sentinel's snapshot: adds what it lists (events heard meanwhile stay). */
  load(snapshot: ActiveResponses): void {
    for (const item of snapshot.items) this.apply(item);
    this.#loaded = true;
  }

  /** The responses in force now (expired ones are dropped as they are met). */
  active(): Entry[] {
    const now = this.#clock.now().getTime();
    const live: Entry[] = [];
    for (const [id, entry] of this.#byId) {
      if (entry.until !== null && Date.parse(entry.until) <= now) this.#byId.delete(id);
      else live.push(entry);
    }
    return live;
  }

  #matches(action: Entry['action'], test: (target: Entry['target']) => boolean): boolean {
    if (this.#byId.size === 0) return false;
    return this.active().some((entry) => entry.action === action && test(entry.target));
  }

  /**
   * Loopback is never blocked or throttled: it is the platform's own address (modules in one
   * process call each other by injected requests from 127.0.0.1), so holding it back would hold
   * the platform back from itself. A client only appears there when it is on this machine, or when
   * a proxy in front is not declared in TONGBAN_HTTP_TRUST_PROXY (then every client does).
   */
  isBlockedAddress(ip: string): boolean {
    return !isLoopback(ip) && this.#matches('block-address', (t) => t.ip === ip);
  }

  isThrottledAddress(ip: string): boolean {
    return !isLoopback(ip) && this.#matches('throttle-address', (t) => t.ip === ip);
  }

  isFlaggedSession(sessionId: string): boolean {
    return this.#matches('step-up-session', (t) => t.sessionId === sessionId);
  }
}

/**
 * Asks `source` until it answers, backing off from `firstDelayMs` to a minute; the returned
 * function stops trying (shutdown). The first attempt is made at once.
 */
export function loadRiskBoard(
  board: RiskBoard,
  source: RiskSnapshotSource,
  log: Logger,
  firstDelayMs = 1000,
): { readonly done: Promise<void>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let delay = firstDelayMs;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const attempt = async () => {
    if (stopped) return;
    try {
      board.load(await source());
      finish();
    } catch (error) {
      if (stopped) return;
      log.warn({ err: error, retryInMs: delay }, 'risk board: sentinel did not answer; only new responses apply');
      timer = setTimeout(() => void attempt(), delay);
      timer.unref();
      delay = Math.min(delay * 2, 60_000);
    }
  };
  void attempt();
  return {
    done,
    stop() {
      stopped = true;
      clearTimeout(timer);
      finish();
    },
  };
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return v4.startsWith('127.') || ip === '::1';
}
