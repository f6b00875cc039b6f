// Statistics on a seeded set of tasks: the operators' dashboard counts open, overdue and in-time vs
// late decisions per department, and only for operators (401 without a token, 403 for a citizen
// or an officer); the public figures of a matter are working days by its region's calendar, and
// nothing at all below five decisions. The same on PGlite and PostgreSQL (TONGBAN_TEST_DATABASE_URL).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  ACR,
  anyOf,
  API_AUDIENCE,
  createJwtAuthenticator,
  defineModule,
  operatorTokenAuthenticator,
  Policies,
  type Clock,
} from '@tongban/kernel';
import { startTestPlatform, TEST_OPERATOR_TOKEN, type TestPlatform } from '@tongban/kernel/testing';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { sql } from 'kysely';
import workflow from '../src/index.ts';
import { typed } from '../src/store/tables.ts';

const ISSUER = 'https://id.tongban.test';
const REGION = '330100';
const M1 = '330100-TEST-001';
const M2 = '330100-TEST-002';

// The one thing the statistics ask of the catalog: a region's calendar. 26 November is a holiday.
const fakeCatalog = defineModule({
  name: 'catalog',
  title: { zh: '目录', en: 'Catalog' },
  routes(app) {
    app.get('/calendars/:code', { config: { policy: Policies.public } }, async (req) => ({
      regionCode: (req.params as { code: string }).code,
      holidays: ['2026-11-26'],
      workdays: [],
    }));
  },
});

const clock: Clock = { now: () => new Date('2026-12-01T02:00:00Z') }; // Tuesday 10:00 in Hangzhou
let platform: TestPlatform;
let privateKey: CryptoKey;

async function bearer(kind: 'citizen' | 'officer', extra: Record<string, unknown> = {}) {
  const iat = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({
    iss: ISSUER,
    aud: API_AUDIENCE,
    sub: `${kind}-1`,
    client_id: 'portal',
    scope: 'openid api',
    iat,
    exp: iat + 600,
    jti: randomUUID(),
    sid: `s-${kind}`,
    acr: ACR.mfa,
    tongban: { kind, roles: kind === 'officer' ? ['officer', 'lead'] : [], departments: ['D1'], regions: [REGION] },
    ...extra,
  })
    .setProtectedHeader({ alg: 'ES256', kid: 'test-key', typ: 'at+jwt' })
    .sign(privateKey);
  return { authorization: `Bearer ${jwt}` };
}
const operator = { authorization: `Bearer ${TEST_OPERATOR_TOKEN}` };

async function get(url: string, headers: Record<string, string> = {}) {
  const r = await platform.app.inject({ method: 'GET', url: `/api/workflow${url}`, headers });
  return { status: r.statusCode, body: r.json() as Record<string, unknown> };
}

interface Seed {
  matter: string;
  department: string;
  state: string;
  started?: string;
  finished?: string;
  due?: string;
}

