// Workflow throughput: 出生一件事 bundle submissions at 100 concurrent clients, and the officer
// queue with a million applications in the database. Each figure stands beside a ceiling
// measured in the same run: pgbench's TPC-B transactions per second on the same PostgreSQL
// server (what durable commits cost here) for the submissions, a bare Fastify route for HTTP.
// Submissions run on PostgreSQL (when TONGBAN_TEST_DATABASE_URL names a server) and on the
// embedded database; the queue on PostgreSQL and, unless BENCH_WORKFLOW_EMBEDDED_QUEUE=0, on the
// embedded database too. CPU per operation (server process, the rest of the machine — the
// PostgreSQL server on that shape —, load generator) is read from /proc, as in the identity bench.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ACR } from '@tongban/kernel';
import { createTestDatabase } from '@tongban/kernel/testing';
import autocannon from 'autocannon';
import { importJWK, SignJWT, type JWK } from 'jose';
import pg from 'pg';
import { birthForm, birthMaterials } from '../apps/server/test/workflow/fixtures.ts';
import { machineCpuSeconds, startServer, type Server } from './harness.ts';

const CONNECTIONS = 100;
const WARM_UP_SECONDS = 2;
const CITIZENS = 100;
/** Tokens are valid 600 s (the guard's limit); they are minted afresh for every load. */
const TOKEN_SECONDS = 600;
const PGBENCH_SCALE = 10;
/** pgbench clients: as many as the platform's PostgreSQL pool has connections. */
const PGBENCH_CLIENTS = 10;

// The complete 出生一件事 form and materials, as the workflow tests submit them.
const BIRTH_FORM = birthForm();
const BIRTH_MATERIALS = birthMaterials;

interface Row {
  readonly label: string;
  readonly perSecond: number;
  readonly p50Ms: number | string;
  readonly p99Ms: number | string;
  readonly errors: number;
  readonly non2xx: number;
  /** Ratio to the ceiling it is compared with, and that ceiling's name. */
  readonly ratio?: { readonly of: string; readonly value: number };
  readonly serverCpuMs?: number;
  readonly otherCpuMs?: number;
  readonly generatorCpuMs?: number;
  readonly maxMs?: number;
  readonly statuses?: Readonly<Record<string, number>>;
  readonly firstFailure?: string;
}

const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

// ── tokens ──────────────────────────────────────────────────────────────────────────────────

interface Who {
  readonly sub: string;
  readonly kind: 'citizen' | 'officer';
  readonly roles: readonly string[];
  readonly departments: readonly string[];
  readonly regions: readonly string[];
  readonly mfa: boolean;
}

interface Minter {
  token(who: Who): Promise<string>;
}

/** Signs access tokens shaped like identity's with the key the bench server printed. */
async function minterFor(server: Server): Promise<Minter> {
  const line = server.preamble.find((l) => l.startsWith('signer '));
  if (!line) throw new Error("the workflow bench server printed no 'signer' line");
  const { privateJwk, issuer, audience } = JSON.parse(line.slice('signer '.length)) as {
    privateJwk: JWK;
    issuer: string;
    audience: string;
  };
  const key = await importJWK(privateJwk, 'ES256');
  return {
    async token(who) {
      const iat = Math.floor(Date.now() / 1000);
      return new SignJWT({
        iss: issuer,
        aud: audience,
        sub: who.sub,
        client_id: 'portal',
        scope: 'openid api',
        iat,
        exp: iat + TOKEN_SECONDS,
        jti: randomUUID(),
        sid: `s-${who.sub}`,
        acr: who.mfa ? ACR.mfa : ACR.password,
        tongban: { kind: who.kind, roles: who.roles, departments: who.departments, regions: who.regions },
      })
        .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid!, typ: 'at+jwt' })
        .sign(key);
    },
  };
}

const citizen = (i: number): Who => ({
  sub: `bench-citizen-${i}`,
  kind: 'citizen',
  roles: [],
  departments: [],
  regions: ['330106'],
  mfa: false,
});
const officer = (department: string): Who => ({
  sub: `bench-officer-${department}`,
  kind: 'officer',
  roles: ['officer'],
  departments: [department],
  regions: ['330100'],
  mfa: true,
});

