// The clients the platform brings itself, registered at every start (idempotently, overwriting
// what a previous version registered): without them nothing could sign in until an operator
// registered a client, and the README's "use a client of /oidc/" had none to use.
import type { AnyKysely, ModuleContext } from '@tongban/kernel';

export const PORTAL_CLIENT = 'tongban-portal';
export const DEV_CLIENT = 'tongban-dev';

/** RFC 8252 §7.3: a native client's loopback redirect may use any port; §8.3 names these three hosts. */
export const DEV_REDIRECT_URIS = [
  'http://localhost/callback', 'http://127.0.0.1/callback', 'http://[::1]/callback',
  // Postman's browser callback, so its "Get New Access Token" works with the same client.
  'https://oauth.pstmn.io/v1/callback',
] as const;

/** oidc-provider's client metadata, as stored in identity.client. */
export type ClientMetadata = Record<string, unknown> & { client_id: string };

export async function registerClient(db: AnyKysely, clientId: string, metadata: ClientMetadata, roles: readonly string[]): Promise<void> {
  const row = { client_id: clientId, metadata: JSON.stringify(metadata), roles: [...roles] };
  await db.insertInto('identity.client').values(row)
    .onConflict((oc) => oc.column('client_id').doUpdateSet({ metadata: row.metadata, roles: row.roles })).execute();
}

const BUILTIN_IDS: ReadonlySet<string> = new Set([PORTAL_CLIENT, DEV_CLIENT]);

/** Ids the platform registers itself at start; an operator may not take them over. */
export const isBuiltinClient = (clientId: string): boolean => BUILTIN_IDS.has(clientId);

export interface BuiltinClient {
  readonly clientId: string;
  readonly metadata: ClientMetadata;
  readonly roles: readonly string[];
}

/**
 * The portal is registered in every environment: its redirect URIs are on the issuer's own origin
 * (the web app is served there), so registering it opens nothing a deployment does not already
 * serve. The development client's redirects go to whatever listens on the person's loopback or to
 * Postman: useful for trying the API, but not a client a production deployment should have.
 */
export function builtinClients(issuer: string, env: string): BuiltinClient[] {
  const clients: BuiltinClient[] = [{
    clientId: PORTAL_CLIENT, roles: [],
    metadata: {
      client_id: PORTAL_CLIENT, client_name: '通办门户 Tongban portal', application_type: 'web', token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
      redirect_uris: [`${issuer}/portal/callback`], post_logout_redirect_uris: [`${issuer}/portal/`],
    },
  }];
  if (env !== 'production') {
    clients.push({
      clientId: DEV_CLIENT, roles: [],
      metadata: {
        client_id: DEV_CLIENT, client_name: '开发调试客户端 Development client (curl, Postman)', application_type: 'native', token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
        redirect_uris: [...DEV_REDIRECT_URIS], post_logout_redirect_uris: DEV_REDIRECT_URIS.filter((u) => u.startsWith('http:')),
      },
    });
  }
  return clients;
}

/** Registers the built-in clients; in production also removes a development client a copied database may hold. */
export async function ensureBuiltinClients(ctx: ModuleContext, issuer: string): Promise<void> {
  const clients = builtinClients(issuer, ctx.config.env);
  for (const c of clients) await registerClient(ctx.db, c.clientId, c.metadata, c.roles);
  if (!clients.some((c) => c.clientId === DEV_CLIENT)) await ctx.db.deleteFrom('identity.client').where('client_id', '=', DEV_CLIENT).execute();
}
