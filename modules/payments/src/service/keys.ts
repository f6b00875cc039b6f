// The merchant's signing key and the channel it talks to, from configuration. The secret
// `payments-merchant-key` holds the merchant's RSA private key (PKCS#8 PEM, or its base64 DER);
// in development the kernel generates a random value instead, so a development RSA key is made
// once into the data directory (mode 0600). Production refuses: a key that does not parse, the
// bundled simulator, and a channel public key fetched instead of configured.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type ModuleContext } from '@tongban/kernel';
import { fetchedChannelKey, GatewayChannel } from './channel.ts';

export const MERCHANT_KEY_SECRET = 'payments-merchant-key';

function parsePrivateKey(value: string): KeyObject | undefined {
  try {
    if (value.includes('-----BEGIN')) return createPrivateKey(value);
    return createPrivateKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    return undefined;
  }
}

export function merchantKey(ctx: ModuleContext): KeyObject {
  const secret = ctx.secret(MERCHANT_KEY_SECRET);
  const parsed = parsePrivateKey(secret);
  if (parsed) {
    if (parsed.asymmetricKeyType !== 'rsa') throw new ConfigError(`${MERCHANT_KEY_SECRET} is not an RSA private key`);
    return parsed;
  }
  if (ctx.config.env === 'production')
    throw new ConfigError(
      `NODE_ENV=production needs ${MERCHANT_KEY_SECRET} to be the merchant's RSA private key (PKCS#8)`,
    );
  const dir = join(ctx.config.dataDir, 'keys');
  const file = join(dir, 'payments-merchant-rsa.pem');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    writeFileSync(file, pem, { mode: 0o600 });
    ctx.log.warn({ file }, 'generated a development merchant key for the payment channel');
  }
  return createPrivateKey(readFileSync(file, 'utf8'));
}

/** The channel the configuration names; production refuses the simulator and a key not configured. */
export function channelFromConfig(ctx: ModuleContext, key: KeyObject): GatewayChannel {
  const c = ctx.config.payments;
  const production = ctx.config.env === 'production';
  const name = c.channel ?? (production ? undefined : 'simulator');
  if (!name) throw new ConfigError('NODE_ENV=production needs TONGBAN_PAYMENTS_CHANNEL=gateway and its URL and key');
  if (production && name === 'simulator')
    throw new ConfigError('NODE_ENV=production refuses TONGBAN_PAYMENTS_CHANNEL=simulator (the bundled simulator)');
  if (name === 'gateway' && !c.channelUrl)
    throw new ConfigError('TONGBAN_PAYMENTS_CHANNEL=gateway needs TONGBAN_PAYMENTS_CHANNEL_URL');
  if (production && !c.channelPublicKey)
    throw new ConfigError(
      "NODE_ENV=production needs TONGBAN_PAYMENTS_CHANNEL_PUBLIC_KEY (the channel's RSA public key)",
    );
  const baseUrl = () => (c.channelUrl ?? `${ctx.origin()}/paysim`).replace(/\/$/, '');
  let configured: KeyObject | undefined;
  if (c.channelPublicKey) {
    try {
      configured = createPublicKey(c.channelPublicKey);
    } catch {
      throw new ConfigError('TONGBAN_PAYMENTS_CHANNEL_PUBLIC_KEY is not a public key (PEM)');
    }
  }
  let fetched: (() => Promise<KeyObject>) | undefined;
  return new GatewayChannel({
    name,
    baseUrl,
    appId: c.appId,
    merchantKey: key,
    channelKey: configured ? async () => configured : () => (fetched ??= fetchedChannelKey(baseUrl()))(),
    now: () => ctx.clock.now(),
  });
}
