// The documents a wallet and a verifier read first, as the standards shape them: the credential
// issuer's (OpenID4VCI 1.0 §12.2.4), its authorization server's (RFC 8414, with OpenID4VCI's and
// RFC 9449's additions) and the JWT VC issuer's keys (SD-JWT VC §5). The issuer identifier is the
// licences API's URL; every endpoint is under it.
import type { LicenceType } from '../licence-types.ts';
import { vctOf } from './issue.ts';
import type { WalletSigningKey } from './keys.ts';

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** One configuration per licence type: SD-JWT VC, bound to a JWK, ES256 key proofs, names in zh-CN and en. */
export function credentialIssuerMetadata(issuer: string, types: readonly LicenceType[]) {
  const configurations: Record<string, unknown> = {};
  for (const type of types) {
    configurations[type.code] = {
      format: 'dc+sd-jwt',
      vct: vctOf(type.code),
      scope: type.code,
      cryptographic_binding_methods_supported: ['jwk'],
      credential_signing_alg_values_supported: ['ES256'],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
      // 1.0 final keeps display and claims under credential_metadata.
      credential_metadata: {
        display: [
          { name: type.name.zh, locale: 'zh-CN' },
          { name: type.name.en, locale: 'en' },
        ],
        claims: ['identifier', 'holder_name', ...Object.keys(type.fields)].map((name) => ({ path: [name] })),
      },
    };
  }
  return {
    credential_issuer: issuer,
    credential_endpoint: `${issuer}/credential`,
    nonce_endpoint: `${issuer}/nonce`,
    display: [
      { name: '通办电子证照', locale: 'zh-CN' },
      { name: 'Tongban electronic licences', locale: 'en' },
    ],
    credential_configurations_supported: configurations,
  };
}

/**
 * The token endpoint of the pre-authorized code flow. No authorization endpoint: the portal, where
 * the holder is signed in, is the front door, so no authorization code (nor PKCE) is involved.
 */
export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    token_endpoint: `${issuer}/token`,
    grant_types_supported: [PRE_AUTHORIZED_GRANT],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ['none'],
    'pre-authorized_grant_anonymous_access_supported': true,
    dpop_signing_alg_values_supported: ['ES256'],
  };
}

/** The keys a verifier checks our credentials with. */
export function jwtVcIssuerMetadata(issuer: string, keys: readonly WalletSigningKey[]) {
  return { issuer, jwks: { keys: keys.map((k) => k.publicJwk) } };
}
