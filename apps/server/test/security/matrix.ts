// The authorization matrix, generated (issue 14): every operation of the running server's OpenAPI
// document (x-tongban-policy) and every route it leaves out (the kernel's declaredRoutes), sent
// by every kind of principal — with and without each role the route names, at password and at
// multi-factor — and anonymously, with a malformed and with an expired token; on resource routes
// by the resource's own principal and by others (fixtures.ts). The expected verdict is oracle.ts's.
import { randomUUID } from 'node:crypto';
import { ServiceRoles, StaffRoles } from '@tongban/contracts';
import { declaredRoutes, PRINCIPAL_KINDS, type PrincipalKind } from '@tongban/kernel';
import { TEST_OPERATOR_TOKEN } from '@tongban/kernel/testing';
import { ACR, API_AUDIENCE } from '@tongban/kernel';
import { SignJWT } from 'jose';
import { ISSUER, token, type Harness, type Who } from '../workflow/fixtures.ts';
import {
  factoryFor,
  RESOURCE_FACTORIES,
  OFFICER_DEPARTMENT,
  OTHER_DEPARTMENT,
  OTHER_REGION,
  type Made,
  type Reach,
  type ResourceFactory,
  type ScopedKind,
} from './fixtures.ts';
import { instanceOf } from './instance.ts';
import {
  expectedVerdict,
  GUARD_RESOURCE_DENIAL,
  judge,
  type Caller,
  type DeclaredPolicy,
  type Outcome,
  type ResourceDenial,
  type Verdict,
} from './oracle.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document is read as plain data */
type OpenApiOperation = Record<string, any>;

export interface Operation {
  readonly method: string;
  /** OpenAPI form: `/api/workflow/tasks/{id}`. */
  readonly path: string;
  readonly policy: DeclaredPolicy;
  readonly operation?: OpenApiOperation;
}

export interface Difference {
  readonly method: string;
  readonly path: string;
  readonly principal: string;
  readonly expected: string;
  readonly got: string;
  readonly outcome: Outcome;
}

export interface MatrixResult {
  readonly routes: number;
  readonly requests: number;
  readonly differences: readonly Difference[];
  /** Problems with the matrix itself: a resource route without a factory, a policy the document and the route table disagree on. */
  readonly gaps: readonly string[];
  readonly counts: Readonly<Record<Outcome, number>>;
}

interface Case {
  readonly op: Operation;
  readonly label: string;
  readonly caller: Caller;
  readonly verdict: Verdict;
  readonly denial: ResourceDenial;
  /** Deny cases run first: an allowed request may change what a later one finds. */
  readonly phase: 'deny' | 'allow';
  headers(): Promise<Record<string, string>>;
  target(): Promise<Made | undefined>;
}

// Every role the platform knows: a principal "without" a route's role holds all the others.
const ALL_ROLES: readonly string[] = [...new Set([...Object.values(StaffRoles), ...Object.values(ServiceRoles)])];
const SCOPED = new Set<PrincipalKind>(['citizen', 'business', 'officer']);
// A wildcard mount answers every method; two are enough to see that the guard lets it be.
const WILDCARD_METHODS = new Set(['GET', 'POST']);

