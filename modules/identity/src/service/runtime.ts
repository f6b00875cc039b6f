// What identity keeps for its life (its instance, from start): the OpenID provider, built on the
// first request that needs it, and the security events it triggered that are still being written.
import type { ModuleContext } from '@tongban/kernel';
import type Provider from 'oidc-provider';
import { createProvider, type ProviderPages } from './provider.ts';
import { ensureSigningKeys } from '../store/keys.ts';
import { recordSignIn } from './sign-in.ts';
import { typed } from '../store/tables.ts';

export class IdentityRuntime {
  readonly #ctx: ModuleContext;
  readonly #pages: ProviderPages;
  #provider: Promise<Provider> | undefined;
  // The provider emits its events synchronously and answers the client without waiting for us,
  // so the security events it triggers are written in the background; these are the writes in flight.
  readonly #writes = new Set<Promise<unknown>>();

  constructor(ctx: ModuleContext, pages: ProviderPages) {
    this.#ctx = ctx;
    this.#pages = pages;
  }

  /** The issuer: TONGBAN_PUBLIC_URL, or this server's origin once it listens (TONGBAN_PORT=0 picks the port). */
  issuer(): string {
    return this.#ctx.origin();
  }

  /** Built on first use: without TONGBAN_PUBLIC_URL the issuer is known only once the server listens. */
  readonly provider = (): Promise<Provider> => {
    const ctx = this.#ctx;
    this.#provider ??= (async () =>
      this.#watch(
        createProvider({
          db: typed(ctx.db),
          pages: this.#pages,
          issuer: this.issuer(),
          cookieKeys: [ctx.secret('identity-cookie-key')],
          signingKeys: await ensureSigningKeys(typed(ctx.db), ctx.fields),
          trustProxy: Boolean(ctx.config.http.trustProxy),
          accessTokenSeconds: ctx.config.identity.accessTokenSeconds,
          session: {
            idleSeconds: ctx.config.identity.sessionIdleSeconds,
            absoluteSeconds: ctx.config.identity.sessionAbsoluteSeconds,
          },
        }),
      ))();
    return this.#provider;
  };

  /** Resolves once every security event the provider has triggered so far is committed (or logged as lost). */
  async securityEventsRecorded(): Promise<void> {
    await Promise.all([...this.#writes]);
  }

  #track(write: Promise<unknown>): void {
    this.#writes.add(write);
    void write.finally(() => this.#writes.delete(write));
  }

  /**
   * identity.sign-in.succeeded once the provider resumes the authorization with a sign-in's result:
   * only then does its session, and the session's id (the `sid` of its tokens), exist. Published
   * before the browser is answered. A consent that follows a sign-in resumes with the sign-in
   * merged into its result (api/interaction.ts): only the resume of the interaction that asked for
   * the sign-in is one.
   */
  #recordSignIns(provider: Provider): void {
    const ctx = this.#ctx;
    const ended = new WeakMap<object, { accountId: string; acr: string; ip: string }>();
    provider.on('interaction.ended', (koa) => {
      const login = (koa.oidc.result as { login?: { accountId?: unknown; acr?: unknown; ip?: unknown } } | undefined)
        ?.login;
      const interaction = koa.oidc.entities.Interaction as { lastSubmission?: { login?: unknown } } | undefined;
      if (typeof login?.accountId !== 'string' || interaction?.lastSubmission?.login) return;
      ended.set(koa, {
        accountId: login.accountId,
        acr: typeof login.acr === 'string' ? login.acr : '',
        ip: typeof login.ip === 'string' ? login.ip : koa.ip,
      });
    });
    provider.use(async (koa, next) => {
      await next();
      const signIn = ended.get(koa);
      const session = koa.oidc?.session;
      if (!signIn || session?.accountId !== signIn.accountId) return;
      await recordSignIn(ctx, { ...signIn, sessionId: session.uid });
    });
  }

  /** Turns what the provider notices into security events and logs. */
  #watch(provider: Provider): Provider {
    const ctx = this.#ctx;
    provider.on('grant.error', (koa, error: { error_detail?: string }) => {
      // oidc-provider has already revoked the grant; the event lets security operations react.
      if (error.error_detail === 'refresh token already used') {
        const token = koa.oidc.entities.RefreshToken as
          { accountId?: string; grantId?: string; clientId?: string } | undefined;
        this.#track(
          ctx
            .transaction((_trx, events) =>
              events.publish('identity.refresh-token.reused', {
                accountId: token?.accountId ?? null,
                clientId: koa.oidc.client?.clientId ?? null,
                grantId: token?.grantId ?? null,
                ip: koa.ip,
              }),
            )
            .catch((e: unknown) => ctx.log.error({ err: e }, 'could not record a refresh-token reuse')),
        );
      }
    });
    provider.on('server_error', (_koa, error: Error) => ctx.log.error({ err: error }, 'OpenID provider error'));
    this.#recordSignIns(provider);
    return provider;
  }
}
