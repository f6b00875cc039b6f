// What the workflow needs from the catalog, through its published API (never its tables):
// matter and bundle versions, departments and working-day calendars. Departments and calendars
// are kept for a minute; versions by the bounded cache in front of this port (catalog-cache.ts).
// Everything is fetched before a transaction opens: the embedded database has one connection,
// and a call into another module from inside a transaction would wait on itself.
import {
  CatalogApi,
  type BundleVersionView,
  type DataElementView,
  type DepartmentView,
  type MatterVersionView,
} from '@tongban/contracts';
import { WorkingCalendar, type ModuleClient } from '@tongban/kernel';

// The shapes are the catalog's contract (packages/contracts/src/catalog.ts): its routes answer
// with them and `modules.call` checks every answer against them.
export type MatterVersion = MatterVersionView;
export type BundleVersion = BundleVersionView;
export type DataElement = DataElementView;
type Department = DepartmentView;

const TTL_MS = 60_000;

export interface CatalogPort {
  matter(code: string, version?: number): Promise<MatterVersion>;
  bundle(code: string, version?: number): Promise<BundleVersion>;
  department(code: string): Promise<Department>;
  calendar(regionCode: string): Promise<WorkingCalendar>;
  /** The catalog published another version of this code (a hint, catalog.*.published): ask for the latest again. */
  forget?(kind: 'matter' | 'bundle', code: string): void;
}

export function catalogPort(client: ModuleClient, now: () => number = Date.now): CatalogPort {
  const fresh = new Map<string, { at: number; value: Promise<unknown> }>();

  const recent = <T>(key: string, fetch: () => Promise<T>): Promise<T> => {
    const hit = fresh.get(key);
    if (hit && now() - hit.at < TTL_MS) return hit.value as Promise<T>;
    const value = fetch();
    fresh.set(key, { at: now(), value });
    value.catch(() => fresh.delete(key));
    return value;
  };

  return {
    // Versions are kept by the bounded cache in front of this port (catalog-cache.ts).
    matter: (code, version) =>
      version === undefined
        ? client.call(CatalogApi.latestMatter, [code])
        : client.call(CatalogApi.matterVersion, [code, version]),
    bundle: (code, version) =>
      version === undefined
        ? client.call(CatalogApi.latestBundle, [code])
        : client.call(CatalogApi.bundleVersion, [code, version]),
    department: (code) => recent(`department:${code}`, () => client.call(CatalogApi.department, [code])),
    calendar: (regionCode) =>
      recent(`calendar:${regionCode}`, async () => {
        // A region without a calendar of its own counts plain Monday–Friday weeks.
        const days = await client.call(CatalogApi.calendar, [regionCode]).catch((error: unknown) => {
          if ((error as { problem?: { code?: string } }).problem?.code === 'CATALOG_CALENDAR_NOT_FOUND')
            return { holidays: [], workdays: [] };
          throw error;
        });
        return new WorkingCalendar(days);
      }),
  };
}
