// Verified access tokens, so that a token presented again is not checked again: the ES256
// signature check was most of a guarded request's cost (docs/performance.md). An entry is keyed by
// a SHA-256 of the token (the token itself is not kept), holds what the verification found, and is
// good until the token's own end (exp, or iat + the maximum age, whichever is first). Bounded: the
// least recently used entry goes first. What is checked per request stays per request (the scheme,
// a DPoP proof for a key-bound token).
//
// Ended sessions: identity publishes `identity.session.revoked`; `revokeSession` drops the
// session's entries and remembers the session until its last token is too old to be accepted
// anyway, so that its tokens — cached or not — are refused from then on (see jwt.ts).
import { createHash } from 'node:crypto';
import type { Principal } from './principal.ts';

export interface VerifiedToken {
  readonly principal: Principal;
  /** The DPoP key thumbprint the token is bound to (cnf.jkt), if any. */
  readonly jkt?: string;
  /** Epoch ms after which the token is no longer accepted. */
  readonly until: number;
}

export interface TokenCacheOptions {
  /** Most entries kept; default 10,000 (a few MB). 0 turns the cache off. */
  readonly maxEntries?: number;
  /** Most ended sessions remembered; default 100,000 (the oldest is forgotten first). */
  readonly maxRevokedSessions?: number;
  readonly now: () => number;
}

export interface TokenCache {
  readonly key: (token: string) => string;
  get(key: string): VerifiedToken | undefined;
  set(key: string, entry: VerifiedToken): void;
  /** Forgets the session's tokens and refuses them until `until` (epoch ms). */
  revokeSession(sessionId: string, until: number): void;
  isRevoked(sessionId: string): boolean;
  readonly size: () => number;
}

export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const { now } = options;
  const max = options.maxEntries ?? 10_000;
  const maxRevoked = options.maxRevokedSessions ?? 100_000;
  const entries = new Map<string, VerifiedToken>();
  /** Session id → the keys of its cached tokens. */
  const bySession = new Map<string, Set<string>>();
  /** Session id → until when its tokens are refused; in insertion order, so the oldest is first. */
  const revoked = new Map<string, number>();

  const unlink = (key: string, entry: VerifiedToken) => {
    const sid = entry.principal.sessionId;
    if (sid === undefined) return;
    const keys = bySession.get(sid);
    keys?.delete(key);
    if (keys?.size === 0) bySession.delete(sid);
  };
  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    unlink(key, entry);
  };

  return {
    key: (token) => createHash('sha256').update(token).digest('base64url'),
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.until <= now()) {
        remove(key);
        return undefined;
      }
      // Most recently used last: the first key is the one to evict.
      entries.delete(key);
      entries.set(key, entry);
      return entry;
    },
    set(key, entry) {
      if (max <= 0 || entry.until <= now()) return;
      const sid = entry.principal.sessionId;
      if (sid !== undefined && revoked.has(sid)) return;
      remove(key);
      while (entries.size >= max) remove(entries.keys().next().value!);
      entries.set(key, entry);
      if (sid !== undefined) {
        let keys = bySession.get(sid);
        if (!keys) bySession.set(sid, (keys = new Set()));
        keys.add(key);
      }
    },
    revokeSession(sessionId, until) {
      for (const key of bySession.get(sessionId) ?? []) entries.delete(key);
      bySession.delete(sessionId);
      revoked.delete(sessionId);
      const t = now();
      // Drop what no longer matters (in order of insertion: stop at the first still in force),
      // then the oldest if the list is full.
      for (const [sid, end] of revoked) {
        if (end > t && revoked.size < maxRevoked) break;
        revoked.delete(sid);
      }
      if (until > t && maxRevoked > 0) revoked.set(sessionId, until);
    },
    isRevoked(sessionId) {
      const until = revoked.get(sessionId);
      if (until === undefined) return false;
      if (until > now()) return true;
      revoked.delete(sessionId);
      return false;
    },
    size: () => entries.size,
  };
}
