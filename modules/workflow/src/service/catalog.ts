// What the workflow needs from the catalog, through its published API (never its tables):
// matter and bundle versions, departments and working-day calendars. Published versions never
// change, so they are kept for the life of the process; departments and calendars for a minute.
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
}

export function catalogPort(client: ModuleClient, now: () => number = Date.now): CatalogPort {
  const versions = new Map<string, Promise<unknown>>();
  const fresh = new Map<string, { at: number; value: Promise<unknown> }>();

  /** Immutable things: kept once fetched (a failed fetch is forgotten, so the next call retries). */
  const pinned = <T>(key: string, fetch: () => Promise<T>): Promise<T> => {
    let p = versions.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fetch();
      versions.set(key, p);
      p.catch(() => versions.delete(key));
    }
    return p;
  };
  const recent = <T>(key: string, fetch: () => Promise<T>): Promise<T> => {
    const hit = fresh.get(key);
    if (hit && now() - hit.at < TTL_MS) return hit.value as Promise<T>;
    const value = fetch();
    fresh.set(key, { at: now(), value });
    value.catch(() => fresh.delete(key));
    return value;
  };

  return {
    async matter(code, version) {
      if (version === undefined) {
        const latest = await client.call(CatalogApi.latestMatter, [code]);
        return pinned(`matter:${code}@${latest.version}`, async () => latest);
      }
      return pinned(`matter:${code}@${version}`, () => client.call(CatalogApi.matterVersion, [code, version]));
    },
    async bundle(code, version) {
      if (version === undefined) {
        const latest = await client.call(CatalogApi.latestBundle, [code]);
        return pinned(`bundle:${code}@${latest.version}`, async () => latest);
      }
      return pinned(`bundle:${code}@${version}`, () => client.call(CatalogApi.bundleVersion, [code, version]));
    },
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
