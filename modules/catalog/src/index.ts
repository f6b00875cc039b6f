// 事项库 — the service catalog: org tree, data elements, matters, bundles, calendars, search.
import { defineModule } from '@tongban/kernel';
import { bundleRoutes } from './api/bundles.ts';
import { calendarRoutes } from './api/calendars.ts';
import { elementRoutes } from './api/elements.ts';
import { matterRoutes } from './api/matters.ts';
import { orgRoutes } from './api/org.ts';
import { searchRoutes } from './api/search.ts';
import { CatalogErrors } from './errors.ts';
import { seedDemoCity } from './seed/seed.ts';

export default defineModule({
  name: 'catalog',
  title: { zh: '事项库', en: 'Service catalog' },
  migrations: new URL('./store/migrations/', import.meta.url),
  errors: CatalogErrors,
  routes(app, ctx) {
    orgRoutes(app, ctx);
    elementRoutes(app, ctx);
    matterRoutes(app, ctx);
    bundleRoutes(app, ctx);
    searchRoutes(app, ctx);
    calendarRoutes(app, ctx);
  },
  seed: seedDemoCity,
});

export type { Bundle, BundleVersion, DataElement, Matter, MatterVersion } from './domain/model.ts';
