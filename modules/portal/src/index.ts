// 门户 — the portal's backend-for-frontend (service/portal.ts): the web app's sign-in and its
// calls to the platform's APIs, with the tokens kept here, never in the browser.
import { defineModule } from '@tongban/kernel';
import { portalRoutes } from './api/routes.ts';
import { webRoutes } from './api/web.ts';
import { PortalErrors } from './errors.ts';
import { Portal } from './service/portal.ts';

export default defineModule({
  name: 'portal',
  title: { zh: '门户', en: 'Portal' },
  migrations: new URL('./store/migrations/', import.meta.url),
  errors: PortalErrors,
  dependsOn: ['identity'],
  start: (ctx) => new Portal(ctx),
  rootRoutes(app, ctx, portal) {
    portalRoutes(app, portal);
    // The web app at `/` once built (npm run build:web; `tongban serve` points TONGBAN_WEB_DIR at
    // the checkout's apps/web/dist); until then the kernel's welcome page is there.
    const dir = ctx.config.webDir;
    if (dir && webRoutes(app, dir)) ctx.log.info({ dir }, 'serving the web app at /');
  },
});