let n = 0;
async function seed(tasks: Seed[]) {
  const db = typed(platform.contexts.get('workflow')!.db);
  for (const t of tasks) {
    const id = randomUUID();
    const decided = t.state === 'approved' || t.state === 'rejected' || t.state === 'cancelled';
    const at = new Date(t.started ?? '2026-11-30T02:00:00Z');
    await db
      .insertInto('workflow.application')
      .values({
        id,
        case_number: `TEST-${++n}`,
        applicant_id: 'citizen-1',
        applicant_kind: 'citizen',
        subject_kind: 'matter',
        subject_code: t.matter,
        subject_version: 1,
        region_code: REGION,
        status: decided ? 'completed' : 'in_progress',
        channel: 'online',
        form: sql`'{}'::jsonb`,
        materials: sql`'[]'::jsonb`,
        created_at: at,
        updated_at: at,
        submitted_at: at,
        finished_at: t.finished ? new Date(t.finished) : null,
      } as never)
      .execute();
    await db
      .insertInto('workflow.task')
      .values({
        id: randomUUID(),
        application_id: id,
        matter_code: t.matter,
        matter_version: 1,
        department_code: t.department,
        region_code: REGION,
        depends_on: [],
        process: 'standard',
        state: t.state,
        ...(t.state === 'correction'
          ? {
              correction: sql`'{"fields":[],"materials":[],"reason":"x"}'::jsonb`,
              resume_state: 'accepted',
              remaining_days: 2,
            }
          : {}),
        promised_days: 3,
        due_on: t.due ?? null,
        started_at: t.state === 'waiting' ? null : at,
        finished_at: t.finished ? new Date(t.finished) : null,
      } as never)
      .execute();
  }
  // A draft is no application yet: not counted.
  await db
    .insertInto('workflow.application')
    .values({
      id: randomUUID(),
      case_number: null,
      applicant_id: 'citizen-2',
      applicant_kind: 'citizen',
      subject_kind: 'matter',
      subject_code: M1,
      subject_version: 1,
      region_code: REGION,
      status: 'draft',
      channel: 'online',
      form: sql`'{}'::jsonb`,
      materials: sql`'[]'::jsonb`,
      created_at: clock.now(),
      updated_at: clock.now(),
    } as never)
    .execute();
}

