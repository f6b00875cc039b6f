// The catalog versions a submission reads, kept per process: a matter or bundle version never
// changes once published, so it is read from the catalog once (bounded: the least recently used
// goes first). Which version is the latest does change: that is kept for TTL_MS, or until the
// workflow hears catalog.*.published (its `hints`, index.ts) and `forget`s the code. A hint may
// be lost (a split on the in-process bus; on NATS only one replica hears it): the TTL bounds how
// long a newly published version goes unseen then. Before, every submission asked the catalog
// for its bundle's latest version over HTTP.
import type { BundleVersion, CatalogPort, MatterVersion } from './catalog.ts';

const TTL_MS = 10_000;
const MAX_VERSIONS = 2_000;
const MAX_LATEST = 10_000;

export interface CachedCatalog extends CatalogPort {
  /** A new version of this code was published: the next request for its latest asks the catalog. */
  forget(kind: 'matter' | 'bundle', code: string): void;
  /** How many versions are kept (tests). */
  readonly size: () => number;
}

/** A map that forgets its least recently used entry beyond `max`. */
class Lru<V> {
  readonly #max: number;
  readonly #map = new Map<string, V>();
  constructor(max: number) {
    this.#max = max;
  }
  get(key: string): V | undefined {
    const value = this.#map.get(key);
    if (value === undefined) return undefined;
    this.#map.delete(key);
    this.#map.set(key, value);
    return value;
  }
  set(key: string, value: V): void {
    this.#map.delete(key);
    while (this.#map.size >= this.#max) this.#map.delete(this.#map.keys().next().value!);
    this.#map.set(key, value);
  }
  delete(key: string): void {
    this.#map.delete(key);
  }
  get size(): number {
    return this.#map.size;
  }
}

export function cachedCatalog(
  port: CatalogPort,
  options: { readonly now?: () => number; readonly maxVersions?: number } = {},
): CachedCatalog {
  const now = options.now ?? Date.now;
  const versions = new Lru<Promise<MatterVersion | BundleVersion>>(options.maxVersions ?? MAX_VERSIONS);
  const latest = new Lru<{ version: number; at: number }>(MAX_LATEST);

  /** A version, kept once read (a failed read is forgotten, so the next one retries). */
  function pinned<T extends MatterVersion | BundleVersion>(key: string, read: () => Promise<T>): Promise<T> {
    let p = versions.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      versions.set(key, p);
      p.catch(() => versions.delete(key));
    }
    return p;
  }

  async function versioned<T extends MatterVersion | BundleVersion>(
    kind: 'matter' | 'bundle',
    code: string,
    version: number | undefined,
    read: (version?: number) => Promise<T>,
  ): Promise<T> {
    if (version !== undefined) return pinned(`${kind}:${code}@${version}`, () => read(version));
    const known = latest.get(`${kind}:${code}`);
    if (known && now() - known.at < TTL_MS)
      return pinned(`${kind}:${code}@${known.version}`, () => read(known.version));
    const at = now();
    const current = await read();
    latest.set(`${kind}:${code}`, { version: current.version, at });
    return pinned(`${kind}:${code}@${current.version}`, async () => current);
  }

  const cache: CachedCatalog = {
    matter: (code, version) => versioned('matter', code, version, (v) => port.matter(code, v)),
    bundle: (code, version) => versioned('bundle', code, version, (v) => port.bundle(code, v)),
    department: (code) => port.department(code),
    calendar: (regionCode) => port.calendar(regionCode),
    forget: (kind, code) => latest.delete(`${kind}:${code}`),
    size: () => versions.size,
  };
  return cache;
}
