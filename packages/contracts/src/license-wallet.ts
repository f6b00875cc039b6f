// The wallet credential (电子证照入卡包, issue 13): what the portal asks for to put a licence in a
// wallet (an OpenID4VCI 1.0 credential offer), and what a verifier is told about an SD-JWT VC
// presentation. A failure always names its reason.
import Type, { type Static } from 'typebox';

/** The offer the holder's wallet scans: OpenID4VCI 1.0 §4.1.1, pre-authorized code flow, no tx_code. */
export const WalletOfferView = Type.Object({
  offer: Type.Object({
    credential_issuer: Type.String(),
    credential_configuration_ids: Type.Array(Type.String(), { minItems: 1 }),
    grants: Type.Object({
      'urn:ietf:params:oauth:grant-type:pre-authorized_code': Type.Object({
        'pre-authorized_code': Type.String(),
      }),
    }),
  }),
  /** openid-credential-offer://?credential_offer=<the offer, URL-encoded JSON> */
  offerUri: Type.String(),
  /** When the pre-authorized code stops working (single use, minutes). */
  expiresAt: Type.String(),
});
export type WalletOfferView = Static<typeof WalletOfferView>;

/** Why a presentation does not verify (or, for the status ones, why its licence is not in force). */
export const PRESENTATION_REASONS = [
  'malformed',
  'unknown_issuer',
  'bad_signature',
  'expired',
  'not_yet_valid',
  'altered_disclosure',
  'no_key_binding',
  'key_binding_mismatch',
  'wrong_audience',
  'wrong_nonce',
  'stale_key_binding',
  'sd_hash_mismatch',
  'revoked',
  'suspended',
] as const;
export type PresentationReason = (typeof PRESENTATION_REASONS)[number];

export const PresentationBody = Type.Object(
  {
    /** <issuer-signed JWT>~<disclosure>~…~<KB-JWT> (RFC 9901 §4, compact). */
    presentation: Type.String({ minLength: 1, maxLength: 32_768 }),
    /** The nonce the verifier gave the holder for this presentation. */
    nonce: Type.String({ minLength: 1, maxLength: 256 }),
    /** The verifier's identifier the KB-JWT's `aud` must name. */
    audience: Type.String({ minLength: 1, maxLength: 512 }),
  },
  { additionalProperties: false },
);
export type PresentationBody = Static<typeof PresentationBody>;

export const PresentationView = Type.Object({
  valid: Type.Boolean(),
  reason: Type.Optional(Type.Unsafe<PresentationReason>({ type: 'string', enum: [...PRESENTATION_REASONS] })),
  /** The claims the holder chose to disclose, once the issuer's signature and the disclosures hold (else empty). */
  claims: Type.Record(Type.String(), Type.Unknown()),
  /** What the credential says of itself, once its signature holds (absent before). */
  licence: Type.Optional(
    Type.Object({
      /** Present when the holder disclosed it. */
      identifier: Type.Optional(Type.String()),
      type: Type.String(),
      issuer: Type.Object({ id: Type.String(), url: Type.String() }),
    }),
  ),
  /** Whether a key-binding JWT by the credential's holder key was checked. */
  keyBinding: Type.Boolean(),
  checkedAt: Type.String(),
});
export type PresentationView = Static<typeof PresentationView>;
