// The data hub on a test platform with the catalog and identity (the hub asks identity for an
// applicant's ID number with its own service token), the demo seed, and tokens for every principal.
import catalog from '@tongban/catalog';
import datahub from '@tongban/datahub';
import identity from '@tongban/identity';
import type { ModuleDefinition } from '@tongban/kernel';
import { startWorkflow, token, type Harness } from '../workflow/fixtures.ts';
import { DEMO } from '../../../../modules/datahub/src/seed/demo.ts';

export { DEMO };

export interface HubHarness extends Harness {
  /** The account id of a demo citizen, by resident ID number. */
  accountOf(idNumber: string): Promise<string>;
  /** A department system (service principal) with these roles. */
  service(id: string, roles: string[]): Promise<Record<string, string>>;
  /** An officer with datahub.steward, at multi-factor, of these departments (the population registry's by default). */
  steward(departments?: string[]): Promise<Record<string, string>>;
  /** The operator (any resource, any grant). */
  operator(): Promise<Record<string, string>>;
  /** An officer (at multi-factor) of several departments, in this order. */
  officerOf(departments: string[], id: string, roles?: string[]): Promise<Record<string, string>>;
  /** The workflow's service principal: prefill. */
  workflow(): Promise<Record<string, string>>;
  /** Gives the citizen's consent for a purpose; returns its id. */
  consent(citizen: Record<string, string>, purpose: string, items: string[]): Promise<string>;
  outboxOf(type: string): Promise<{ data: Record<string, unknown> }[]>;
}

export async function startHub(extra: readonly ModuleDefinition[] = []): Promise<HubHarness> {
  const h = await startWorkflow({ modules: [catalog, identity, datahub, ...extra], identity: true });
  const bearer = async (who: Parameters<typeof token>[1]) => ({ authorization: `Bearer ${await token(h.key, who)}` });
  return {
    ...h,
    async accountOf(idNumber) {
      const row = await h.p.database.db
        .selectFrom('identity.account')
        .select('id')
        .where('login', '=', idNumber)
        .executeTakeFirstOrThrow();
      return row.id;
    },
    service: (id, roles) => bearer({ sub: id, kind: 'service', roles }),
    steward: (departments = ['330100-GA']) =>
      bearer({
        sub: `steward-${departments.join('+')}`,
        kind: 'officer',
        roles: ['datahub.steward'],
        departments,
        mfa: true,
      }),
    operator: () => bearer({ sub: 'operator-1', kind: 'operator', roles: ['operator'], mfa: true }),
    officerOf: (departments, id, roles = ['officer']) =>
      bearer({ sub: id, kind: 'officer', roles, departments, regions: ['330100'], mfa: true }),
    workflow: () => bearer({ sub: 'tongban-workflow', kind: 'service', roles: ['datahub.prefill'] }),
    async consent(citizen, purpose, items) {
      const r = await h.call('POST', '/api/datahub/me/consents', citizen, { purpose, items });
      if (r.status !== 201) throw new Error(`consent failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id as string;
    },
    async outboxOf(type) {
      const rows = await h.p.database.db
        .selectFrom('datahub.outbox')
        .select(['data'])
        .where('type', '=', type)
        // In the order written: without it PostgreSQL returns heap order, which the relay's
        // published_at updates reshuffle.
        .orderBy('seq')
        .execute();
      return rows as { data: Record<string, unknown> }[];
    },
  };
}
