// The reads a lookup makes, coalesced across concurrent requests (kernel Batcher): the grants of
// every consumer and the rows of every key or lookup entry asked for in the same moment, in one
// statement (store/lookups.ts). Nothing is cached: each request reads the grants as they are now
// (a revocation holds from the next request on) and the rows as stored.
import { Batcher, type ModuleContext } from '@tongban/kernel';
import type { GrantView } from '../store/grants.ts';
import { readForLookups, type Probe, type ProbedRow } from '../store/lookups.ts';
import { typed } from '../store/tables.ts';

export type { Probe, ProbedRow };

export interface LookupRead {
  /** The grants the consumers (grant consumers: a system's id, departments) hold on the probe's resource. */
  readonly grants: GrantView[];
  readonly rows: ProbedRow[];
}

export interface Loaders {
  read(consumers: readonly string[], probe: Probe): Promise<LookupRead>;
}

export function createLoaders(ctx: ModuleContext, rowLimit: number): Loaders {
  const db = typed(ctx.db);
  const reads = new Batcher<{ consumers: readonly string[]; probe: Probe }, LookupRead>(async (asked) => {
    const consumers = [...new Set(asked.flatMap((a) => a.consumers))];
    const found = await readForLookups(
      db,
      consumers,
      asked.map((a) => a.probe),
      rowLimit,
    );
    return asked.map((a, i) => ({
      grants: found.grants.filter((g) => g.resource === a.probe.resource && a.consumers.includes(g.consumer)),
      rows: found.rows[i]!,
    }));
  });
  return { read: (consumers, probe) => reads.add({ consumers, probe }) };
}