/** `/api/x/:id` and `/oidc/*` in the OpenAPI form the document uses. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** The operations, from the document, and the routes it does not list, from the route table. */
export function operationsOf(
  h: Harness,
  doc: { paths: Record<string, Record<string, OpenApiOperation>> },
): {
  operations: Operation[];
  gaps: string[];
} {
  const operations: Operation[] = [];
  const gaps: string[] = [];
  const documented = new Map<string, DeclaredPolicy | undefined>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [m, operation] of Object.entries(item)) {
      const method = m.toUpperCase();
      const policy = operation['x-tongban-policy'] as DeclaredPolicy | undefined;
      documented.set(`${method} ${path}`, policy);
      if (!policy) {
        gaps.push(`${method} ${path}: the OpenAPI document gives no x-tongban-policy`);
        continue;
      }
      operations.push({ method, path, policy, operation });
    }
  }
  const seen = new Set<string>();
  for (const route of declaredRoutes(h.p.app)) {
    if (route.method === 'HEAD') continue; // Fastify's mirror of each GET
    const path = openApiPath(route.url);
    const key = `${route.method} ${path}`;
    // The route table's policy is the document's (one description, two readers).
    const policy: DeclaredPolicy = (route.policy as DeclaredPolicy | undefined) ?? { public: true };
    if (documented.has(key)) {
      if (JSON.stringify(documented.get(key)) !== JSON.stringify(policy))
        gaps.push(`${key}: the OpenAPI document and the route table disagree on the policy`);
      continue;
    }
    if (seen.has(key) || (path.endsWith('*') && !WILDCARD_METHODS.has(route.method))) continue;
    seen.add(key);
    operations.push({ method: route.method, path, policy });
  }
  return { operations, gaps };
}

interface Principal {
  readonly label: string;
  readonly caller: Caller;
  readonly who?: Who;
  readonly raw?: string;
}

/** An agent's token (代办): the workflow fixtures' shape, with `tongban.actingFor`. */
async function agentToken(h: Harness, who: Who, actingFor: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: ISSUER,
    aud: API_AUDIENCE,
    sub: who.sub,
    client_id: 'portal',
    scope: 'openid api',
    iat,
    exp: iat + 600,
    jti: randomUUID(),
    sid: `s-${who.sub}`,
    acr: who.mfa ? ACR.mfa : ACR.password,
    tongban: { kind: who.kind, roles: who.roles ?? [], departments: [], regions: who.regions ?? [], actingFor },
  })
    .setProtectedHeader({ alg: 'ES256', kid: 'test-key', typ: 'at+jwt' })
    .sign(h.key.privateKey);
}

/** The principals a policy is tried with (before resource reach). */
function principalsFor(policy: DeclaredPolicy): Principal[] {
  const out: Principal[] = [
    { label: 'anonymous', caller: { credential: 'none' } },
    { label: 'malformed token', caller: { credential: 'malformed' }, raw: 'Bearer not.a-jwt' },
    {
      label: 'expired token',
      caller: { credential: 'expired' },
      who: { sub: 'm-expired', kind: 'citizen', lifetimeSeconds: -60 },
    },
  ];
  if (policy.public) return out;
  const named = [...new Set(Object.values(policy.roles).flat())];
  for (const kind of PRINCIPAL_KINDS) {
    const needed = policy.kinds.includes(kind) ? policy.roles[kind] : undefined;
    // A kind outside the policy holds every role the route names: its kind alone must refuse it.
    const roleSets: [string, string[]][] = !policy.kinds.includes(kind)
      ? [[named.length ? `with ${named.join('+')}` : 'no roles', named]]
      : needed
        ? [
            ...needed.map((role): [string, string[]] => [`with ${role}`, [role]]),
            [`without ${needed.join('/')}`, ALL_ROLES.filter((r) => !needed.includes(r))],
          ]
        : [['no roles', []]];
    const assurances = kind === 'service' ? (['none'] as const) : (['password', 'mfa'] as const);
    for (const [roleLabel, roles] of roleSets)
      for (const assurance of assurances)
        out.push({
          label: `${kind} ${roleLabel} ${assurance}`,
          caller: { credential: 'token', kind, roles, assurance },
          who: {
            sub: kind === 'service' ? 'tongban-matrix' : `m-${kind}`,
            kind,
            roles,
            departments: kind === 'officer' ? [OFFICER_DEPARTMENT] : [],
            regions: kind === 'officer' ? ['330100'] : kind === 'citizen' ? ['330106'] : [],
            mfa: assurance === 'mfa',
          },
        });
  }
  out.push({
    label: 'operator token',
    caller: { credential: 'token', kind: 'operator', roles: [], assurance: 'password' },
    raw: `Bearer ${TEST_OPERATOR_TOKEN}`,
  });
  return out;
}

