// Answering "what is this licence's status?" from the lists a verifier holds. Offline verification
// works from a cached copy, so the answer says how old the copy is and whether it is older than the
// verifier will trust (the lesser of its own maximum and the list's ttl): a stale list still answers,
// but the page shows its age instead of presenting the answer as current.
import { decodeStatusList, type DecodedStatusList } from './bitstring.ts';
import type { StatusListCredential, StatusPurpose } from './credential.ts';
import { StatusListError } from './errors.ts';

export interface HeldStatusList {
  readonly purpose: StatusPurpose;
  readonly list: DecodedStatusList;
  /** When this copy was fetched (and its signature verified). */
  readonly fetchedAt: Date;
  /** The credential's ttl in milliseconds, when it states one. */
  readonly ttlMs?: number;
}

/**
 * A verified list credential, decoded for checking. §3.2: the list's statusPurpose must be the one
 * the licence's entry names — a suspension list offered as the revocation list is refused.
 */
export function holdStatusList(
  credential: StatusListCredential,
  purpose: StatusPurpose,
  fetchedAt: Date,
): HeldStatusList {
  const subject = credential.credentialSubject;
  if (subject.statusPurpose !== purpose) {
    throw new StatusListError(
      'STATUS_VERIFICATION_ERROR',
      `the list at ${credential.id} is for ${subject.statusPurpose}, not ${purpose}`,
    );
  }
  const list = decodeStatusList(subject.encodedList);
  return subject.ttl === undefined ? { purpose, list, fetchedAt } : { purpose, list, fetchedAt, ttlMs: subject.ttl };
}

export interface StatusQuery {
  /** The licence's statusListIndex (the same in both lists). */
  readonly index: number;
  readonly lists: Readonly<Record<StatusPurpose, HeldStatusList>>;
  readonly now: Date;
  /** The longest a copy may be held before it is stale, in milliseconds. */
  readonly maxAgeMs: number;
}

export type LicenceListStatus = 'valid' | 'revoked' | 'suspended';

export interface StatusAnswer {
  readonly status: LicenceListStatus;
  /** Age of the oldest list consulted, in milliseconds (0 if fetched "in the future" by clock skew). */
  readonly listAge: number;
  readonly stale: boolean;
}

/** Revocation wins over suspension: a revoked licence that was suspended first is revoked. */
export function checkStatus(query: StatusQuery): StatusAnswer {
  const { revocation, suspension } = query.lists;
  for (const purpose of ['revocation', 'suspension'] as const) {
    if (query.lists[purpose].purpose !== purpose) {
      throw new StatusListError(
        'STATUS_VERIFICATION_ERROR',
        `the ${purpose} list is a ${query.lists[purpose].purpose} list`,
      );
    }
  }
  const status: LicenceListStatus = revocation.list.get(query.index)
    ? 'revoked'
    : suspension.list.get(query.index)
      ? 'suspended'
      : 'valid';
  let listAge = 0;
  let stale = false;
  for (const held of [revocation, suspension]) {
    const age = Math.max(0, query.now.getTime() - held.fetchedAt.getTime());
    listAge = Math.max(listAge, age);
    if (age > Math.min(query.maxAgeMs, held.ttlMs ?? Number.POSITIVE_INFINITY)) stale = true;
  }
  return { status, listAge, stale };
}
