// 数据中台与共享交换 — the data hub: the resource catalogue (政务数据资源目录), source connectors
// with cleaning, the authoritative registries, purpose-bound sharing with consent and masking,
// encrypted personal data, verified prefill, and "who used my data".
import { defineModule } from '@tongban/kernel';
import { catalogueRoutes } from './api/catalogue.ts';
import { consentRoutes } from './api/consents.ts';
import { grantRoutes } from './api/grants.ts';
import { prefillRoutes } from './api/prefill.ts';
import { queryRoutes } from './api/query.ts';
import { usesRoutes } from './api/uses.ts';
import { DatahubErrors } from './errors.ts';
import { seedDatahub } from './seed/demo.ts';
import { startHub } from './service/hub.ts';
import { startSources } from './service/polling.ts';

export default defineModule({
  name: 'datahub',
  title: { zh: '数据共享', en: 'Data hub' },
  dependsOn: ['catalog', 'identity'],
  migrations: new URL('./store/migrations/', import.meta.url),
  errors: DatahubErrors,
  // Its own authority towards identity (the applicant's ID number) and the ledger (a person's entries).
  secrets: ['datahub-service-key'],
  start: startHub,
  // Sources are polled by a serving process only (not by `tongban import` or `seed`).
  async listening(ctx, hub) {
    hub.sources.push(...(await startSources(ctx)));
  },
  async stop(hub) {
    await Promise.all(hub.sources.splice(0).map((s) => s.stop()));
  },
  routes(app, _ctx, hub) {
    catalogueRoutes(app, hub);
    grantRoutes(app, hub);
    consentRoutes(app, hub);
    prefillRoutes(app, hub);
    queryRoutes(app, hub);
    usesRoutes(app, hub);
  },
  seed: (ctx) => seedDatahub(ctx),
});

// For the composition root's `tongban import` and `tongban seed --persons N` (apps/server).
export {
  importFile,
  resolveResource,
  seedRegistries,
  CleaningConfigError,
  SourceError,
  loadCleaning,
  type ImportProgress,
  type ImportReport,
} from './service/import.ts';