/** Principals outside the reach of a resource, as `Who` changes to the one that reaches it. */
function othersOf(reach: Reach): { label: string; change: Partial<Who> }[] {
  if ('owner' in reach) return [{ label: "another account's", change: { sub: `m-other-${randomUUID()}` } }];
  const others = [{ label: "another department's", change: { departments: [OTHER_DEPARTMENT] } }];
  if (reach.region !== undefined)
    others.push({ label: 'same department, another region', change: { regions: [OTHER_REGION] } } as never);
  return others;
}

const reachOf = (reach: Reach): Partial<Who> =>
  'owner' in reach ? { sub: reach.owner } : { departments: [reach.department], regions: [reach.region ?? '330100'] };

/** Fills a route's path, query and headers from its schema, and its JSON body (over `made.body`). */
function requestOf(
  op: Operation,
  made: Made | undefined,
): { url: string; headers: Record<string, string>; payload?: string } {
  const params: Record<string, string> = {};
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of (op.operation?.parameters ?? []) as OpenApiOperation[]) {
    // The guard answers before validation: a value the generator cannot make is only a 400 later.
    const value = () => {
      try {
        return String(instanceOf(p.schema, {}, `${p.in}.${p.name}`));
      } catch {
        return 'matrix';
      }
    };
    if (p.in === 'path') params[p.name] = made?.params[p.name] ?? value();
    else if (p.in === 'query' && p.required) query.set(p.name, value());
    else if (p.in === 'header' && p.required) headers[p.name] = value();
  }
  let url = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? 'matrix'));
  url = url.replace(/\*$/, 'matrix');
  if ([...query].length) url += `?${query}`;
  const json = op.operation?.requestBody?.content?.['application/json']?.schema;
  if (!json) return { url, headers };
  // A route's guard answers before validation: only a resource route's body must be valid (the
  // resource check runs after it). Others get an empty object, so that an allowed request with
  // a valid body changes nothing of the demo city the fixtures stand on.
  let body: unknown = {};
  if (op.policy.public !== true && op.policy.resource) {
    body = instanceOf(json);
    const declared = new Set(Object.keys(json.properties ?? {}));
    for (const [k, v] of Object.entries(made?.body ?? {}))
      if (declared.has(k)) (body as Record<string, unknown>)[k] = v;
  }
  return { url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) };
}

export interface MatrixOptions {
  /** Requests in flight at once. */
  readonly concurrency?: number;
  /** Only these operations (the matrix's own tests). */
  readonly only?: (op: Operation) => boolean;
  /** A wrong expectation on purpose (the matrix's own negative check): flips every verdict of these. */
  readonly tamper?: (op: Operation) => boolean;
  /** The resource factories (RESOURCE_FACTORIES unless said). */
  readonly factories?: readonly ResourceFactory[];
}

