// 跨区域互认 — the cross-region trust list of licence issuers: what one region's operators add so
// that another region's licences verify here, what a region exports of itself for others to add,
// and the event every change publishes (the ledger records it).
import Type, { type Static } from 'typebox';
import { LocalizedText } from './catalog.ts';

/** A public key of an issuer as a JWK: P-256 for ES256; SM2 (国密) under the curve name `SM2`. */
export const TrustKeyJwk = Type.Object(
  {
    kty: Type.Literal('EC'),
    crv: Type.Union([Type.Literal('P-256'), Type.Literal('SM2')]),
    x: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }),
    y: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }),
    kid: Type.Optional(Type.String({ maxLength: 100 })),
    alg: Type.Optional(Type.Union([Type.Literal('ES256'), Type.Literal('SM2')])),
    use: Type.Optional(Type.Literal('sig')),
    /** SM2 only: the signer's distinguishing identifier when it is not GM/T 0009's default. */
    signerId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type TrustKeyJwk = Static<typeof TrustKeyJwk>;

/** One issuer of another region, as an operator adds it. */
export const TrustEntry = Type.Object(
  {
    /** GB/T 2260 code of the issuer's region (310000, 330100, …). */
    region: Type.String({ pattern: '^\\d{6}$' }),
    /** The issuer's unified social credit code (GB 32100): `iss` in its scan codes. */
    issuer: Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' }),
    name: LocalizedText,
    keys: Type.Array(TrustKeyJwk, { minItems: 1, maxItems: 8 }),
    /** Where that region publishes its status lists (…/api/licenses/status-lists/), ending in a slash. */
    statusListBase: Type.String({ pattern: '^https?://[^\\s]+/$', maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type TrustEntry = Static<typeof TrustEntry>;

/**
 * What a region exports of itself (`GET /api/licenses/trust-list/self`) and what another region's
 * operator posts to add it: its issuers, and the key its own trust list is signed with.
 */
export const TrustSelfDocument = Type.Object(
  {
    region: Type.String({ pattern: '^\\d{6}$' }),
    entries: Type.Array(TrustEntry, { minItems: 1, maxItems: 200 }),
    /** The key this region signs its published trust list with. */
    trustListKey: Type.Optional(TrustKeyJwk),
  },
  { additionalProperties: false },
);
export type TrustSelfDocument = Static<typeof TrustSelfDocument>;

/** The current trust list, as `GET /api/licenses/trust-list` answers it beside its signed form. */
export const TrustListView = Type.Object({
  version: Type.Integer({ minimum: 0 }),
  /** When this version was made (absent for version 0, the empty list). */
  issuedAt: Type.Union([Type.String(), Type.Null()]),
  entries: Type.Array(TrustEntry),
  /** The same list as a compact JWS (ES256, typ `tongban-trust-list+jwt`), signed by `key`. */
  jws: Type.String(),
  key: TrustKeyJwk,
});
export type TrustListView = Static<typeof TrustListView>;

export const TrustListVersion = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  change: Type.Union([Type.Literal('added'), Type.Literal('removed')]),
  /** The entries the change added or removed, by region and issuer. */
  changed: Type.Array(Type.Object({ region: Type.String(), issuer: Type.String() })),
  entries: Type.Integer({ minimum: 0, description: 'how many entries the version holds' }),
  actor: Type.Object({ kind: Type.String(), id: Type.String() }),
  at: Type.String(),
});
export type TrustListVersion = Static<typeof TrustListVersion>;

export const LicenseTrustEvents = {
  /** Each change of the trust list: the new version, what changed, by whom. */
  'licenses.trust-list.changed': Type.Object({
    version: Type.Integer({ minimum: 1 }),
    action: Type.Union([Type.Literal('added'), Type.Literal('removed')]),
    changed: Type.Array(Type.Object({ region: Type.String(), issuer: Type.String() })),
    /** SHA-256 (hex) of the signed list: the ledger entry names exactly what was published. */
    digest: Type.String(),
    actor: Type.Object({ kind: Type.String(), id: Type.String() }),
    at: Type.String(),
  }),
} as const;
export type TrustListChanged = Static<(typeof LicenseTrustEvents)['licenses.trust-list.changed']>;
