// The OpenID provider (oidc-provider, a certified implementation) configured for Tongban:
// authorization code with PKCE, refresh-token rotation with reuse detection (a reused refresh
// token revokes its whole grant), client credentials with private_key_jwt for department
// systems, pushed authorization requests and DPoP (FAPI 2.0-ready), RP-initiated logout, and
// short-lived JWT access tokens (ES256) carrying the claims the kernel's guard reads.
import { AccessToken, type TongbanClaim } from '@tongban/contracts';
import { negotiateLang, problemFor, type Lang } from '@tongban/kernel';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { findAccountById, type Account } from '../store/accounts.ts';
import { clientRoles } from '../store/clients.ts';
import { adapterFor } from '../store/oidc-adapter.ts';
import type { SigningKey } from '../store/keys.ts';
import type { IdentityDb } from '../store/tables.ts';
import { sessionTtl, type SessionLifetime } from '../domain/session-lifetime.ts';

const epochSeconds = () => Math.floor(Date.now() / 1000);

// The access-token contract is declared once, in @tongban/contracts; the guard verifies against it.
export const API_AUDIENCE = AccessToken.audience;
export const ACR_PASSWORD = AccessToken.acr.password;
export const ACR_MFA = AccessToken.acr.mfa;

/** Why a sign-in cannot go on: the message of the dead-end page that says so. */
export type DeadEnd = 'deadEndExpired' | 'deadEndUnknownClient' | 'deadEndBadRedirect' | 'deadEndOther';

/** The pages the provider shows a browser itself, rendered by the api's page templates (api/pages.ts). */
export interface ProviderPages {
  deadEnd(input: {
    readonly lang: Lang;
    readonly reason: DeadEnd;
    readonly startAgain: string;
    readonly code?: string;
  }): string;
  /** The sign-out confirmation around oidc-provider's form. */
  logout(form: string): string;
}

export interface ProviderOptions {
  readonly db: IdentityDb;
  readonly pages: ProviderPages;
  readonly issuer: string;
  readonly cookieKeys: string[];
  readonly signingKeys: SigningKey[];
  readonly trustProxy: boolean;
  readonly accessTokenSeconds: number;
  readonly session: SessionLifetime;
}

export const OIDC_ROUTES = {
  authorization: '/oidc/auth',
  token: '/oidc/token',
  jwks: '/oidc/jwks',
  userinfo: '/oidc/me',
  end_session: '/oidc/session/end',
  pushed_authorization_request: '/oidc/request',
  introspection: '/oidc/token/introspection',
  revocation: '/oidc/token/revocation',
} as const;

/** The `tongban` claim of an access token: what the kernel's guard decides with. */
export function tongbanClaim(account: Account): TongbanClaim {
  return {
    kind: account.kind,
    roles: account.roles,
    departments: account.departments,
    regions: account.regions,
  };
}

/**
 * Koa builds absolute URLs (discovery, the redirect to the sign-in page, the logout form) from the
 * request's Host and, behind a trusted proxy, X-Forwarded-Host/-Proto: a forged header would make
 * the provider advertise another origin's endpoints. The issuer is configured, so every request is
 * answered as if addressed to it; that also marks cookies Secure whenever the issuer is https.
 */
export function pinOrigin(issuer: string) {
  const { host, protocol } = new URL(issuer);
  const scheme = protocol.slice(0, -1);
  return async (ctx: { request: object }, next: () => Promise<void>) => {
    Object.defineProperties(ctx.request, { host: { value: host }, protocol: { value: scheme } });
    await next();
  };
}

/** A path under /oidc/ that is no endpoint: problem+json like every other 404, not Koa's text/plain. */
async function notFoundAsProblem(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
  await next();
  if (ctx.status !== 404 || ctx.body !== undefined) return;
  const problem = problemFor('NOT_FOUND', negotiateLang(ctx.get('accept-language')), {}, [
    { field: 'path', code: 'not_found', message: ctx.path },
  ]);
  ctx.body = JSON.stringify({ ...problem, instance: ctx.path });
  ctx.status = 404; // after the body: Koa sets 200 when a body is assigned
  ctx.type = 'application/problem+json';
}

function deadEndOf(error: string, cause: Error): DeadEnd {
  if (cause instanceof errors.SessionNotFound) return 'deadEndExpired';
  if (error === 'invalid_client') return 'deadEndUnknownClient';
  if (error === 'invalid_redirect_uri') return 'deadEndBadRedirect';
  return 'deadEndOther';
}

