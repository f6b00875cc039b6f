// oidc-provider's storage, in the identity schema of PostgreSQL or PGlite (its in-memory adapter
// is for development only, per its author). Clients come from identity.client, registered by
// operators; every other model lives in identity.oidc_model.
import { sql } from 'kysely';
import type { IdentityDb } from './tables.ts';

interface Payload {
  grantId?: string;
  uid?: string;
  userCode?: string;
  accountId?: string;
  consumed?: number;
  [key: string]: unknown;
}

const parse = (v: unknown): Payload => (typeof v === 'string' ? JSON.parse(v) : v) as Payload;

export function adapterFor(db: IdentityDb) {
  return class KyselyOidcAdapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      const row = {
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        user_code: payload.userCode ?? null,
        account_id: payload.accountId ?? null,
        expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : null,
      };
      await db
        .insertInto('identity.oidc_model')
        .values(row)
        .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet({ ...row, consumed_at: null }))
        .execute();
    }

    async find(id: string): Promise<Payload | undefined> {
      if (this.model === 'Client') {
        const client = await db
          .selectFrom('identity.client')
          .select('metadata')
          .where('client_id', '=', id)
          .executeTakeFirst();
        return client ? parse(client.metadata) : undefined;
      }
      return this.#findBy('id', id);
    }

    findByUid(uid: string) {
      return this.#findBy('uid', uid);
    }
    findByUserCode(userCode: string) {
      return this.#findBy('user_code', userCode);
    }

    async #findBy(column: 'id' | 'uid' | 'user_code', value: string): Promise<Payload | undefined> {
      const row = await db
        .selectFrom('identity.oidc_model')
        .select(['payload', 'consumed_at'])
        .where('model', '=', this.model)
        .where(column, '=', value)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
        .executeTakeFirst();
      if (!row) return undefined;
      const payload = parse(row.payload);
      return row.consumed_at
        ? { ...payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) }
        : payload;
    }

    async consume(id: string): Promise<void> {
      await db
        .updateTable('identity.oidc_model')
        .set({ consumed_at: sql`now()` })
        .where('model', '=', this.model)
        .where('id', '=', id)
        .execute();
    }

    async destroy(id: string): Promise<void> {
      await db.deleteFrom('identity.oidc_model').where('model', '=', this.model).where('id', '=', id).execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.deleteFrom('identity.oidc_model').where('grant_id', '=', grantId).execute();
    }
  };
}
