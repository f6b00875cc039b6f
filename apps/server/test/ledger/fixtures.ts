// A platform with the ledger beside the producers it records (workflow on the demo catalog), and
// helpers to step it: deliver events, sequence what is queued, issue a checkpoint now.
import catalog from '@tongban/catalog';
import type { TestPlatformOptions } from '@tongban/kernel/testing';
import ledger from '@tongban/ledger';
import workflow from '@tongban/workflow';
import { startWorkflow, token, type Harness } from '../workflow/fixtures.ts';

export type { Harness };

export function startLedger(options: TestPlatformOptions & { now?: string } = {}): Promise<Harness> {
  return startWorkflow({ modules: [catalog, workflow, ledger], ...options });
}

export const ledgerFor = (h: Harness) => h.p.instanceOf(ledger);

/** Delivers every event, sequences every queued entry and signs a checkpoint of what there is. */
export async function settle(h: Harness): Promise<void> {
  await h.p.bus.settled();
  await ledgerFor(h).sequencer.kick();
  await ledgerFor(h).checkpointAll(true);
}

/** Bearer headers for a department system (a service client) with the roles identity gave it. */
export async function system(h: Harness, id: string, roles: readonly string[]): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await token(h.key, { sub: id, kind: 'service', roles })}` };
}