// ── load ────────────────────────────────────────────────────────────────────────────────────

/** Waits until the server has been idle for a quarter second (under 10 % of a core), at most 30 s. */
async function settled(server: Server): Promise<void> {
  const deadline = performance.now() + 30_000;
  let last = server.cpuSeconds();
  while (performance.now() < deadline) {
    await sleep(250);
    const now = server.cpuSeconds();
    if (!Number.isFinite(now) || now - last < 0.025) return;
    last = now;
  }
}

interface Shape {
  readonly connections?: number;
  readonly seconds: number;
  readonly headers?: Record<string, string>;
  /** Keep the first non-2xx answer (autocannon then reads every body; off for the bare ceiling). */
  readonly inspect?: boolean;
  /** Built afresh for the warm-up and for the measured run (fresh tokens, fresh keys). */
  requests(): Promise<autocannon.Request[]>;
}

/**
 * A warm-up of the same shape, a pause until the server is idle again (requests the warm-up left
 * in flight must not spill into the window), then the measured run. Per second counts 2xx
 * responses over the run's duration; CPU per operation divides what each process used during
 * the run by those responses.
 */
async function cannon(label: string, server: Server, shape: Shape): Promise<Row> {
  let firstFailure: string | undefined;
  const run = async (seconds: number) => {
    const requests = (await shape.requests()).map((r) =>
      shape.inspect === false
        ? r
        : {
            ...r,
            onResponse: (status: number, body: string) => {
              if (status >= 300) firstFailure ??= `${status} ${body.slice(0, 400)}`;
            },
          },
    );
    return autocannon({
      url: server.url,
      connections: shape.connections ?? CONNECTIONS,
      duration: seconds,
      timeout: 30,
      ...(shape.headers ? { headers: shape.headers } : {}),
      requests,
    });
  };
  await run(WARM_UP_SECONDS);
  await settled(server);
  firstFailure = undefined;
  const [server0, machine0, own0] = [server.cpuSeconds(), machineCpuSeconds(), ownCpuSeconds()];
  const r = await run(shape.seconds);
  const serverCpu = server.cpuSeconds() - server0;
  const own = ownCpuSeconds() - own0;
  const machine = machineCpuSeconds() - machine0;
  const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]));
  const ok = Object.entries(statuses)
    .filter(([code]) => code.startsWith('2'))
    .reduce((n, [, c]) => n + c, 0);
  return {
    label,
    perSecond: ok / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    errors: r.errors,
    non2xx: r.non2xx,
    statuses,
    serverCpuMs: (serverCpu * 1000) / ok,
    otherCpuMs: (Math.max(0, machine - serverCpu - own) * 1000) / ok,
    generatorCpuMs: (own * 1000) / ok,
    ...(firstFailure ? { firstFailure } : {}),
  };
}

