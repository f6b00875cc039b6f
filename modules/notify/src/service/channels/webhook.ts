// STUB by notify-core (no SSRF guard): the integrator keeps notify-channels' version of this file.
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { ChannelError, type OutboundPolicy, type WebhookKey, type WebhookRequest } from './types.ts';

export async function sendWebhook(r: WebhookRequest, policy: OutboundPolicy): Promise<{ status: number }> {
  const signed = `${r.id}.${r.timestamp}.${r.body}`;
  const signature =
    r.key.kind === 'hmac-sha256'
      ? `v1,${createHmac('sha256', r.key.secret).update(signed).digest('base64')}`
      : `v1a,${sign(null, Buffer.from(signed), r.key.privateKeyPem).toString('base64')}`;
  let res: Response;
  try {
    res = await fetch(r.url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        'webhook-id': r.id,
        'webhook-timestamp': String(r.timestamp),
        'webhook-signature': signature,
      },
      body: r.body,
      signal: AbortSignal.timeout(policy.timeoutMs),
    });
    await res.arrayBuffer();
  } catch (error) {
    const timeout = (error as Error).name === 'TimeoutError';
    throw new ChannelError(timeout ? 'timeout' : 'connection_failed', true, (error as Error).message);
  }
  if (res.status >= 300 && res.status < 400) throw new ChannelError('redirect_refused', false);
  if (res.status >= 500 || res.status === 408 || res.status === 429) throw new ChannelError(`http_${res.status}`, true);
  if (res.status >= 400) throw new ChannelError(res.status === 410 ? 'gone' : `http_${res.status}`, false);
  return { status: res.status };
}

export function generateWebhookKey(kind: 'hmac-sha256' | 'ed25519'): { key: WebhookKey; shown: string } {
  if (kind === 'hmac-sha256') {
    const secret = randomBytes(32);
    return { key: { kind, secret }, shown: `whsec_${secret.toString('base64')}` };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    key: { kind, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
    shown: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
