// What identity keeps for its life (its instance, from start): the OpenID provider, built on the
// first request that needs it, and the security events it triggered that are still being written.
import type { ModuleContext } from '@tongban/kernel';
import type Provider from 'oidc-provider';
import { createProvider, type ProviderPages } from './provider.ts';
import { ensureSigningKeys } from '../store/keys.ts';
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
    return provider;
  }
}
