// Checking a presentation of a wallet credential: <issuer-signed JWT>~<disclosure>~…~<KB-JWT>
// (RFC 9901 §7). Strict, and every refusal has its reason: the issuer's signature by a key this
// verifier trusts for that issuer, validity, each disclosure's digest found once in an `_sd` (a
// changed byte changes the digest), then the key-binding JWT signed by the credential's `cnf.jwk`
// for this audience and nonce, recently, over exactly these disclosures (`sd_hash`). The licence's
// status is the service's to add: it needs the register.
import { createHash, createPublicKey, verify as cryptoVerify, type JsonWebKey } from 'node:crypto';
import type { PresentationReason } from '@tongban/contracts';
import { SD_JWT_VC_TYP, VISIBLE_CLAIMS } from './issue.ts';
import type { PublicJwk } from './keys.ts';

export const KB_JWT_TYP = 'kb+jwt';

/** A key a verifier accepts wallet credentials from, and the issuer it speaks for. */
export interface TrustedWalletKey {
  /** The credential issuer identifier (`iss`). */
  readonly issuer: string;
  /** The issuer's unified social credit code: the credential's `issuer_code` must be this. */
  readonly issuerCode: string;
  readonly jwk: PublicJwk;
}

export interface PresentationCheck {
  readonly trust: (iss: string, kid: string) => TrustedWalletKey | undefined;
  readonly nonce: string;
  readonly audience: string;
  /** Seconds since the epoch. */
  readonly now: number;
  /** How old (or how far ahead) a key-binding JWT may be; default 300 s. */
  readonly maxKeyBindingAgeSeconds?: number;
}

export interface VerifiedPresentation {
  /** Every claim of the credential after its disclosures are applied. */
  readonly payload: Record<string, unknown>;
  /** The claims the holder disclosed (the licence's own: never the visible ones). */
  readonly disclosed: Record<string, unknown>;
}

export type PresentationResult =
  | ({ readonly ok: true } & VerifiedPresentation)
  | { readonly ok: false; readonly reason: PresentationReason; readonly payload?: Record<string, unknown> };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const b64json = (part: string): unknown => {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
};
const sha256 = (text: string) => createHash('sha256').update(text, 'ascii').digest('base64url');

interface CompactJws {
  readonly header: Json;
  readonly payload: Json;
  readonly signingInput: string;
  readonly signature: Buffer;
}

function parseJws(jws: string): CompactJws | undefined {
  const parts = jws.split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[2]!)) return undefined;
  const header = b64json(parts[0]!);
  const payload = b64json(parts[1]!);
  if (!isObject(header) || !isObject(payload)) return undefined;
  return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2]!, 'base64url') };
}

/** ES256 (RFC 7518 §3.4): r‖s, 64 bytes, over the signing input, by a P-256 public JWK. */
function es256Verifies(jws: CompactJws, jwk: unknown): boolean {
  if (!isObject(jwk) || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || 'd' in jwk) return false;
  if (jws.signature.length !== 64) return false;
  try {
    const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } as JsonWebKey, format: 'jwk' });
    return cryptoVerify('sha256', Buffer.from(jws.signingInput), { key, dsaEncoding: 'ieee-p1363' }, jws.signature);
  } catch {
    return false;
  }
}

/** A disclosure as sent: its digest and its decoded content (RFC 9901 §4.2). */
interface Disclosure {
  readonly digest: string;
  readonly name?: string;
  readonly value: unknown;
}

function parseDisclosure(text: string): Disclosure | undefined {
  const decoded = b64json(text);
  if (!Array.isArray(decoded) || typeof decoded[0] !== 'string') return undefined;
  if (decoded.length === 3 && typeof decoded[1] === 'string')
    return { digest: sha256(text), name: decoded[1], value: decoded[2] };
  if (decoded.length === 2) return { digest: sha256(text), value: decoded[1] };
  return undefined;
}

class Altered extends Error {}

/**
 * RFC 9901 §7.1 step 3: replaces each digest the disclosures answer with its claim, recursively;
 * a disclosure whose digest is nowhere, used twice, or that would overwrite a claim is refused.
 */
