// Resources for the matrix's resource routes (x-tongban-policy `resource: true`): for each, one
// a principal reaches — its own application, document or licence, or a task of its department in
// its region — made through the platform's own API. The matrix derives the OTHER cases from what
// the resource is (another account; another department; the same department in another region)
// and expects them refused. A resource route no factory here covers fails the matrix with the
// message to add one (matrix.ts), so a new route is never skipped in silence.
import { randomInt, randomUUID } from 'node:crypto';
import { creditCodeCheckChar } from '@tongban/kernel/identifiers';
import licenses from '@tongban/licenses';
import payments from '@tongban/payments';
import { sql } from 'kysely';
import {
  act,
  birthCertificateForm,
  M,
  submitBirthCertificate,
  token,
  type Harness,
  type Who,
} from '../workflow/fixtures.ts';
import type { ResourceDenial } from './oracle.ts';

export type ScopedKind = 'citizen' | 'business' | 'officer';

/** Who reaches a resource: its owner's account, or the officers of a department (within a region). */
export type Reach = { readonly owner: string } | { readonly department: string; readonly region?: string };

export interface Made {
  /** The path parameters naming the resource. */
  readonly params: Readonly<Record<string, string>>;
  readonly reach: Reach;
  /** Body fields a schema cannot guess (a task's version …), merged over the generated instance. */
  readonly body?: Readonly<Record<string, unknown>>;
}

export interface ResourceFactory {
  /** The routes it covers: those whose OpenAPI path starts with this template. */
  readonly path: string;
  /** A resource whose reach a principal of this kind can have (sub: the principal's account). */
  make(h: Harness, kind: ScopedKind, sub: string): Promise<Made>;
  /**
   * How the module refuses a caller outside the reach: the guard's 403 FORBIDDEN_RESOURCE unless
   * the module documents a 404 that hides whether the resource exists.
   */
  readonly denial?: ResourceDenial;
  /** A request that consumes the resource (DELETE): every allowed request gets a new one. */
  readonly consumedBy?: readonly string[];
}

export const OFFICER_DEPARTMENT = '330100-WJW';
/** Another department of the same city (市公安局), and a region outside Hangzhou (宁波). */
export const OTHER_DEPARTMENT = '330100-GA';
export const OTHER_REGION = '330200';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

const bearer = async (h: Harness, who: Who) => ({ authorization: `Bearer ${await token(h.key, who)}` });
const applicant = (h: Harness, kind: ScopedKind, sub: string) =>
  bearer(h, { sub, kind: kind === 'business' ? 'business' : 'citizen', regions: ['330106'] });

async function draftOf(h: Harness, kind: ScopedKind, sub: string): Promise<Made> {
  const r = await h.call('POST', '/api/workflow/drafts', await applicant(h, kind, sub), {
    subject: { kind: 'matter', code: M.birthCertificate },
  });
  if (r.status !== 201) throw new Error(`draft: ${r.status} ${JSON.stringify(r.body)}`);
  return { params: { id: r.body.id }, reach: { owner: sub }, body: { version: r.body.version } };
}

async function applicationOf(h: Harness, kind: ScopedKind, sub: string): Promise<Made> {
  const view = await submitBirthCertificate(h, await applicant(h, kind, sub));
  const task = view.tasks[0] as { id: string; version: number };
  return { params: { id: view.id, taskId: task.id }, reach: { owner: sub }, body: { version: task.version } };
}

async function taskOf(h: Harness): Promise<Made> {
  const view = await submitBirthCertificate(h, await applicant(h, 'citizen', `m-applicant-${randomUUID()}`));
  const task = view.tasks[0] as { id: string; version: number; departmentCode: string; regionCode: string };
  return {
    params: { id: task.id },
    reach: { department: task.departmentCode, region: task.regionCode },
    body: { version: task.version },
  };
}

async function documentOf(h: Harness, kind: ScopedKind, sub: string): Promise<Made> {
  const owner = kind === 'officer' ? `m-applicant-${randomUUID()}` : sub;
  const who = await applicant(h, kind === 'officer' ? 'citizen' : kind, owner);
  const up = await h.p.app.inject({
    method: 'POST',
    url: '/api/workflow/documents',
    headers: { ...who, 'content-type': 'application/pdf' },
    payload: PDF,
  });
  const doc = up.json() as { id: string; ref: string };
  if (up.statusCode !== 201) throw new Error(`document: ${up.statusCode} ${up.body}`);
  if (kind !== 'officer') return { params: { id: doc.id }, reach: { owner } };
  // An officer reaches a document through a task of a submitted application naming it.
  const r = await h.call(
    'POST',
    '/api/workflow/applications',
    { ...who, 'idempotency-key': randomUUID() },
    {
      subject: { kind: 'matter', code: M.birthCertificate },
      form: birthCertificateForm(),
      materials: [{ code: 'mother-id-card', ref: doc.ref }],
    },
  );
  if (r.status !== 201) throw new Error(`application with a document: ${r.status} ${JSON.stringify(r.body)}`);
  const task = r.body.tasks[0] as { departmentCode: string; regionCode: string };
  return { params: { id: doc.id }, reach: { department: task.departmentCode, region: task.regionCode } };
}

