// The channel protocol's signatures, modelled on Alipay's open API: the parameters other than
// `sign` (and `sign_type` on a notify) with a non-empty value, sorted by key (code-unit order),
// joined as `k=v&…` with raw (decoded) values; `sign_type=RSA2` is SHA256withRSA, base64. Both
// directions use it: our gateway requests under the merchant key, the channel's notifies, answers
// and statements under the channel's key. Pure: node:crypto only, no I/O.
import { createSign, createVerify, type KeyObject } from 'node:crypto';

export const SIGN_TYPES = ['RSA2'] as const;
export type SignType = (typeof SIGN_TYPES)[number];

/** The string both sides sign: `sign` is never part of it, `sign_type` only on a request (Alipay's rule for notifies). */
export function canonicalString(params: Readonly<Record<string, string>>, omitSignType = false): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && !(omitSignType && k === 'sign_type') && params[k] !== '' && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function signText(text: string, key: KeyObject | string): string {
  return createSign('RSA-SHA256').update(text, 'utf8').sign(key, 'base64');
}

/** Whether `signature` is the key's SHA256withRSA over `text`; never throws (a malformed signature is false). */
export function verifyText(text: string, signature: string, key: KeyObject | string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return createVerify('RSA-SHA256').update(text, 'utf8').verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

export function signParams(
  params: Readonly<Record<string, string>>,
  key: KeyObject | string,
  omitSignType = false,
): Record<string, string> {
  return { ...params, sign: signText(canonicalString(params, omitSignType), key) };
}

export function verifyParams(
  params: Readonly<Record<string, string>>,
  key: KeyObject | string,
  omitSignType = false,
): boolean {
  const sign = params.sign;
  if (typeof sign !== 'string' || sign === '') return false;
  return verifyText(canonicalString(params, omitSignType), sign, key);
}
