// Signed webhooks to department systems (Standard Webhooks headers, domain/webhook-signing.ts)
// through the SSRF-guarded POST (./outbound.ts). What an answer means for the retry schedule:
//   2xx                      delivered
//   3xx                      `redirect_refused`, NOT retried: a target that redirects is
//                            misconfigured or probing us; 24 hours of retries change nothing, the
//                            dead letter shows it to an operator at once, who can fix and replay
//   408, 429                 `target_busy`, retried
//   410                      `gone`, not retried (the receiver says the endpoint is retired)
//   other 4xx                `target_rejected`, not retried
//   5xx (and other codes)    `target_unavailable`, retried
//   timeout, connection, DNS `timeout` / `connection_failed` / `connection_lost` / `dns_failed`, retried
//   private address, http in production, bad URL   `address_refused` / `https_required` /
//                            `url_invalid`, not retried
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { encodeWebhookSecret, publicKeyPem, webhookHeaders } from '../../domain/webhook-signing.ts';
import { postOutbound, type OutboundOptions } from './outbound.ts';
import { ChannelError, type OutboundPolicy, type WebhookKey, type WebhookRequest } from './types.ts';

export {
  verifyWebhook,
  decodeWebhookSecret,
  encodeWebhookSecret,
  publicKeyShown,
} from '../../domain/webhook-signing.ts';

export async function sendWebhook(
  r: WebhookRequest,
  policy: OutboundPolicy,
  o: OutboundOptions = {},
): Promise<{ status: number }> {
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Tongban-Webhooks/1',
    ...webhookHeaders(r.key, r.id, r.timestamp, r.body),
  };
  const res = await postOutbound(r.url, headers, r.body, policy, o);
  const status = res.status;
  if (status >= 200 && status < 300) return { status };
  if (status === 408 || status === 429) throw new ChannelError('target_busy', true, `HTTP ${status}`);
  if (status === 410) throw new ChannelError('gone', false, 'HTTP 410');
  if (status >= 400 && status < 500) throw new ChannelError('target_rejected', false, `HTTP ${status}`);
  throw new ChannelError('target_unavailable', true, `HTTP ${status}`);
}

/**
 * A new subscription's key and what to show its owner ONCE: `whsec_<base64>` (the shared secret)
 * for HMAC; for Ed25519 the public key as PEM (SPKI), which every crypto library reads (the
 * private half stays with us; `publicKeyShown` gives Standard Webhooks' `whpk_` form of the same
 * key, and `verifyWebhook` takes either).
 */
export function generateWebhookKey(kind: 'hmac-sha256' | 'ed25519'): { key: WebhookKey; shown: string } {
  if (kind === 'hmac-sha256') {
    // 32 bytes: Standard Webhooks asks for 24 to 64.
    const secret = new Uint8Array(randomBytes(32));
    return { key: { kind, secret }, shown: encodeWebhookSecret(secret) };
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { key: { kind, privateKeyPem }, shown: publicKeyPem(privateKeyPem) };
}

/** A key as text for the database (the caller encrypts it at rest), and back. */
export function serializeWebhookKey(key: WebhookKey): string {
  return key.kind === 'hmac-sha256' ? encodeWebhookSecret(key.secret) : key.privateKeyPem;
}

export function parseWebhookKey(kind: 'hmac-sha256' | 'ed25519', stored: string): WebhookKey {
  if (kind === 'ed25519') return { kind, privateKeyPem: stored };
  return { kind, secret: new Uint8Array(Buffer.from(stored.replace(/^whsec_/, ''), 'base64')) };
}
