// What the workflow needs from the catalog, through its published API (never its tables):
// matter and bundle versions, departments and working-day calendars. Published versions never
// change, so they are kept for the life of the process; departments and calendars for a minute.
// Everything is fetched before a transaction opens: the embedded database has one connection,
// and a call into another module from inside a transaction would wait on itself.
import type { AutoApprovalRule, MatterProcess } from '@tongban/contracts';
import { WorkingCalendar, type IdentifierCheck, type ModuleClient } from '@tongban/kernel';

export interface LocalizedText {
  readonly zh: string;
  readonly en: string;
}

export interface MatterMaterial {
  readonly code: string;
  readonly name: LocalizedText;
  readonly required: boolean;
  readonly licenceType?: string;
}

/** A data element (数据元) as the matter version embeds it: the rules every field bound to it obeys. */
export interface DataElement {
  readonly id: string;
  readonly name: LocalizedText;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'code';
  readonly pattern?: string;
  readonly maxLength?: number;
  readonly values?: readonly { readonly code: string; readonly name: LocalizedText }[];
  readonly minimum?: number;
  readonly maximum?: number;
  /** ISO date or `today`, `today-18y`, `today+30d` (China Standard Time). */
  readonly minDate?: string;
  readonly maxDate?: string;
  readonly check?: IdentifierCheck;
}

export interface MatterVersion {
  readonly code: string;
  readonly version: number;
  readonly name: LocalizedText;
  readonly departmentCode: string;
  readonly legalDays: number;
  readonly promisedDays: number;
  readonly materials: readonly MatterMaterial[];
  readonly form: {
    readonly type: 'object';
    readonly properties: Readonly<Record<string, unknown>>;
    readonly required?: readonly string[];
  };
  readonly producesLicence?: { readonly type: string; readonly name: LocalizedText };
  readonly autoApprove?: readonly AutoApprovalRule[];
  readonly process?: MatterProcess;
  /** The data elements its form binds, as they were when it was published (absent in very old versions). */
  readonly elements?: Readonly<Record<string, DataElement>>;
}

export interface BundleVersion {
  readonly code: string;
  readonly version: number;
  readonly name: LocalizedText;
  readonly items: readonly { readonly matterCode: string; readonly dependsOn: readonly string[] }[];
  readonly matterVersions: Readonly<Record<string, number>>;
  readonly promisedDays: number;
  readonly form: MatterVersion['form'];
}

interface Department {
  readonly code: string;
  readonly regionCode: string;
  readonly name: LocalizedText;
}

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
        const latest = await client.request<MatterVersion>('catalog', { path: `/matters/${encodeURIComponent(code)}` });
        return pinned(`matter:${code}@${latest.version}`, async () => latest);
      }
      return pinned(`matter:${code}@${version}`, () =>
        client.request<MatterVersion>('catalog', { path: `/matters/${encodeURIComponent(code)}/versions/${version}` }),
      );
    },
    async bundle(code, version) {
      if (version === undefined) {
        const latest = await client.request<BundleVersion>('catalog', { path: `/bundles/${encodeURIComponent(code)}` });
        return pinned(`bundle:${code}@${latest.version}`, async () => latest);
      }
      return pinned(`bundle:${code}@${version}`, () =>
        client.request<BundleVersion>('catalog', { path: `/bundles/${encodeURIComponent(code)}/versions/${version}` }),
      );
    },
    department: (code) =>
      recent(`department:${code}`, () =>
        client.request<Department>('catalog', { path: `/departments/${encodeURIComponent(code)}` }),
      ),
    calendar: (regionCode) =>
      recent(`calendar:${regionCode}`, async () => {
        // A region without a calendar of its own counts plain Monday–Friday weeks.
        const days = await client
          .request<{ holidays: string[]; workdays: string[] }>('catalog', { path: `/calendars/${regionCode}` })
          .catch((error: unknown) => {
            if ((error as { problem?: { code?: string } }).problem?.code === 'CATALOG_CALENDAR_NOT_FOUND')
              return { holidays: [], workdays: [] };
            throw error;
          });
        return new WorkingCalendar(days);
      }),
  };
}
