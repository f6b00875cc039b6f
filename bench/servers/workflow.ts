// The platform with the catalog and the workflow, as `npm start` runs them (seeded demo city,
// every plugin, the relay and the jobs in the background), rate limiting lifted, for the workflow
// bench. Access tokens are identity's shape (ES256, at+jwt, the tongban claim) signed with a key
// this server makes: before `listening <url>` it prints `signer <json>` — the private JWK, issuer
// and audience — so the bench mints citizen and officer tokens itself.
//
// With BENCH_WORKFLOW_FILL=<n> it first fills the workflow's tables with n applications shaped
// like real ones (straight SQL, insert … select … from generate_series), runs VACUUM ANALYZE and
// a checkpoint, and prints `fill <json>` (counts, sizes, the busiest department's queue) and
// `explain <json>` lines: EXPLAIN (ANALYZE, BUFFERS) of the exact SQL the queue route and the
// deadline sweep issue.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  anyOf,
  API_AUDIENCE,
  createJwtAuthenticator,
  loadConfig,
  operatorTokenAuthenticator,
  startPlatform,
  type AnyKysely,
} from '@tongban/kernel';
import { exportJWK, generateKeyPair } from 'jose';
import { CompiledQuery, sql, type KyselyPlugin, type RawBuilder, type RootOperationNode } from 'kysely';
import { selectModules } from '../../apps/server/src/modules.ts';
import { bundles, matters } from '../../modules/catalog/src/seed/demo-city.ts';
import { serviceDate } from '../../modules/workflow/src/domain/deadlines.ts';
import { sweepDeadlines } from '../../modules/workflow/src/service/deadlines.ts';
import type { Services } from '../../modules/workflow/src/service/submit.ts';
import { queue, type QueueFilter } from '../../modules/workflow/src/store/views.ts';

const BENCH_ISSUER = 'https://id.tongban.bench';
const BENCH_KID = 'bench-key';

const OPEN_STATES = ['submitted', 'accepted', 'reviewed', 'correction'] as const;

// ── the fill ────────────────────────────────────────────────────────────────────────────────

/** Days of history the filled applications are spread over. */
const HISTORY_DAYS = 180;

interface PlanRow {
  readonly code: string;
  readonly matter_code: string;
  readonly department_code: string;
  readonly depends_on: readonly string[];
  readonly promised_days: number;
  readonly level: number;
  readonly first_material: string;
  /** The matter's process: 'standard' (受理 → 审核 → 决定) or 'immediate' (即办件, no review step). */
  readonly process: string;
}

interface SubjectRow {
  readonly slot_lo: number;
  readonly slot_hi: number;
  readonly kind: 'matter' | 'bundle';
  readonly code: string;
  readonly applicant_kind: 'citizen' | 'business';
  readonly max_level: number;
  /** Calendar days an application of this subject is under way: 1 + 1.4 × the promised working days along its longest chain. */
  readonly live_days: number;
  readonly form: Record<string, unknown>;
  readonly materials: { code: string; ref: string }[];
}

// Values for the data elements the forms use (the birth ones as the workflow tests submit them).
const SAMPLE: Record<string, unknown> = {
  'child.name': '张小宝',
  'child.gender': '1',
  'child.birthDate': '2026-11-20',
  'child.birthPlace': '浙江大学医学院附属妇产科医院',
  'child.birthWeight': 3400,
  'mother.name': '李梅',
  'mother.idNumber': '330106199201011226',
  'father.name': '张三',
  'father.idNumber': '33010619900101123X',
  'person.name': '张三',
  'person.idNumber': '33010619900101123X',
  'person.mobile': '13800000001',
  'person.address': '杭州市西湖区文三路 1 号',
  'household.address': '杭州市西湖区文三路 1 号',
  'bank.branch': '中国银行杭州西湖支行',
  'bank.accountNumber': '6216610100001234567',
};

