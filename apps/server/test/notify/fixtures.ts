// The platform for notify's tests: catalog, identity, workflow and notify, identity's real
// service tokens (notify asks identity for a person's mobile), accounts made in identity's table.
import { randomUUID } from 'node:crypto';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import notify, { type Notify } from '@tongban/notify';
import workflow from '@tongban/workflow';
import type { ModuleDefinition } from '@tongban/kernel';
import { residentIdCheckChar } from '../../../../modules/identity/src/domain/identifiers.ts';
import { insertAccount } from '../../../../modules/identity/src/store/accounts.ts';
import { startWorkflow, token, type Harness } from '../workflow/fixtures.ts';

export interface NotifyHarness extends Harness {
  readonly n: Notify;
  /** A citizen account in identity (with a mobile unless null), and its bearer headers. */
  person(mobile?: string | null): Promise<{ id: string; headers: Record<string, string> }>;
  operator(mfa?: boolean): Promise<Record<string, string>>;
}

let serial = 1;

export async function startNotify(
  options: { env?: Record<string, string>; now?: string; modules?: readonly ModuleDefinition[] } = {},
): Promise<NotifyHarness> {
  const h = await startWorkflow({
    identity: true,
    modules: options.modules ?? [catalog, identity, workflow, notify],
    ...(options.now ? { now: options.now } : {}),
    env: {
      // The tests run the worker themselves (n.kick()), at the times they set.
      TONGBAN_NOTIFY_WORKER_INTERVAL_MS: '3600000',
      TONGBAN_NOTIFY_WEBHOOKS_ALLOW_PRIVATE: 'true',
      ...options.env,
    },
  });
  const n = h.p.instanceOf(notify);
  n.random = () => 0.5;
  return Object.assign(h, {
    n,
    async person(mobile: string | null = `139${String(10_000_000 + serial).slice(-8)}`) {
      const id = randomUUID();
      const first17 = `3301061990010${String(serial++).padStart(4, '0')}`;
      await insertAccount(h.p.database.db as never, {
        id,
        kind: 'citizen',
        login: first17 + residentIdCheckChar(first17),
        displayName: `公民${serial}`,
        ...(mobile ? { mobile } : {}),
      });
      return { id, headers: await h.citizen(id) };
    },
    async operator(mfa = true) {
      return { authorization: `Bearer ${await token(h.key, { sub: 'operator-1', kind: 'operator', mfa })}` };
    },
  });
}

/** Every event consumed, then the worker's run: what a second later would have sent. */
export async function deliver(h: NotifyHarness): Promise<void> {
  await h.p.bus.settled();
  await h.n.kick();
}
