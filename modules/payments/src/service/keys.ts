// The merchant's signing key and the channel it talks to, from configuration. With RSA2 (the
// default) the secret `payments-merchant-key` holds the merchant's RSA private key (PKCS#8 PEM,
// or its base64 DER); in development the kernel generates a random value instead, so a
// development RSA key is made once into the data directory (mode 0600). With SM2
// (TONGBAN_PAYMENTS_SIGN_TYPE=SM2) it is the private scalar in hex, or at least 32 bytes of
// secret material the scalar is derived from (so the generated development secret serves). Production refuses: a key that does not parse, the
// bundled simulator, and a channel public key fetched instead of configured.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, sm2PrivateKeyFrom, sm2PublicKey, type ModuleContext } from '@tongban/kernel';
import { rsaSigner, sm2Signer, type TextSigner } from '../domain/signing.ts';
import { fetchedVerifier, GatewayChannel, verifierOf } from './channel.ts';

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

/** Our signing half and the public key the channel verifies us with (PEM for RSA2, 04‖x‖y hex for SM2). */
export function merchantSigner(ctx: ModuleContext): { signer: TextSigner; publicKey: string } {
  if (ctx.config.payments.signType === 'SM2') {
    const secret = ctx.secret(MERCHANT_KEY_SECRET);
    const privateHex = /^[0-9a-fA-F]{64}$/.test(secret)
      ? secret.toLowerCase()
      : Buffer.byteLength(secret) >= 32
        ? sm2PrivateKeyFrom(Buffer.from(secret, 'utf8'))
        : undefined;
    if (!privateHex)
      throw new ConfigError(`${MERCHANT_KEY_SECRET} is not an SM2 private key (64 hex digits or 32+ bytes)`);
    return { signer: sm2Signer(privateHex), publicKey: sm2PublicKey(privateHex) };
  }
  const key = merchantKey(ctx);
  return { signer: rsaSigner(key), publicKey: createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString() };
}

/** The channel the configuration names; production refuses the simulator and a key not configured. */
export function channelFromConfig(ctx: ModuleContext, signer: TextSigner): GatewayChannel {
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
  let configured: ReturnType<typeof verifierOf> | undefined;
  if (c.channelPublicKey) {
    try {
      configured = verifierOf(signer.type, c.channelPublicKey);
    } catch {
      throw new ConfigError(`TONGBAN_PAYMENTS_CHANNEL_PUBLIC_KEY is not a ${signer.type} public key`);
    }
  }
  const fetched = fetchedVerifier(baseUrl, signer.type);
  return new GatewayChannel({
    name,
    baseUrl,
    appId: c.appId,
    signer,
    verifier: configured ? async () => configured : fetched,
    now: () => ctx.clock.now(),
  });
}
