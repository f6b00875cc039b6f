// The data hub's contract (数据共享交换): what it tells other modules when it shares a person's
// data (events the ledger and security operations consume), and the prefill API the workflow calls.
import Type, { type Static } from 'typebox';

/** Who asked: a registered system (service client id), a member of staff, or the person themself. */
const Consumer = Type.Object({
  kind: Type.Union([Type.Literal('service'), Type.Literal('staff'), Type.Literal('citizen')]),
  id: Type.String({ minLength: 1 }),
  /** The department the consumer acts for, when it acts for one. */
  department: Type.Optional(Type.String()),
});

export const DATAHUB_READ_CHANNELS = ['prefill', 'lookup', 'reveal', 'counter'] as const;
export const DATAHUB_DENIAL_REASONS = ['no_grant', 'wrong_purpose', 'items_outside_grant', 'no_consent'] as const;
export type DatahubDenialReason = (typeof DATAHUB_DENIAL_REASONS)[number];
/** Why a request was refused: a grant's or a consent's reason, or an officer past the hourly reveal limit. */
export const DATAHUB_REFUSAL_REASONS = [...DATAHUB_DENIAL_REASONS, 'reveal_rate_limited'] as const;
export type DatahubRefusalReason = (typeof DATAHUB_REFUSAL_REASONS)[number];

export const DatahubEvents = {
  /**
   * One read of one person's data (every decryption for a person): one ledger entry each. The
   * subject is the person's key in the hub (`pk-…`, a keyed pseudonym of the ID number), never
   * the ID number; `accountId` when the person is known to have one (a prefill for an applicant).
   */
  'datahub.record.read': Type.Object({
    readId: Type.String(),
    consumer: Consumer,
    /** A matter code, a bundle code or a legal basis (`law:<reference>`). */
    purpose: Type.String({ minLength: 1 }),
    resource: Type.String(),
    items: Type.Array(Type.String()),
    subject: Type.String({ pattern: '^pk-[0-9a-f]{32}$' }),
    accountId: Type.Optional(Type.String()),
    channel: Type.Unsafe<(typeof DATAHUB_READ_CHANNELS)[number]>(
      Type.Union(DATAHUB_READ_CHANNELS.map((c) => Type.Literal(c))),
    ),
    /**
     * A reveal's reason as a keyed digest of what the officer wrote (the hub keeps the text sealed;
     * the ledger a digest of this one): free text may name a person, and events are kept.
     */
    reason: Type.Optional(Type.String()),
  }),
  /** A request refused: a security event (sentinel correlates them). */
  'datahub.access.denied': Type.Object({
    consumer: Consumer,
    purpose: Type.String(),
    resource: Type.String(),
    items: Type.Array(Type.String()),
    reason: Type.Unsafe<DatahubRefusalReason>(Type.Union(DATAHUB_REFUSAL_REASONS.map((r) => Type.Literal(r)))),
  }),
  'datahub.consent.given': Type.Object({
    consentId: Type.String(),
    accountId: Type.String(),
    purpose: Type.String(),
    items: Type.Array(Type.String()),
  }),
  'datahub.consent.revoked': Type.Object({
    consentId: Type.String(),
    accountId: Type.String(),
    purpose: Type.String(),
  }),
  'datahub.grant.changed': Type.Object({
    grantId: Type.String(),
    consumer: Type.String(),
    resource: Type.String(),
    purpose: Type.String(),
    items: Type.Array(Type.String()),
    change: Type.Union([Type.Literal('created'), Type.Literal('revoked')]),
    by: Type.String(),
  }),
  'datahub.resource.published': Type.Object({ code: Type.String(), version: Type.Integer({ minimum: 1 }) }),
} as const;

/** Where a prefilled value came from (Myinfo's data item source). */
export const PrefillSource = Type.Object({
  /** The resource (政务数据资源) it was read from, e.g. `population`, `birth-record`. */
  resource: Type.String(),
  /** The department that owns the resource. */
  department: Type.String(),
  /** When the source collected or last updated the value (ISO 8601). */
  collectedAt: Type.String(),
  /** The item of the resource. */
  item: Type.String(),
});

export const PrefillValue = Type.Object({
  /** A catalog data element id, e.g. `mother.idNumber`. */
  element: Type.String(),
  value: Type.Unknown(),
  source: PrefillSource,
  /** Government-verified (an authoritative registry): locked in the application. */
  verified: Type.Boolean(),
});

/** POST /api/datahub/prefill — by a service (role datahub.prefill) on behalf of an applicant. */
export const PrefillRequest = Type.Object(
  {
    /** The applicant whose data is asked for (their consent is checked). */
    accountId: Type.String({ minLength: 1, maxLength: 64 }),
    /** The matter or bundle code the application is for: the purpose of the read. */
    purpose: Type.String({ minLength: 1, maxLength: 64 }),
    /** The data elements the form binds. */
    elements: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type PrefillRequest = Static<typeof PrefillRequest>;

export const PrefillView = Type.Object({
  values: Type.Array(PrefillValue),
  /** Elements the hub could fill but the applicant has not consented to (ask, then retry). */
  consentNeeded: Type.Array(Type.Object({ element: Type.String(), resource: Type.String(), item: Type.String() })),
  /** Elements the hub has no source for, or no record of this person. */
  missing: Type.Array(Type.String()),
});
export type PrefillView = Static<typeof PrefillView>;
export type PrefillValue = Static<typeof PrefillValue>;
