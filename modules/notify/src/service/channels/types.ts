// The outbound channels' common vocabulary: what the delivery worker hands to an adapter and the
// one error every adapter throws. `retryable` is the whole contract with the worker: true → try
// again later (backoff, or the next provider), false → the message fails with `code` at once.

/** A channel's failure, with a stable code the operator and the citizen see (never a stack). */
export class ChannelError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(code: string, retryable: boolean, message?: string) {
    super(message ?? code);
    this.name = 'ChannelError';
    this.code = code;
    this.retryable = retryable;
  }
}

export interface SmsMessage {
  readonly to: string;
  readonly text: string;
  /** Ours, stable across retries: the gateway uses it as its idempotency key. */
  readonly messageId: string;
}

export interface SmsProvider {
  readonly name: string;
  send(m: SmsMessage): Promise<{ provider: string; providerMessageId: string }>;
}

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Ours, stable across retries: becomes the Message-ID header, so a resent message is recognisable. */
  readonly messageId: string;
  readonly lang: 'zh-CN' | 'en';
}

export interface Mailer {
  send(m: MailMessage): Promise<{ providerMessageId: string }>;
  close(): Promise<void>;
}

/** A subscription's signing key (Standard Webhooks: symmetric `v1` or asymmetric `v1a`). */
export type WebhookKey =
  | { readonly kind: 'hmac-sha256'; readonly secret: Uint8Array }
  | { readonly kind: 'ed25519'; readonly privateKeyPem: string };

export interface WebhookRequest {
  readonly url: string;
  /** The `webhook-id`: the same for every attempt of one delivery, so the receiver can deduplicate. */
  readonly id: string;
  /** Unix seconds, the `webhook-timestamp` of this attempt. */
  readonly timestamp: number;
  readonly body: string;
  readonly key: WebhookKey;
}

/** The SSRF rules for every request we make to an address someone else chose. */
export interface OutboundPolicy {
  /** Tests and development only: skip the address check (production refuses true). */
  readonly allowPrivate: boolean;
  readonly httpsOnly: boolean;
  /** One deadline for connecting, the headers and the whole body. */
  readonly timeoutMs: number;
  /** At most this much of the response body is read; the rest is dropped. */
  readonly maxResponseBytes: number;
}
