// One-time codes sent by SMS or e-mail (短信/邮件验证码). Codes come from a CSPRNG, only an HMAC
// of each is stored, the try counter is raised before the comparison and the comparison takes
// the same time whatever the code — the practice of FormSG's verified fields.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const CODE_DIGITS = 6;
export const DEFAULT_CODE_TTL_SECONDS = 600;
export const DEFAULT_CODE_MAX_ATTEMPTS = 5;

/** What is stored for an issued code; never the code itself. */
export interface CodeRecord {
  /** HMAC-SHA-256 of the code under the server's pepper, hex. */
  readonly hash: string;
  /** ISO 8601 instant after which the code is refused. */
  readonly expiresAt: string;
  /** Tries so far, counted before each comparison. */
  readonly attempts: number;
  /** Set once the code has matched: a one-time code answers 'ok' once only. */
  readonly consumed?: boolean;
}

export type CodeOutcome = 'ok' | 'wrong' | 'expired' | 'exhausted';

export interface CodeCheck {
  readonly outcome: CodeOutcome;
  /** The record to store in place of the old one, whatever the outcome. */
  readonly record: CodeRecord;
}

export type Pepper = string | Uint8Array;

/** Six decimal digits from the operating system's CSPRNG, leading zeros kept. */
export function newCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/**
 * Keyed so that a leaked table of hashes cannot be reversed by hashing all 10^6 codes without
 * also holding the pepper, which lives in the secret store rather than the database.
 */
export function hashCode(code: string, pepper: Pepper): string {
  return createHmac('sha256', pepper).update(code, 'utf8').digest('hex');
}

export function issueCode(
  now: Date,
  pepper: Pepper,
  ttlSeconds: number = DEFAULT_CODE_TTL_SECONDS,
): { code: string; record: CodeRecord } {
  const code = newCode();
  return {
    code,
    record: {
      hash: hashCode(code, pepper),
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
      attempts: 0,
    },
  };
}

/**
 * Checks a submitted code. A record that is used up (maxAttempts tries, or already matched) says
 * 'exhausted' and one past its expiry 'expired', without counting or comparing; neither ever
 * says 'ok' again. Otherwise the try is counted first — the caller stores the returned record,
 * so a crash or a parallel request cannot win an uncounted try — and then compared in constant
 * time. The caller should store the returned record in every case (or delete it on 'ok').
 */
export function checkCode(
  record: CodeRecord,
  submitted: string,
  now: Date,
  pepper: Pepper,
  maxAttempts: number = DEFAULT_CODE_MAX_ATTEMPTS,
): CodeCheck {
  if (record.consumed || record.attempts >= maxAttempts) return { outcome: 'exhausted', record };
  const expiresAt = Date.parse(record.expiresAt);
  if (!(now.getTime() < expiresAt)) return { outcome: 'expired', record }; // also when expiresAt is unreadable
  const counted: CodeRecord = { ...record, attempts: record.attempts + 1 };
  if (!sameHash(hashCode(submitted, pepper), record.hash)) return { outcome: 'wrong', record: counted };
  return { outcome: 'ok', record: { ...counted, consumed: true } };
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // Both are 64 hex characters unless the stored record is damaged; lengths are not secret.
  return left.length === right.length && timingSafeEqual(left, right);
}
