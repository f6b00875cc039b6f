// 统一身份认证 — one sign-in for every service: an OpenID provider with citizen, business and
// staff accounts, multi-factor sign-in, and the keys the kernel's guard verifies tokens with.
import { defineModule } from '@tongban/kernel';
import { accountRoutes } from './api/accounts.ts';
import { adminRoutes } from './api/admin.ts';
import { ensureBuiltinClients, SERVICE_KEY_SECRETS } from './service/builtin-clients.ts';
import { interactionRoutes } from './api/interaction.ts';
import { mountProvider } from './api/oidc.ts';
import { deadEndPage, logoutPage } from './api/pages.ts';
import { passkeyRoutes } from './api/passkeys.ts';
import { keyRoutes } from './api/keys.ts';
import { IdentityErrors } from './errors.ts';
import { seedDemoAccounts } from './seed/seed.ts';
import { sessionRoutes } from './api/sessions.ts';
import { securityRoutes } from './api/security.ts';
import { contactRoutes } from './api/contact.ts';
import { deviceRoutes } from './api/devices.ts';
import { warnIfNoSmsGateway } from './service/sms.ts';
import { pruneThrottles } from './store/throttle.ts';
import { typed } from './store/tables.ts';
import { DEFAULT_THROTTLE } from './domain/throttle.ts';
import { IdentityRuntime } from './service/runtime.ts';
import { sealClearSecrets } from './service/sealed-secrets.ts';

export default defineModule({
  name: 'identity',
  title: { zh: '统一身份认证', en: 'Identity' },
  migrations: new URL('./store/migrations/', import.meta.url),
  errors: IdentityErrors,
  // Read at start (production refuses to start without one): the session cookies' key, the
  // one-time codes' and sign-in counters' pepper, and the keys of the service clients it registers.
  secrets: ['identity-cookie-key', 'identity-otp-pepper', ...SERVICE_KEY_SECRETS],
  async start(ctx) {
    // Before any request reads them: authenticator secrets and signing keys still in clear are sealed.
    await sealClearSecrets(ctx);
    const runtime = new IdentityRuntime(ctx, { deadEnd: deadEndPage, logout: logoutPage });
    // Every start, in every shape, before any request: a client to sign in with exists without an operator step.
    await ensureBuiltinClients(ctx, runtime.issuer());
    warnIfNoSmsGateway(ctx);
    return runtime;
  },
  // Without TONGBAN_PUBLIC_URL the issuer's port is known only now (TONGBAN_PORT=0 picks one);
  // listen() resolves after this, so a client never sees the redirect URIs of port 0.
  async listening(ctx, runtime) {
    if (!ctx.config.publicUrl) await ensureBuiltinClients(ctx, runtime.issuer());
  },
  // The server has stopped taking requests: wait for the security events still being written, before the database goes.
  stop: (runtime) => runtime.securityEventsRecorded(),
  rootRoutes(app, _ctx, runtime) {
    mountProvider(app, runtime.provider);
  },
  routes(app, ctx, runtime) {
    const issuer = () => runtime.issuer();
    interactionRoutes(app, ctx, runtime.provider);
    adminRoutes(app, ctx);
    sessionRoutes(app, ctx);
    securityRoutes(app, ctx);
    contactRoutes(app, ctx);
    deviceRoutes(app, ctx);
    accountRoutes(app, ctx);
    passkeyRoutes(app, ctx, issuer);
    keyRoutes(app, ctx, issuer);
  },
  // A day past the longest memory (known addresses, 90 days): counters stop growing with every address ever tried.
  jobs: [
    {
      name: 'prune-sign-in-throttles',
      everyMs: 3_600_000,
      run: async (ctx) => {
        await pruneThrottles(typed(ctx.trx), ctx.clock.now(), DEFAULT_THROTTLE.knownAddressSeconds + 86_400);
      },
    },
  ],
  seed: seedDemoAccounts,
});

export type { IdentityRuntime };
