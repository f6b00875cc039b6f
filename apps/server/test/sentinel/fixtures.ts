// Sentinel beside identity (whose events it correlates) on the test authenticator: helpers to
// publish identity's events as identity does, step the bus, and call the alert queue as people of
// every kind.
import identity from '@tongban/identity';
import type { ModuleDefinition } from '@tongban/kernel';
import type { TestPlatformOptions } from '@tongban/kernel/testing';
import sentinel from '@tongban/sentinel';
import { startWorkflow, token, type Harness } from '../workflow/fixtures.ts';

export type { Harness };

export function startSentinel(
  options: TestPlatformOptions & { now?: string; modules?: readonly ModuleDefinition[] } = {},
): Promise<Harness> {
  return startWorkflow({ modules: [identity, sentinel], seed: false, ...options });
}

export const sentinelOf = (h: Harness) => h.p.instanceOf(sentinel).sentinel;

/** A security operator (安全运营) at multi-factor unless `mfa: false`. */
export async function securityHeaders(h: Harness, mfa = true, id = 'sec-1'): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await token(h.key, { sub: id, kind: 'security', roles: ['security'], mfa })}` };
}

export async function bearer(h: Harness, who: Parameters<typeof token>[1]): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await token(h.key, who)}` };
}

/** A wrong password from `ip`, published as identity publishes it (group commit, its outbox). */
export function failedSignIn(h: Harness, ip: string, accountId: string | null = 'acct-victim') {
  return h.p.contexts
    .get('identity')!
    .events.commit('identity.sign-in.failed', { accountId, factor: 'password', reason: 'wrong_password', ip });
}

export async function settle(h: Harness): Promise<void> {
  await h.p.bus.relay.runOnce();
  await h.p.bus.settled();
}

/** A request from `ip` (the guard and the rate limiter see it as the client's address). */
export async function from(h: Harness, ip: string, url = '/api/sentinel/alerts', headers: Record<string, string> = {}) {
  const r = await h.p.app.inject({ method: 'GET', url, headers, remoteAddress: ip });
  return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : undefined };
}