/**
 * What the fill draws from: the demo city's three bundles and its seventeen matters applied for
 * alone, with their departments, promised days and dependency levels (a bundle's tasks start
 * level by level: 出生医学证明 first, then 落户 … ).
 */
function fillPlan(): { subjects: SubjectRow[]; plan: PlanRow[] } {
  const byCode = new Map(matters.map((m) => [m.code, m]));
  const formOf = (codes: readonly string[]) =>
    Object.fromEntries(
      codes
        .flatMap((c) => Object.values(byCode.get(c)!.form.properties))
        .map((f) => [f['x-data-element'], SAMPLE[f['x-data-element']] ?? '示例填写内容']),
    );
  const materialsOf = (codes: readonly string[]) => [
    ...new Map(
      codes
        .flatMap((c) => byCode.get(c)!.materials.filter((m) => m.required))
        .map((m) => [
          m.code,
          { code: m.code, ref: m.licenceType ? `licence:${m.licenceType}:bench` : `doc:${m.code}` },
        ]),
    ).values(),
  ];
  const planned: {
    kind: 'matter' | 'bundle';
    code: string;
    share: number;
    business: boolean;
    items: { matterCode: string; dependsOn: readonly string[] }[];
  }[] = [
    // 45 % of applications are one of the three bundles, 55 % a single matter.
    ...bundles.map((b) => ({
      kind: 'bundle' as const,
      code: b.code,
      share: { BIRTH: 200, 'BUSINESS-STARTUP': 150 }[b.code] ?? 100,
      business: b.lifeEvent === 'business',
      items: b.items,
    })),
    ...matters.map((m) => ({
      kind: 'matter' as const,
      code: m.code,
      share: 0,
      business: m.lifeEvents.includes('business'),
      items: [{ matterCode: m.code, dependsOn: [] }],
    })),
  ];
  const single = planned.filter((p) => p.kind === 'matter');
  const left = 1000 - planned.reduce((n, p) => n + p.share, 0);
  single.forEach((p, i) => {
    p.share = Math.floor(left / single.length) + (i < left % single.length ? 1 : 0);
  });

  const subjects: SubjectRow[] = [];
  const plan: PlanRow[] = [];
  let slot = 0;
  for (const p of planned) {
    const levels = new Map<string, number>();
    const chains = new Map<string, number>();
    const chain = (code: string): number => {
      if (!chains.has(code)) {
        const deps = p.items.find((x) => x.matterCode === code)!.dependsOn;
        chains.set(code, byCode.get(code)!.promisedDays + Math.max(0, ...deps.map(chain)));
      }
      return chains.get(code)!;
    };
    const level = (code: string): number => {
      if (!levels.has(code)) {
        const deps = p.items.find((x) => x.matterCode === code)!.dependsOn;
        levels.set(code, deps.length === 0 ? 0 : 1 + Math.max(...deps.map(level)));
      }
      return levels.get(code)!;
    };
    const codes = p.items.map((x) => x.matterCode);
    for (const item of p.items) {
      const m = byCode.get(item.matterCode)!;
      plan.push({
        code: p.code,
        matter_code: m.code,
        department_code: m.departmentCode,
        depends_on: item.dependsOn,
        promised_days: m.promisedDays,
        level: level(m.code),
        first_material: m.materials[0]?.code ?? 'form',
        process: (m as { process?: string }).process ?? 'standard',
      });
    }
    subjects.push({
      slot_lo: slot,
      slot_hi: slot + p.share,
      kind: p.kind,
      code: p.code,
      applicant_kind: p.business ? 'business' : 'citizen',
      max_level: Math.max(...codes.map(level)),
      live_days: 1 + 1.4 * Math.max(...codes.map(chain)),
      form: formOf(codes),
      materials: materialsOf(codes),
    });
    slot += p.share;
  }
  return { subjects, plan };
}

/** A pseudo-random integer in [0, m) from an integer expression and a salt, the same on every run. */
const rnd = (expr: string, salt: number, m: number) =>
  sql.raw(`((hashint8((${expr})::bigint * 16 + ${salt})::bigint + 2147483648) % ${m})`);
