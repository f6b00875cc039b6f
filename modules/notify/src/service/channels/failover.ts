// STUB by notify-core (no error-rate window: the next provider on any failure): the integrator
// keeps notify-channels' version of this file.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ChannelError, type SmsMessage, type SmsProvider } from './types.ts';

export function createFailoverSms(
  providers: readonly SmsProvider[],
  _o: { errors?: number; windowMs?: number; now: () => number },
): SmsProvider {
  return {
    name: providers.map((p) => p.name).join('+'),
    async send(m: SmsMessage) {
      let last: unknown = new ChannelError('provider_unavailable', true);
      for (const p of providers) {
        try {
          return await p.send(m);
        } catch (error) {
          last = error;
          if (error instanceof ChannelError && !error.retryable) throw error;
        }
      }
      throw last;
    },
  };
}

export function verifyGatewayReceipt(
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  apiKey: string,
  nowSeconds: number,
): boolean {
  const ts = headers['x-tongban-timestamp'];
  const sig = headers['x-tongban-signature'];
  if (typeof ts !== 'string' || typeof sig !== 'string') return false;
  if (!/^\d+$/.test(ts) || Math.abs(nowSeconds - Number(ts)) > 300) return false;
  const want = Buffer.from(createHmac('sha256', apiKey).update(`${ts}.${rawBody}`).digest('hex'));
  const got = Buffer.from(sig);
  return want.length === got.length && timingSafeEqual(want, got);
}
