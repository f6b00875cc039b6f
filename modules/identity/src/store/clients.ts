// The relying parties (oidc-provider's clients), with the roles a client-credentials token of theirs carries.
import type { ClientMetadata, Db } from './tables.ts';

export type { ClientMetadata } from './tables.ts';

export async function registerClient(
  db: Db,
  clientId: string,
  metadata: ClientMetadata,
  roles: readonly string[],
): Promise<void> {
  const row = { client_id: clientId, metadata: JSON.stringify(metadata), roles: [...roles] };
  await db
    .insertInto('identity.client')
    .values(row)
    .onConflict((oc) => oc.column('client_id').doUpdateSet({ metadata: row.metadata, roles: row.roles }))
    .execute();
}

export async function deleteClient(db: Db, clientId: string): Promise<void> {
  await db.deleteFrom('identity.client').where('client_id', '=', clientId).execute();
}

/** The roles of a registered client; undefined when there is none by that id. */
export async function clientRoles(db: Db, clientId: string): Promise<string[] | undefined> {
  const client = await db
    .selectFrom('identity.client')
    .select('roles')
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return client?.roles;
}
