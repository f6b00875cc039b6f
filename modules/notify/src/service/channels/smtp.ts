// STUB by notify-core: the integrator keeps notify-channels' version of this file.
import nodemailer from 'nodemailer';
import { ChannelError, type MailMessage, type Mailer } from './types.ts';

export function createSmtpMailer(o: {
  url: string;
  from: string;
  timeoutMs?: number;
  tls?: { rejectUnauthorized?: boolean };
}): Mailer {
  const timeout = o.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({
    url: o.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(o.tls ? { tls: o.tls } : {}),
  } as never);
  return {
    async send(m: MailMessage) {
      try {
        const info = await transport.sendMail({
          from: o.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          messageId: `<${m.messageId}@tongban>`,
        });
        return { providerMessageId: String(info.messageId) };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500) throw new ChannelError('smtp_rejected', false, (error as Error).message);
        throw new ChannelError('smtp_unavailable', true, (error as Error).message);
      }
    },
    async close() {
      transport.close();
    },
  };
}
