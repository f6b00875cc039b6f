// Every module the `tongban` command can run. The composition root is the one place allowed to
// import modules; modules themselves never import each other.
import catalog from '@tongban/catalog';
import datahub from '@tongban/datahub';
import identity from '@tongban/identity';
import ledger from '@tongban/ledger';
import licenses from '@tongban/licenses';
import notify from '@tongban/notify';
import payments from '@tongban/payments';
import portal from '@tongban/portal';
import sentinel from '@tongban/sentinel';
import workflow from '@tongban/workflow';
import type { ModuleDefinition } from '@tongban/kernel';
import { paysimModule } from './paysim.ts';

// Catalog first: identity's demo seed gives every catalog department an officer. The portal (the
// web app's backend-for-frontend) needs identity beside it.
export const allModules: readonly ModuleDefinition[] = [
  catalog,
  identity,
  datahub,
  workflow,
  ledger,
  licenses,
  // After workflow and licences; the simulator it pays through (development) right after it.
  payments,
  paysimModule,
  notify,
  portal,
  sentinel,
];

export class UsageError extends Error {
  override name = 'UsageError';
}

/** `--modules=a,b` → the definitions, in the order given; unknown names are a usage error. */
export function selectModules(list: string | undefined): ModuleDefinition[] {
  if (list === undefined || list === '' || list === 'all') return [...allModules];
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = new Map(allModules.map((m) => [m.name, m]));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown module ${unknown.map((n) => `'${n}'`).join(', ')} (known: ${[...known.keys()].join(', ')})`,
    );
  }
  return [...new Set(names)].map((n) => known.get(n)!);
}
