// The wallet credential's routes: the portal's offer (the holder only), the OpenID4VCI endpoints a
// wallet calls (token, nonce, credential: public routes, each request authenticated by what the
// protocol requires — a pre-authorized code, a DPoP-bound token and proofs — not by a person's
// token), the verifier, and at the server's root the metadata the standards place under
// /.well-known/ (the issuer identifier has a path, so each document's path ends with it).
import { PresentationBody, PresentationView, WalletOfferView } from '@tongban/contracts';
import { definePolicies, Policies, type HttpApp } from '@tongban/kernel';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { STATUS_LIST_MEDIA_TYPE } from '../domain/sd-jwt/index.ts';
import { LicenseError } from '../errors.ts';
import type { Licenses } from '../service/licenses.ts';
import { OAuthError, walletOf } from '../service/wallet.ts';
import { findLicence } from '../store/licences.ts';

/** The issuer identifier's path: the metadata documents are at /.well-known/<name> followed by it. */
const ISSUER_PATH = '/api/licenses';
/** A token request is a small form (RFC 6749 §4.1.3 style). */
const FORM_LIMIT = 4096;
/** A credential request: one key proof and a configuration id. */
const JSON_LIMIT = 64 * 1024;

const LicenceRef = Type.Object({ id: Type.String({ format: 'uuid' }) });
const OAuthErrorBody = Type.Object({ error: Type.String(), error_description: Type.Optional(Type.String()) });
const NoStore = { 'cache-control': 'no-store' };

/** RFC 6749 §5.2 / RFC 9449 §7.1: an OAuth error as JSON, with the DPoP challenge on a 401. */
function sendOAuthError(reply: FastifyReply, error: OAuthError) {
  if (error.challenge) void reply.header('www-authenticate', `DPoP error="${error.error}", algs="ES256"`);
  return reply.code(error.status).headers(NoStore).send({ error: error.error, error_description: error.description });
}

async function oauth<T>(reply: FastifyReply, work: () => Promise<T>) {
  try {
    const answer = await work();
    return reply.headers(NoStore).send(answer);
  } catch (error) {
    if (error instanceof OAuthError) return sendOAuthError(reply, error);
    throw error;
  }
}

