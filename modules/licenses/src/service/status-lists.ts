// Status lists (W3C Bitstring Status List 1.0), both ways. Published: each issuing department's
// revocation and suspension lists, built from the register and signed by the department's issuer
// key — the key its scan codes are signed with, so a verifier holding the trust list's key checks
// both. Fetched: another region's lists, verified with the key its trust-list entry names, kept
// in `licenses.status_list_cache` so a verification still answers (saying how old its copy is)
// when that region cannot be reached.
import { createHash } from 'node:crypto';
import type { TrustEntry } from '@tongban/contracts';
import type { ModuleContext } from '@tongban/kernel';
import { LICENCE_TYPES } from '../domain/licence-types.ts';
import { decodeStatusList, encodeStatusList, MIN_STATUS_LIST_BITS } from '../domain/status-list/bitstring.ts';
import {
  buildStatusListCredential,
  type StatusListCredential,
  type StatusPurpose,
} from '../domain/status-list/credential.ts';
import { signStatusListCredential, verifyStatusListCredential } from '../domain/status-list/jose.ts';
import { jwsSignerOf } from '../domain/trust-list/index.ts';
import { statusEntries } from '../store/licences.ts';
import { typed, typedTrust } from '../store/tables.ts';
import { findCachedStatusList, saveCachedStatusList } from '../store/trust.ts';
import type { ScanCodes } from './scan.ts';

/** How long a published list stands: a verifier refreshes after this, and a publisher that stops fails closed. */
export const STATUS_LIST_TTL_MS = 10 * 60_000;
/** How old a held copy of another region's list may be and still answer when the list cannot be fetched. */
export const MAX_FALLBACK_AGE_MS = 24 * 3600_000;
/** Another region's list is given this long to answer before the cached copy is used. */
const FETCH_TIMEOUT_MS = 2000;

/** A list of a million entries, 1 % revoked, is about 14 KB as vc+jwt: a region answering megabytes is not sending one. */
const MAX_LIST_BYTES = 4 * 1024 * 1024;

/** The register's statuses a revocation bit stands for; a suspension bit stands for 'suspended'. */
const REVOKED: ReadonlySet<string> = new Set(['revoked', 'penalty-revoked', 'cancelled']);

/** The `issuer` of a department's list: its unified social credit code, the scan codes' `iss`. */
export const issuerUri = (issuerCode: string) => `urn:uscc:${issuerCode}`;

/** The list's path below `…/status-lists/`: revocation at the list's id, suspension one segment deeper. */
export const listPath = (listId: string, purpose: StatusPurpose) =>
  purpose === 'revocation' ? encodeURIComponent(listId) : `${encodeURIComponent(listId)}/suspension`;

/** Each department that issues licences, by its list's id (`sl-<department>`), with its issuer code. */
const LIST_ISSUERS: ReadonlyMap<string, string> = new Map(
  Object.values(LICENCE_TYPES).map((t) => [`sl-${t.departmentCode}`, t.issuerCode]),
);

export interface PublishedList {
  readonly jwt: string;
  readonly etag: string;
  readonly maxAgeSeconds: number;
}

export interface HeldList {
  readonly credential: StatusListCredential;
  /** A stored copy, used because the list could not be fetched (or did not verify). */
  readonly fallback: boolean;
}

export class StatusLists {
  readonly #ctx: ModuleContext;
  readonly #scan: ScanCodes;
  /** The last list built per URL: the same bits within half a ttl answer the same JWS (and ETag). */
  readonly #built = new Map<string, { encodedList: string; jwt: string; validFrom: number }>();
  readonly #fetch: typeof fetch;

  constructor(ctx: ModuleContext, scan: ScanCodes, fetcher: typeof fetch = fetch) {
    this.#ctx = ctx;
    this.#scan = scan;
    this.#fetch = fetcher;
  }

  /** Where this region's lists are published, ending in a slash. */
  base(): string {
    return `${this.#ctx.origin()}/api/licenses/status-lists/`;
  }

