// DPoP (RFC 9449): a token bound to a key (`cnf.jkt`) is worth nothing without a fresh proof,
// signed by that key, for this very request. Checks follow RFC 9449 §4.3 and §7.1.
// Not done (yet): server-provided nonces (§8), and a replay cache shared between replicas: each
// process remembers the proofs it has seen, so in the cluster shape a proof could be replayed
// once against another replica within its five minutes.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { calculateJwkThumbprint, EmbeddedJWK, errors, jwtVerify } from 'jose';
import { DPOP_ALGORITHMS, invalidProof } from './denial.ts';

export interface DpopOptions {
  /** The public base URL (scheme, host, port) proofs name in `htu`; default: from the request. */
  readonly publicUrl?: string;
  /** How far a proof's `iat` may be from now, either way; default 300 s. */
  readonly maxSkewSeconds?: number;
  /** Proofs remembered against replay; default 100 000. */
  readonly replayCacheSize?: number;
}

export type DpopVerifier = (request: FastifyRequest, accessToken: string, jkt: string) => Promise<void>;

function withoutQuery(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    parsed.search = '';
    parsed.hash = '';
    return parsed.href;
  } catch {
    return undefined;
  }
}

export function createDpopVerifier(options: DpopOptions = {}, now: () => number = Date.now): DpopVerifier {
  const maxSkew = options.maxSkewSeconds ?? 300;
  const capacity = options.replayCacheSize ?? 100_000;
  /** jti → when the proof stops being acceptable anyway (ms). */
  const seen = new Map<string, number>();

  function remember(jti: string, until: number): void {
    if (seen.size >= capacity) {
      const at = now();
      for (const [key, expiry] of seen) if (expiry <= at) seen.delete(key);
      // Still full of live proofs: forget the oldest. Replaying it also needs its access token
      // and the same method and URL, and the token lives ten minutes at most.
      if (seen.size >= capacity) seen.delete(seen.keys().next().value!);
    }
    seen.set(jti, until);
  }

  return async (request, accessToken, jkt) => {
    const proof = request.headers.dpop;
    if (typeof proof !== 'string' || proof.length === 0) throw invalidProof('DPoP-bound token without a DPoP proof');
    if (proof.length > 8192 || proof.includes(',')) throw invalidProof('more than one DPoP proof, or an oversized one');
    let result;
    try {
      result = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: [...DPOP_ALGORITHMS],
        requiredClaims: ['jti', 'htm', 'htu', 'iat'],
        currentDate: new Date(now()),
      });
    } catch (error) {
      if (error instanceof errors.JOSEError) throw invalidProof(`${error.code}: ${error.message}`);
      throw error;
    }
    const { payload, protectedHeader } = result;
    const at = now() / 1000;
    if (Math.abs(at - payload.iat!) > maxSkew) throw invalidProof('proof iat is too far from now');
    if (typeof payload.jti !== 'string' || payload.jti.length < 8 || payload.jti.length > 256)
      throw invalidProof('proof jti is malformed');
    if (payload.htm !== request.method) throw invalidProof('proof htm does not match the request method');
    const base = options.publicUrl ?? `${request.protocol}://${request.host}`;
    // Concatenated, not resolved: a path like //elsewhere/x must not change the expected host.
    const expected = withoutQuery(`${base.replace(/\/+$/, '')}${request.url}`);
    if (expected === undefined || typeof payload.htu !== 'string' || withoutQuery(payload.htu) !== expected)
      throw invalidProof('proof htu does not match the request URL');
    if ((await calculateJwkThumbprint(protectedHeader.jwk!, 'sha256')) !== jkt)
      throw invalidProof('proof key is not the key the token is bound to');
    const ath = createHash('sha256').update(accessToken).digest('base64url');
    if (payload.ath !== ath) throw invalidProof('proof ath does not match the access token');
    // Checked and recorded with no await in between: two copies of a proof cannot both pass.
    const expiry = seen.get(payload.jti);
    if (expiry !== undefined && expiry > now()) throw invalidProof('proof replayed');
    remember(payload.jti, (payload.iat! + maxSkew) * 1000 + 5000);
  };
}