const lit = (v: number) => sql.raw(String(v));

/**
 * n applications over the last HISTORY_DAYS days, one every HISTORY_DAYS/n, each subject with its
 * own span (1 + 1.4 × the promised working days along its longest chain of tasks, in calendar
 * days). Those younger than their span are in progress: their tasks done level by level as they
 * age, the current level open in a department queue, later ones waiting; a task due before today
 * is overdue, as happens. Of the older ones 0.4 % are stuck in progress with a task that fell due
 * weeks or months ago (escalated), 3 % were closed (first task rejected, the rest cancelled) and
 * the rest completed. Open tasks are 45 % submitted (a third of them claimed), 25 % accepted,
 * 18 % reviewed and 12 % waiting on the applicant's correction (补正, clock paused).
 */
async function fill(db: AnyKysely, n: number, now: Date): Promise<Record<string, unknown>> {
  const { subjects, plan } = fillPlan();
  const today = serviceDate(now);
  const at = now.toISOString();
  const N = lit(n);
  const timings: Record<string, number> = {};
  const step = async (label: string, query: RawBuilder<unknown>) => {
    const t0 = performance.now();
    await query.execute(db);
    timings[label] = Math.round(performance.now() - t0);
  };
  await step('scratch', sql`drop table if exists public.bench_fill, public.bench_plan, public.bench_subject`);
  await step(
    'subjects',
    sql`create unlogged table public.bench_subject as select * from jsonb_to_recordset(${JSON.stringify(subjects)}::jsonb)
    as s(slot_lo int, slot_hi int, kind text, code text, applicant_kind text, max_level int, live_days float8, form jsonb, materials jsonb)`,
  );
  await step(
    'plan',
    sql`create unlogged table public.bench_plan as select * from jsonb_to_recordset(${JSON.stringify(plan)}::jsonb)
    as p(code text, matter_code text, department_code text, depends_on text[], promised_days int, level int, first_material text, process text)`,
  );
  // Tasks carry their matter's process where the schema has the column.
  const processColumn =
    (
      await sql<{ n: number }>`select count(*)::int as n from information_schema.columns
    where table_schema = 'workflow' and table_name = 'task' and column_name = 'process'`.execute(db)
    ).rows[0]!.n > 0;
  await step(
    'rows',
    sql`create unlogged table public.bench_fill as
    select g.i, md5('bench-application-' || g.i)::uuid as id, s.kind, s.code, s.applicant_kind, s.max_level, s.form, s.materials, g.submitted_at, g.fate,
      case when g.age_days < s.live_days or g.fate < 4 then 'in_progress' when g.fate < 34 then 'closed' else 'completed' end as status,
      case when g.age_days < s.live_days then least(s.max_level, floor(g.age_days / s.live_days * (s.max_level + 1))::int)
           when g.fate < 4 then g.fate % (s.max_level + 1) end as level,
      case when g.age_days < s.live_days then make_interval(secs => s.live_days * 86400 / (s.max_level + 1))
           when g.fate < 4 then (${at}::timestamptz - g.submitted_at) / (g.fate % (s.max_level + 1) + 1)
           else make_interval(secs => s.live_days * 86400 * (0.5 + (g.fate % 50) / 100.0) / (s.max_level + 1)) end as span
    from (
      select i, ${at}::timestamptz - make_interval(secs => (${N} - i)::float8 * ${lit(HISTORY_DAYS * 86400)} / ${N}) as submitted_at,
        (${N} - i)::float8 * ${lit(HISTORY_DAYS)} / ${N} as age_days, ${rnd('i', 1, 1000)} as slot, ${rnd('i', 2, 1000)} as fate
      from generate_series(1, ${N}) as i
    ) g join public.bench_subject s on g.slot >= s.slot_lo and g.slot < s.slot_hi`,
  );
  await step(
    'applications',
    sql`insert into workflow.application (id, case_number, applicant_id, applicant_kind, subject_kind, subject_code, subject_version,
      region_code, status, channel, filed_by, form, materials, idempotency_key, request_digest, version, created_at, updated_at, submitted_at, finished_at)
    select f.id, '330100-' || to_char(f.submitted_at at time zone 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(f.i::text, 7, '0'),
      case when f.applicant_kind = 'business' then 'bench-business-' || (f.i % 60000) else 'bench-citizen-' || (f.i % 400000) end,
      f.applicant_kind, f.kind, f.code, 1, '330100', f.status,
      case when ${rnd('f.i', 3, 100)} < 8 then 'counter' else 'online' end,
      case when ${rnd('f.i', 3, 100)} < 8 then 'bench-counter-officer-' || (f.i % 40) end,
      f.form || jsonb_build_object('person.name', '申请人' || f.i, 'person.mobile', '138' || lpad((f.i % 100000000)::text, 8, '0')),
      f.materials, 'bench-' || f.i, md5('bench-' || f.i), case when f.status = 'in_progress' then 2 else 3 end,
      f.submitted_at - interval '4 minutes', case when f.status = 'in_progress' then f.submitted_at else f.submitted_at + f.span * (f.max_level + 1) end,
      f.submitted_at, case when f.status <> 'in_progress' then f.submitted_at + f.span * (f.max_level + 1) end
    from public.bench_fill f`,
  );
  // Each task: its state from its application's and its level, when it started (level by level),
  // its due day (the promised working days as 7/5 calendar days), warnings and escalations as the
  // deadline sweep would have left them, an officer on what has been accepted.
  await step(
    'tasks',
    sql`insert into workflow.task (id, application_id, matter_code, matter_version, department_code, region_code, depends_on, state,
      resume_state, assignee, promised_days, due_on, warn_on, remaining_days, correction, pending_materials, warned_at, escalated_at, version, started_at, finished_at
      ${processColumn ? sql`, process` : sql``})
    select md5('bench-task-' || f.i || '-' || p.matter_code)::uuid, f.id, p.matter_code, 1, p.department_code, '330100', p.depends_on, z.state,
      case when z.state = 'correction' then (case when r.r % 2 = 0 or p.process = 'immediate' then 'accepted' else 'reviewed' end) end,
      case when z.state in ('accepted', 'reviewed', 'correction', 'approved', 'rejected') or (z.state = 'submitted' and r.r % 3 = 0)
        then 'officer-' || p.department_code || '-' || (r.r / 10 % 12) end,
      p.promised_days,
      case when z.state not in ('waiting', 'cancelled', 'correction') then d.due_on end,
      case when z.state not in ('waiting', 'cancelled', 'correction') then d.warn_on end,
      case when z.state = 'correction' then 1 + r.r % 3 end,
      case when z.state = 'correction' then jsonb_build_object('fields', '[]'::jsonb, 'materials', jsonb_build_array(p.first_material), 'reason', '材料影像不清晰，请重新上传') end,
      '{}',
      case when z.state in ('submitted', 'accepted', 'reviewed') and d.warn_on <= ${today}::date then least(${at}::timestamptz, st.started_at + interval '20 hours') end,
      case when z.state in ('submitted', 'accepted', 'reviewed') and d.due_on < ${today}::date then least(${at}::timestamptz, st.started_at + interval '44 hours') end,
      case z.state when 'waiting' then 1 when 'cancelled' then 2 when 'submitted' then 2 when 'accepted' then 3 when 'rejected' then 3 when 'reviewed' then 4 else 5 end,
      case when z.state not in ('waiting', 'cancelled') then st.started_at end,
      case when z.state in ('approved', 'rejected') then st.started_at + f.span
           when z.state = 'cancelled' then f.submitted_at + f.span * (f.max_level + 1) end
      ${processColumn ? sql`, p.process` : sql``}
    from public.bench_fill f
    join public.bench_plan p on p.code = f.code
    cross join lateral (select ${rnd('f.i * 64 + (hashtext(p.matter_code)::bigint & 63)', 4, 1000)} as r) r
    cross join lateral (select case
        when f.status = 'completed' then 'approved'
        when f.status = 'closed' then (case when p.level = 0 then 'rejected' else 'cancelled' end)
        when p.level < f.level then 'approved'
        when p.level > f.level then 'waiting'
        when r.r % 100 < 45 then 'submitted' when r.r % 100 < 70 then 'accepted'
        when r.r % 100 < 88 then (case when p.process = 'immediate' then 'accepted' else 'reviewed' end)
        else 'correction' end as state) z
    cross join lateral (select f.submitted_at + f.span * p.level as started_at) st
    cross join lateral (select (st.started_at at time zone 'Asia/Shanghai')::date + ceil(p.promised_days * 1.4)::int as due_on,
        (st.started_at at time zone 'Asia/Shanghai')::date + ceil(greatest(0, p.promised_days - 1) * 1.4)::int as warn_on) d`,
  );
  await step('drop scratch', sql`drop table public.bench_fill, public.bench_plan, public.bench_subject`);
  await step('case serial', sql`select setval('workflow.case_serial', ${N})`);
  await step('vacuum analyze', sql`vacuum analyze workflow.application, workflow.task`);
  await step('checkpoint', sql`checkpoint`);

  const one = async <T>(q: RawBuilder<T>) => (await q.execute(db)).rows[0]!;
  const OPEN = sql`state in ('submitted', 'accepted', 'reviewed', 'correction')`;
  const counts = await one(sql<{ applications: number; tasks: number; open: number; overdue: number }>`select
    (select count(*)::int from workflow.application) as applications, (select count(*)::int from workflow.task) as tasks,
    (select count(*)::int from workflow.task where ${OPEN}) as open,
    (select count(*)::int from workflow.task where ${OPEN} and due_on < ${today}::date) as overdue`);
  const departments = (
    await sql<{
      department: string;
      open: number;
      overdue: number;
      unassigned: number;
    }>`select department_code as department, count(*)::int as open,
      count(*) filter (where due_on < ${today}::date)::int as overdue, count(*) filter (where assignee is null)::int as unassigned
    from workflow.task where ${OPEN} group by department_code order by count(*) desc`.execute(db)
  ).rows;
  const sizes = await one(sql<{
    application: string;
    task: string;
    task_queue: string;
  }>`select pg_size_pretty(pg_total_relation_size('workflow.application')) as application,
    pg_size_pretty(pg_total_relation_size('workflow.task')) as task, pg_size_pretty(pg_relation_size('workflow.task_queue')) as task_queue`);
  return { ...counts, today, busiest: departments[0], departments, sizes, ms: timings };
}

