// 跨区域互认 — the trust list's pure rules: an issuer's keys as JWKs and back as the scan-code
// verifier's TrustedKey, what an operator may add, how a change makes the next list, and the list
// signed as a compact JWS. A key speaks for the one issuer its entry names (verifyScanCode checks
// `iss` against it), so adding a region cannot let it sign for another region's issuers.
import { createHash } from 'node:crypto';
import type { TrustEntry, TrustKeyJwk } from '@tongban/contracts';
import { isValidCreditCode } from '@tongban/kernel';
import { scanKeyId, type ScanSigner, type TrustedKey } from '../scan-code/keys.ts';
import type { JwsSigner } from '../status-list/jose.ts';

export const TRUST_LIST_TYP = 'tongban-trust-list+jwt';

/** The kid of a scan-code key in JWKs and JWS headers: its COSE kid (8 bytes), base64url. */
export function keyIdOf(signer: Pick<ScanSigner, 'algorithm' | 'publicKey'>): string {
  return Buffer.from(scanKeyId(signer.algorithm, signer.publicKey)).toString('base64url');
}

/** A signer's public key as the JWK a trust list carries. */
export function jwkOf(signer: Pick<ScanSigner, 'algorithm' | 'publicKey' | 'signerId'>): TrustKeyJwk {
  const point = Buffer.from(signer.publicKey, 'hex');
  return {
    kty: 'EC',
    crv: signer.algorithm === 'ES256' ? 'P-256' : 'SM2',
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33, 65).toString('base64url'),
    kid: keyIdOf(signer),
    alg: signer.algorithm,
    use: 'sig',
    ...(signer.signerId === undefined ? {} : { signerId: signer.signerId }),
  };
}

/** The scan-code verifier's keys for one entry: each speaks for the entry's issuer only. */
export function trustedKeysOf(entry: TrustEntry): TrustedKey[] {
  return entry.keys.map((jwk) => ({
    algorithm: jwk.crv === 'P-256' ? 'ES256' : 'SM2',
    publicKey: `04${Buffer.from(jwk.x, 'base64url').toString('hex')}${Buffer.from(jwk.y, 'base64url').toString('hex')}`,
    issuer: entry.issuer,
    ...(jwk.signerId === undefined ? {} : { signerId: jwk.signerId }),
  }));
}

/** The ES256 JWS signer over a scan-code signer: one key signs a region's codes, lists and trust list alike. */
export function jwsSignerOf(signer: ScanSigner): JwsSigner {
  if (signer.algorithm !== 'ES256') throw new TypeError('JWS here is ES256 only');
  return { alg: 'ES256', kid: keyIdOf(signer), sign: (input) => Buffer.from(signer.sign(input)) };
}

export type EntryProblem = { field: string; code: string; message: string };

/** Why entries may not join the list (the schema has checked their shape); empty when they may. */
/** An IP literal (or localhost) of loopback, private, link-local, unique-local or unspecified space. */
export function isInternalAddress(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (host.includes(':')) {
    // IPv4-mapped (::ffff:a.b.c.d), which URL parsing writes as two hex groups.
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (mapped) {
      const [hi, lo] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
      return isInternalAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    return host === '::' || host === '::1' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
  }
  return false;
}

export function entryProblems(entries: readonly TrustEntry[], production: boolean): EntryProblem[] {
  const problems: EntryProblem[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const at = `body.entries.${i}`;
    if (!isValidCreditCode(entry.issuer))
      problems.push({ field: `${at}.issuer`, code: 'credit_code', message: 'not a valid unified social credit code' });
    const key = `${entry.region} ${entry.issuer}`;
    if (seen.has(key)) problems.push({ field: at, code: 'duplicate', message: 'the same issuer twice' });
    seen.add(key);
    let url: URL | undefined;
    try {
      url = new URL(entry.statusListBase);
    } catch {
      problems.push({ field: `${at}.statusListBase`, code: 'url', message: 'not a URL' });
    }
    // Status lists decide whether a licence is revoked: fetched over TLS, except a test or
    // development region on this machine.
    const local = url && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
    if (url && url.protocol !== 'https:' && (production || !local))
      problems.push({ field: `${at}.statusListBase`, code: 'https', message: 'status lists are fetched over https' });
    // In production the platform fetches these addresses itself: never one of its own network's
    // (loopback, private, link-local — cloud metadata among them), named by its address.
    if (url && production && isInternalAddress(url.hostname))
      problems.push({
        field: `${at}.statusListBase`,
        code: 'internal_address',
        message: 'a status list is fetched from another region, not from this network',
      });
    entry.keys.forEach((jwk, k) => {
      if (!isOnCurve(jwk))
        problems.push({ field: `${at}.keys.${k}`, code: 'key', message: `not a public key on ${jwk.crv}` });
    });
  });
  return problems;
}

const P256_P = BigInt('0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff');
const P256_B = BigInt('0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b');
const SM2_P = BigInt('0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff');
const SM2_B = BigInt('0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93');

/** y² = x³ − 3x + b over the curve's field: a point that is not on it is not a key. */
function isOnCurve(jwk: TrustKeyJwk): boolean {
  const [p, b] = jwk.crv === 'P-256' ? [P256_P, P256_B] : [SM2_P, SM2_B];
  const x = BigInt(`0x${Buffer.from(jwk.x, 'base64url').toString('hex') || '0'}`);
  const y = BigInt(`0x${Buffer.from(jwk.y, 'base64url').toString('hex') || '0'}`);
  if (x >= p || y >= p) return false;
  const mod = (v: bigint) => ((v % p) + p) % p;
  return mod(y * y) === mod(x * x * x - 3n * x + b);
}

const sameIssuer = (a: { region: string; issuer: string }, b: { region: string; issuer: string }) =>
  a.region === b.region && a.issuer === b.issuer;

/** The list with `added` in it: an issuer already there is replaced (its keys rotated), order kept. */
export function withEntries(current: readonly TrustEntry[], added: readonly TrustEntry[]): TrustEntry[] {
  const kept = current.filter((e) => !added.some((a) => sameIssuer(a, e)));
  return [...kept, ...added].sort((a, b) => a.region.localeCompare(b.region) || a.issuer.localeCompare(b.issuer));
}

/** The list without the entries matching `region` (and `issuer`, when given). */
export function withoutEntries(
  current: readonly TrustEntry[],
  region: string,
  issuer?: string,
): { entries: TrustEntry[]; removed: TrustEntry[] } {
  const matches = (e: TrustEntry) => e.region === region && (issuer === undefined || e.issuer === issuer);
  return { entries: current.filter((e) => !matches(e)), removed: current.filter(matches) };
}

/** What the trust list's JWS says: the version, when, by which region, and its entries. */
export interface TrustListPayload {
  readonly iss: string;
  /** GB/T 2260 code of the region whose list it is. */
  readonly region: string;
  readonly version: number;
  readonly iat: number;
  readonly entries: readonly TrustEntry[];
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The list as a compact JWS, ES256. */
export function signTrustList(payload: TrustListPayload, signer: JwsSigner): string {
  const input = `${b64url({ alg: signer.alg, typ: TRUST_LIST_TYP, kid: signer.kid })}.${b64url(payload)}`;
  return `${input}.${signer.sign(Buffer.from(input)).toString('base64url')}`;
}

/** SHA-256 of the published JWS, hex: what the ledger's entry names. */
export function digestOf(jws: string): string {
  return createHash('sha256').update(jws).digest('hex');
}
