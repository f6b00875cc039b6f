// Contracts shared between modules and the web app: the events modules publish and the shapes
// other modules may rely on. A module imports another's contract from here, never its code.
import Type, { type Static } from 'typebox';

export const CatalogEvents = {
  'catalog.matter.published': Type.Object({
    code: Type.String(), version: Type.Integer({ minimum: 1 }), departmentCode: Type.String(),
  }),
  'catalog.bundle.published': Type.Object({
    code: Type.String(), version: Type.Integer({ minimum: 1 }),
    /** The matter versions the bundle version pins, by matter code. */
    matterVersions: Type.Record(Type.String(), Type.Integer({ minimum: 1 })),
  }),
} as const;

export type MatterPublished = Static<(typeof CatalogEvents)['catalog.matter.published']>;
export type BundlePublished = Static<(typeof CatalogEvents)['catalog.bundle.published']>;

/** Security events identity publishes; the ledger and security operations consume them. */
export const IdentityEvents = {
  'identity.sign-in.succeeded': Type.Object({ accountId: Type.String(), acr: Type.String(), ip: Type.String() }),
  'identity.sign-in.failed': Type.Object({
    accountId: Type.Union([Type.String(), Type.Null()]),
    factor: Type.Union([Type.Literal('password'), Type.Literal('totp'), Type.Literal('sms')]),
    reason: Type.Union([Type.Literal('unknown_account'), Type.Literal('locked'), Type.Literal('wrong_password'), Type.Literal('wrong_code')]),
    ip: Type.String(),
  }),
  'identity.account.locked': Type.Object({ accountId: Type.String(), until: Type.String(), lockCount: Type.Integer() }),
} as const;