/** Records the operation nodes of the queries run through it, to compile them again. */
function recorder(): { plugin: KyselyPlugin; nodes: RootOperationNode[] } {
  const nodes: RootOperationNode[] = [];
  return {
    nodes,
    plugin: {
      transformQuery: (args) => {
        nodes.push(args.node);
        return args.node;
      },
      transformResult: async (args) => args.result,
    },
  };
}

interface Explained {
  label: string;
  ms?: number;
  sql: string;
  parameters: unknown[];
  plan: string[];
}

/** EXPLAIN (ANALYZE, BUFFERS) of a compiled query: the first run reads the pages in, the second is the steady state. */
async function explain(db: AnyKysely, label: string, q: CompiledQuery, ms?: number): Promise<Explained> {
  const statement = CompiledQuery.raw(`explain (analyze, buffers) ${q.sql}`, [...q.parameters]);
  await db.executeQuery(statement);
  const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>(statement);
  return {
    label,
    ...(ms === undefined ? {} : { ms }),
    sql: q.sql,
    parameters: [...q.parameters],
    plan: rows.map((r) => r['QUERY PLAN']),
  };
}

/**
 * The exact SQL the workflow runs (captured from its own functions, not retyped), explained: the
 * queue route's query for three filters, and the deadline sweep's two queries — the sweep runs
 * every minute in a transaction, which on the embedded database holds its one connection.
 */
