// The clients the platform brings itself, registered at every start (idempotently, overwriting
// what a previous version registered): without them nothing could sign in until an operator
// registered a client, and the README's "use a client of /oidc/" had none to use.
import { serviceClientId, serviceKeyFromSecret, serviceKeySecretName, type ModuleContext } from '@tongban/kernel';
import { ServiceRoles } from '@tongban/contracts';
import { deleteClient, registerClient, type ClientMetadata } from '../store/clients.ts';
import { typed } from '../store/tables.ts';

export const PORTAL_CLIENT = 'tongban-portal';
export const DEV_CLIENT = 'tongban-dev';

/** RFC 8252 §7.3: a native client's loopback redirect may use any port; §8.3 names these three hosts. */
export const DEV_REDIRECT_URIS = [
  'http://localhost/callback',
  'http://127.0.0.1/callback',
  'http://[::1]/callback',
  // Postman's browser callback, so its "Get New Access Token" works with the same client.
  'https://oauth.pstmn.io/v1/callback',
] as const;

/**
 * Modules that call others with their own authority (ctx.serviceToken()): their client's key
 * derives from the secret `<module>-service-key`, which this deployment is given too, and the
 * roles are what their calls need.
 */
export const SERVICE_CLIENTS: Readonly<Record<string, readonly string[]>> = {
  // Counter filing checks that the applicant's account exists; prefill asks the data hub; 免证办 checks a holder's licence.
  workflow: [ServiceRoles.accountsRead, ServiceRoles.datahubPrefill, ServiceRoles.licensesHolderCheck],
  // The data hub resolves an applicant's ID number and reads a person's ledger entries ("who used my data").
  datahub: [ServiceRoles.accountsRead, ServiceRoles.ledgerSubjectsRead],
  // Licences' issuer reads an approved task's answers for the licence's fields and holder.
  licenses: [ServiceRoles.workflowAnswersRead],
  // Security operations lock accounts and end their sessions (api/security.ts).
  sentinel: [ServiceRoles.identityRespond],
  // Payments reads what it needs to assess a task's fees: payer, matter version, verified values (issue 15).
  payments: [ServiceRoles.workflowPaymentFactsRead],
  // Notifications read a person's mobile and language for their SMS (api/contact.ts).
  notify: [ServiceRoles.identityContactRead],
};

/** The secrets identity reads to register the service clients. */
export const SERVICE_KEY_SECRETS: readonly string[] = Object.keys(SERVICE_CLIENTS).map(serviceKeySecretName);

const BUILTIN_IDS: ReadonlySet<string> = new Set([
  PORTAL_CLIENT,
  DEV_CLIENT,
  ...Object.keys(SERVICE_CLIENTS).map(serviceClientId),
]);

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
export function builtinClients(
  issuer: string,
  env: string,
  serviceKeys: Readonly<Record<string, object>> = {},
): BuiltinClient[] {
  const clients: BuiltinClient[] = Object.entries(serviceKeys).map(([module, publicJwk]) => ({
    clientId: serviceClientId(module),
    roles: SERVICE_CLIENTS[module] ?? [],
    metadata: {
      client_id: serviceClientId(module),
      client_name: `${module} (service)`,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [publicJwk] },
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
  }));
  clients.push({
    clientId: PORTAL_CLIENT,
    roles: [],
    metadata: {
      client_id: PORTAL_CLIENT,
      client_name: '通办门户 Tongban portal',
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${issuer}/portal/callback`],
      post_logout_redirect_uris: [`${issuer}/portal/`],
    },
  });
  if (env !== 'production') {
    clients.push({
      clientId: DEV_CLIENT,
      roles: [],
      metadata: {
        client_id: DEV_CLIENT,
        client_name: '开发调试客户端 Development client (curl, Postman)',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [...DEV_REDIRECT_URIS],
        post_logout_redirect_uris: DEV_REDIRECT_URIS.filter((u) => u.startsWith('http:')),
      },
    });
  }
  return clients;
}

/** Registers the built-in clients; in production also removes a development client a copied database may hold. */
export async function ensureBuiltinClients(ctx: ModuleContext, issuer: string): Promise<void> {
  const serviceKeys = Object.fromEntries(
    Object.keys(SERVICE_CLIENTS).map((m) => [m, serviceKeyFromSecret(ctx.secret(serviceKeySecretName(m))).publicJwk]),
  );
  const clients = builtinClients(issuer, ctx.config.env, serviceKeys);
  for (const c of clients) await registerClient(typed(ctx.db), c.clientId, c.metadata, c.roles);
  if (!clients.some((c) => c.clientId === DEV_CLIENT)) await deleteClient(typed(ctx.db), DEV_CLIENT);
}