before(async () => {
  const keys = await generateKeyPair('ES256', { extractable: true });
  privateKey = keys.privateKey;
  const publicJwk: JWK = { ...(await exportJWK(keys.publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  platform = await startTestPlatform([fakeCatalog, workflow], {
    clock,
    authenticate: anyOf(
      createJwtAuthenticator({ issuer: ISSUER, audience: API_AUDIENCE, keys: async () => ({ keys: [publicJwk] }) }),
      operatorTokenAuthenticator(TEST_OPERATOR_TOKEN),
    ),
  });
  await seed([
    // M1, department D1: five decisions of the last 90 days, in working days (26 Nov a holiday):
    // finished 00:30 on the 25th in Hangzhou (the 24th in UTC): 24, 25 → 2; due the 26th: in time
    {
      matter: M1,
      department: 'D1',
      state: 'approved',
      started: '2026-11-23T02:00:00Z',
      finished: '2026-11-24T16:30:00Z',
      due: '2026-11-26',
    },
    // 24, 25, (26 off), 27 → 3; due the 26th: late
    {
      matter: M1,
      department: 'D1',
      state: 'rejected',
      started: '2026-11-23T02:00:00Z',
      finished: '2026-11-27T02:00:00Z',
      due: '2026-11-26',
    },
    // (21, 22 weekend), 23 → 1; no due day (即办): in time
    {
      matter: M1,
      department: 'D1',
      state: 'approved',
      started: '2026-11-20T02:00:00Z',
      finished: '2026-11-23T02:00:00Z',
    },
    // the same day → 0; due that day: in time
    {
      matter: M1,
      department: 'D1',
      state: 'approved',
      started: '2026-11-24T01:00:00Z',
      finished: '2026-11-24T05:00:00Z',
      due: '2026-11-24',
    },
    // 17–20 (4), 23–25 and 27 (4), 30 (1) → 9; due the 20th: late
    {
      matter: M1,
      department: 'D1',
      state: 'approved',
      started: '2026-11-16T02:00:00Z',
      finished: '2026-11-30T02:00:00Z',
      due: '2026-11-20',
    },
    // outside every window (August), and an ended task: in no figure
    {
      matter: M1,
      department: 'D1',
      state: 'approved',
      started: '2026-08-03T02:00:00Z',
      finished: '2026-08-05T02:00:00Z',
      due: '2026-08-06',
    },
    {
      matter: M1,
      department: 'D1',
      state: 'cancelled',
      started: '2026-11-24T02:00:00Z',
      finished: '2026-11-25T02:00:00Z',
    },
    // open in D1: overdue (due yesterday), due today (not overdue), paused, waiting
    { matter: M1, department: 'D1', state: 'submitted', due: '2026-11-30' },
    { matter: M1, department: 'D1', state: 'accepted', due: '2026-12-01' },
    { matter: M1, department: 'D1', state: 'correction' },
    { matter: M1, department: 'D1', state: 'waiting' },
    // M2, department D2: four decisions only
    ...[16, 17, 18, 19].map((d) => ({
      matter: M2,
      department: 'D2',
      state: 'approved',
      started: `2026-11-${d}T02:00:00Z`,
      finished: `2026-11-${d + 1}T02:00:00Z`,
    })),
  ]);
});
after(async () => {
  await platform?.dispose();
});

describe('GET /stats (operators)', () => {
  it('counts applications by status and each department’s open, overdue, in-time and late tasks', async () => {
    const r = await get('/stats?days=30', operator);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body['today'], '2026-12-01');
    assert.equal(r.body['days'], 30);
    assert.deepEqual(r.body['applications'], [
      { status: 'completed', count: 11 },
      { status: 'in_progress', count: 4 },
    ]);
    // Submitted since 1 November: all but the August one (the draft was never submitted).
    assert.equal(r.body['submitted'], 14);
    assert.deepEqual(r.body['departments'], [
      { departmentCode: 'D1', open: 4, overdue: 1, completedInTime: 3, completedLate: 2 },
      { departmentCode: 'D2', open: 0, overdue: 0, completedInTime: 4, completedLate: 0 },
    ]);
  });

  it('a shorter window counts only the decisions inside it', async () => {
    const r = await get('/stats?days=3', operator); // since 28 November 10:00
    assert.equal(r.status, 200);
    const d1 = (r.body['departments'] as { departmentCode: string }[]).find((d) => d.departmentCode === 'D1');
    assert.deepEqual(d1, { departmentCode: 'D1', open: 4, overdue: 1, completedInTime: 0, completedLate: 1 });
  });

  it('refuses no token (401), a citizen and an officer, even a lead (403)', async () => {
    assert.equal((await get('/stats')).status, 401);
    const citizen = await get('/stats', await bearer('citizen'));
    assert.equal(citizen.status, 403);
    assert.equal(citizen.body['code'], 'FORBIDDEN');
    assert.equal((await get('/stats', await bearer('officer'))).status, 403);
  });

  it('answers a bad window with problem+json', async () => {
    const r = await get('/stats?days=0', operator);
    assert.equal(r.status, 400);
    assert.equal(typeof r.body['code'], 'string');
  });
});

describe('GET /stats/matters/:code (public)', () => {
  it('gives the median and 90th percentile working days over the last 90 days, to anyone', async () => {
    const r = await get(`/stats/matters/${M1}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    // 0, 1, 2, 3, 9: the median 2; the 90th percentile 3 + 0.6 × (9 − 3)
    assert.deepEqual(r.body, { matterCode: M1, windowDays: 90, count: 5, medianDays: 2, p90Days: 6.6 });
  });

  it('keeps a matter’s figures a while: a decision just made does not move them at once', async () => {
    const before = (await get(`/stats/matters/${M1}`)).body;
    await seed([
      {
        matter: M1,
        department: 'D1',
        state: 'approved',
        started: '2026-11-02T02:00:00Z',
        finished: '2026-11-30T02:00:00Z',
        due: '2026-11-05',
      },
    ]);
    assert.deepEqual((await get(`/stats/matters/${M1}`)).body, before);
  });

  it('gives nothing below five decisions, so that no single case can be read off', async () => {
    assert.deepEqual((await get(`/stats/matters/${M2}`)).body, {
      matterCode: M2,
      windowDays: 90,
      count: null,
      medianDays: null,
      p90Days: null,
    });
    assert.deepEqual((await get('/stats/matters/NO-SUCH-MATTER')).body, {
      matterCode: 'NO-SUCH-MATTER',
      windowDays: 90,
      count: null,
      medianDays: null,
      p90Days: null,
    });
  });
});