function applyDisclosures(payload: Json, disclosures: readonly Disclosure[]) {
  const byDigest = new Map<string, Disclosure>();
  for (const d of disclosures) {
    if (byDigest.has(d.digest)) throw new Altered('the same disclosure twice');
    byDigest.set(d.digest, d);
  }
  const used = new Set<string>();
  const disclosed: Json = {};
  const take = (digest: unknown): Disclosure | undefined => {
    if (typeof digest !== 'string') throw new Altered('a digest that is not a string');
    const d = byDigest.get(digest);
    if (!d) return undefined;
    if (used.has(digest)) throw new Altered('a digest referenced twice');
    used.add(digest);
    return d;
  };
  const walk = (value: unknown, top: boolean): unknown => {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const element of value) {
        if (isObject(element) && Object.keys(element).length === 1 && '...' in element) {
          const d = take(element['...']);
          if (!d) continue; // undisclosed (or a decoy)
          if (d.name !== undefined) throw new Altered('an object disclosure in an array');
          out.push(walk(d.value, false));
        } else out.push(walk(element, false));
      }
      return out;
    }
    if (!isObject(value)) return value;
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) if (k !== '_sd' && k !== '_sd_alg') out[k] = walk(v, false);
    const digests = value._sd;
    if (digests !== undefined) {
      if (!Array.isArray(digests)) throw new Altered('_sd is not an array');
      for (const digest of digests) {
        const d = take(digest);
        if (!d) continue;
        if (d.name === undefined) throw new Altered('an array disclosure for an object');
        if (d.name === '_sd' || d.name === '...' || Object.hasOwn(out, d.name))
          throw new Altered(`a disclosure that would replace ${d.name}`);
        out[d.name] = walk(d.value, false);
        if (top) disclosed[d.name] = out[d.name];
      }
    }
    return out;
  };
  const result = walk(payload, true) as Json;
  if (used.size !== byDigest.size) throw new Altered('a disclosure the credential does not reference');
  return { payload: result, disclosed };
}

const fail = (reason: PresentationReason, payload?: Json): PresentationResult =>
  payload ? { ok: false, reason, payload } : { ok: false, reason };

export function verifyPresentation(presentation: string, check: PresentationCheck): PresentationResult {
  const parts = presentation.split('~');
  if (parts.length < 2) return fail('malformed');
  const jws = parseJws(parts[0]!);
  if (!jws) return fail('malformed');
  const { header, payload } = jws;
  if (header.alg !== 'ES256' || header.typ !== SD_JWT_VC_TYP || typeof header.kid !== 'string')
    return fail('malformed');
  if (typeof payload.iss !== 'string') return fail('malformed');
  const key = check.trust(payload.iss, header.kid);
  if (!key) return fail('unknown_issuer');
  if (!es256Verifies(jws, key.jwk)) return fail('bad_signature');
  // A trusted key speaks for its own issuer only.
  if (payload.issuer_code !== key.issuerCode) return fail('unknown_issuer');
  if (payload._sd_alg !== undefined && payload._sd_alg !== 'sha-256') return fail('malformed');
  if (typeof payload.nbf === 'number' && payload.nbf > check.now) return fail('not_yet_valid', payload);
  if (typeof payload.exp === 'number' && payload.exp <= check.now) return fail('expired', payload);

  const kbText = parts.at(-1)!;
  const disclosures: Disclosure[] = [];
  for (const text of parts.slice(1, -1)) {
    if (text === '') return fail('malformed');
    const d = parseDisclosure(text);
    if (!d) return fail('altered_disclosure', payload);
    disclosures.push(d);
  }
  let applied;
  try {
    applied = applyDisclosures(payload, disclosures);
  } catch (error) {
    if (error instanceof Altered) return fail('altered_disclosure', payload);
    throw error;
  }
  // No visible claim may come from a disclosure (a holder cannot add a `cnf` of their own).
  for (const name of VISIBLE_CLAIMS)
    if (Object.hasOwn(applied.disclosed, name)) return fail('altered_disclosure', payload);

  if (kbText === '') return fail('no_key_binding', applied.payload);
  const kb = parseJws(kbText);
  if (!kb) return fail('malformed', applied.payload);
  if (kb.header.typ !== KB_JWT_TYP || kb.header.alg !== 'ES256') return fail('key_binding_mismatch', applied.payload);
  const cnf = payload.cnf;
  if (!isObject(cnf) || !es256Verifies(kb, cnf.jwk)) return fail('key_binding_mismatch', applied.payload);
  if (kb.payload.aud !== check.audience) return fail('wrong_audience', applied.payload);
  if (kb.payload.nonce !== check.nonce) return fail('wrong_nonce', applied.payload);
  const maxAge = check.maxKeyBindingAgeSeconds ?? 300;
  if (typeof kb.payload.iat !== 'number' || Math.abs(check.now - kb.payload.iat) > maxAge)
    return fail('stale_key_binding', applied.payload);
  // Over the presentation up to and including the last `~`: the disclosures exactly as sent.
  if (kb.payload.sd_hash !== sha256(presentation.slice(0, presentation.length - kbText.length)))
    return fail('sd_hash_mismatch', applied.payload);
  return { ok: true, payload: applied.payload, disclosed: applied.disclosed };
}
