import { CatalogError } from '../errors.ts';
import { sql } from 'kysely';
import type { CalendarOverrides } from '../domain/model.ts';
import type { Db } from './tables.ts';

export async function findCalendar(db: Db, regionCode: string): Promise<CalendarOverrides | undefined> {
  const row = await db
    .selectFrom('catalog.calendar')
    .selectAll()
    .where('region_code', '=', regionCode)
    .executeTakeFirst();
  return row
    ? { regionCode: row.region_code, holidays: [...row.holidays].sort(), workdays: [...row.workdays].sort() }
    : undefined;
}

export async function getCalendar(db: Db, regionCode: string): Promise<CalendarOverrides> {
  const found = await findCalendar(db, regionCode);
  if (!found) throw new CatalogError('CATALOG_CALENDAR_NOT_FOUND', { code: regionCode });
  return found;
}

export async function putCalendar(db: Db, calendar: CalendarOverrides): Promise<void> {
  const region = await db
    .selectFrom('catalog.region')
    .select('code')
    .where('code', '=', calendar.regionCode)
    .executeTakeFirst();
  if (!region) throw new CatalogError('CATALOG_REGION_NOT_FOUND', { code: calendar.regionCode });
  const row = {
    region_code: calendar.regionCode,
    holidays: [...new Set(calendar.holidays)].sort(),
    workdays: [...new Set(calendar.workdays)].sort(),
  };
  await db
    .insertInto('catalog.calendar')
    .values(row)
    .onConflict((oc) =>
      oc.column('region_code').doUpdateSet({ holidays: row.holidays, workdays: row.workdays, updated_at: sql`now()` }),
    )
    .execute();
}
