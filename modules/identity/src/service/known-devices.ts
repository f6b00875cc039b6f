// Known devices (常用设备), so that an attacker's failures cannot lock the owner out
// (keycloak#46164): a browser that finished a multi-factor sign-in to an account gets a random
// 256-bit token in an HttpOnly cookie named for that account (several accounts may share a
// browser), and only the token's SHA-256 is stored. Presented with a password attempt at that
// account, it takes the attempt past the per-address and per-login throttles, which strangers'
// failures fill, onto the device's own lockout, which only failures from that device fill
// (sign-in-throttle.ts). It proves possession of a browser, not a person: the password and the
// second factor are still asked. Revocable (the person's device list, a counter recovery), and
// forgotten after KNOWN_DEVICE_SECONDS without a multi-factor sign-in from it.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { ModuleContext } from '@tongban/kernel';
import { findKnownDevice, insertKnownDevice, touchKnownDevice } from '../store/known-devices.ts';
import { typed } from '../store/tables.ts';

export const KNOWN_DEVICE_SECONDS = 180 * 24 * 3600;
/** The cookie goes only to the sign-in pages: no other route has any use for it. */
export const KNOWN_DEVICE_PATH = '/api/identity/interaction';
const PREFIX = 'tb_device_';

/** The cookies a request carries, by name (the first of a name wins, as browsers send the most specific path first). */
export type RequestCookies = ReadonlyMap<string, string>;

export function parseCookies(header: string | undefined): RequestCookies {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

/** The account's cookie name: keyed by the pepper, so it names no account to whoever reads the browser's cookies. */
export function deviceCookieName(ctx: ModuleContext, accountId: string): string {
  const tag = createHmac('sha256', ctx.secret('identity-otp-pepper')).update(`device-cookie\u0000${accountId}`);
  return PREFIX + tag.digest('hex').slice(0, 16);
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The known device this request comes from for this account, if its cookie is one. */
export async function knownDeviceOf(
  ctx: ModuleContext,
  accountId: string,
  cookies: RequestCookies | undefined,
  now: Date,
): Promise<string | undefined> {
  const token = cookies?.get(deviceCookieName(ctx, accountId));
  if (!token || !TOKEN.test(token)) return undefined;
  return (await findKnownDevice(typed(ctx.db), accountId, hashToken(token), now))?.id;
}

export interface DeviceCookie {
  readonly name: string;
  /** The browser's token: a new one for a new device, the one it has for a known one (its lifetime renewed). */
  readonly token: string;
  readonly maxAgeSeconds: number;
}

/** After a multi-factor sign-in: the device is known for another period (a new one gets its token). */
export async function rememberDevice(
  ctx: ModuleContext,
  accountId: string,
  cookies: RequestCookies | undefined,
  now: Date,
): Promise<DeviceCookie> {
  const name = deviceCookieName(ctx, accountId);
  const expiresAt = new Date(now.getTime() + KNOWN_DEVICE_SECONDS * 1000);
  const presented = cookies?.get(name);
  const known =
    presented && TOKEN.test(presented)
      ? await findKnownDevice(typed(ctx.db), accountId, hashToken(presented), now)
      : undefined;
  if (known && presented) {
    await touchKnownDevice(typed(ctx.db), known.id, now, expiresAt);
    return { name, token: presented, maxAgeSeconds: KNOWN_DEVICE_SECONDS };
  }
  const token = randomBytes(32).toString('base64url');
  await insertKnownDevice(typed(ctx.db), { id: randomUUID(), accountId, tokenHash: hashToken(token), now, expiresAt });
  return { name, token, maxAgeSeconds: KNOWN_DEVICE_SECONDS };
}

/** The Set-Cookie line: HttpOnly, SameSite=Lax, Secure on an https issuer, only for the sign-in pages. */
export function deviceSetCookie(cookie: DeviceCookie, secure: boolean): string {
  return [
    `${cookie.name}=${cookie.token}`,
    `Path=${KNOWN_DEVICE_PATH}`,
    `Max-Age=${cookie.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
