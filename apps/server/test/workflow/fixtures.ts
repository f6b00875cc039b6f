// Factories for workflow tests: the catalog's demo city and the workflow on one test platform, a
// controllable clock, and access tokens shaped like identity's (ES256, at+jwt, the tongban claim)
// verified by the kernel's real JWT authenticator against a key made for the test.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import catalog from '@tongban/catalog';
import {
  ACR,
  anyOf,
  API_AUDIENCE,
  createJwtAuthenticator,
  operatorTokenAuthenticator,
  type Clock,
  type ModuleDefinition,
  type PrincipalKind,
} from '@tongban/kernel';
import {
  startTestPlatform,
  TEST_OPERATOR_TOKEN,
  type TestPlatform,
  type TestPlatformOptions,
} from '@tongban/kernel/testing';
import workflow from '@tongban/workflow';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export const ISSUER = 'https://id.tongban.test';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely and asserted field by field
type Json = any;

export class TestClock implements Clock {
  #now: Date;
  constructor(iso: string) {
    this.#now = new Date(iso);
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(iso: string): void {
    this.#now = new Date(iso);
  }
}

export interface Signer {
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function signer(): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' } };
}

export interface Who {
  readonly sub: string;
  readonly kind: PrincipalKind;
  readonly roles?: readonly string[];
  readonly departments?: readonly string[];
  readonly regions?: readonly string[];
  readonly mfa?: boolean;
  /** How long the token is valid; 600 s (the guard's limit) unless said. */
  readonly lifetimeSeconds?: number;
}

export async function token(key: Signer, who: Who): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: ISSUER,
    aud: API_AUDIENCE,
    sub: who.sub,
    client_id: 'portal',
    scope: 'openid api',
    iat,
    exp: iat + (who.lifetimeSeconds ?? 600),
    jti: randomUUID(),
    sid: `s-${who.sub}`,
    acr: who.mfa ? ACR.mfa : ACR.password,
    tongban: { kind: who.kind, roles: who.roles ?? [], departments: who.departments ?? [], regions: who.regions ?? [] },
  })
    .setProtectedHeader({ alg: 'ES256', kid: 'test-key', typ: 'at+jwt' })
    .sign(key.privateKey);
}

/**
 * The test's tokens, and with `identity` (a platform running identity) also identity's own — the
 * service tokens modules fetch with ctx.serviceToken() — verified against its published keys.
 */
export function authenticatorFor(key: Signer, identity?: () => TestPlatform) {
  const jwt = createJwtAuthenticator({
    issuer: ISSUER,
    audience: API_AUDIENCE,
    keys: async () => ({ keys: [key.publicJwk] }),
  });
  if (!identity) return anyOf(jwt, operatorTokenAuthenticator(TEST_OPERATOR_TOKEN));
  let issuer = '';
  const fromIdentity = createJwtAuthenticator({
    issuer: () => issuer,
    audience: API_AUDIENCE,
    keys: async () => {
      const doc = (await identity().app.inject({ url: '/api/identity/keys' })).json() as {
        issuer: string;
        keys: JWK[];
      };
      issuer = doc.issuer;
      return { keys: doc.keys };
    },
  });
  return anyOf(jwt, fromIdentity, operatorTokenAuthenticator(TEST_OPERATOR_TOKEN));
}

export interface Harness {
  readonly p: TestPlatform;
  readonly clock: TestClock;
  readonly key: Signer;
  /** Bearer headers for a citizen (by account id) or an officer of a department. */
  citizen(id?: string): Promise<Record<string, string>>;
  officer(department: string, roles?: string[], id?: string, regions?: string[]): Promise<Record<string, string>>;
  /** Requests with a JSON body; returns status and parsed body. */
  call(
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; body: Json; headers: Record<string, unknown> }>;
}

