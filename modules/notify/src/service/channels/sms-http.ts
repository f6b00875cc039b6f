// STUB by notify-core: the integrator keeps notify-channels' version of this file.
import { createHmac } from 'node:crypto';
import { ChannelError, type OutboundPolicy, type SmsMessage, type SmsProvider } from './types.ts';

export function createHttpSmsGateway(o: {
  name: string;
  url: string;
  apiKey: string;
  timeoutMs?: number;
  policy: OutboundPolicy;
}): SmsProvider {
  return {
    name: o.name,
    async send(m: SmsMessage) {
      const body = JSON.stringify({ to: m.to, text: m.text, messageId: m.messageId });
      const ts = String(Math.floor(Date.now() / 1000));
      let res: Response;
      try {
        res = await fetch(o.url, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            'content-type': 'application/json',
            'x-tongban-timestamp': ts,
            'x-tongban-signature': createHmac('sha256', o.apiKey).update(`${ts}.${body}`).digest('hex'),
          },
          body,
          signal: AbortSignal.timeout(o.timeoutMs ?? o.policy.timeoutMs),
        });
      } catch (error) {
        throw new ChannelError('provider_unavailable', true, (error as Error).message);
      }
      if (res.status >= 500) throw new ChannelError('provider_unavailable', true);
      if (res.status >= 300) throw new ChannelError('sms_rejected', false);
      const answer = (await res.json()) as { id?: string };
      return { provider: o.name, providerMessageId: String(answer.id ?? m.messageId) };
    },
  };
}
