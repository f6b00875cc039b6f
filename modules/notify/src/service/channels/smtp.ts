// E-mail over SMTP (nodemailer). The Message-ID header is built from our messageId, so a message
// resent after a lost connection carries the same Message-ID and the recipient's system (or a
// person) can tell it is the same one. Errors, by RFC 5321's reply classes:
//   5yz reply (550 no such mailbox, 554 refused …)      `smtp_rejected`, not retried
//   4yz reply (451, 452 …), dropped connection, timeout,
//   refused connection, TLS or DNS failure, 503         `smtp_unavailable`, retried
// (503, "bad sequence of commands", says the session was in the wrong state, not that the
// message was refused: a new connection may well take it.)
import { createTransport } from 'nodemailer';
import { ChannelError, type Mailer } from './types.ts';

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  message?: string;
}

export function smtpChannelError(e: unknown): ChannelError {
  const err = (typeof e === 'object' && e !== null ? e : {}) as SmtpFailure;
  const reply = err.responseCode;
  const detail = `${err.code ?? ''} ${reply ?? ''} ${err.message ?? String(e)}`.replace(/\s+/g, ' ').trim();
  if (reply !== undefined && reply >= 500 && reply < 600 && reply !== 503)
    return new ChannelError('smtp_rejected', false, detail);
  if (err.code === 'ECONFIG') return new ChannelError('smtp_config', false, detail);
  return new ChannelError('smtp_unavailable', true, detail);
}

/** `messageId` as a Message-ID: `<id@domain>`, the domain from the sender's address. */
export function messageIdHeader(messageId: string, from: string): string {
  if (/^<[^<>\s]+@[^<>\s]+>$/.test(messageId)) return messageId;
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'tongban.local';
  const local = messageId.replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]/g, '-');
  return `<${local}@${domain}>`;
}

export function createSmtpMailer(o: {
  url: string;
  from: string;
  timeoutMs?: number;
  tls?: { rejectUnauthorized?: boolean };
  /** Keep connections open between messages (a busy outbox); off by default. */
  pool?: boolean;
}): Mailer {
  const timeout = o.timeoutMs ?? 10_000;
  const url = new URL(o.url);
  const transport = createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(o.pool ? { pool: true as const } : {}),
    ...(o.tls ? { tls: { rejectUnauthorized: o.tls.rejectUnauthorized ?? true } } : {}),
  });
  return {
    async send(m) {
      try {
        const info = await transport.sendMail({
          from: o.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          messageId: messageIdHeader(m.messageId, o.from),
          headers: { 'Content-Language': m.lang },
          textEncoding: 'base64',
        });
        return { providerMessageId: String(info.messageId ?? messageIdHeader(m.messageId, o.from)) };
      } catch (e) {
        throw smtpChannelError(e);
      }
    },
    async close() {
      transport.close();
    },
  };
}
