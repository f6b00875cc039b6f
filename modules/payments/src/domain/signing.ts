// The channel protocol's signatures, modelled on Alipay's open API: the parameters other than
// `sign` (and `sign_type` on a notify) with a non-empty value, sorted by key (code-unit order),
// joined as `k=v&…` with raw (decoded) values; `sign_type=RSA2` is SHA256withRSA, base64. Both
// directions use it: our gateway requests under the merchant key, the channel's notifies, answers
// and statements under the channel's key. `sign_type=SM2` is SM2-with-SM3 (GB/T 32918.2, the
// default user id), r‖s base64, through the kernel's SM2 — as the Chinese channels offer 国密.
// Pure: no I/O.
import { createSign, createVerify, type KeyObject } from 'node:crypto';
import { sm2PublicKey, sm2Sign, sm2Verify } from '@tongban/kernel';

export const SIGN_TYPES = ['RSA2', 'SM2'] as const;
export type SignType = (typeof SIGN_TYPES)[number];

/** A party's signing half: its type and how it signs a text (base64). */
export interface TextSigner {
  readonly type: SignType;
  sign(text: string): string;
}
/** The other party's verifying half. */
export interface TextVerifier {
  readonly type: SignType;
  verify(text: string, signature: string): boolean;
}

export function rsaSigner(key: KeyObject): TextSigner {
  return { type: 'RSA2', sign: (text) => signText(text, key) };
}
export function rsaVerifier(key: KeyObject): TextVerifier {
  return { type: 'RSA2', verify: (text, signature) => verifyText(text, signature, key) };
}
export function sm2Signer(privateHex: string): TextSigner {
  const publicHex = sm2PublicKey(privateHex);
  return {
    type: 'SM2',
    sign: (text) => Buffer.from(sm2Sign(text, privateHex, undefined, publicHex)).toString('base64'),
  };
}
export function sm2Verifier(publicHex: string): TextVerifier {
  return {
    type: 'SM2',
    verify: (text, signature) =>
      /^[A-Za-z0-9+/]+={0,2}$/.test(signature) && sm2Verify(text, Buffer.from(signature, 'base64'), publicHex),
  };
}

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