  /** The signed list credential, or undefined for a list no department here issues. */
  async publish(listId: string, purpose: StatusPurpose): Promise<PublishedList | undefined> {
    const issuerCode = LIST_ISSUERS.get(listId);
    if (!issuerCode) return undefined;
    const url = this.base() + listPath(listId, purpose);
    const entries = await statusEntries(typed(this.#ctx.db), listId);
    const set = (status: string) => (purpose === 'revocation' ? REVOKED.has(status) : status === 'suspended');
    const size = Math.max(MIN_STATUS_LIST_BITS, Math.ceil(((entries.at(-1)?.index ?? 0) + 1) / 8) * 8);
    const encodedList = encodeStatusList(
      entries.map((e) => ({ index: e.index, set: set(e.status) })),
      size,
    );
    const now = this.#ctx.clock.now();
    let built = this.#built.get(url);
    if (!built || built.encodedList !== encodedList || now.getTime() - built.validFrom > STATUS_LIST_TTL_MS / 2) {
      const validFrom = new Date(Math.floor(now.getTime() / 1000) * 1000);
      const credential = buildStatusListCredential({
        url,
        issuer: issuerUri(issuerCode),
        purpose,
        encodedList,
        validFrom,
        validUntil: new Date(validFrom.getTime() + STATUS_LIST_TTL_MS),
        ttlMs: STATUS_LIST_TTL_MS,
      });
      const jwt = signStatusListCredential(credential, jwsSignerOf(this.#scan.signer(issuerCode)));
      this.#built.set(url, (built = { encodedList, jwt, validFrom: validFrom.getTime() }));
    }
    const left = Math.floor((built.validFrom + STATUS_LIST_TTL_MS - now.getTime()) / 1000);
    const etag = `"${createHash('sha256').update(built.jwt).digest('base64url').slice(0, 22)}"`;
    return { jwt: built.jwt, etag, maxAgeSeconds: Math.max(0, left) };
  }

  /**
   * Another region's list for `entry`: the held copy while it stands, else fetched (2 s) and
   * verified with the entry's keys, else the held copy however old (`fallback`); undefined when
   * none can be had.
   */
  async held(entry: TrustEntry, listId: string, purpose: StatusPurpose): Promise<HeldList | undefined> {
    const url = entry.statusListBase + listPath(listId, purpose);
    const db = typedTrust(this.#ctx.db);
    const now = this.#ctx.clock.now();
    const cached = await findCachedStatusList(db, url);
    const fromCache = cached && this.#open(cached.jwt, entry, url, purpose);
    if (cached && fromCache && now < cached.valid_until) return { credential: fromCache, fallback: false };
    try {
      const response = await this.#fetch(url, {
        headers: { accept: 'application/vc+jwt' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        redirect: 'error',
      });
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
      const jwt = (await bodyUpTo(response, MAX_LIST_BYTES)).trim();
      const credential = this.#open(jwt, entry, url, purpose, now);
      if (!credential) throw new Error(`${url} is not a list signed by ${entry.issuer}`);
      const ttl = credential.credentialSubject.ttl ?? STATUS_LIST_TTL_MS;
      const until = Math.min(
        now.getTime() + ttl,
        credential.validUntil ? Date.parse(credential.validUntil) : Number.POSITIVE_INFINITY,
      );
      await saveCachedStatusList(db, { url, jwt, fetched_at: now, valid_until: new Date(until) });
      return { credential, fallback: false };
    } catch (error) {
      this.#ctx.log.warn({ url, err: String((error as Error).message ?? error) }, 'status list not fetched');
      // A copy older than a day no longer answers: a licence revoked since would verify for as long
      // as its region stayed out of reach. Past that the answer is status_unavailable.
      const fresh = cached && now.getTime() - cached.fetched_at.getTime() <= MAX_FALLBACK_AGE_MS;
      return fromCache && fresh ? { credential: fromCache, fallback: true } : undefined;
    }
  }

  /** The credential in `jwt` if one of the entry's keys signed it and it is the list asked for. */
  #open(
    jwt: string,
    entry: TrustEntry,
    url: string,
    purpose: StatusPurpose,
    at?: Date,
  ): StatusListCredential | undefined {
    for (const jwk of entry.keys) {
      if (jwk.crv !== 'P-256') continue;
      try {
        const credential = verifyStatusListCredential(jwt, jwk, at ? { at } : {});
        const subject = credential.credentialSubject;
        // The list must be the one asked for, of the issuer the entry names: a list of another
        // issuer of the same region, or last week's list served at another URL, is not this one.
        if (credential.id !== url || credential.issuer !== issuerUri(entry.issuer)) return undefined;
        if (subject.statusPurpose !== purpose) return undefined;
        decodeStatusList(subject.encodedList);
        return credential;
      } catch {
        // the next key, if the entry names several (a rotation)
      }
    }
    return undefined;
  }
}

/** A licence's bit in a held list. */
export function bitOf(credential: StatusListCredential, index: number): boolean {
  const list = decodeStatusList(credential.credentialSubject.encodedList);
  return index < list.size && list.get(index);
}

/** The response's text, refused past `limit` bytes (another region's server is not ours to trust with memory). */
async function bodyUpTo(response: Response, limit: number): Promise<string> {
  if (Number(response.headers.get('content-length') ?? 0) > limit) throw new Error('status list too large');
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new Error('status list too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
