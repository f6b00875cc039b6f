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

/**
 * Every code the adapters throw, whether it is retried, and what the citizen and the operator
 * read for it (MessageView.lastError, the dead letters): zh-CN first, English second.
 */
export const CHANNEL_ERRORS = {
  timeout: { retryable: true, zh: '对方未在规定时间内应答，稍后重试', en: 'No answer in time; will retry' },
  connection_failed: { retryable: true, zh: '无法连接对方系统，稍后重试', en: 'Could not connect; will retry' },
  connection_lost: {
    retryable: true,
    zh: '请求已发出但未收到答复，稍后重试',
    en: 'The request was sent but the answer was lost; will retry',
  },
  dns_failed: {
    retryable: true,
    zh: '无法解析对方地址，稍后重试',
    en: 'The address could not be resolved; will retry',
  },
  address_refused: {
    retryable: false,
    zh: '目标地址属于内部或保留网络，已拒绝',
    en: 'The target is a private or reserved address; refused',
  },
  https_required: { retryable: false, zh: '目标地址必须使用 HTTPS', en: 'The target must use HTTPS' },
  url_invalid: { retryable: false, zh: '目标地址无效', en: 'The target address is invalid' },
  redirect_refused: { retryable: false, zh: '目标地址要求重定向，已拒绝', en: 'The target redirected; refused' },
  target_busy: { retryable: true, zh: '对方系统繁忙，稍后重试', en: 'The target is busy; will retry' },
  gone: { retryable: false, zh: '对方已停用该接收地址', en: 'The target has retired this endpoint' },
  target_rejected: { retryable: false, zh: '对方系统拒绝接收', en: 'The target refused the delivery' },
  target_unavailable: {
    retryable: true,
    zh: '对方系统暂时不可用，稍后重试',
    en: 'The target is unavailable; will retry',
  },
  sms_rejected: {
    retryable: false,
    zh: '短信服务商拒绝发送（号码或内容不被接受）',
    en: 'The SMS provider refused the message',
  },
  provider_unavailable: {
    retryable: true,
    zh: '短信服务商暂时不可用，稍后重试',
    en: 'The SMS provider is unavailable; will retry',
  },
  provider_bad_response: { retryable: false, zh: '短信服务商应答无法识别', en: 'The SMS provider answered unreadably' },
  smtp_rejected: { retryable: false, zh: '邮件服务器拒收', en: 'The mail server refused the message' },
  smtp_unavailable: {
    retryable: true,
    zh: '邮件服务器暂时不可用，稍后重试',
    en: 'The mail server is unavailable; will retry',
  },
  smtp_config: { retryable: false, zh: '邮件发送配置有误', en: 'The mail settings are wrong' },
} as const satisfies Record<string, { readonly retryable: boolean; readonly zh: string; readonly en: string }>;
export type ChannelErrorCode = keyof typeof CHANNEL_ERRORS;
