// Webhook signatures per Standard Webhooks (https://www.standardwebhooks.com): the signed content
// is `${webhook-id}.${webhook-timestamp}.${body}`; `webhook-signature` carries one or more
// space-separated `v1,<base64 HMAC-SHA256>` (symmetric; secret shown as `whsec_<base64>`) or
// `v1a,<base64 Ed25519>` (asymmetric; public key shown as `whpk_<base64 of the raw 32 bytes>`).
// A receiver refuses a timestamp more than 5 minutes from its clock either way (replay window),
// and compares in constant time. Computation only (node:crypto), no I/O.
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  sign,
  timingSafeEqual,
  verify,
  type KeyObject,
} from 'node:crypto';

export const REPLAY_WINDOW_SECONDS = 5 * 60;
const SECRET_PREFIX = 'whsec_';
const PUBLIC_PREFIX = 'whpk_';
/** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the raw 32 bytes. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A subscription's signing key; the same shape as the channels' `WebhookKey`. */
export type SigningKey =
  | { readonly kind: 'hmac-sha256'; readonly secret: Uint8Array }
  | { readonly kind: 'ed25519'; readonly privateKeyPem: string };

export function signedContent(id: string, timestamp: number, body: string): Buffer {
  return Buffer.from(`${id}.${timestamp}.${body}`, 'utf8');
}

/** The `webhook-signature` header for one attempt. */
export function signWebhook(key: SigningKey, id: string, timestamp: number, body: string): string {
  const content = signedContent(id, timestamp, body);
  if (key.kind === 'hmac-sha256') return `v1,${createHmac('sha256', key.secret).update(content).digest('base64')}`;
  return `v1a,${sign(null, content, createPrivateKey(key.privateKeyPem)).toString('base64')}`;
}

/** The three headers of one attempt. */
export function webhookHeaders(key: SigningKey, id: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(key, id, timestamp, body),
  };
}

/** `whsec_<base64>` → the secret's bytes (Standard Webhooks decodes the part after the prefix). */
export function decodeWebhookSecret(shown: string): Uint8Array {
  return new Uint8Array(
    Buffer.from(shown.startsWith(SECRET_PREFIX) ? shown.slice(SECRET_PREFIX.length) : shown, 'base64'),
  );
}

export function encodeWebhookSecret(secret: Uint8Array): string {
  return SECRET_PREFIX + Buffer.from(secret).toString('base64');
}

/** The public half of an Ed25519 private key as Standard Webhooks shows it: `whpk_<base64 raw key>`. */
export function publicKeyShown(privateKeyPem: string): string {
  const der = createPublicKey(createPrivateKey(privateKeyPem)).export({ format: 'der', type: 'spki' });
  return PUBLIC_PREFIX + der.subarray(ED25519_SPKI_PREFIX.length).toString('base64');
}

/** The public half of an Ed25519 private key as PEM (SPKI). */
export function publicKeyPem(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ format: 'pem', type: 'spki' }).toString();
}

/** `whpk_…`, a PEM public key, or a KeyObject → a KeyObject to verify with. */
export function toPublicKey(key: string | KeyObject): KeyObject {
  if (typeof key !== 'string') return key;
  if (key.startsWith(PUBLIC_PREFIX)) {
    const raw = Buffer.from(key.slice(PUBLIC_PREFIX.length), 'base64');
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  }
  return createPublicKey(key);
}

const header = (headers: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return typeof v === 'string' ? v : undefined;
};

/**
 * The receiver's check, for department systems (and our tests): true only when the timestamp is
 * within 5 minutes of `nowSeconds` and one of the signatures verifies with the key — a `whsec_…`
 * secret (v1), or a `whpk_…` / PEM / KeyObject Ed25519 public key (v1a).
 */
export function verifyWebhook(
  headers: Record<string, string | string[] | undefined>,
  body: string,
  publicKeyOrSecret: string | KeyObject,
  nowSeconds: number,
): boolean {
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !ts || !signatures || !/^\d{1,12}$/.test(ts)) return false;
  const timestamp = Number(ts);
  if (Math.abs(nowSeconds - timestamp) > REPLAY_WINDOW_SECONDS) return false;
  const content = signedContent(id, timestamp, body);
  const symmetric = typeof publicKeyOrSecret === 'string' && publicKeyOrSecret.startsWith(SECRET_PREFIX);
  let expected: Buffer | undefined;
  let publicKey: KeyObject | undefined;
  try {
    if (symmetric) expected = createHmac('sha256', decodeWebhookSecret(publicKeyOrSecret)).update(content).digest();
    else publicKey = toPublicKey(publicKeyOrSecret);
  } catch {
    return false;
  }
  return signatures.split(' ').some((entry) => {
    const comma = entry.indexOf(',');
    const version = entry.slice(0, comma);
    const given = Buffer.from(entry.slice(comma + 1), 'base64');
    if (comma < 0) return false;
    if (expected && version === 'v1') return given.length === expected.length && timingSafeEqual(given, expected);
    if (publicKey && version === 'v1a') {
      try {
        return given.length === 64 && verify(null, content, publicKey, given);
      } catch {
        return false;
      }
    }
    return false;
  });
}
