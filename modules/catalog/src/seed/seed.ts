// The demo city (a 杭州 with its departments and three life-event bundles), loaded into an empty
// catalog through the same store functions the operator API uses, so the seed is validated and
// published exactly like an operator's work.
import type { ModuleContext } from '@tongban/kernel';
import { publishBundleIn, publishMatterIn } from '../service/publish.ts';
import * as store from '../store/catalog-store.ts';
import { putCalendar } from '../store/calendar-store.ts';
import { typed } from '../store/tables.ts';
import { bundles, calendars, dataElements, departments, matters, regions } from './demo-city.ts';

export async function seedDemoCity(ctx: ModuleContext): Promise<void> {
  const existing = await typed(ctx.db).selectFrom('catalog.department').select('code').limit(1).executeTakeFirst();
  if (existing) return;
  // One transaction: a start that dies half-way leaves no half-published demo behind.
  await typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      for (const region of regions) await store.putRegion(trx, region);
      // Parents before children: the department tree is checked on every write.
      const ordered = [...departments].sort((a, b) => Number(Boolean(a.parentCode)) - Number(Boolean(b.parentCode)));
      for (const department of ordered) await store.putDepartment(trx, department);
      for (const element of dataElements) await store.putElement(trx, element);
      for (const calendar of calendars) await putCalendar(trx, calendar);
      for (const matter of matters) await store.saveMatterDraft(trx, matter);
      for (const bundle of bundles) await store.saveBundleDraft(trx, bundle);
      for (const matter of matters) await publishMatterIn(trx, ctx, matter.code);
      for (const bundle of bundles) await publishBundleIn(trx, ctx, bundle.code);
    });
  ctx.log.info(
    { departments: departments.length, matters: matters.length, bundles: bundles.length },
    'demo city seeded',
  );
}
