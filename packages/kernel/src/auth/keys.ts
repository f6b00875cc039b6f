// The issuer's public keys, cached in memory. A token naming a key the cache does not hold makes
// the cache refetch the set (key rotation), but at most once per refetch interval, so a flood of
// tokens with made-up `kid`s costs identity one request per interval, not one per token. A set
// older than its maximum age is refreshed in the background (a removed key stops verifying), and
// kept if the refresh fails: identity being briefly away must not sign everyone out.
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { DomainError } from '../errors.ts';

export interface KeyCacheOptions {
  /** Fetches the issuer's JWKS. */
  readonly keys: () => Promise<JSONWebKeySet>;
  /** Minimum time between fetches caused by unknown keys; default 30 s. */
  readonly refetchIntervalMs?: number;
  /** Age after which the set is refreshed anyway; default 10 min. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

export interface KeyCache {
  /** A jose key resolver over the cached set. */
  readonly getKey: JWTVerifyGetKey;
  /** How many times the set was fetched (successfully or not). */
  readonly fetches: () => number;
}

/** A failed first fetch is retried no more often than this, whatever the token. */
const FIRST_FETCH_RETRY_MS = 1000;

export function createKeyCache(options: KeyCacheOptions): KeyCache {
  const now = options.now ?? Date.now;
  const refetchIntervalMs = options.refetchIntervalMs ?? 30_000;
  const maxAgeMs = options.maxAgeMs ?? 600_000;
  let resolve: ReturnType<typeof createLocalJWKSet> | undefined;
  let loadedAt = -Infinity;
  let attemptedAt = -Infinity;
  let lastError: unknown;
  let pending: Promise<void> | undefined;
  let fetches = 0;

  const load = (): Promise<void> => {
    pending ??= (async () => {
      attemptedAt = now();
      fetches++;
      try {
        resolve = createLocalJWKSet(await options.keys());
        loadedAt = now();
        lastError = undefined;
      } catch (error) {
        // Not the caller's fault: an unreachable or broken issuer is a 502, never a 401.
        lastError =
          error instanceof DomainError ? error : new DomainError('UPSTREAM_UNAVAILABLE', { module: 'identity' });
        throw lastError;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };

  async function current(): Promise<NonNullable<typeof resolve>> {
    if (!resolve) {
      if (pending) await pending;
      else if (lastError !== undefined && now() - attemptedAt < FIRST_FETCH_RETRY_MS) throw lastError;
      else await load();
    } else if (now() - loadedAt > maxAgeMs && !pending && now() - attemptedAt >= refetchIntervalMs) {
      void load().catch(() => undefined);
    }
    return resolve!;
  }

  const getKey: JWTVerifyGetKey = async (header, token) => {
    const known = await current();
    try {
      return await known(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      if (pending) await pending.catch(() => undefined);
      else if (now() - attemptedAt >= refetchIntervalMs) await load().catch(() => undefined);
      else throw error;
      if (resolve === known) throw error;
      return resolve!(header, token);
    }
  };

  return { getKey, fetches: () => fetches };
}