export function walletRoutes(app: HttpApp, licenses: Licenses): void {
  const wallet = walletOf(licenses);
  // The holder alone: an officer of the issuing department may read the licence, but a wallet
  // credential is the holder's own copy, with the name and fields in full.
  const holderOf = async (r: FastifyRequest) => {
    const id = (r.params as { id: string }).id;
    const row = await findLicence(licenses.db, id);
    if (!row) throw new LicenseError('LICENSES_NOT_FOUND', { id });
    return { ownerId: row.holder_id };
  };
  const policies = definePolicies({
    // Password, like the licence's own page and its scan code: the data are the holder's own, the
    // code is shown to the signed-in holder only, works once for five minutes, and the credential
    // is bound to the key of the wallet that redeems it. Asking for a second factor would keep
    // most citizens (password-only accounts) from their own wallet for no protection the code's
    // short single use does not already give.
    walletOffer: { kinds: ['citizen', 'business'], assurance: 'password', resource: holderOf },
  });

  app.post(
    '/:id/wallet-offer',
    {
      config: { policy: policies.walletOffer },
      schema: {
        tags: ['licenses'],
        summary:
          'Add to wallet (添加到卡包): an OpenID4VCI credential offer with a single-use, 5-minute pre-authorized code',
        params: LicenceRef,
        response: { 200: WalletOfferView },
      },
    },
    async (req, reply) => {
      void reply.headers(NoStore);
      return wallet.offer(req.params.id);
    },
  );

  // The OAuth endpoints (token, nonce, credential) speak OAuth's errors (RFC 6749 §5.2, OpenID4VCI
  // §8.3.1), bad bodies included: a wallet reads `error`, not problem+json.
  void app.register(async (scope) => {
    scope.setErrorHandler(async (error: FastifyError, req, reply) => {
      const clientError = error.validation !== undefined || error.code?.startsWith('FST_ERR_CTP_') === true;
      if (!clientError) throw error; // the platform's own handler: rate limits, 500s as problem+json
      const code = req.url.split('?')[0]!.endsWith('/credential') ? 'invalid_credential_request' : 'invalid_request';
      return sendOAuthError(reply, new OAuthError(400, code, error.message));
    });
    // A JSON body may be empty (a wallet's nonce request often is); one that is there must parse.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: JSON_LIMIT }, (_req, body, done) => {
      const text = String(body);
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(Object.assign(new Error('the body is not JSON'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON' }));
      }
    });
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    scope.post(
      '/token',
      {
        // The pre-authorized code and the DPoP proof are the credentials here (anonymous access, OpenID4VCI §6.1).
        config: { policy: Policies.public },
        schema: {
          tags: ['licenses'],
          summary: 'OAuth token endpoint: pre-authorized code + DPoP proof → DPoP-bound access token',
          body: Type.Record(Type.String(), Type.String()),
          response: {
            200: Type.Object({
              access_token: Type.String(),
              token_type: Type.Literal('DPoP'),
              expires_in: Type.Integer(),
            }),
            400: OAuthErrorBody,
          },
        },
      },
      async (req, reply) => oauth(reply, () => wallet.token(req.body as Record<string, string>, req.headers.dpop)),
    );

    scope.post(
      '/nonce',
      {
        config: { policy: Policies.public },
        schema: {
          tags: ['licenses'],
          summary: 'OpenID4VCI nonce endpoint: a fresh c_nonce for a key proof',
          response: { 200: Type.Object({ c_nonce: Type.String() }), 400: OAuthErrorBody },
        },
      },
      async (_req, reply) => oauth(reply, () => wallet.nonce()),
    );

    scope.post(
      '/credential',
      {
        // Authorised by the DPoP-bound access token the token endpoint gave, checked in the service.
        config: { policy: Policies.public },
        schema: {
          tags: ['licenses'],
          summary: "OpenID4VCI credential endpoint: the token's licence as an SD-JWT VC bound to the proof's key",
          response: {
            200: Type.Object({ credentials: Type.Array(Type.Object({ credential: Type.String() })) }),
            400: OAuthErrorBody,
            401: OAuthErrorBody,
          },
        },
      },
      async (req, reply) =>
        oauth(reply, () => wallet.credential(req.headers.authorization, req.headers.dpop, req.body)),
    );
  });

  app.get(
    '/token-status-lists/:listId',
    {
      // Public, like every status list: what it says about one slot is all a verifier learns.
      config: { policy: Policies.public },
      schema: {
        tags: ['licenses'],
        summary:
          "A department's licence statuses as an IETF Token Status List (statuslist+jwt), the list SD-JWT VCs point at",
        params: Type.Object({ listId: Type.String({ minLength: 1, maxLength: 100 }) }),
      },
    },
    async (req, reply) => {
      const jwt = await wallet.tokenStatusList(req.params.listId);
      if (!jwt) throw new LicenseError('LICENSES_STATUS_LIST_NOT_FOUND', { id: req.params.listId });
      return reply.type(STATUS_LIST_MEDIA_TYPE).header('cache-control', 'public, max-age=600').send(jwt);
    },
  );

  app.post(
    '/presentations/verify',
    {
      // Anyone may check a presentation: it says what its holder chose to show.
      config: { policy: Policies.public },
      schema: {
        tags: ['licenses'],
        summary:
          'Check an SD-JWT VC presentation: issuer signature, disclosures, key binding (aud, nonce, sd_hash), validity and status',
        body: PresentationBody,
        response: { 200: PresentationView },
      },
    },
    async (req) => wallet.verify(req.body),
  );
}

/** The metadata documents, at the server's root (RFC 8414 §3 and OpenID4VCI §12.2.2: /.well-known/<name><issuer path>). */
export function walletRootRoutes(app: HttpApp, licenses: Licenses): void {
  const wallet = walletOf(licenses);
  const options = { config: { policy: Policies.public }, schema: { tags: ['licenses'] } } as const;
  const credentialIssuer = async (_req: FastifyRequest, reply: FastifyReply) =>
    reply.header('cache-control', 'public, max-age=300').send(wallet.issuerMetadata());
  app.get(`/.well-known/openid-credential-issuer${ISSUER_PATH}`, options, credentialIssuer);
  // The bare path too, for a wallet that looks there first: the one credential issuer of this origin.
  app.get('/.well-known/openid-credential-issuer', options, credentialIssuer);
  app.get(`/.well-known/oauth-authorization-server${ISSUER_PATH}`, options, async (_req, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(wallet.authorizationServerMetadata()),
  );
  app.get(`/.well-known/jwt-vc-issuer${ISSUER_PATH}`, options, async (_req, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(wallet.jwtVcIssuerMetadata()),
  );
}
