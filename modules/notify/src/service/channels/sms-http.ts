// The generic HTTP SMS gateway adapter. There is no one standard: this small JSON protocol is
// shaped like the Chinese providers' APIs (a signed POST, a provider id back, signed delivery
// receipts), so a thin shim fronts any of them.
//
//   Send:     POST <url>
//             content-type: application/json; charset=utf-8
//             x-tongban-timestamp: <unix seconds>
//             x-tongban-signature: hex(HMAC-SHA256(apiKey, timestamp + "." + body))
//             body {"to":"+8613800138000","text":"【通办】…","messageId":"<ours>"}
//   Answer:   200 {"id":"<the provider's message id>"}
//             4xx: the message is refused (bad number, blocked content) — not retried, `sms_rejected`
//             5xx, timeout, refused connection: retried — `provider_unavailable`, `timeout`
//             The gateway MUST treat `messageId` as an idempotency key: the same messageId again
//             answers the first id and sends nothing (our retries after a timeout rely on it).
//   Receipt:  the gateway POSTs to /api/notify/callbacks/sms/<provider>, signed the same way:
//             {"id":"<provider id>","status":"delivered"|"failed","messageId":"<ours>"?,"error":"…"?}
//             `verifyGatewayReceipt` checks it (5-minute window, constant-time compare).
// The key never travels: only the HMAC does, and the timestamp bounds a replay to 5 minutes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { postOutbound, type OutboundOptions } from './outbound.ts';
import { ChannelError, type OutboundPolicy, type SmsProvider } from './types.ts';

export const GATEWAY_TIMESTAMP_HEADER = 'x-tongban-timestamp';
export const GATEWAY_SIGNATURE_HEADER = 'x-tongban-signature';
export const RECEIPT_WINDOW_SECONDS = 5 * 60;

export function signGatewayPayload(apiKey: string, timestamp: number, body: string): string {
  return createHmac('sha256', apiKey).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export function createHttpSmsGateway(
  o: {
    name: string;
    url: string;
    apiKey: string;
    timeoutMs?: number;
    policy: OutboundPolicy;
    now?: () => number;
  } & OutboundOptions,
): SmsProvider {
  const now = o.now ?? Date.now;
  const policy: OutboundPolicy = o.timeoutMs === undefined ? o.policy : { ...o.policy, timeoutMs: o.timeoutMs };
  return {
    name: o.name,
    async send(m) {
      const body = JSON.stringify({ to: m.to, text: m.text, messageId: m.messageId });
      const timestamp = Math.floor(now() / 1000);
      let res;
      try {
        res = await postOutbound(
          o.url,
          {
            'content-type': 'application/json; charset=utf-8',
            [GATEWAY_TIMESTAMP_HEADER]: String(timestamp),
            [GATEWAY_SIGNATURE_HEADER]: signGatewayPayload(o.apiKey, timestamp, body),
          },
          body,
          policy,
          { ...(o.resolve ? { resolve: o.resolve } : {}), ...(o.ca ? { ca: o.ca } : {}) },
        );
      } catch (e) {
        // Nothing reached the gateway (a refused connection, DNS): another provider may take it.
        // A timeout or a lost answer keeps its code: the gateway may have sent it.
        if (e instanceof ChannelError && e.retryable && e.code !== 'timeout' && e.code !== 'connection_lost')
          throw new ChannelError('provider_unavailable', true, `${o.name}: ${e.message}`);
        if (e instanceof ChannelError) throw new ChannelError(e.code, e.retryable, `${o.name}: ${e.message}`);
        throw e;
      }
      if (res.status >= 400 && res.status < 500)
        throw new ChannelError(
          'sms_rejected',
          false,
          `${o.name}: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 200)}`,
        );
      if (res.status < 200 || res.status >= 300)
        throw new ChannelError('provider_unavailable', true, `${o.name}: HTTP ${res.status}`);
      // Accepted, but an answer we cannot read: not retried (the gateway may have sent it).
      let id: unknown;
      try {
        id = res.truncated ? undefined : (JSON.parse(res.body.toString('utf8')) as { id?: unknown }).id;
      } catch {
        id = undefined;
      }
      if (typeof id !== 'string' || id === '')
        throw new ChannelError('provider_bad_response', false, `${o.name}: 2xx without an id`);
      return { provider: o.name, providerMessageId: id };
    },
  };
}

const single = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

/** A delivery receipt from the gateway is genuine and fresh: signed with its key, timestamp within 5 minutes of ours. */
export function verifyGatewayReceipt(
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  apiKey: string,
  nowSeconds: number,
): boolean {
  const ts = single(headers[GATEWAY_TIMESTAMP_HEADER]);
  const signature = single(headers[GATEWAY_SIGNATURE_HEADER]);
  if (!ts || !signature || !/^\d{1,12}$/.test(ts) || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  if (Math.abs(nowSeconds - Number(ts)) > RECEIPT_WINDOW_SECONDS) return false;
  const expected = Buffer.from(signGatewayPayload(apiKey, Number(ts), rawBody), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

export interface GatewayReceipt {
  readonly id: string;
  /** Ours, when the gateway echoes it; `id` alone identifies the message. */
  readonly messageId: string | null;
  readonly status: 'delivered' | 'failed';
  readonly error: string | null;
}

/** The receipt's fields, after `verifyGatewayReceipt`; null when the body is not a receipt. */
export function parseGatewayReceipt(rawBody: string): GatewayReceipt | null {
  let v: unknown;
  try {
    v = JSON.parse(rawBody);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '') return null;
  if (r.status !== 'delivered' && r.status !== 'failed') return null;
  const error = typeof r.error === 'string' ? r.error.slice(0, 100) : null;
  const messageId = typeof r.messageId === 'string' ? r.messageId : null;
  return { id: r.id, messageId, status: r.status, error };
}
