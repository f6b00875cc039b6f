// The platform the fuzzer attacks: every module of the `tongban` command with the demo city seeded,
// listening on a real port, the per-address rate limit lifted (each request also comes from its
// own address, through a trusted proxy), and some of its data made the way users make it — an
// approved 出生医学证明 and its licence — so that ids in paths find something now and then.
import http from 'node:http';
import licenses from '@tongban/licenses';
import { ServiceRoles, StaffRoles } from '@tongban/contracts';
import { allModules } from '../../src/modules.ts';
import {
  approveBirthCertificate,
  signer,
  startWorkflow,
  token,
  type Harness,
  type Signer,
} from '../workflow/fixtures.ts';
import type { Credential, Operation, Parameter, World } from './requests.ts';
import type { JsonSchema } from './schema-values.ts';
import { TEST_OPERATOR_TOKEN } from '@tongban/kernel/testing';

export interface FuzzPlatform {
  readonly h: Harness;
  readonly base: URL;
  readonly agent: http.Agent;
  readonly operations: readonly Operation[];
  readonly world: World;
  /** The Authorization header value for a credential; tokens are signed now. */
  authorization(c: Credential): Promise<string>;
  close(): Promise<void>;
}

interface OpenApiOperation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

/** The document's operations, and the hidden routes a client can still reach. */
export function operationsOf(doc: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const oauthErrors = Object.entries(op.responses ?? {})
        .filter(
          ([status, r]) =>
            status.startsWith('4') && r.content?.['application/json']?.schema?.required?.includes('error'),
        )
        .map(([status]) => Number(status));
      const body = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        ...(body ? { body } : {}),
        oauthErrors,
      });
    }
  }
  const hidden = (method: string, path: string, parameters: Parameter[] = []): Operation => ({
    key: `${method} ${path}`,
    method,
    path,
    parameters,
    oauthErrors: [],
    undocumented: true,
  });
  const free: Parameter[] = [
    'client_id',
    'redirect_uri',
    'response_type',
    'scope',
    'state',
    'code_challenge',
    'code',
    'request_uri',
  ].map((name) => ({ in: 'query', name, schema: { type: 'string', maxLength: 200 } }));
  ops.push(
    hidden('GET', '/oidc/auth', free),
    hidden('POST', '/oidc/token', free),
    hidden('POST', '/oidc/request', free),
    hidden('GET', '/oidc/me'),
    hidden('GET', '/oidc/jwks'),
    hidden('GET', '/oidc/session/end', free),
    hidden('GET', '/.well-known/openid-configuration'),
    hidden('GET', '/api/identity/interaction/{uid}', [{ in: 'path', name: 'uid', schema: { type: 'string' } }]),
    hidden('POST', '/api/identity/interaction/{uid}/login', [{ in: 'path', name: 'uid', schema: { type: 'string' } }]),
    hidden('POST', '/api/identity/interaction/{uid}/code', [{ in: 'path', name: 'uid', schema: { type: 'string' } }]),
    hidden('GET', '/portal/login', free),
    hidden('GET', '/portal/callback', free),
    hidden('GET', '/portal/session'),
    hidden('GET', '/portal/events'),
    hidden('POST', '/portal/logout'),
    hidden('GET', '/healthz'),
    hidden('GET', '/api/docs'),
    hidden('GET', '/api/openapi.json'),
    hidden('GET', '/{any}', [{ in: 'path', name: 'any', schema: { type: 'string' } }]),
    hidden('POST', '/api/{any}', [{ in: 'path', name: 'any', schema: { type: 'string' } }]),
  );
  return ops;
}

const ROLES = [...Object.values(StaffRoles), ...Object.values(ServiceRoles)];

export async function startFuzzPlatform(): Promise<FuzzPlatform> {
  const h = await startWorkflow({
    modules: allModules,
    identity: true,
    env: {
      TONGBAN_PORT: '0',
      TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000000',
      // Every request names its own address in X-Forwarded-For: believed from this proxy only.
      TONGBAN_HTTP_TRUST_PROXY: '127.0.0.1',
      TONGBAN_BUS_POLL_INTERVAL_MS: '1000',
    },
  });
  // Listening first: identity's issuer is this server's origin, fixed by the first use of it.
  const base = new URL(await h.p.listen());
  // Fixed, so a seed replays the same requests; UUIDs, as identity's account ids are.
  const mother = '0f0f0f0f-0000-4000-8000-000000000001';
  const taskId = await approveBirthCertificate(h, mother);
  await h.p.instanceOf(licenses).kick();
  const mine = await h.call('GET', '/api/workflow/applications', await h.citizen(mother));
  const licences = await h.call('GET', '/api/licenses/me', await h.citizen(mother));
  const departments = (await h.call('GET', '/api/catalog/departments', {})).body as { code: string }[];
  const uuids = [
    taskId,
    ...((mine.body as { items?: { id: string }[] }).items ?? []).map((a) => a.id),
    ...((licences.body as { licences?: { id: string }[] }).licences ?? []).map((l) => l.id),
  ];
  const world: World = {
    known: {
      uuids,
      codes: [
        ...departments.map((d) => d.code),
        '330100',
        '330106',
        '330100-WJW-001',
        '330100-GA-001',
        '330100-RS-001',
        'BIRTH',
        'audit',
        'portal',
        'resident-id-card',
        'birth-certificate',
      ],
    },
    subs: [mother, '0f0f0f0f-0000-4000-8000-000000000002', '0f0f0f0f-0000-4000-8000-000000000003'],
    clients: ['tongban-workflow', 'tongban-licenses', 'dept-system'],
    departments: departments.slice(0, 6).map((d) => d.code),
    regions: ['330100', '330106', '330102', '110000'],
    roles: ROLES,
  };
  const doc = (await h.p.app.inject({ url: '/api/openapi.json' })).json() as Parameters<typeof operationsOf>[0];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const foreign: Signer = await signer();
  return {
    h,
    base,
    agent,
    operations: operationsOf(doc),
    world,
    async authorization(c) {
      switch (c.type) {
        case 'token':
          return `Bearer ${await token(h.key, c.who)}`;
        case 'expired':
          return `Bearer ${await token(h.key, { ...c.who, lifetimeSeconds: -60 })}`;
        case 'foreign':
          return `Bearer ${await token(foreign, c.who)}`;
        case 'operator':
          return `Bearer ${TEST_OPERATOR_TOKEN}`;
        case 'raw':
          return c.value;
      }
    },
    async close() {
      agent.destroy();
      await h.p.dispose();
    },
  };
}
