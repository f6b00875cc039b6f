// The protocol's signatures, as a real channel computes them (Alipay's open API): the parameters
// other than `sign` with a non-empty value, sorted by key, joined as `k=v&…`; `sign_type=RSA2`
// is SHA256withRSA, base64. A notify's canonical string leaves `sign_type` out (Alipay's rule).
// Kept apart from the payments module on purpose: the simulator is the other party, and must not
// share the code it checks.
import { createSign, createVerify, type KeyObject } from 'node:crypto';
import { sm2PublicKey, sm2Sign, sm2Verify } from '@tongban/kernel';

export function canonical(params: Readonly<Record<string, string>>, omitSignType = false): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && !(omitSignType && k === 'sign_type') && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function rsaSign(text: string, key: KeyObject): string {
  return createSign('RSA-SHA256').update(text, 'utf8').sign(key, 'base64');
}

export function rsaVerify(text: string, signature: string, key: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(text, 'utf8').verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

/** 2000 → "20.00"; "20.00" → 2000 (integer arithmetic on the digits, never a float). */
export function fenToYuan(fen: number): string {
  const s = String(fen).padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

export function yuanToFen(yuan: string): number | undefined {
  const m = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/.exec(yuan);
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : undefined;
}

/** The day in China Standard Time (UTC+8): statements are cut at midnight in Beijing. */
export const chinaDay = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** SM2-with-SM3 (GB/T 32918.2, the default user id), r‖s base64: `sign_type=SM2`. */
export function sm2SignText(text: string, privateHex: string, publicHex = sm2PublicKey(privateHex)): string {
  return Buffer.from(sm2Sign(text, privateHex, undefined, publicHex)).toString('base64');
}

export function sm2VerifyText(text: string, signature: string, publicHex: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(signature) && sm2Verify(text, Buffer.from(signature, 'base64'), publicHex);
}