/** A 出生医学证明 issued to `sub` (approved at 卫健委, taken by the issuer); reached by its holder and the issuing department. */
async function licenceOf(h: Harness, kind: ScopedKind, sub: string): Promise<Made> {
  const holder = kind === 'officer' ? `m-holder-${randomUUID()}` : sub;
  const officer = await bearer(h, {
    sub: 'm-wjw-approver',
    kind: 'officer',
    roles: ['officer', 'approver'],
    departments: [OFFICER_DEPARTMENT],
    regions: ['330100'],
    mfa: true,
  });
  const t = (await submitBirthCertificate(h, await applicant(h, kind === 'officer' ? 'citizen' : kind, holder)))
    .tasks[0] as { id: string; version: number };
  let r = await act(h, officer, t.id, { action: 'accept', version: t.version });
  r = await act(h, officer, t.id, { action: 'review', version: r.body.version });
  r = await act(h, officer, t.id, { action: 'approve', version: r.body.version });
  if (r.body.state !== 'approved') throw new Error(`licence: not approved: ${r.status} ${JSON.stringify(r.body)}`);
  // The issuer hears the approval through the bus, then asks the workflow: settle and kick until it has issued.
  const holderHeaders = await applicant(h, kind === 'officer' ? 'citizen' : kind, holder);
  let mine: { body: unknown } = { body: undefined };
  let id: string | undefined;
  for (let round = 0; round < 50 && !id; round++) {
    await h.p.bus.relay.runOnce();
    await h.p.bus.settled();
    await h.p.instanceOf(licenses).kick();
    mine = await h.call('GET', '/api/licenses/me', holderHeaders);
    id = (mine.body as { licences?: { id: string }[] }).licences?.[0]?.id;
  }
  if (!id) throw new Error(`licence: none issued to ${holder}: ${JSON.stringify(mine.body)}`);
  // Licences are scoped by the issuing department only (their scope names no region).
  return { params: { id }, reach: kind === 'officer' ? { department: OFFICER_DEPARTMENT } : { owner: holder } };
}

/** A business registered by `sub` as its legal representative (法定代表人): delegating it is theirs. */
async function businessOf(h: Harness): Promise<Made> {
  // A representative must be an account: the demo city's first citizen.
  const found = await sql<{
    id: string;
  }>`select id from identity.account where kind = 'citizen' order by created_at limit 1`.execute(
    h.p.contexts.get('identity')!.db,
  );
  const sub = found.rows[0]?.id;
  if (!sub) throw new Error('business: the demo city has no citizen account');
  const first17 = `91330100MA${String(randomInt(10_000_000)).padStart(7, '0')}`;
  const r = await h.call('POST', '/api/identity/businesses', await bearer(h, { sub, kind: 'citizen', mfa: true }), {
    creditCode: first17 + creditCodeCheckChar(first17),
    name: '矩阵测试有限公司',
    password: 'a long matrix pass phrase',
  });
  if (r.status !== 201) throw new Error(`business: ${r.status} ${JSON.stringify(r.body)}`);
  return { params: { businessId: r.body.id }, reach: { owner: sub } };
}

/** A payment order of a task at 卫健委, made through the payments service (the workflow's payment facts are given, not asked). */
async function paymentOrderOf(h: Harness): Promise<Made> {
  const taskId = randomUUID();
  const order = await h.p.instanceOf(payments).assessAndCreate(
    {
      taskId,
      applicationId: randomUUID(),
      caseNumber: `M-${taskId.slice(0, 8)}`,
      matterCode: M.birthCertificate,
      matterVersion: 1,
      departmentCode: OFFICER_DEPARTMENT,
      payer: { id: `m-payer-${randomUUID()}`, kind: 'citizen' },
      verified: {},
      awaitingPayment: true,
    },
    {
      code: M.birthCertificate,
      version: 1,
      name: { zh: '矩阵测试', en: 'Matrix' },
      departmentCode: OFFICER_DEPARTMENT,
      fees: [{ code: 'matrix-fee', name: { zh: '工本费', en: 'Fee' }, amountFen: 100 }],
    },
  );
  // Orders are scoped by their department only (their scope names no region).
  return {
    params: { id: order.id },
    reach: { department: OFFICER_DEPARTMENT },
    body: { amountFen: 1, reason: 'matrix reason' },
  };
}

export const RESOURCE_FACTORIES: readonly ResourceFactory[] = [
  // The workflow's drafts and applications: the applicant's own (403 for another's).
  { path: '/api/workflow/drafts/{id}', make: draftOf, consumedBy: ['DELETE'] },
  { path: '/api/workflow/applications/{id}', make: applicationOf },
  // A department's task, within the officer's regions (GB/T 2260 prefixes).
  { path: '/api/workflow/tasks/{id}', make: taskOf },
  // Documents hide another's document behind a 404 (docs/architecture.md, Workflow: documents).
  {
    path: '/api/workflow/documents/{id}',
    make: documentOf,
    denial: { status: 404, code: 'WORKFLOW_DOCUMENT_NOT_FOUND' },
    consumedBy: ['DELETE'],
  },
  // Identity: a business's agents (经办人) are its legal representative's to name.
  { path: '/api/identity/businesses/{businessId}', make: businessOf },
  // Licences: the holder's, and the issuing department's officers'.
  { path: '/api/licenses/{id}', make: licenceOf },
  // Payments: an order, and its refunds, are its department's officers' (the payer's own are under /me, 404 for another's).
  { path: '/api/payments/orders/{id}', make: paymentOrderOf },
];

export function factoryFor(
  path: string,
  factories: readonly ResourceFactory[] = RESOURCE_FACTORIES,
): ResourceFactory | undefined {
  return factories.find((f) => path === f.path || path.startsWith(`${f.path}/`));
}
