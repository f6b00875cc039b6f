// The licence as an SD-JWT VC (RFC 9901 SD-JWT; SD-JWT VC: typ dc+sd-jwt): issued with the
// maintained @sd-jwt packages. What the credential says of itself — issuer, type, validity, the
// holder's key, where its status is — is always visible; everything the licence carries (its
// identifier, the holder's name in full, each of its fields) is a disclosure of its own, so the
// holder shows only the claims a verifier needs.
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import type { DisclosureFrame } from '@sd-jwt/types';
import type { PublicJwk, WalletSigningKey } from './keys.ts';

export const SD_JWT_VC_TYP = 'dc+sd-jwt';

/** The vct of a licence type: a URN, the same in every region, so another region's verifier knows the type. */
export const vctOf = (typeCode: string) => `urn:tongban:licence:${typeCode}`;

/** Claims that are always visible (never a disclosure): the credential's own, and the licence's type and issuer. */
export const VISIBLE_CLAIMS = [
  'iss',
  'iat',
  'nbf',
  'exp',
  'vct',
  'cnf',
  'status',
  'licence_type',
  'issuer_code',
] as const;

export interface WalletCredentialInput {
  /** The credential issuer identifier (an HTTPS URL, the OpenID4VCI credential_issuer). */
  readonly issuer: string;
  readonly typeCode: string;
  readonly identifier: string;
  /** In full: it is the holder's own wallet. */
  readonly holderName?: string;
  readonly fields: Readonly<Record<string, unknown>>;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly validFrom: number;
  readonly validUntil?: number;
  /** The wallet's key, from its proof of possession. */
  readonly holderJwk: PublicJwk;
  readonly status: { readonly idx: number; readonly uri: string };
}

/** The @sd-jwt instance that signs with `key`. */
function issuerInstance(key: WalletSigningKey): SDJwtVcInstance {
  return new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    signAlg: 'ES256',
    signer: async (input: string) => key.sign(input),
  });
}

/** The credential, compact: <issuer-signed JWT>~<disclosure>~…~ (no key binding: the holder adds it when presenting). */
export async function issueWalletCredential(input: WalletCredentialInput, key: WalletSigningKey): Promise<string> {
  const disclosed: Record<string, unknown> = { identifier: input.identifier, ...input.fields };
  if (input.holderName !== undefined) disclosed.holder_name = input.holderName;
  const reserved = new Set<string>(VISIBLE_CLAIMS);
  for (const name of Object.keys(disclosed))
    if (reserved.has(name) || name.startsWith('_')) throw new RangeError(`a licence field may not be named ${name}`);
  const { kid: _kid, alg: _alg, use: _use, ...holderKey } = input.holderJwk;
  const payload = {
    iss: input.issuer,
    iat: input.issuedAt,
    nbf: input.validFrom,
    ...(input.validUntil === undefined ? {} : { exp: input.validUntil }),
    vct: vctOf(input.typeCode),
    cnf: { jwk: holderKey },
    status: { status_list: { idx: input.status.idx, uri: input.status.uri } },
    licence_type: input.typeCode,
    issuer_code: key.issuerCode,
    ...disclosed,
  };
  const frame = { _sd: Object.keys(disclosed) } as DisclosureFrame<typeof payload>;
  return issuerInstance(key).issue(payload, frame, { header: { kid: key.kid } });
}