/** 2026-12-01 (a Tuesday) at 10:00 in Hangzhou, unless the test says otherwise. */
export async function startWorkflow(
  options: { now?: string; modules?: readonly ModuleDefinition[]; identity?: boolean } & TestPlatformOptions = {},
): Promise<Harness> {
  const key = await signer();
  const clock = new TestClock(options.now ?? '2026-12-01T02:00:00Z');
  const { modules = [catalog, workflow], identity: withIdentity = false, ...rest } = options;
  // The authenticator is made before the platform it reads identity's keys from.
  const started: { p?: TestPlatform } = {};
  const p = await startTestPlatform(modules, {
    seed: true,
    clock,
    authenticate: authenticatorFor(key, withIdentity ? () => started.p! : undefined),
    ...rest,
  });
  started.p = p;
  const bearer = async (who: Who) => ({ authorization: `Bearer ${await token(key, who)}` });
  return {
    p,
    clock,
    key,
    citizen: (id = 'citizen-1') => bearer({ sub: id, kind: 'citizen', regions: ['330106'] }),
    officer: (department, roles = ['officer'], id = `officer-${department}`, regions = ['330100']) =>
      bearer({ sub: id, kind: 'officer', roles, departments: [department], regions, mfa: true }),
    async call(method, url, headers, body) {
      const r = await p.app.inject({
        method: method as 'GET',
        url,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : undefined, headers: r.headers };
    },
  };
}

export const M = {
  birthCertificate: '330100-WJW-001',
  vaccination: '330100-CDC-001',
  birthRegistration: '330100-GA-001',
  medicalInsurance: '330100-YB-001',
  socialSecurityCard: '330100-RS-001',
  maternityBenefits: '330100-YB-002',
} as const;

/** A complete 出生一件事 form: the bundle's merged form, keyed by data element. */
export function birthForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'child.name': '张小宝',
    'child.gender': '1',
    'child.birthDate': '2026-11-20',
    'child.birthPlace': '浙江大学医学院附属妇产科医院',
    'child.birthWeight': 3400,
    'child.applicantRelation': '1',
    'child.registeredWith': '1',
    'child.vaccinationClinic': '西湖区社区卫生服务中心',
    'mother.name': '李梅',
    'mother.idNumber': '330106199201011226',
    'mother.employerName': '杭州示范科技有限公司',
    'father.name': '张三',
    'father.idNumber': '33010619900101123X',
    'person.name': '张三',
    'person.idNumber': '33010619900101123X',
    'person.mobile': '13800000001',
    'person.address': '杭州市西湖区文三路 1 号',
    'household.address': '杭州市西湖区文三路 1 号',
    'bank.branch': '中国银行杭州西湖支行',
    'bank.accountNumber': '6216610100001234567',
    'birth.deliveryMethod': '1',
    ...overrides,
  };
}

export const birthMaterials = [
  { code: 'mother-id-card', ref: 'licence:resident-id-card:mother' },
  { code: 'parent-household-register', ref: 'licence:household-register:parents' },
  { code: 'parent-id-cards', ref: 'doc:parent-id-cards' },
  { code: 'guardian-id-card', ref: 'licence:resident-id-card:father' },
];

export async function submitBirth(h: Harness, headers: Record<string, string>, key = randomUUID(), form = birthForm()) {
  return h.call(
    'POST',
    '/api/workflow/applications',
    { ...headers, 'idempotency-key': key },
    { subject: { kind: 'bundle', code: 'BIRTH' }, form, materials: birthMaterials },
  );
}

/** The task of one matter in an application view. */
export function taskOf(view: { tasks: { matterCode: string }[] }, matterCode: string): Json {
  const t = view.tasks.find((x) => x.matterCode === matterCode);
  if (!t) throw new Error(`no task for ${matterCode}`);
  return t;
}

/** The 出生医学证明 form when applied for alone: the matter's own keys. */
export function birthCertificateForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    childName: '张小宝',
    childGender: '1',
    childBirthDate: '2026-11-20',
    birthPlace: '浙江大学医学院附属妇产科医院',
    birthWeight: 3400,
    motherName: '李梅',
    motherIdNumber: '330106199201011226',
    applicantName: '张三',
    applicantIdNumber: '33010619900101123X',
    applicantMobile: '13800000001',
    relation: '1',
    ...overrides,
  };
}

