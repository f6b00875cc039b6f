// Verifies identity's access tokens locally (no call to identity per request): ES256 only, the
// issuer, the audience, the lifetime (5 s of clock tolerance at most), the RFC 9068 `typ`, and a
// DPoP proof for key-bound tokens. The claims contract is in principal.ts.
import type { FastifyRequest } from 'fastify';
import { errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { AccessDenied, invalidToken, notForApi } from './denial.ts';
import { createDpopVerifier, type DpopOptions } from './dpop.ts';
import { createKeyCache } from './keys.ts';
import { principalFromClaims, type Principal } from './principal.ts';
import { createTokenCache } from './token-cache.ts';

export interface JwtAuthenticatorOptions {
  /** The issuer URL tokens must name, or a function giving it (read after the keys are fetched). */
  readonly issuer: string | (() => string | Promise<string>);
  /** The audience tokens must name: 'urn:tongban:api' (API_AUDIENCE) for the platform's API. */
  readonly audience: string;
  /** Fetches the issuer's JWKS; called once, again for unknown keys (see keys.ts). */
  readonly keys: () => Promise<JSONWebKeySet>;
  /** Clock tolerance for exp and iat; default and maximum 5 s. */
  readonly clockToleranceSeconds?: number;
  /** Tokens older than this (by iat) are refused whatever their exp; default 600 s. */
  readonly maxTokenAgeSeconds?: number;
  /** Minimum time between JWKS fetches caused by unknown keys; default 30 s. */
  readonly refetchIntervalMs?: number;
  readonly dpop?: DpopOptions;
  /** Most verified tokens kept (token-cache.ts); default 10,000, 0 to verify every request afresh. */
  readonly cachedTokens?: number;
  /** The clock, in milliseconds (tests). */
  readonly now?: () => number;
}

export interface JwtAuthenticator {
  (request: FastifyRequest): Promise<Principal | undefined>;
  /** How many times the key set was fetched. */
  readonly keyFetches: () => number;
  /**
   * A session ended (identity.session.revoked): its tokens are refused from now on, cached or
   * not, until the last of them would be too old anyway.
   */
  readonly revokeSession: (sessionId: string) => void;
  /** How many verified tokens are kept. */
  readonly cachedTokens: () => number;
}

/** RFC 6750 §2.1 b64token, after the scheme; the scheme is case-insensitive (RFC 9110 §11.1). */
const AUTHORIZATION = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*)$/i;
const OPAQUE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function createJwtAuthenticator(options: JwtAuthenticatorOptions): JwtAuthenticator {
  const now = options.now ?? Date.now;
  const clockTolerance = Math.min(options.clockToleranceSeconds ?? 5, 5);
  const maxTokenAge = options.maxTokenAgeSeconds ?? 600;
  const cache = createKeyCache({
    keys: options.keys,
    now,
    ...(options.refetchIntervalMs !== undefined ? { refetchIntervalMs: options.refetchIntervalMs } : {}),
  });
  const verifyProof = createDpopVerifier(options.dpop, now);
  const issuer = typeof options.issuer === 'string' ? () => options.issuer as string : options.issuer;
  const verified = createTokenCache({
    now,
    ...(options.cachedTokens !== undefined ? { maxEntries: options.cachedTokens } : {}),
  });

  /** Per request even for a token verified before: a key-bound token needs a fresh DPoP proof. */
  async function checkBinding(request: FastifyRequest, scheme: string, token: string, jkt: string | undefined) {
    if (jkt !== undefined) {
      // RFC 9449 §7.1: a DPoP-bound token is sent with the DPoP scheme, never as a bearer token.
      if (scheme !== 'dpop') throw invalidToken('a DPoP-bound token presented as a bearer token');
      await verifyProof(request, token, jkt);
    } else if (scheme === 'dpop') {
      throw invalidToken('the DPoP scheme with a token that is not DPoP-bound');
    }
  }

  async function verify(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, cache.getKey, {
        audience: options.audience,
        algorithms: ['ES256'],
        typ: 'at+jwt',
        clockTolerance,
        maxTokenAge,
        requiredClaims: ['iss', 'sub', 'exp', 'iat', 'jti', 'client_id'],
        currentDate: new Date(now()),
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new AccessDenied('TOKEN_EXPIRED', 'token', error.message);
      // Signed by the issuer (the signature is checked first) but for another audience, or not
      // an access token at all (an ID token's typ is JWT): the client asked for the wrong token.
      if (error instanceof errors.JWTClaimValidationFailed && (error.claim === 'aud' || error.claim === 'typ')) {
        throw notForApi(`${error.code}: ${error.message}`);
      }
      if (error instanceof errors.JOSEError) throw invalidToken(`${error.code}: ${error.message}`);
      throw error;
    }
  }

  const authenticate = async (request: FastifyRequest): Promise<Principal | undefined> => {
    const header = request.headers.authorization;
    if (!header) return undefined;
    const match = AUTHORIZATION.exec(header);
    if (!match) {
      if (/^(bearer|dpop)\b/i.test(header)) throw invalidToken('malformed Authorization header');
      return undefined; // another scheme: not ours to judge
    }
    const scheme = match[1]!.toLowerCase();
    const token = match[2]!;
    if (token.split('.').length !== 3) {
      // oidc-provider's opaque access tokens (43 base64url characters, 256 bits), issued when no
      // resource is asked for, are for identity's userinfo endpoint only.
      if (OPAQUE_TOKEN.test(token)) throw notForApi('an opaque access token');
      throw invalidToken('not a signed JWT');
    }
    const key = verified.key(token);
    const hit = verified.get(key);
    if (hit) {
      await checkBinding(request, scheme, token, hit.jkt);
      return hit.principal;
    }
    const payload = await verify(token);
    if (payload.iss !== (await issuer())) throw invalidToken('unexpected issuer');
    const cnf = payload.cnf as Record<string, unknown> | undefined;
    // Bound to a key: only DPoP binding is understood here (not mTLS `x5t#S256`).
    if (
      cnf !== undefined &&
      (typeof cnf !== 'object' || cnf === null || typeof cnf.jkt !== 'string' || Object.keys(cnf).length !== 1)
    ) {
      throw invalidToken('unsupported token binding');
    }
    const jkt = cnf?.jkt as string | undefined;
    await checkBinding(request, scheme, token, jkt);
    const claims = principalFromClaims(payload);
    if (typeof claims === 'string') throw invalidToken(claims);
    if (claims.sessionId !== undefined && verified.isRevoked(claims.sessionId))
      throw invalidToken('the session was ended');
    // The credential is good until its exp or until it is too old, whichever comes first.
    const until = Math.min(payload.exp! * 1000, (payload.iat! + maxTokenAge) * 1000);
    // Shared by every request that presents the token: frozen, so no handler changes it for the others.
    const principal: Principal = Object.freeze({ ...claims, expiresAt: until });
    verified.set(key, { principal, until, ...(jkt !== undefined ? { jkt } : {}) });
    return principal;
  };
  return Object.assign(authenticate, {
    keyFetches: cache.fetches,
    revokeSession: (sessionId: string) =>
      verified.revokeSession(sessionId, now() + (maxTokenAge + clockTolerance) * 1000),
    cachedTokens: verified.size,
  });
}
