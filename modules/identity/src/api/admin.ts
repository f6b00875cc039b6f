// What operators manage here: the systems that sign in through the platform (relying parties).
import { IdentityError } from '../errors.ts';
import { Policies, type HttpApp, type ModuleContext } from '@tongban/kernel';
import Type from 'typebox';
import { isBuiltinClient } from '../service/builtin-clients.ts';
import { registerClient } from '../store/clients.ts';
import { typed } from '../store/tables.ts';

const ClientId = Type.Object({ clientId: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,63}$' }) });
// Exactly a public P-256 key (department systems sign their assertions with ES256): no free
// members, so no private key by mistake and no nesting to exhaust whoever reads it.
const Coordinate = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });
const Jwk = Type.Object(
  {
    kty: Type.Literal('EC'),
    crv: Type.Literal('P-256'),
    x: Coordinate,
    y: Coordinate,
    kid: Type.Optional(Type.String({ pattern: '^[\\x21-\\x7e]{1,128}$' })),
    alg: Type.Optional(Type.Literal('ES256')),
    use: Type.Optional(Type.Literal('sig')),
  },
  { additionalProperties: false },
);
const ClientBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    /** department systems: client credentials signed with their own key (private_key_jwt) */
    jwks: Type.Optional(
      Type.Object({ keys: Type.Array(Jwk, { minItems: 1, maxItems: 5 }) }, { additionalProperties: false }),
    ),
    /** browser apps: authorization code with PKCE, no client secret */
    redirectUris: Type.Optional(Type.Array(Type.String({ pattern: '^https?://' }), { maxItems: 10 })),
    postLogoutRedirectUris: Type.Optional(Type.Array(Type.String({ pattern: '^https?://' }), { maxItems: 10 })),
    roles: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9.:-]{1,63}$' }), { maxItems: 50, default: [] }),
  },
  { additionalProperties: false },
);

export function adminRoutes(app: HttpApp, ctx: ModuleContext): void {
  app.put(
    '/clients/:clientId',
    {
      config: { policy: Policies.operator },
      schema: {
        tags: ['identity: clients'],
        summary: 'Register or update a relying party',
        params: ClientId,
        body: ClientBody,
      },
    },
    async (request) => {
      const { clientId } = request.params;
      // The platform re-registers its own clients at every start: an operator's change would silently revert.
      if (isBuiltinClient(clientId))
        throw new IdentityError('IDENTITY_CLIENT_RESERVED', { clientId }, [
          { field: 'params.clientId', code: 'reserved', message: 'registered by the platform itself' },
        ]);
      const b = request.body;
      const metadata = b.jwks
        ? {
            client_id: clientId,
            client_name: b.name,
            token_endpoint_auth_method: 'private_key_jwt',
            token_endpoint_auth_signing_alg: 'ES256',
            jwks: b.jwks,
            grant_types: ['client_credentials'],
            response_types: [],
            redirect_uris: [],
          }
        : {
            client_id: clientId,
            client_name: b.name,
            token_endpoint_auth_method: 'none',
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            redirect_uris: b.redirectUris ?? [],
            post_logout_redirect_uris: b.postLogoutRedirectUris ?? [],
          };
      await registerClient(typed(ctx.db), clientId, metadata, b.roles);
      return { clientId, kind: b.jwks ? 'department-system' : 'browser-app', roles: b.roles };
    },
  );
}