/** 出生一件事 submitted by 100 citizens in turn, every request with its own idempotency key. */
function submissions(minter: Minter): () => Promise<autocannon.Request[]> {
  const body = JSON.stringify({
    subject: { kind: 'bundle', code: 'BIRTH' },
    form: BIRTH_FORM,
    materials: BIRTH_MATERIALS,
  });
  return async () => {
    const tokens = await Promise.all(Array.from({ length: CITIZENS }, (_, i) => minter.token(citizen(i))));
    const run = randomUUID().replace(/-/g, '').slice(0, 12);
    let n = 0;
    return [
      {
        method: 'POST',
        path: '/api/workflow/applications',
        body,
        setupRequest: (request) => {
          const k = n++;
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${tokens[k % tokens.length]}`,
              'idempotency-key': `bench-${run}-${k}`,
            },
          };
        },
      },
    ];
  };
}

// ── pgbench ─────────────────────────────────────────────────────────────────────────────────

const run = promisify(execFile);

/** TPC-B (pgbench's default script) on a scratch database of its own, dropped afterwards. */
async function pgbench(seconds: number): Promise<Row & { latencyAvgMs: number }> {
  const bin = process.env.BENCH_PGBENCH ?? 'pgbench';
  const database = await createTestDatabase();
  try {
    await run(bin, ['-i', '-q', '-s', String(PGBENCH_SCALE), database.url!]);
    const [machine0, own0, t0] = [machineCpuSeconds(), ownCpuSeconds(), performance.now()];
    const { stdout } = await run(bin, ['-c', String(PGBENCH_CLIENTS), '-j', '2', '-T', String(seconds), database.url!]);
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1]);
    const latencyAvgMs = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
    if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${stdout}`);
    // All of the machine's busy CPU (PostgreSQL and pgbench itself) per transaction.
    const transactions = (tps * (performance.now() - t0)) / 1000;
    return {
      label: `pgbench TPC-B, ${PGBENCH_CLIENTS} clients, scale ${PGBENCH_SCALE} (durable-commit ceiling; latency is the average)`,
      perSecond: tps,
      p50Ms: `${latencyAvgMs.toFixed(1)} avg`,
      p99Ms: '—',
      errors: failed,
      non2xx: 0,
      latencyAvgMs,
      otherCpuMs: (Math.max(0, machineCpuSeconds() - machine0 - (ownCpuSeconds() - own0)) * 1000) / transactions,
    };
  } finally {
    await database.drop();
  }
}

// ── the queue ───────────────────────────────────────────────────────────────────────────────

interface Fill {
  readonly applications: number;
  readonly tasks: number;
  readonly open: number;
  readonly overdue: number;
  readonly today: string;
  readonly busiest: { department: string; open: number; overdue: number; unassigned: number };
  readonly sizes: { application: string; task: string; task_queue: string };
  readonly seconds: number;
}

interface Explained {
  readonly label: string;
  readonly sql: string;
  readonly parameters: unknown[];
  readonly plan: string[];
}

function preambleJson<T>(server: Server, prefix: string): T[] {
  return server.preamble
    .filter((l) => l.startsWith(`${prefix} `))
    .map((l) => JSON.parse(l.slice(prefix.length + 1)) as T);
}

const QUEUE_PATHS: readonly [string, string][] = [
  ['', '/api/workflow/queue?limit=50'],
  ['?deadline=overdue', '/api/workflow/queue?deadline=overdue&limit=50'],
  ['?assignee=unassigned', '/api/workflow/queue?assignee=unassigned&limit=50'],
];

async function queueBench(
  label: string,
  databaseUrl: string | undefined,
  applications: number,
  seconds: number,
  bare: Row,
): Promise<{ rows: Row[]; fill: Fill; plans: Explained[] }> {
  const server = await startServer(new URL('./servers/workflow.ts', import.meta.url), [], {
    TONGBAN_DATABASE_URL: databaseUrl ?? '',
    BENCH_WORKFLOW_FILL: String(applications),
  });
  try {
    const [fill] = preambleJson<Fill>(server, 'fill');
    if (!fill) throw new Error("the workflow bench server printed no 'fill' line");
    const plans = preambleJson<Explained>(server, 'explain');
    const minter = await minterFor(server);
    const department = fill.busiest.department;
    const rows: Row[] = [];
    const requests = (path: string) => async () => [
      { method: 'GET' as const, path, headers: { authorization: `Bearer ${await minter.token(officer(department))}` } },
    ];
    for (const [name, path] of QUEUE_PATHS) {
      const row = await cannon(`officer queue${name}, ${label}, ${CONNECTIONS} connections`, server, {
        seconds,
        requests: requests(path),
      });
      rows.push({ ...row, ratio: { of: 'bare route', value: row.perSecond / bare.perSecond } });
    }
    // One officer alone: the request's own latency, without queueing behind 99 others.
    rows.push(
      await cannon(`officer queue, ${label}, 1 connection`, server, {
        connections: 1,
        seconds,
        requests: requests(QUEUE_PATHS[0]![1]),
      }),
    );
    return { rows, fill, plans };
  } finally {
    await server.stop();
  }
}

// ── the bench ───────────────────────────────────────────────────────────────────────────────

const cell = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(v < 1 ? 2 : 1));

function rowsTable(rows: readonly Row[]): string {
  const head = [
    '| what | per second | p50 ms | p99 ms | ratio to ceiling | CPU ms each: server | database & rest | load generator | errors / non-2xx |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ].join('\n');
  const body = rows.map(
    (r) =>
      `| ${r.label} | ${r.perSecond >= 100 ? Math.round(r.perSecond) : r.perSecond.toFixed(1)} | ${r.p50Ms} | ${r.p99Ms} | ${r.ratio ? `${r.ratio.value.toFixed(3)} × ${r.ratio.of}` : '—'} | ${cell(r.serverCpuMs)} | ${cell(r.otherCpuMs)} | ${cell(r.generatorCpuMs)} | ${r.errors} / ${r.non2xx} |`,
  );
  return [head, ...body].join('\n');
}

async function serverVersion(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
  } finally {
    await c.end();
  }
}

async function countApplications(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ n: number }>('select count(*)::int as n from workflow.application')).rows[0]!.n;
  } finally {
    await c.end();
  }
}