/** Submits 出生医学证明 alone (one task at 卫健委) and returns the application view. */
export async function submitBirthCertificate(h: Harness, headers: Record<string, string>, key = randomUUID()) {
  const r = await h.call(
    'POST',
    '/api/workflow/applications',
    { ...headers, 'idempotency-key': key },
    {
      subject: { kind: 'matter', code: M.birthCertificate },
      form: birthCertificateForm(),
      materials: [{ code: 'mother-id-card', ref: 'licence:resident-id-card:mother' }],
    },
  );
  if (r.status !== 201) throw new Error(`submission failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Posts an officer action on a task and returns the response. */
export async function act(h: Harness, headers: Record<string, string>, taskId: string, body: Record<string, unknown>) {
  return h.call('POST', `/api/workflow/tasks/${taskId}/actions`, headers, body);
}

/**
 * A 出生医学证明 applied for by `citizen` and approved at 卫健委 (accept, review, approve), its events
 * delivered; answers the approved task's id. What the licences module issues from.
 */
export async function approveBirthCertificate(h: Harness, citizen: string): Promise<string> {
  const officer = await h.officer('330100-WJW');
  const t = (await submitBirthCertificate(h, await h.citizen(citizen))).tasks[0] as { id: string; version: number };
  let r = await act(h, officer, t.id, { action: 'accept', version: t.version });
  r = await act(h, officer, t.id, { action: 'review', version: r.body.version });
  r = await act(h, officer, t.id, { action: 'approve', version: r.body.version });
  if (r.body.state !== 'approved') throw new Error(`not approved: ${r.status} ${JSON.stringify(r.body)}`);
  await h.p.bus.settled();
  return t.id;
}

/** The 社会保障卡 form when applied for alone (promised in 2 working days). */
export function socialSecurityCardForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    childName: '张小宝',
    childGender: '1',
    childBirthDate: '2026-11-20',
    applicantName: '张三',
    applicantIdNumber: '33010619900101123X',
    applicantMobile: '13800000001',
    relation: '1',
    mailingAddress: '杭州市西湖区文三路 1 号',
    bankBranch: '中国银行杭州西湖支行',
    ...overrides,
  };
}

export async function submitSocialSecurityCard(h: Harness, headers: Record<string, string>, key = randomUUID()) {
  const r = await h.call(
    'POST',
    '/api/workflow/applications',
    { ...headers, 'idempotency-key': key },
    {
      subject: { kind: 'matter', code: M.socialSecurityCard },
      form: socialSecurityCardForm(),
      materials: [{ code: 'household-register', ref: 'licence:household-register:1' }],
    },
  );
  if (r.status !== 201) throw new Error(`submission failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Runs the deadline sweep once, as the scheduler would. */
export async function sweep(h: Harness): Promise<void> {
  await h.p.runJob(workflow.name, 'deadline-sweep');
}

/** 居民身份证换领 (330100-GA-003, a fee) applied for online from a prefilled draft: who, the application, its task. */
export async function applyForRenewal(h: Harness, citizen: string) {
  const who = await h.citizen(citizen);
  const draft = await h.call('POST', '/api/workflow/drafts', who, {
    subject: { kind: 'matter', code: '330100-GA-003' },
  });
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  const saved = await h.call('PUT', `/api/workflow/drafts/${draft.body.id}`, who, {
    version: draft.body.version,
    form: { ...draft.body.form, pickup: '1' },
    materials: [],
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const r = await h.call(
    'POST',
    '/api/workflow/applications',
    { ...who, 'idempotency-key': randomUUID() },
    { draftId: draft.body.id },
  );
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { who, app: r.body, task: taskOf(r.body, '330100-GA-003') };
}
