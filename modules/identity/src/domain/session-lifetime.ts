// How long a sign-in session lives: it ends after `idleSeconds` without use, and in any case
// `absoluteSeconds` after the sign-in (defaults 30 minutes and 12 hours), whichever comes first.

export interface SessionLifetime {
  readonly idleSeconds: number;
  readonly absoluteSeconds: number;
}

export const DEFAULT_SESSION_LIFETIME: SessionLifetime = { idleSeconds: 30 * 60, absoluteSeconds: 12 * 3600 };

/** Seconds from `nowSeconds` until the session ends, at least 1 (a store needs a positive TTL). */
export function sessionTtl(
  loginSeconds: number | undefined,
  nowSeconds: number,
  lifetime: SessionLifetime = DEFAULT_SESSION_LIFETIME,
): number {
  const absoluteEnd = (loginSeconds ?? nowSeconds) + lifetime.absoluteSeconds;
  return Math.max(1, Math.min(lifetime.idleSeconds, absoluteEnd - nowSeconds));
}