async function explainWorkflow(db: AnyKysely, department: string, now: Date): Promise<Explained[]> {
  const compile = (node: RootOperationNode) => db.getExecutor().compileQuery(node, { queryId: 'bench-explain' });
  const base: QueueFilter = { departments: [department], states: [...OPEN_STATES], limit: 50, offset: 0 };
  const out: Explained[] = [];
  for (const [label, filter] of [
    ['queue', base],
    ['queue?deadline=overdue', { ...base, deadline: 'overdue' }],
    ['queue?assignee=unassigned', { ...base, assignee: 'unassigned' }],
  ] as const) {
    const r = recorder();
    await queue(db.withPlugin(r.plugin), { id: 'bench-officer', roles: ['officer'] }, filter, now);
    out.push(await explain(db, label, compile(r.nodes[0]!)));
  }
  // The sweep finds nothing to do here (the fill leaves warnings and escalations as it would have).
  const r = recorder();
  const services = { engine: { now: () => now } } as unknown as Services;
  const t0 = performance.now();
  await db.transaction().execute((trx) => sweepDeadlines(services, trx.withPlugin(r.plugin)));
  const ms = Math.round(performance.now() - t0);
  for (const [i, node] of r.nodes.entries())
    out.push(
      await explain(
        db,
        `deadline sweep, query ${i + 1} of ${r.nodes.length} (whole sweep ${ms} ms)`,
        compile(node),
        ms,
      ),
    );
  return out;
}