export async function benchWorkflow(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const applications = Number(process.env.BENCH_WORKFLOW_APPLICATIONS ?? 1_000_000);
  const embeddedQueue = process.env.BENCH_WORKFLOW_EMBEDDED_QUEUE !== '0';
  const adminUrl = process.env.TONGBAN_TEST_DATABASE_URL || undefined;
  if (WARM_UP_SECONDS + seconds > TOKEN_SECONDS - 30)
    throw new Error(`BENCH_SECONDS=${seconds} outlives the ${TOKEN_SECONDS} s access tokens`);
  const started = performance.now();
  const submitRows: Row[] = [];
  const queueRows: Row[] = [];
  const notes: string[] = [];
  const fills: [string, Fill][] = [];
  const plans: [string, Explained[]][] = [];

  // The HTTP ceiling, at the same concurrency.
  const bareServer = await startServer(new URL('./servers/bare.ts', import.meta.url));
  const bare = await cannon(`bare Fastify route (HTTP ceiling)`, bareServer, {
    seconds,
    inspect: false,
    requests: async () => [{ method: 'GET', path: '/bare' }],
  });
  await bareServer.stop();
  submitRows.push(bare);
  queueRows.push(bare);

  const shapes: [string, string | undefined][] = [];
  if (adminUrl) shapes.push(['PostgreSQL', adminUrl]);
  else notes.push('TONGBAN_TEST_DATABASE_URL is not set: no PostgreSQL rows and no pgbench ceiling.');
  shapes.push(['embedded PGlite', undefined]);

  for (const [label, admin] of shapes) {
    const database = admin ? await createTestDatabase() : undefined;
    const server = await startServer(new URL('./servers/workflow.ts', import.meta.url), [], {
      TONGBAN_DATABASE_URL: database?.url ?? '',
    });
    try {
      let ceiling: Row | undefined;
      if (admin) {
        // Durable commits on this PostgreSQL server, measured right before the submissions.
        ceiling = await pgbench(seconds);
        submitRows.push(ceiling);
      }
      const minter = await minterFor(server);
      const row = await cannon(`出生一件事 submission (6 tasks), ${label}, ${CONNECTIONS} connections`, server, {
        seconds,
        requests: submissions(minter),
      });
      submitRows.push({
        ...row,
        ...(ceiling ? { ratio: { of: 'pgbench tps', value: row.perSecond / ceiling.perSecond } } : {}),
      });
      // One client alone: what a submission takes without queueing behind 99 others.
      const alone = await cannon(`出生一件事 submission (6 tasks), ${label}, 1 connection`, server, {
        connections: 1,
        seconds,
        requests: submissions(minter),
      });
      submitRows.push(alone);
      const created = [row, alone].map((r) => r.statuses?.['201'] ?? 0);
      const replayed = [row, alone].reduce((n, r) => n + (r.statuses?.['200'] ?? 0), 0);
      if (replayed > 0)
        notes.push(
          `${label}: ${replayed} submissions answered 200 (a replayed idempotency key): the keys were not unique.`,
        );
      let stored = '';
      if (database?.url) {
        await settled(server);
        stored = `; the database holds ${await countApplications(database.url)} applications after both warm-ups and runs (a request autocannon gave up on at the end of a run may still commit)`;
      }
      notes.push(`${label}: ${created[0]} + ${created[1]} submissions answered 201 in the two measured runs${stored}.`);
    } finally {
      await server.stop();
      await database?.drop();
    }
  }

  // The officer queue with a million applications: PostgreSQL, then (optionally) embedded.
  const queueShapes: [string, boolean][] = [];
  if (adminUrl) queueShapes.push(['PostgreSQL', true]);
  if (embeddedQueue) queueShapes.push(['embedded PGlite', false]);
  else notes.push('BENCH_WORKFLOW_EMBEDDED_QUEUE=0: the queue was not measured on the embedded database.');
  for (const [label, postgres] of queueShapes) {
    const database = postgres ? await createTestDatabase() : undefined;
    try {
      const result = await queueBench(label, database?.url, applications, seconds, bare);
      queueRows.push(...result.rows);
      fills.push([label, result.fill]);
      plans.push([label, result.plans]);
    } finally {
      await database?.drop();
    }
  }

  const machine = `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}${adminUrl ? `, PostgreSQL ${await serverVersion(adminUrl)} on the same machine` : ''}`;
  console.log(
    `\nworkflow bench — ${new Date().toISOString()} — ${machine}; ${CONNECTIONS} connections, ${seconds} s each after ${WARM_UP_SECONDS} s warm-up; whole bench ${Math.round((performance.now() - started) / 1000)} s\n`,
  );
  console.log(
    `Submissions: POST /api/workflow/applications, 出生一件事 with its complete form and materials, ${CITIZENS} citizens in turn, a fresh idempotency key per request:\n`,
  );
  console.log(rowsTable(submitRows));
  for (const [label, fill] of fills) {
    console.log(
      `\nQueue data, ${label}: ${fill.applications.toLocaleString('en')} applications, ${fill.tasks.toLocaleString('en')} tasks, ${fill.open.toLocaleString('en')} open (${fill.overdue.toLocaleString('en')} overdue) on ${fill.today}; application ${fill.sizes.application}, task ${fill.sizes.task}, task_queue index ${fill.sizes.task_queue}; filled, vacuumed and analysed in ${fill.seconds} s. Officer of ${fill.busiest.department} (the busiest queue): ${fill.busiest.open} open, ${fill.busiest.overdue} overdue, ${fill.busiest.unassigned} unassigned.`,
    );
  }
  if (queueRows.length > 1) {
    console.log(
      `\nOfficer queue: GET /api/workflow/queue?limit=50 (and with the filters named) as an officer of that department:\n`,
    );
    console.log(rowsTable(queueRows));
  }
  console.log('');
  for (const note of notes) console.log(`- ${note}`);
  const all = [...new Set([...submitRows, ...queueRows])];
  for (const r of all.filter((r) => r.firstFailure)) console.log(`- ${r.label}: first failure: ${r.firstFailure}`);
  for (const r of all.filter((r) => r.statuses))
    console.log(`- ${r.label}: statuses ${JSON.stringify(r.statuses)}, slowest ${r.maxMs} ms`);
  for (const r of submitRows.filter(
    (r) => r.label.startsWith('出生') && r.label.endsWith(`${CONNECTIONS} connections`),
  )) {
    console.log(
      `\n${r.label}: ${r.perSecond.toFixed(1)} submissions/s, p99 ${r.p99Ms} ms${r.ratio ? ` — ${r.ratio.value.toFixed(3)} × pgbench TPC-B tps` : ''}; ${cell(r.serverCpuMs)} ms server CPU + ${cell(r.otherCpuMs)} ms database & rest each`,
    );
  }
  for (const [label, explained] of plans) {
    for (const e of explained) {
      console.log(
        `\nEXPLAIN (ANALYZE, BUFFERS) ${e.label}, ${label}, parameters ${JSON.stringify(e.parameters)} (warm):\n${e.plan.map((l) => `    ${l}`).join('\n')}`,
      );
    }
  }
  console.log(
    '\nComparison anchors: Camunda 8 sustains ~51 process instances/s on three 3-vCPU brokers; OpenCRVS reports ~150 ms per birth submission.',
  );
}
