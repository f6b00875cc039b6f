// What a verifier is told about a licence's scan code (电子证照扫码核验): the public page and any
// department's system read the same answer. A failure always names its reason.
import Type, { type Static } from 'typebox';
import { LocalizedText } from './catalog.ts';

/** Why a code does not verify (or, for the status ones, why its licence is not in force). */
export const VERIFICATION_REASONS = [
  'wrong_prefix',
  'not_base45',
  'not_zlib',
  'not_cbor',
  'not_cose',
  'unknown_algorithm',
  'unknown_issuer',
  'bad_signature',
  'expired',
  'not_yet_valid',
  /** A code the holder showed (亮证) past its few minutes: the holder shows a fresh one. */
  'presentation_expired',
  'revoked',
  'suspended',
  /** Another region's licence whose status list could not be fetched, with no copy held here. */
  'status_unavailable',
] as const;
export type VerificationReason = (typeof VERIFICATION_REASONS)[number];

export const VerificationBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
);

export const VerificationView = Type.Object({
  valid: Type.Boolean(),
  reason: Type.Optional(Type.Unsafe<VerificationReason>({ type: 'string', enum: [...VERIFICATION_REASONS] })),
  /** What the code says, once its signature holds (absent before). */
  licence: Type.Optional(
    Type.Object({
      identifier: Type.String(),
      type: Type.String(),
      typeName: Type.Optional(LocalizedText),
      /** Masked (张*), as printed in the code. */
      holder: Type.String(),
      validFrom: Type.String(),
      validUntil: Type.Union([Type.String(), Type.Null()]),
      issuer: Type.Object({
        id: Type.String(),
        name: Type.Optional(LocalizedText),
        region: Type.Optional(Type.String()),
      }),
    }),
  ),
  /** The status list consulted: its age, and whether it was a cached copy because the list could not be reached. */
  status: Type.Optional(
    Type.Object({
      state: Type.Union([Type.Literal('valid'), Type.Literal('suspended'), Type.Literal('revoked')]),
      listAgeSeconds: Type.Integer({ minimum: 0 }),
      fromCache: Type.Boolean(),
    }),
  ),
  checkedAt: Type.String(),
});
export type VerificationView = Static<typeof VerificationView>;