// ── the server ──────────────────────────────────────────────────────────────────────────────

const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const publicJwk = { ...(await exportJWK(publicKey)), kid: BENCH_KID, alg: 'ES256', use: 'sig' };
const privateJwk = { ...(await exportJWK(privateKey)), kid: BENCH_KID, alg: 'ES256' };
const operatorToken = randomBytes(24).toString('base64url');

const dataDir = mkdtempSync(join(tmpdir(), 'tongban-bench-'));
const config = loadConfig({
  ...process.env,
  TONGBAN_PORT: '0',
  TONGBAN_LOG_LEVEL: 'warn',
  TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000000',
  TONGBAN_DATA_DIR: dataDir,
  TONGBAN_OPERATOR_TOKEN: operatorToken,
});
const authenticate = anyOf(
  createJwtAuthenticator({ issuer: BENCH_ISSUER, audience: API_AUDIENCE, keys: async () => ({ keys: [publicJwk] }) }),
  operatorTokenAuthenticator(operatorToken),
);
// Whatever happens before listening (a failed fill), the data directory — gigabytes on the
// embedded database after a fill — goes with the process.
const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
process.on('exit', removeDataDir);
const platform = await startPlatform({ config, modules: selectModules('catalog,workflow'), seed: true, authenticate });
await platform.bus.settled();

const fillCount = Number(process.env.BENCH_WORKFLOW_FILL ?? 0);
if (fillCount > 0) {
  const now = new Date();
  const t0 = performance.now();
  const filled = await fill(platform.database.db, fillCount, now);
  console.log(`fill ${JSON.stringify({ ...filled, seconds: Math.round((performance.now() - t0) / 1000) })}`);
  for (const e of await explainWorkflow(
    platform.database.db,
    (filled.busiest as { department: string }).department,
    now,
  ))
    console.log(`explain ${JSON.stringify(e)}`);
}

console.log(
  `signer ${JSON.stringify({ privateJwk, issuer: BENCH_ISSUER, audience: API_AUDIENCE, database: platform.database.kind })}`,
);
const url = await platform.listen();
console.log(`listening ${url}`);
process.on('SIGTERM', () => void platform.close().finally(() => process.exit(0)));
