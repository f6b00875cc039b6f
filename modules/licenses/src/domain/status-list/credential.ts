// The BitstringStatusListCredential (W3C Bitstring Status List v1.0 §2.2) published per issuer and
// purpose, and the BitstringStatusListEntry (§2.1) a licence carries to point into it.
//
// Two lists, 'revocation' and 'suspension', one bit each — not one 'message' list with statusSize 2:
// the spec's simplest form, which every verifier implements, and the two purposes behave differently:
// a revocation bit is final (GB/T 36904 status 03, and 04 cancelled / 07 revoked as a penalty, whose
// reason stays in the issuer's record, not in a public list), while a suspension bit (02) is cleared
// on reinstatement. A licence takes the same index in both lists, so its scan code carries one
// number. Expiry (05) is the licence's own validUntil, not a list bit.
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { StatusListError } from './errors.ts';

export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';

export const STATUS_PURPOSES = ['revocation', 'suspension'] as const;
export type StatusPurpose = (typeof STATUS_PURPOSES)[number];

export const StatusPurposeSchema = Type.Union([Type.Literal('revocation'), Type.Literal('suspension')]);

export const StatusListCredentialSchema = Type.Object({
  '@context': Type.Array(Type.String(), { minItems: 1 }),
  id: Type.String({ minLength: 1 }),
  type: Type.Array(Type.String(), { minItems: 2 }),
  issuer: Type.String({ minLength: 1 }),
  validFrom: Type.String({ format: 'date-time' }),
  validUntil: Type.Optional(Type.String({ format: 'date-time' })),
  credentialSubject: Type.Object({
    id: Type.String({ minLength: 1 }),
    type: Type.Literal('BitstringStatusList'),
    statusPurpose: StatusPurposeSchema,
    encodedList: Type.String({ minLength: 2 }),
    /** §2.2: how long, in milliseconds, a verifier may keep the list before fetching it again. */
    ttl: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
});
export type StatusListCredential = Static<typeof StatusListCredentialSchema>;

export interface StatusListCredentialInput {
  /** The URL the list is published at (statusListCredential in every entry). */
  readonly url: string;
  /** The issuer's identifier (a URL or DID), the same as in the licences it covers. */
  readonly issuer: string;
  readonly purpose: StatusPurpose;
  readonly encodedList: string;
  readonly validFrom: Date;
  /** After this the list must not be relied on: a publisher that stops refreshing fails closed. */
  readonly validUntil?: Date;
  /** Milliseconds a verifier may cache the list. */
  readonly ttlMs?: number;
}

/** The unsigned credential; seconds precision, as XML Schema dateTimeStamp with 'Z'. */
export function buildStatusListCredential(input: StatusListCredentialInput): StatusListCredential {
  const credential: StatusListCredential = {
    '@context': [VC_CONTEXT_V2],
    id: input.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    validFrom: dateTimeStamp(input.validFrom),
    credentialSubject: {
      id: `${input.url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: input.purpose,
      encodedList: input.encodedList,
    },
  };
  if (input.validUntil) credential.validUntil = dateTimeStamp(input.validUntil);
  if (input.ttlMs !== undefined) credential.credentialSubject.ttl = input.ttlMs;
  return credential;
}

export interface StatusListEntry {
  readonly id: string;
  readonly type: 'BitstringStatusListEntry';
  readonly statusPurpose: StatusPurpose;
  /** §2.1: an integer ≥ 0 written in base 10 as a string. */
  readonly statusListIndex: string;
  readonly statusListCredential: string;
}

export const StatusListEntrySchema = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1 })),
  type: Type.Literal('BitstringStatusListEntry'),
  statusPurpose: StatusPurposeSchema,
  // Base 10, no sign, no leading zeros; our lists stay far below 2^53 entries.
  statusListIndex: Type.String({ pattern: '^(0|[1-9][0-9]{0,14})$' }),
  statusListCredential: Type.String({ minLength: 1 }),
});

const checkEntry = Compile(StatusListEntrySchema);

/** The list URL and index in a licence's credentialStatus entry; MALFORMED_VALUE_ERROR if it is not one. */
export function readStatusListEntry(value: unknown): {
  readonly purpose: StatusPurpose;
  readonly url: string;
  readonly index: number;
} {
  if (!checkEntry.Check(value)) {
    const where = [...checkEntry.Errors(value)][0]?.instancePath || '/';
    throw new StatusListError('MALFORMED_VALUE_ERROR', `not a BitstringStatusListEntry (at ${where})`);
  }
  if (value.id === value.statusListCredential) {
    throw new StatusListError('MALFORMED_VALUE_ERROR', 'the entry id is the status list URL');
  }
  return { purpose: value.statusPurpose, url: value.statusListCredential, index: Number(value.statusListIndex) };
}

/** The credentialStatus entry for the licence at `index` of the list published at `url`. */
export function statusListEntry(url: string, purpose: StatusPurpose, index: number): StatusListEntry {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`a status list index is ≥ 0, not ${index}`);
  // §2.1: the entry's id must not be the list's URL; the fragment names this entry within it.
  return {
    id: `${url}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: url,
  };
}

function dateTimeStamp(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}
