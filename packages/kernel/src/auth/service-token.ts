// A module calling another with its own authority (zero trust: nothing is trusted for coming
// from inside). Each module is an OAuth client of identity, `tongban-<module>`, authenticating
// with private_key_jwt (RFC 7523) under a P-256 key derived from the secret
// `<module>-service-key`: identity derives the same public key from the same secret to register
// the client, so no key has to be copied between deployments. The access token it gets by
// client credentials (resource urn:tongban:api, RFC 8707) is cached until shortly before expiry.
import {
  createECDH,
  createHash,
  createPrivateKey,
  hkdfSync,
  randomUUID,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import { DomainError } from '../errors.ts';
import { API_AUDIENCE } from './principal.ts';

export interface ServiceKey {
  /** RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  /** The public JWK (with kid, alg ES256, use sig): what identity registers for the client. */
  readonly publicJwk: JWK;
  /** The private JWK (with d). Never log or send it. */
  readonly privateJwk: JWK;
  readonly privateKey: KeyObject;
}

/** The order of the P-256 group (SEC 2): a private scalar must lie in [1, n-1]. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/**
 * A deterministic ES256 key pair from a secret string: HKDF-SHA256 gives a candidate scalar; one
 * outside [1, n-1] (probability ~2^-32) is rejected and the next counter tried, so every key is
 * uniformly distributed and the same secret always gives the same key.
 */
export function serviceKeyFromSecret(secret: string): ServiceKey {
  if (secret.length < 16) throw new Error('a service key secret needs at least 16 characters');
  for (let counter = 0; counter < 256; counter++) {
    const d = Buffer.from(hkdfSync('sha256', secret, 'tongban-service-key', `p-256 scalar ${counter}`, 32));
    const scalar = BigInt(`0x${d.toString('hex')}`);
    if (scalar === 0n || scalar >= P256_ORDER) continue;
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey(); // uncompressed: 0x04 || x || y
    const x = b64u(point.subarray(1, 33));
    const y = b64u(point.subarray(33, 65));
    // RFC 7638: the required members only, in lexicographic order, no whitespace.
    const kid = createHash('sha256').update(`{"crv":"P-256","kty":"EC","x":"${x}","y":"${y}"}`).digest('base64url');
    const publicJwk: JWK = { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' };
    const privateJwk: JWK = { ...publicJwk, d: b64u(d) };
    const privateKey = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
    return { kid, publicJwk, privateJwk, privateKey };
  }
  throw new Error('could not derive a P-256 key'); // unreachable in practice
}

/** A module's OAuth client id at identity. */
export function serviceClientId(module: string): string {
  return `tongban-${module}`;
}

/** The secret a module's service key derives from (TONGBAN_SECRET_<MODULE>_SERVICE_KEY). */
export function serviceKeySecretName(module: string): string {
  return `${module}-service-key`;
}

/** Posts a form to identity's token endpoint (/oidc/token); in-process or over HTTP. */
export type TokenEndpoint = (form: string) => Promise<{ readonly status: number; readonly body: string }>;

export interface ServiceTokenOptions {
  readonly clientId: string;
  readonly key: () => ServiceKey;
  /** Identity's issuer URL (from /api/identity/keys): the client assertion's audience. */
  readonly issuer: () => Promise<string>;
  readonly tokenEndpoint: TokenEndpoint;
  readonly now?: () => number;
}

export interface ServiceTokenSource {
  (): Promise<string>;
  /** How many times a token was requested from identity. */
  readonly fetches: () => number;
}

/** A cached token is renewed this long before it expires, so no call carries one about to lapse. */
export const SERVICE_TOKEN_MARGIN_MS = 30_000;
/** RFC 7523 §3: a short-lived assertion; oidc-provider also refuses a replayed jti. */
const ASSERTION_SECONDS = 60;

export function createServiceTokenSource(options: ServiceTokenOptions): ServiceTokenSource {
  const now = options.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let fetches = 0;
  const unavailable = () => new DomainError('UPSTREAM_UNAVAILABLE', { module: 'identity' });

  async function fetchToken(): Promise<string> {
    fetches++;
    // The key first: a missing or undeclared secret is the module's mistake, not identity's outage.
    const key = options.key();
    const issuer = await options.issuer().catch(() => {
      throw unavailable();
    });
    const iat = Math.floor(now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
      .setIssuer(options.clientId)
      .setSubject(options.clientId)
      // The issuer identifier, which oidc-provider accepts and which does not depend on the
      // URL the endpoint was reached by (in-process, or a cluster-internal address).
      .setAudience(issuer)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + ASSERTION_SECONDS)
      .sign(key.privateKey);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      resource: API_AUDIENCE,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }).toString();
    let answer: { status: number; body: string };
    try {
      answer = await options.tokenEndpoint(form);
    } catch {
      throw unavailable();
    }
    let parsed: { access_token?: unknown; expires_in?: unknown; token_type?: unknown };
    try {
      parsed = JSON.parse(answer.body) as typeof parsed;
    } catch {
      throw unavailable();
    }
    if (answer.status !== 200 || typeof parsed.access_token !== 'string' || typeof parsed.expires_in !== 'number')
      throw unavailable();
    cached = { token: parsed.access_token, expiresAt: now() + parsed.expires_in * 1000 };
    return cached.token;
  }

  const source = async (): Promise<string> => {
    if (cached && now() < cached.expiresAt - SERVICE_TOKEN_MARGIN_MS) return cached.token;
    // Concurrent callers share one request to identity.
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  return Object.assign(source, { fetches: () => fetches });
}
