// STUB by notify-core, to compile until notify-channels' branch is merged: the integrator keeps
// notify-channels' version of this file. The interfaces are the agreed ones, exactly.
export class ChannelError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(code: string, retryable: boolean, message?: string) {
    super(message ?? code);
    this.code = code;
    this.retryable = retryable;
  }
}
export interface SmsMessage {
  readonly to: string;
  readonly text: string;
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
  readonly messageId: string;
  readonly lang: 'zh-CN' | 'en';
}
export interface Mailer {
  send(m: MailMessage): Promise<{ providerMessageId: string }>;
  close(): Promise<void>;
}
export type WebhookKey =
  | { readonly kind: 'hmac-sha256'; readonly secret: Uint8Array }
  | { readonly kind: 'ed25519'; readonly privateKeyPem: string };
export interface WebhookRequest {
  readonly url: string;
  readonly id: string;
  readonly timestamp: number;
  readonly body: string;
  readonly key: WebhookKey;
}
export interface OutboundPolicy {
  readonly allowPrivate: boolean;
  readonly httpsOnly: boolean;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}
