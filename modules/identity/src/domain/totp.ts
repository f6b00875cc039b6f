// Authenticator-app codes (TOTP, RFC 6238) over otplib. Parameters are the ones every
// authenticator app supports: SHA-1, 6 digits, 30-second steps.
import { generateSecret, generateURI, verify } from 'otplib';

export const TOTP_ISSUER = '通办 Tongban';
const PERIOD_SECONDS = 30;
const DIGITS = 6;

export type TotpCheck =
  { readonly ok: true; readonly step: number } | { readonly ok: false; readonly step?: undefined };

export interface TotpCheckOptions {
  readonly now: Date;
  /** The step of the last code this account used; that step and earlier ones are refused. */
  readonly lastUsedStep?: number;
}

/** A Base32 secret of 20 random bytes (160 bits, RFC 4226 §4's recommended length). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth://totp/… URI an authenticator app reads from a QR code. */
export function totpUri(options: { secret: string; account: string; issuer?: string }): string {
  return generateURI({
    strategy: 'totp',
    issuer: options.issuer ?? TOTP_ISSUER,
    label: options.account,
    secret: options.secret,
    algorithm: 'sha1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
  });
}

/**
 * Checks a code against the steps before, at and after `now` (±30 s of clock drift). On success
 * returns the matched RFC 6238 time step: the caller stores it as lastUsedStep, and a code of that
 * step or an earlier one is then refused, so an overheard code cannot be replayed.
 */
export async function verifyTotp(secret: string, token: string, options: TotpCheckOptions): Promise<TotpCheck> {
  if (!/^\d{6}$/.test(token)) return { ok: false };
  const epoch = Math.floor(options.now.getTime() / 1000);
  // Steps are whole and never negative, which otplib insists on.
  const lastUsedStep =
    options.lastUsedStep === undefined || options.lastUsedStep < 0 ? undefined : Math.floor(options.lastUsedStep);
  // otplib throws when afterTimeStep lies beyond the window; no step could match then anyway.
  if (lastUsedStep !== undefined && lastUsedStep >= Math.floor(epoch / PERIOD_SECONDS) + 1) return { ok: false };
  const result = await verify({
    strategy: 'totp',
    secret,
    token,
    epoch,
    algorithm: 'sha1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
    epochTolerance: PERIOD_SECONDS,
    ...(lastUsedStep !== undefined ? { afterTimeStep: lastUsedStep } : {}),
  });
  return result.valid && 'timeStep' in result ? { ok: true, step: result.timeStep } : { ok: false };
}