export function createProvider(options: ProviderOptions): Provider {
  const { db } = options;
  const configuration: Configuration = {
    adapter: adapterFor(db),
    jwks: { keys: options.signingKeys },
    cookies: { keys: options.cookieKeys },
    routes: OIDC_ROUTES,
    acrValues: [ACR_PASSWORD, ACR_MFA],
    // acr, amr and auth_time in every ID token: a relying party must see how strongly the person signed in.
    claims: { openid: ['sub', 'acr', 'amr', 'auth_time', 'sid'], profile: ['name', 'tongban_kind'] },
    // Advertised (discovery's scopes_supported) because clients are told to ask for it: `api` is
    // the platform APIs' resource scope (getResourceServerInfo below), naming urn:tongban:api.
    scopes: ['openid', 'offline_access', 'api'],
    interactions: { url: (_ctx, interaction) => `/api/identity/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const account = await findAccountById(db, sub);
      if (!account || account.disabled) return undefined;
      return { accountId: sub, claims: async () => ({ sub, name: account.displayName, tongban_kind: account.kind }) };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      dPoP: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // Our own confirmation page: both languages, no third-party fonts, a real button.
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = options.pages.logout(form);
        },
      },
      resourceIndicators: {
        enabled: true,
        // RFC 8707 lets a client name the resource in the authorization request, the token
        // request or both. Every authorization covers the platform's APIs (the only resource),
        // so naming it only at the token request works; a token request that names none gets
        // an API token when the authorization asked for one (the `api` scope, which
        // resource=urn:tongban:api implies, oidc.ts) and a userinfo token otherwise.
        defaultResource: (_ctx, _client, oneOf) =>
          oneOf ? (oneOf.includes(API_AUDIENCE) ? API_AUDIENCE : oneOf[0]!) : API_AUDIENCE,
        useGrantedResource: (_ctx, model) => (model as { scopes: Set<string> }).scopes.has('api'),
        getResourceServerInfo: (_ctx, identifier) => {
          if (identifier !== API_AUDIENCE) throw new errors.InvalidTarget('the only resource is urn:tongban:api');
          return {
            scope: 'api',
            audience: API_AUDIENCE,
            accessTokenTTL: options.accessTokenSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    pkce: { required: () => true },
    // Only what a registered client can use (api/admin.ts): browser apps are public clients with
    // code + PKCE, department systems authenticate with private_key_jwt. No implicit or hybrid
    // flow, no client secrets.
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'private_key_jwt'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
      token_endpoint_auth_method: 'none',
    },
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256'],
      // What admin.ts registers department systems with, and the kernel's service tokens use.
      clientAuthSigningAlgValues: ['ES256'],
      dPoPSigningAlgValues: ['ES256', 'EdDSA', 'PS256'],
    },
    rotateRefreshToken: true,
    // Every token ends with the sign-in session: signing out or revoking a session (on any
    // device, by the person or an operator) kills its refresh tokens too.
    expiresWithSession: () => true,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    ttl: {
      AccessToken: options.accessTokenSeconds,
      ClientCredentials: options.accessTokenSeconds,
      IdToken: options.accessTokenSeconds,
      AuthorizationCode: 60,
      Interaction: 600,
      // Rolling: every save of the session (each authorization, each refresh) restarts the idle
      // period, within the absolute limit from the sign-in.
      Session: (_ctx, session) =>
        sessionTtl((session as { loginTs?: number }).loginTs, epochSeconds(), options.session),
      Grant: options.session.absoluteSeconds,
      RefreshToken: options.session.absoluteSeconds,
    },
    extraTokenClaims: async (ctx, token) => {
      if (token.kind === 'ClientCredentials') {
        const roles = await clientRoles(db, token.clientId!);
        return { [AccessToken.claim]: { kind: 'service', roles: roles ?? [], departments: [], regions: [] } };
      }
      const accountId = (token as { accountId?: string }).accountId;
      const account = accountId ? await findAccountById(db, accountId) : undefined;
      if (!account) return undefined;
      // The code or refresh token being exchanged knows how the person signed in, and in which session.
      const source = (ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken) as
        { acr?: string; sessionUid?: string } | undefined;
      if (ctx.oidc.entities.RefreshToken && source?.sessionUid) {
        // Using the refresh token is activity: it keeps the session from going idle.
        const session = await ctx.oidc.provider.Session.findByUid(source.sessionUid);
        if (session) await session.save(sessionTtl(session.loginTs, epochSeconds(), options.session));
      }
      return {
        [AccessToken.claim]: tongbanClaim(account),
        ...(source?.acr ? { acr: source.acr } : {}),
        ...(source?.sessionUid ? { sid: source.sessionUid } : {}),
      };
    },
    // First-party platform: the portal and operator-registered department systems are trusted,
    // so the scopes a client asks for are granted without a consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (!ctx.oidc.session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(String(ctx.oidc.params?.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
    // A person's browser gets a page in their language that says what went wrong and where to
    // start again; programs get problem+json.
    renderError: async (ctx, out, error) => {
      if (ctx.accepts('json', 'html') === 'html') {
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = options.pages.deadEnd({
          lang: negotiateLang(ctx.get('accept-language')),
          reason: deadEndOf(out.error, error),
          startAgain: `${options.issuer}/portal/`,
          code: out.error,
        });
        return;
      }
      ctx.type = 'application/problem+json';
      ctx.body = JSON.stringify({
        type: `urn:tongban:error:oidc-${out.error}`,
        title: out.error,
        status: ctx.status,
        code: 'OIDC_ERROR',
        detail: out.error_description,
      });
    },
  };
  const provider = new Provider(options.issuer, configuration);
  // Only for the client's address (rate limits, events): the URLs come from the issuer below.
  provider.proxy = options.trustProxy;
  provider.use(pinOrigin(options.issuer));
  provider.use(notFoundAsProblem);
  return provider;
}
