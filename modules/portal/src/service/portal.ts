// The backend-for-frontend (draft-ietf-oauth-browser-based-apps, "Backend For Frontend"): the web
// app signs in through the portal, which runs the authorization code flow with PKCE against
// identity as the client `tongban-portal`, keeps the tokens server-side (sealed in portal.session)
// and gives the browser only an opaque, HttpOnly, SameSite=Lax cookie. Calls from the web app go
// through /portal/api/*, where the portal adds the access token; unsafe ones must carry the
// session's anti-forgery token. An access token near its end is refreshed on use; a refresh that
// fails ends the session (401 PORTAL_SIGNED_OUT: the web app sends the person to sign in again).
import { createHash, randomBytes } from 'node:crypto';
import { AccessToken, type TongbanClaim } from '@tongban/contracts';
import type { ForwardedAnswer, ForwardedRequest, ModuleContext } from '@tongban/kernel';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { PortalError } from '../errors.ts';
import {
  deleteSession,
  findSession,
  forgetLoginsBefore,
  insertLogin,
  insertSession,
  takeLogin,
  updateSession,
} from '../store/sessions.ts';
import { typed, type SessionRow } from '../store/tables.ts';

export const PORTAL_CLIENT = 'tongban-portal';
/** A sign-in must come back within this. */
const LOGIN_TTL_MS = 10 * 60_000;
/** The longest a portal session lives, refreshes or not (identity's own session may end it sooner). */
const SESSION_TTL_MS = 12 * 3600_000;
/** An access token this close to its end is refreshed before use. */
const REFRESH_AHEAD_MS = 30_000;

export interface PortalUser {
  readonly id: string;
  readonly name: string;
  readonly kind: TongbanClaim['kind'];
  readonly assurance: 'password' | 'mfa';
  readonly roles: readonly string[];
  readonly departments: readonly string[];
}

export interface CurrentSession {
  readonly user: PortalUser;
  readonly csrf: string;
  readonly accessToken: string;
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');
const randomToken = () => randomBytes(32).toString('base64url');
const aad = (column: string, idHash: string) => `portal.session.${column}:${idHash}`;

export class Portal {
  readonly #ctx: ModuleContext;
  #config: Promise<oidc.Configuration> | undefined;

  constructor(ctx: ModuleContext) {
    this.#ctx = ctx;
  }

  get origin(): string {
    return this.#ctx.origin();
  }

  /** Identity's configuration, discovered on first use (the issuer is this server's origin, known once it listens). */
  #oidc(): Promise<oidc.Configuration> {
    this.#config ??= oidc
      .discovery(new URL(this.origin), PORTAL_CLIENT, undefined, oidc.None(), {
        ...(this.origin.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        this.#config = undefined;
        throw error;
      });
    return this.#config;
  }

  /** No TONGBAN_PUBLIC_URL: the origin is this server's own (localhost and its port), which a browser may reach by another name. */
  get localOrigin(): boolean {
    return !this.#ctx.config.publicUrl;
  }

  /**
   * A browser's call passed on to the module that answers it: injected when it runs in this
   * process, fetched from its own process otherwise (the split shape), as the kernel's client does.
   */
  forward(module: string, request: ForwardedRequest): Promise<ForwardedAnswer> {
    return this.#ctx.modules.forward(module, request);
  }

  /** Where workflow's stream is: its own process's base URL, or undefined when it runs in this one. */
  workflowUrl(): string | undefined {
    return this.#ctx.modules.serviceUrl('workflow');
  }

  get redirectUri(): string {
    return `${this.origin}/portal/callback`;
  }

  /** A new sign-in: the cookie to set and where to send the browser. */
  async startLogin(returnTo: string, assurance?: 'mfa'): Promise<{ cookie: string; url: string }> {
    const config = await this.#oidc();
    const cookie = randomToken();
    const state = oidc.randomState();
    const verifier = oidc.randomPKCECodeVerifier();
    const db = typed(this.#ctx.db);
    await forgetLoginsBefore(db, new Date(this.#ctx.clock.now().getTime() - LOGIN_TTL_MS));
    await insertLogin(db, { id_hash: digest(cookie), state, code_verifier: verifier, return_to: returnTo });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid profile offline_access api',
      resource: AccessToken.audience,
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...(assurance === 'mfa' ? { acr_values: AccessToken.acr.mfa } : {}),
    });
    return { cookie, url: url.href };
  }

  /** The callback: checks state and PKCE, exchanges the code, opens the session. */
  async finishLogin(loginCookie: string | undefined, callback: URL): Promise<{ cookie: string; returnTo: string }> {
    const db = typed(this.#ctx.db);
    const now = this.#ctx.clock.now();
    const login = loginCookie
      ? await takeLogin(db, digest(loginCookie), new Date(now.getTime() - LOGIN_TTL_MS))
      : undefined;
    if (!login || callback.searchParams.get('state') !== login.state) throw new PortalError('PORTAL_LOGIN_EXPIRED');
    const config = await this.#oidc();
    let tokens: oidc.TokenEndpointResponse;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: login.code_verifier,
        expectedState: login.state,
      });
    } catch (error) {
      this.#ctx.log.warn({ err: error }, 'portal sign-in: the code exchange failed');
      throw new PortalError('PORTAL_LOGIN_FAILED');
    }
    const cookie = randomToken();
    const idHash = digest(cookie);
    const claims = decodeJwt(tokens.access_token);
    await insertSession(db, {
      id_hash: idHash,
      account_id: String(claims.sub),
      ...(await this.#sealTokens(idHash, tokens)),
      csrf: randomToken(),
      expires_at: new Date(now.getTime() + SESSION_TTL_MS),
    });
    return { cookie, returnTo: login.return_to };
  }

