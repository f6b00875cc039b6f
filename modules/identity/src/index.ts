// 统一身份认证 — one sign-in for every service: an OpenID provider with citizen, business and
// staff accounts, multi-factor sign-in, and the keys the kernel's guard verifies tokens with.
import { defineModule, type HttpApp, type ModuleContext } from '@tongban/kernel';
import type Provider from 'oidc-provider';
import { accountRoutes } from './api/accounts.ts';
import { adminRoutes } from './api/admin.ts';
import { ensureBuiltinClients, SERVICE_KEY_SECRETS } from './api/builtin-clients.ts';
import { interactionRoutes } from './api/interaction.ts';
import { mountProvider } from './api/oidc.ts';
import { passkeyRoutes } from './api/passkeys.ts';
import { createProvider } from './api/provider.ts';
import { keyRoutes } from './api/keys.ts';
import { IdentityErrors } from './errors.ts';
import { seedDemoAccounts } from './seed/seed.ts';
import { sessionRoutes } from './api/sessions.ts';
import { warnIfNoSmsGateway } from './api/sms.ts';
import { ensureSigningKeys } from './store/keys.ts';
import { pruneThrottles } from './store/throttle.ts';
import { DEFAULT_THROTTLE } from './domain/throttle.ts';

/** The provider needs the issuer URL, known once the server listens (or from TONGBAN_PUBLIC_URL). */
function lazyProvider(app: HttpApp, ctx: ModuleContext): () => Promise<Provider> {
  let provider: Promise<Provider> | undefined;
  return () => {
    provider ??= (async () => {
      const issuer = issuerOf(app, ctx);
      return watchProvider(
        ctx,
        createProvider({
          db: ctx.db,
          issuer,
          cookieKeys: [ctx.secret('identity-cookie-key')],
          signingKeys: await ensureSigningKeys(ctx.db),
          trustProxy: Boolean(ctx.config.http.trustProxy),
          accessTokenSeconds: ctx.config.identity.accessTokenSeconds,
          session: {
            idleSeconds: ctx.config.identity.sessionIdleSeconds,
            absoluteSeconds: ctx.config.identity.sessionAbsoluteSeconds,
          },
        }),
      );
    })();
    return provider;
  };
}

// The provider emits its events synchronously and answers the client without waiting for us, so
// the security events it triggers are written in the background; these are the writes in flight.
const inFlight = new WeakMap<ModuleContext, Set<Promise<unknown>>>();

function track(ctx: ModuleContext, write: Promise<unknown>): void {
  let writes = inFlight.get(ctx);
  if (!writes) inFlight.set(ctx, (writes = new Set()));
  writes.add(write);
  void write.finally(() => writes.delete(write));
}

/** Resolves once every security event the provider has triggered so far is committed (or logged as lost). */
export async function securityEventsRecorded(ctx: ModuleContext): Promise<void> {
  await Promise.all([...(inFlight.get(ctx) ?? [])]);
}

/** Turns what the provider notices into security events and logs. */
function watchProvider(ctx: ModuleContext, provider: Provider): Provider {
  provider.on('grant.error', (koa, error: { error_detail?: string }) => {
    // oidc-provider has already revoked the grant; the event lets security operations react.
    if (error.error_detail === 'refresh token already used') {
      const token = koa.oidc.entities.RefreshToken as
        { accountId?: string; grantId?: string; clientId?: string } | undefined;
      track(
        ctx,
        ctx.db
          .transaction()
          .execute((trx) =>
            ctx.events.publish(trx, 'identity.refresh-token.reused', {
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

export function issuerOf(app: HttpApp, ctx: ModuleContext): string {
  if (ctx.config.publicUrl) return ctx.config.publicUrl.replace(/\/$/, '');
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : ctx.config.port;
  return `http://localhost:${port}`;
}

const providers = new WeakMap<ModuleContext, () => Promise<Provider>>();

export default defineModule({
  name: 'identity',
  title: { zh: '统一身份认证', en: 'Identity' },
  migrations: new URL('./store/migrations/', import.meta.url),
  errors: IdentityErrors,
  // Read at start (production refuses to start without one): the session cookies' key, the
  // one-time codes' and sign-in counters' pepper, and the keys of the service clients it registers.
  secrets: ['identity-cookie-key', 'identity-otp-pepper', ...SERVICE_KEY_SECRETS],
  rootRoutes(app, ctx) {
    const provider = lazyProvider(app, ctx);
    providers.set(ctx, provider);
    mountProvider(app, provider);
  },
  async routes(app, ctx) {
    // Every start, in every shape, before any request: a client to sign in with exists without an operator step.
    await ensureBuiltinClients(ctx, issuerOf(app, ctx));
    // Without TONGBAN_PUBLIC_URL the issuer's port is known only now (TONGBAN_PORT=0 picks one).
    if (!ctx.config.publicUrl) app.addHook('onListen', () => ensureBuiltinClients(ctx, issuerOf(app, ctx)));
    warnIfNoSmsGateway(ctx);
    const provider = providers.get(ctx) ?? lazyProvider(app, ctx);
    interactionRoutes(app, ctx, provider);
    adminRoutes(app, ctx);
    sessionRoutes(app, ctx);
    accountRoutes(app, ctx);
    passkeyRoutes(app, ctx, () => issuerOf(app, ctx));
    keyRoutes(app, ctx, () => issuerOf(app, ctx));
    // Closing waits for the security events still being written, before the database goes.
    app.addHook('onClose', () => securityEventsRecorded(ctx));
  },
  // A day past the longest memory (known addresses, 90 days): counters stop growing with every address ever tried.
  jobs: [
    {
      name: 'prune-sign-in-throttles',
      everyMs: 3_600_000,
      run: async (ctx) => {
        await pruneThrottles(ctx.trx, ctx.clock.now(), DEFAULT_THROTTLE.knownAddressSeconds + 86_400);
      },
    },
  ],
  seed: seedDemoAccounts,
});