export async function runMatrix(h: Harness, options: MatrixOptions = {}): Promise<MatrixResult> {
  const t0 = Date.now();
  const doc = (await h.p.app.inject({ url: '/api/openapi.json' })).json();
  const read = operationsOf(h, doc);
  const gaps = read.gaps;
  const operations = options.only ? read.operations.filter(options.only) : read.operations;
  const factories = options.factories ?? RESOURCE_FACTORIES;
  const cases: Case[] = [];
  const made = new Map<string, Promise<Made>>();
  const fixture = (factory: ResourceFactory, kind: ScopedKind, fresh: boolean): Promise<Made> => {
    const key = `${factory.path} ${kind}`;
    if (fresh) return factory.make(h, kind, `m-${kind}-${randomUUID()}`);
    let m = made.get(key);
    if (!m) {
      m = factory.make(h, kind, `m-${kind}-${randomUUID()}`);
      made.set(key, m);
    }
    return m;
  };
  const headersOf = async (p: Principal, change: Partial<Who> = {}): Promise<Record<string, string>> => {
    if (p.raw) return { authorization: p.raw };
    if (!p.who) return {};
    return { authorization: `Bearer ${await token(h.key, { ...p.who, ...change })}` };
  };

  // The resources are made up front, concurrently: one per factory and kind, shared by its routes.
  for (const op of operations) {
    if (op.policy.public === true || !op.policy.resource) continue;
    const factory = factoryFor(op.path, factories);
    for (const kind of op.policy.kinds)
      if (factory && SCOPED.has(kind)) void fixture(factory, kind as ScopedKind, false).catch(() => undefined);
  }
  for (const op of operations) {
    const tampered = options.tamper?.(op) ?? false;
    const flip = (v: Verdict): Verdict =>
      tampered ? (v.allow ? { allow: false, status: 403, code: 'FORBIDDEN', why: 'tampered' } : { allow: true }) : v;
    const resource = op.policy.public !== true && op.policy.resource;
    const factory = resource ? factoryFor(op.path, factories) : undefined;
    if (resource && !factory) {
      gaps.push(
        `${op.method} ${op.path}: a resource route with no fixture factory — add one to RESOURCE_FACTORIES in apps/server/test/security/fixtures.ts (own resource, and who must be refused)`,
      );
      continue;
    }
    const denial = factory?.denial ?? GUARD_RESOURCE_DENIAL;
    for (const p of principalsFor(op.policy)) {
      const base = expectedVerdict(op.policy, p.caller, denial);
      const scoped = p.caller.credential === 'token' && SCOPED.has(p.caller.kind);
      if (!factory || !base.allow || !scoped) {
        cases.push({
          op,
          label: p.label,
          caller: p.caller,
          verdict: flip(base),
          denial,
          phase: base.allow ? 'allow' : 'deny',
          headers: () => headersOf(p),
          target: async () => undefined,
        });
        continue;
      }
      // A scoped principal the policy lets in: its own resource, then others'.
      const kind = (p.caller as { kind: ScopedKind }).kind;
      const fresh = factory.consumedBy?.includes(op.method) ?? false;
      const own = { ...p.caller, reach: 'own' as const };
      const ownMade = fresh ? undefined : fixture(factory, kind, false);
      const target = async () => ownMade ?? fixture(factory, kind, true);
      let current: Promise<Made> | undefined;
      const once = () => (current ??= target());
      cases.push({
        op,
        label: `${p.label}, own resource`,
        caller: own,
        verdict: flip(expectedVerdict(op.policy, own, denial)),
        denial,
        phase: 'allow',
        headers: async () => headersOf(p, reachOf((await once()).reach)),
        target: once,
      });
      // An agent (代办): a citizen acting for the business that owns the resource reaches it; one
      // acting for another business does not.
      if (kind === 'citizen' && op.policy.public !== true && op.policy.kinds.includes('business') && !fresh) {
        const firm = fixture(factory, 'business', false);
        for (const [label, reach] of [
          ['acting for the owning business', 'own'],
          ['acting for another business', 'other'],
        ] as const) {
          const caller = { ...p.caller, reach };
          cases.push({
            op,
            label: `${p.label}, ${label}`,
            caller,
            verdict: flip(expectedVerdict(op.policy, caller, denial)),
            denial,
            phase: reach === 'own' ? 'allow' : 'deny',
            headers: async () => {
              const owner = (await firm).reach;
              const business = 'owner' in owner && reach === 'own' ? owner.owner : `m-firm-${randomUUID()}`;
              return { authorization: `Bearer ${await agentToken(h, p.who!, business)}` };
            },
            target: () => firm,
          });
        }
      }
      const shared = fixture(factory, kind, false);
      for (const other of othersOf((await shared).reach)) {
        const caller = { ...p.caller, reach: 'other' as const };
        cases.push({
          op,
          label: `${p.label}, ${other.label}`,
          caller,
          verdict: flip(expectedVerdict(op.policy, caller, denial)),
          denial,
          phase: 'deny',
          headers: async () => headersOf(p, { ...reachOf((await shared).reach), ...other.change }),
          target: () => shared,
        });
      }
    }
  }

  const differences: Difference[] = [];
  const counts: Record<Outcome, number> = {
    agree: 0,
    'unexpected allow': 0,
    'unexpected denial': 0,
    'wrong denial': 0,
  };
  const spent = new Map<string, number>();
  const send = async (c: Case) => {
    const began = Date.now();
    const target = await c.target();
    const req = requestOf(c.op, target);
    const res = await h.p.app.inject({
      method: c.op.method as 'GET',
      url: req.url,
      headers: { ...req.headers, ...(await c.headers()) },
      ...(req.payload === undefined ? {} : { payload: req.payload }),
      payloadAsStream: true,
    });
    const type = String(res.headers['content-type'] ?? '');
    let code: string | undefined;
    if (type.startsWith('text/event-stream')) {
      res.stream().destroy();
    } else {
      const chunks: Buffer[] = [];
      for await (const chunk of res.stream()) chunks.push(chunk as Buffer);
      if (type.includes('json')) {
        try {
          code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string }).code;
        } catch {
          code = undefined;
        }
      }
    }
    const key = `${c.op.method} ${c.op.path}`;
    if (process.env.MATRIX_VERBOSE && c.caller.credential === 'token' && c.caller.reach)
      console.log(`reach ${c.caller.reach} ${key} ${c.label} -> ${res.statusCode} ${code ?? ''}`);
    spent.set(key, (spent.get(key) ?? 0) + Date.now() - began);
    let outcome = judge(c.verdict, { status: res.statusCode, code }, c.denial);
    // A 401 tells the client how to recover (RFC 6750, RFC 9470): no challenge, no agreement.
    const challenge = res.headers['www-authenticate'];
    if (outcome === 'agree' && !c.verdict.allow && c.verdict.status === 401 && !challenge) outcome = 'wrong denial';
    counts[outcome]++;
    if (outcome !== 'agree') {
      differences.push({
        method: c.op.method,
        path: c.op.path,
        principal: c.label,
        expected: c.verdict.allow ? 'allow' : `${c.verdict.status} ${c.verdict.code} (${c.verdict.why})`,
        got: `${res.statusCode} ${code ?? '-'}${res.statusCode === 401 && !challenge ? ' (no WWW-Authenticate)' : ''}`,
        outcome,
      });
    }
  };
  const built = Date.now();
  for (const phase of ['deny', 'allow'] as const)
    await pool(
      cases.filter((c) => c.phase === phase),
      options.concurrency ?? 8,
      send,
    );
  if (process.env.MATRIX_VERBOSE) {
    console.log(`built in ${built - t0} ms, sent in ${Date.now() - built} ms`);
    console.log(
      [...spent]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([k, v]) => `${v} ${k}`)
        .join('\n'),
    );
  }
  return { routes: operations.length, requests: cases.length, differences, gaps, counts };
}

async function pool<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export function summaryLine(r: MatrixResult): string {
  return `routes ${r.routes}, requests ${r.requests}, unexpected allows ${r.counts['unexpected allow']}, unexpected denials ${r.counts['unexpected denial']}, wrong denials ${r.counts['wrong denial']}`;
}

/** The differences as a table: method, path, principal, expected, got. */
export function differenceTable(differences: readonly Difference[]): string {
  const rows = [
    ['method', 'path', 'principal', 'expected', 'got', 'outcome'],
    ...differences.map((d) => [d.method, d.path, d.principal, d.expected, d.got, d.outcome]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}