  async #sealTokens(idHash: string, tokens: oidc.TokenEndpointResponse, previous?: SessionRow) {
    const fields = this.#ctx.fields;
    const exp = decodeJwt(tokens.access_token).exp;
    return {
      access_token: await fields.seal(tokens.access_token, aad('access_token', idHash)),
      refresh_token: tokens.refresh_token
        ? await fields.seal(tokens.refresh_token, aad('refresh_token', idHash))
        : (previous?.refresh_token ?? null),
      id_token: tokens.id_token
        ? await fields.seal(tokens.id_token, aad('id_token', idHash))
        : (previous?.id_token ?? null),
      access_expires_at: new Date((exp ?? 0) * 1000),
    };
  }

  /** The signed-in session of this cookie, its access token refreshed when near its end; undefined when there is none. */
  async current(cookie: string | undefined): Promise<CurrentSession | undefined> {
    if (!cookie) return undefined;
    const db = typed(this.#ctx.db);
    const now = this.#ctx.clock.now();
    const idHash = digest(cookie);
    let row = await findSession(db, idHash, now);
    if (!row) return undefined;
    if (row.access_expires_at.getTime() - REFRESH_AHEAD_MS <= now.getTime()) {
      const refreshed = await this.#refresh(row);
      if (!refreshed) {
        await deleteSession(db, idHash);
        return undefined;
      }
      row = refreshed;
    }
    const fields = this.#ctx.fields;
    const accessToken = await fields.open(row.access_token, aad('access_token', idHash));
    const idToken = row.id_token ? await fields.open(row.id_token, aad('id_token', idHash)) : undefined;
    return { user: userOf(accessToken, idToken), csrf: row.csrf, accessToken };
  }

  async #refresh(row: SessionRow): Promise<SessionRow | undefined> {
    if (!row.refresh_token) return undefined;
    const fields = this.#ctx.fields;
    try {
      const tokens = await oidc.refreshTokenGrant(
        await this.#oidc(),
        await fields.open(row.refresh_token, aad('refresh_token', row.id_hash)),
        { resource: AccessToken.audience },
      );
      const sealed = await this.#sealTokens(row.id_hash, tokens, row);
      await updateSession(typed(this.#ctx.db), row.id_hash, sealed);
      return { ...row, ...sealed };
    } catch (error) {
      this.#ctx.log.info({ err: error }, 'portal session: the refresh was refused; the session ends');
      return undefined;
    }
  }

  /** Ends the session here; returns where to end identity's sign-in too (RP-initiated logout). */
  async logout(cookie: string | undefined): Promise<string> {
    const config = await this.#oidc();
    const row = cookie ? await deleteSession(typed(this.#ctx.db), digest(cookie)) : undefined;
    const idToken = row?.id_token ? await this.#ctx.fields.open(row.id_token, aad('id_token', row.id_hash)) : undefined;
    return oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: `${this.origin}/portal/`,
      ...(idToken ? { id_token_hint: idToken } : {}),
    }).href;
  }
}

/** Who the tokens say is signed in (identity issued them to us over TLS, straight from its token endpoint). */
export function userOf(accessToken: string, idToken?: string): PortalUser {
  const claims = decodeJwt(accessToken);
  const tongban = claims[AccessToken.claim] as TongbanClaim | undefined;
  const name = idToken ? decodeJwt(idToken).name : undefined;
  return {
    id: String(claims.sub),
    name: typeof name === 'string' ? name : String(claims.sub),
    kind: tongban?.kind ?? 'citizen',
    assurance: claims.acr === AccessToken.acr.mfa ? 'mfa' : 'password',
    roles: [...(tongban?.roles ?? [])],
    departments: [...(tongban?.departments ?? [])],
  };
}
