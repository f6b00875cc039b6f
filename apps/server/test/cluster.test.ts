// The cluster shape, proven: catalog, identity, datahub, workflow and ledger as five `tongban serve
// --modules=<name>` processes on one PostgreSQL database (a schema each), reaching each other
// through TONGBAN_SERVICE_<MODULE>_URL and each other's events only through NATS JetStream. A
// citizen and the officers sign in at identity (the OpenID provider, demo accounts of `--seed`),
// run 出生一件事 end to end — online and at a service counter — while the workflow process and
// then the ledger process are killed with SIGKILL in the middle of it and started again. Then:
// every acknowledged submission exists once with all its tasks, completed; every workflow step
// published one event and every recorded event reached the ledger once; `tongban ledger verify`
// finds the log intact; and all five stop cleanly. The counter files by ID number, which the
// workflow resolves through the data hub's population registry (its own service token, a ledgered read).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import * as oidc from 'openid-client';
import pg from 'pg';
import { createTestDatabase, testNatsUrl, testPostgresUrl, type TestDatabase } from '@tongban/kernel/testing';
import { RECORDED_EVENTS } from '@tongban/ledger';
import { Browser, formAction } from '../../../modules/identity/test/browser.ts';
import { totpNow } from '../../../modules/identity/test/fixtures.ts';
import { DEMO } from '../../../modules/datahub/src/seed/demo.ts';
import { birthForm, birthMaterials } from './workflow/fixtures.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../bin/tongban.js', import.meta.url));

const MODULES = ['catalog', 'identity', 'datahub', 'workflow', 'ledger'] as const;
type ModuleName = (typeof MODULES)[number];

/** The departments 出生一件事 fans out to (one officer each), and its task count. */
const BIRTH_DEPARTMENTS = ['330100-WJW', '330100-CDC', '330100-GA', '330100-YB', '330100-RS'];
const BIRTH_TASKS = 6;
/** Citizens' clients submitting one application after another… */
const SUBMITTERS = 3;
/** …while fewer than this many are open (the officers' pace): 14 officer actions complete one. */
const MAX_OPEN = 6;
const ACTIONS_PER_APPLICATION = 14;
/** The development client (tongban-dev) and one of its loopback redirects. */
const DEV_CLIENT = 'tongban-dev';
const REDIRECT = 'http://127.0.0.1/callback';
/** An officer takes the first of these its task offers: every task ends approved. */
const NEXT_ACTION = ['accept', 'review', 'approve'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely and asserted field by field
type Json = any;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects after `ms` with `message` (plus what `detail` says then); cancelled when `work` settles. */
async function within<T>(ms: number, work: Promise<T>, message: string, detail: () => string = () => ''): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms${detail()}`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ports free now, all different: every process must know the others' addresses before any starts. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, async () => {
      const server = createServer();
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return server;
    }),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

// ── the processes ───────────────────────────────────────────────────────────────────────────

class ModuleProcess {
  readonly name: ModuleName;
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #out = '';

  /** `with`: modules that share this process (the portal lives with identity, whose origin it signs in at). */
  constructor(name: ModuleName, port: number, env: NodeJS.ProcessEnv, seed: boolean, with_: readonly string[] = []) {
    this.name = name;
    this.url = `http://127.0.0.1:${port}`;
    const modules = [name, ...with_].join(',');
    this.child = spawn(process.execPath, [bin, 'serve', `--modules=${modules}`, ...(seed ? ['--seed'] : [])], {
      cwd: root,
      env: { ...env, TONGBAN_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        this.#out = (this.#out + chunk).slice(-200_000);
      });
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get output(): string {
    return this.#out;
  }

  /** Resolves once /readyz answers 200 (database and bus reachable); rejects if the process ends first. */
  async ready(ms = 60_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited before it was ready${this.tail()}`);
      const status = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return;
      // Nothing to be told by: the process is starting (migrations, seed, NATS); look again shortly.
      await pause(50);
    }
    throw new Error(`${this.name} was not ready within ${ms} ms${this.tail()}`);
  }

  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited in time. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    try {
      return await within(15_000, this.exited, `${this.name} did not stop on SIGTERM`);
    } catch {
      return this.kill('SIGKILL');
    }
  }

  tail(lines = 30): string {
    return `\n--- ${this.name} output ---\n${this.#out.split('\n').slice(-lines).join('\n')}`;
  }
}

/** The parent's environment without Tongban or test-runner settings, plus the cluster's. */
function clusterEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('TONGBAN_') && k !== 'NODE_ENV' && k !== 'NODE_TEST_CONTEXT',
    ),
  );
  return { ...clean, ...env };
}

// ── the people ──────────────────────────────────────────────────────────────────────────────

interface DemoCredential {
  readonly kind: string;
  readonly login: string;
  readonly password: string;
  readonly totpSecret?: string;
}

/** Signs in at identity through its pages (code flow with PKCE, the development client): an API access token. */
async function signIn(issuer: string, account: DemoCredential): Promise<string> {
  const config = await oidc.discovery(new URL(issuer), DEV_CLIENT, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid api',
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const browser = new Browser();
  const page = await browser.follow(url, REDIRECT);
  assert.equal(page.response?.status, 200, `the sign-in page is shown to ${account.login}`);
  let next = await browser.follow(formAction(await page.response!.text(), page.url), REDIRECT, {
    form: { login: account.login, password: account.password },
  });
  if (account.totpSecret) {
    next = await browser.follow(formAction(await next.response!.text(), next.url), REDIRECT, {
      form: { code: await totpNow(account.totpSecret) },
    });
  }
  assert.ok(next.url.href.startsWith(REDIRECT), `${account.login}'s sign-in ends at the client, not ${next.url.href}`);
  const tokens = await oidc.authorizationCodeGrant(config, next.url, {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
  return tokens.access_token;
}

const subjectOf = (jwt: string) =>
  (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { sub: string }).sub;

type Answer = { readonly kind: 'answered'; readonly status: number; readonly body: Json } | { readonly kind: 'cut' };

/** One request; a connection the server never answered (it is dead, or not up yet) is `cut`. */
async function call(method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  try {
    const r = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await r.text();
    let parsed: Json = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: kept as text for the report */
    }
    return { kind: 'answered', status: r.status, body: parsed } as Answer;
  } catch {
    return { kind: 'cut' } as Answer;
  }
}

const describeAnswer = (a: Answer) =>
  a.kind === 'cut' ? 'cut' : `${a.status} ${JSON.stringify(a.body).slice(0, 300)}`;

// ── the test ────────────────────────────────────────────────────────────────────────────────

const needs =
  !testPostgresUrl || !testNatsUrl
    ? 'needs PostgreSQL and NATS: set TONGBAN_TEST_DATABASE_URL and TONGBAN_TEST_NATS_URL (five processes share one database and reach each other only over HTTP and JetStream)'
    : false;

test(
  'five processes, one per module: 出生一件事 runs end to end through SIGKILLs of the workflow and the ledger, nothing lost or doubled, the ledger intact',
  { skip: needs, timeout: 240_000 },
  async (t) => {
    const started = performance.now();
    const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
    const database: TestDatabase = await createTestDatabase();
    const suffix = randomBytes(4).toString('hex');
    const stream = `TEST_CLUSTER_${suffix}`;
    const dataDirs = Object.fromEntries(
      MODULES.map((m) => [m, mkdtempSync(join(tmpdir(), `tongban-cluster-${m}-`))]),
    ) as Record<ModuleName, string>;
    const ports = await freePorts(MODULES.length);
    const port = Object.fromEntries(MODULES.map((m, i) => [m, ports[i]!])) as Record<ModuleName, number>;
    const secret = () => randomBytes(32).toString('base64url');
    // What a deployment gives every process alike (a Kubernetes Secret): none is generated, so
    // no process can hold a key another does not (each has a data directory of its own).
    const env = clusterEnv({
      TONGBAN_LOG_LEVEL: 'warn',
      TONGBAN_HOST: '127.0.0.1',
      TONGBAN_DATABASE_URL: database.url!,
      TONGBAN_NATS_URL: testNatsUrl!,
      TONGBAN_NATS_STREAM: stream,
      TONGBAN_NATS_SUBJECT_PREFIX: `testcluster${suffix}`,
      TONGBAN_OPERATOR_TOKEN: secret(),
      TONGBAN_SECRET_FIELD_MASTER_KEY: secret(),
      TONGBAN_SECRET_IDENTITY_COOKIE_KEY: secret(),
      TONGBAN_SECRET_IDENTITY_OTP_PEPPER: secret(),
      TONGBAN_SECRET_WORKFLOW_SERVICE_KEY: secret(),
      TONGBAN_SECRET_DATAHUB_SERVICE_KEY: secret(),
      // identity registers licences' service client too (the licences module is not in this cluster)
      TONGBAN_SECRET_LICENSES_SERVICE_KEY: secret(),
      // and sentinel's (its responses lock accounts and end sessions)
      TONGBAN_SECRET_SENTINEL_SERVICE_KEY: secret(),
      // and those of payments (the workflow's payment facts) and notify (a person's mobile)
      TONGBAN_SECRET_PAYMENTS_SERVICE_KEY: secret(),
      TONGBAN_SECRET_NOTIFY_SERVICE_KEY: secret(),
      TONGBAN_SECRET_LEDGER_LOG_KEY: secret(),
      TONGBAN_SECRET_LEDGER_WITNESS_KEY: secret(),
      TONGBAN_SECRET_LEDGER_DIGEST_PEPPER: secret(),
      TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000000',
      TONGBAN_BUS_POLL_INTERVAL_MS: '50',
      TONGBAN_BUS_BACKOFF_BASE_MS: '20',
      TONGBAN_LEDGER_CHECKPOINT_INTERVAL_MS: '500',
      ...Object.fromEntries(
        MODULES.map((m) => [`TONGBAN_SERVICE_${m.toUpperCase()}_URL`, `http://127.0.0.1:${port[m]}`]),
      ),
    });
    const processes: ModuleProcess[] = [];
    const current = {} as Record<ModuleName, ModuleProcess>;
    const start = async (name: ModuleName, seed = false) => {
      const p = new ModuleProcess(
        name,
        port[name],
        { ...env, TONGBAN_DATA_DIR: dataDirs[name] },
        seed,
        name === 'identity' ? ['portal'] : [],
      );
      processes.push(p);
      current[name] = p;
      await p.ready();
      return p;
    };
    const output = () => MODULES.map((m) => current[m]?.tail() ?? '').join('');
    const sql = new pg.Client({ connectionString: database.url });
    const nats = await connect({ servers: testNatsUrl!, name: 'tongban-cluster-test' });
    const jsm = await jetstreamManager(nats);
    try {
      await sql.connect();

      // ── the cluster ──
      // The catalog first (identity's seed gives each of its departments an officer), then
      // identity (the others verify tokens against its keys), then the data hub (its registries
      // and the workflow's grants), workflow and ledger together.
      await start('catalog', true);
      await start('identity', true);
      await Promise.all([start('datahub', true), start('workflow'), start('ledger')]);
      t.diagnostic(`five processes ready at ${elapsed()} (ports ${MODULES.map((m) => `${m} ${port[m]}`).join(', ')})`);
      const { rows: migrated } = await sql.query<{ module: string }>(
        'select distinct module from tongban.schema_migrations order by module',
      );
      assert.deepEqual(
        migrated.map((r) => r.module),
        [...MODULES, 'portal'].sort(),
        'each process migrated its own schema in the one database',
      );
      const wf = () => current.workflow.url;

      // ── sign-in ──
      const demo = JSON.parse(
        readFileSync(join(dataDirs.identity, 'keys', 'demo-accounts.json'), 'utf8'),
      ) as DemoCredential[];
      const { issuer } = (await (await fetch(`${current.identity.url}/api/identity/keys`)).json()) as {
        issuer: string;
      };
      const zhang = demo.find((c) => c.kind === 'citizen' && !c.totpSecret);
      assert.ok(zhang, 'the demo seed has a citizen who signs in with a password');
      // The seed's first officer also staffs the service counter (窗口).
      const counterCredential = demo.find((c) => c.kind === 'officer');
      assert.ok(counterCredential);
      const officerCredentials = BIRTH_DEPARTMENTS.map((d) => {
        const c = demo.find((x) => x.login === `officer.${d.toLowerCase()}`);
        assert.ok(c, `the demo seed has an officer of ${d}`);
        return c;
      });
      const citizen = await signIn(issuer, zhang);
      const officers = new Map<string, string>();
      for (const [i, d] of BIRTH_DEPARTMENTS.entries()) officers.set(d, await signIn(issuer, officerCredentials[i]!));
      const counterDepartment = BIRTH_DEPARTMENTS.find((d) => `officer.${d.toLowerCase()}` === counterCredential.login);
      const counter = counterDepartment ? officers.get(counterDepartment)! : await signIn(issuer, counterCredential);
      const citizenId = subjectOf(citizen);
      t.diagnostic(`citizen and ${officers.size} officers signed in at identity (${issuer}) at ${elapsed()}`);

      // ── the load: citizens submit, a counter files, officers work their queues ──
      const accepted = new Map<string, { id: string; status: number; channel: string }>();
      const unexpected: string[] = [];
      const stats = { actions: 0, cutSubmissions: 0, resent: 0, cutActions: 0, stale: 0, replayed: 0 };
      const inFlight = { submissions: 0, actions: 0 };
      let stopSubmitting = false;
      let officersDone = false;
      const waiters: { until: () => boolean; resolve: () => void }[] = [];
      const progressed = () => {
        for (const w of [...waiters])
          if (w.until()) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
      };
      const reach = (what: string, until: () => boolean, ms = 60_000) =>
        within(
          ms,
          new Promise<void>((resolve) => {
            if (until()) resolve();
            else waiters.push({ until, resolve });
          }),
          `the load did not reach ${what}`,
          () =>
            ` (${accepted.size} accepted, ${stats.actions} actions; ${unexpected.slice(0, 5).join('\n')})${output()}`,
        );

      /** POSTs until answered: a request the crash cut off is sent again with its Idempotency-Key, as a client would. */
      const submit = async (path: string, token: string, body: unknown, channel: string) => {
        const key = randomUUID();
        const deadline = Date.now() + 60_000;
        for (let cut = 0; ;) {
          inFlight.submissions++;
          progressed();
          const a = await call('POST', `${wf()}${path}`, token, body, { 'idempotency-key': key });
          inFlight.submissions--;
          if (a.kind === 'answered') {
            if ((a.status === 200 || a.status === 201) && typeof a.body?.id === 'string') {
              if (cut > 0 && a.status === 200) stats.replayed++;
              accepted.set(key, { id: a.body.id, status: a.status, channel });
              progressed();
            } else unexpected.push(`${channel} submission ${key}: ${describeAnswer(a)}`);
            return;
          }
          if (cut++ === 0) stats.cutSubmissions++;
          else stats.resent++;
          if (Date.now() > deadline) {
            unexpected.push(`${channel} submission ${key}: no answer within 60 s`);
            return;
          }
          await pause(100);
        }
      };
      const birth = { subject: { kind: 'bundle', code: 'BIRTH' }, form: birthForm(), materials: birthMaterials };
      const open = () => accepted.size + inFlight.submissions - stats.actions / ACTIONS_PER_APPLICATION;
      const submitter = async () => {
        while (!stopSubmitting) {
          if (open() >= MAX_OPEN) {
            await reach('room for another application', () => stopSubmitting || open() < MAX_OPEN);
            continue;
          }
          await submit('/api/workflow/applications', citizen, birth, 'online');
        }
      };
      const fileAtCounter = () =>
        submit(
          '/api/workflow/counter/applications',
          counter,
          { applicant: { idNumber: DEMO.zhang }, ...birth },
          'counter',
        );

      /** An officer takes each task of the queue a step further until every application is done. */
      const officer = async (department: string, token: string) => {
        while (!officersDone) {
          const q = await call('GET', `${wf()}/api/workflow/queue?limit=100`, token);
          if (q.kind === 'cut') {
            await pause(100);
            continue;
          }
          if (q.status !== 200) {
            unexpected.push(`${department} queue: ${describeAnswer(q)}`);
            await pause(100);
            continue;
          }
          const work = (q.body as { taskId: string; version: number; actions: string[] }[])
            .map((task) => ({ task, action: NEXT_ACTION.find((a) => task.actions.includes(a)) }))
            .filter((w) => w.action);
          if (work.length === 0) {
            // An empty queue: the next task comes when another department decides; look again shortly.
            await pause(50);
            continue;
          }
          for (const { task, action } of work) {
            inFlight.actions++;
            progressed();
            const a = await call('POST', `${wf()}/api/workflow/tasks/${task.taskId}/actions`, token, {
              action,
              version: task.version,
            });
            inFlight.actions--;
            if (a.kind === 'cut') {
              stats.cutActions++;
              break;
            }
            if (a.status === 200) {
              stats.actions++;
              progressed();
            } else if (a.status === 409 && a.body?.code === 'WORKFLOW_STALE_TASK') {
              // Done already: the answer to an earlier try was lost with the process.
              stats.stale++;
            } else unexpected.push(`${department} ${action} ${task.taskId}: ${describeAnswer(a)}`);
          }
        }
      };

      const failed = (who: string) => (error: unknown) => void unexpected.push(`${who}: ${String(error)}`);
      const submitters = Array.from({ length: SUBMITTERS }, (_, i) => submitter().catch(failed(`submitter ${i}`)));
      const working = [...officers].map(([d, token]) => officer(d, token).catch(failed(`officer of ${d}`)));
      await fileAtCounter();

      // ── window 1: SIGKILL the workflow while submissions and actions are in flight ──
      await reach(
        '6 applications and 20 actions, with a submission and an action in flight',
        () => accepted.size >= 6 && stats.actions >= 20 && inFlight.submissions > 0 && inFlight.actions > 0,
      );
      const atWorkflowKill = { accepted: accepted.size, actions: stats.actions, inFlight: { ...inFlight } };
      const killedWorkflow = await current.workflow.kill('SIGKILL');
      assert.equal(killedWorkflow.signal, 'SIGKILL', 'the workflow died of the SIGKILL');
      const workflowDownAt = performance.now();
      await start('workflow');
      const workflowDownMs = Math.round(performance.now() - workflowDownAt);
      t.diagnostic(
        `workflow SIGKILLed at ${atWorkflowKill.accepted} accepted / ${atWorkflowKill.actions} actions, with ` +
          `${atWorkflowKill.inFlight.submissions} submissions and ${atWorkflowKill.inFlight.actions} actions in flight; back in ${workflowDownMs} ms`,
      );
      assert.ok(stats.cutSubmissions + stats.cutActions > 0, 'the kill cut requests off in flight');
      await fileAtCounter(); // the restarted workflow fetches its own service token from identity again

      // ── window 2: SIGKILL the ledger while events stream in; the workflow goes on without it ──
      await reach(
        '6 more applications and 30 more actions',
        () => accepted.size >= atWorkflowKill.accepted + 6 && stats.actions >= atWorkflowKill.actions + 30,
      );
      /** Events JetStream has handed the ledger and not had acknowledged, and those it still holds for it. */
      const atTheLedger = async () => {
        let unacked = 0;
        let waiting = 0;
        for await (const c of jsm.consumers.list(stream)) {
          unacked += c.num_ack_pending;
          waiting += c.num_pending;
        }
        return { unacked, waiting };
      };
      // The kill lands while the ledger holds deliveries it has not acknowledged (bounded: the events keep coming).
      const inFlightDeadline = Date.now() + 30_000;
      while ((await atTheLedger()).unacked === 0) {
        if (Date.now() > inFlightDeadline) throw new Error('the ledger never held a delivery in 30 s');
        await pause(10);
      }
      await current.ledger.kill('SIGKILL');
      const atLedgerKill = { accepted: accepted.size, actions: stats.actions };
      const ledgerDownAt = performance.now();
      const { unacked, waiting } = await atTheLedger();
      const {
        rows: [ledgerAtKill],
      } = await sql.query<{ queued: string; entries: string; events: string }>(`select
        (select count(*) from ledger.queue) as queued,
        (select count(*) from ledger.entry) as entries,
        (select count(*) from workflow.outbox) + (select count(*) from identity.outbox) as events`);
      await reach('30 more actions with the ledger down', () => stats.actions >= atLedgerKill.actions + 30);
      await start('ledger');
      const ledgerDownMs = Math.round(performance.now() - ledgerDownAt);
      t.diagnostic(
        `ledger SIGKILLed at ${atLedgerKill.accepted} accepted / ${atLedgerKill.actions} actions: ${unacked} events ` +
          `delivered and unacknowledged, ${waiting} waiting in JetStream, ${ledgerAtKill!.queued} queued unsequenced, ` +
          `${ledgerAtKill!.entries} entries for ${ledgerAtKill!.events} events; down ${ledgerDownMs} ms (at ${elapsed()})`,
      );

      // ── the end of the run: submissions stop, officers finish every application ──
      await reach('4 more applications after the ledger restart', () => accepted.size >= atLedgerKill.accepted + 4);
      stopSubmitting = true;
      progressed();
      await within(60_000, Promise.all(submitters), 'the submitters did not finish');
      const deadline = Date.now() + 90_000;
      for (;;) {
        const {
          rows: [r],
        } = await sql.query<{ open: string; all: string }>(
          `select count(*) filter (where status <> 'completed') as open, count(*) as all from workflow.application`,
        );
        if (Number(r!.open) === 0 && Number(r!.all) === accepted.size) break;
        if (Date.now() > deadline)
          throw new Error(
            `applications not completed within 90 s: ${JSON.stringify(r)} (${unexpected.slice(0, 5).join('\n')})${output()}`,
          );
        // The officers are working; look again shortly.
        await pause(100);
      }
      officersDone = true;
      await within(30_000, Promise.all(working), 'the officers did not stop');
      t.diagnostic(
        `${accepted.size} applications completed (${stats.replayed} replayed after a cut), ${stats.actions} officer actions, ` +
          `${stats.cutSubmissions} submissions cut (sent again ${stats.resent} times until answered) and ${stats.cutActions} actions cut, ` +
          `${stats.stale} actions found done already (at ${elapsed()})`,
      );
      assert.deepEqual(unexpected, [], 'no answer other than the expected ones');

      // ── the bus settles: every event relayed, every recorded one sequenced into the ledger ──
      const recorded = [...RECORDED_EVENTS];
      const settleDeadline = Date.now() + 90_000;
      for (;;) {
        const {
          rows: [r],
        } = await sql.query<{ unpublished: string; queued: string; missing: string }>(
          `select
          (select count(*) from catalog.outbox where published_at is null)
            + (select count(*) from identity.outbox where published_at is null)
            + (select count(*) from datahub.outbox where published_at is null)
            + (select count(*) from workflow.outbox where published_at is null)
            + (select count(*) from ledger.outbox where published_at is null) as unpublished,
          (select count(*) from ledger.queue) as queued,
          (select count(*) from (
            select id::text as id from workflow.outbox union all select id::text from identity.outbox where type = any($1)
            union all select id::text from datahub.outbox where type = any($1)
            except select body::jsonb #>> '{source,event}' from ledger.entry where log_id = 'audit'
          ) o) as missing`,
          [recorded],
        );
        if (Number(r!.unpublished) === 0 && Number(r!.queued) === 0 && Number(r!.missing) === 0) break;
        if (Date.now() > settleDeadline)
          throw new Error(`the bus and the ledger did not settle within 90 s: ${JSON.stringify(r)}${output()}`);
        // Redelivery of what the killed ledger held unacknowledged waits for JetStream's ack_wait; look again shortly.
        await pause(200);
      }
      t.diagnostic(`bus and ledger settled at ${elapsed()}`);

      // ── the applications ──
      const { rows: apps } = await sql.query<{
        id: string;
        idempotency_key: string;
        status: string;
        channel: string;
        applicant_id: string;
        tasks: string;
        approved: string;
      }>(`select a.id, a.idempotency_key, a.status, a.channel, a.applicant_id,
          count(t.id) as tasks, count(t.id) filter (where t.state = 'approved') as approved
        from workflow.application a left join workflow.task t on t.application_id = a.id group by a.id`);
      const byKey = new Map<string, typeof apps>();
      for (const a of apps) byKey.set(a.idempotency_key, [...(byKey.get(a.idempotency_key) ?? []), a]);
      const wrong: string[] = [];
      for (const [key, a] of accepted) {
        const rows = byKey.get(key) ?? [];
        if (rows.length !== 1) wrong.push(`${key}: ${rows.length} applications`);
        else if (rows[0]!.id !== a.id) wrong.push(`${key}: application ${rows[0]!.id}, answered ${a.id}`);
        else if (Number(rows[0]!.tasks) !== BIRTH_TASKS) wrong.push(`${key}: ${rows[0]!.tasks} tasks`);
        else if (rows[0]!.status !== 'completed' || Number(rows[0]!.approved) !== BIRTH_TASKS)
          wrong.push(`${key}: ${rows[0]!.status}, ${rows[0]!.approved} of ${BIRTH_TASKS} approved`);
      }
      assert.deepEqual(wrong, [], 'every acknowledged submission exists once, with all its tasks, completed');
      assert.equal(apps.length, accepted.size, 'no application but those acknowledged');
      assert.equal(
        apps.filter((a) => a.channel === 'counter').length,
        2,
        'both counter filings (before and after the workflow restart)',
      );
      assert.ok(
        apps.filter((a) => a.channel === 'counter').every((a) => a.applicant_id === citizenId),
        "the counter's ID number resolved, through the population registry, to the citizen's account",
      );

      // ── every step once: in the action log, on the bus, in the ledger ──
      const { rows: versionGaps } = await sql.query<{ task_id: string }>(`
        select t.id as task_id from workflow.task t
        left join workflow.action a on a.task_id = t.id and a.task_version is not null
        group by t.id, t.version
        having coalesce(max(a.task_version), 1) <> t.version or count(a.seq) <> t.version - 1
          or count(distinct a.task_version) <> count(a.seq)`);
      assert.deepEqual(versionGaps, [], "each task's log has one action per version, none skipped or doubled");
      const { rows: unpublishedSteps } = await sql.query<{ seq: string; action: string; events: string }>(`
        select a.seq, a.action, count(o.seq) as events from workflow.action a
        left join workflow.outbox o on o.type like 'workflow.task.%' and (o.data->>'seq')::bigint = a.seq
        where a.task_id is not null group by a.seq, a.action having count(o.seq) <> 1`);
      assert.deepEqual(unpublishedSteps, [], 'every task step in the action log published exactly one event');
      const { rows: applicationEvents } = await sql.query<{ id: string; submitted: string; completed: string }>(`
        select a.id,
          count(o.seq) filter (where o.type = 'workflow.application.submitted') as submitted,
          count(o.seq) filter (where o.type = 'workflow.application.completed') as completed
        from workflow.application a
        left join workflow.outbox o on (o.data->>'applicationId')::uuid = a.id and o.type like 'workflow.application.%'
        group by a.id having count(o.seq) filter (where o.type = 'workflow.application.submitted') <> 1
          or count(o.seq) filter (where o.type = 'workflow.application.completed') <> 1`);
      assert.deepEqual(applicationEvents, [], 'each application published its submission and completion once');

      // The events to record, and the event each entry says it came from (RFC 8785 body, source.event).
      const ledgerView = `with events as (
          select id::text as id, type from workflow.outbox
          union all select id::text, type from identity.outbox where type = any($1)
          union all select id::text, type from datahub.outbox where type = any($1)
        ), entries as (
          select idx, body::jsonb #>> '{source,event}' as event from ledger.entry where log_id = 'audit'
        )`;
      const { rows: notOnce } = await sql.query<{ id: string; type: string; entries: string }>(
        `${ledgerView} select ev.id, ev.type, count(en.idx) as entries from events ev
        left join entries en on en.event = ev.id group by ev.id, ev.type having count(en.idx) <> 1`,
        [recorded],
      );
      assert.deepEqual(notOnce, [], 'every workflow step and security event reached the ledger exactly once');
      const {
        rows: [ledgerState],
      } = await sql.query<{
        entries: string;
        workflow: string;
        strays: string;
        size: string;
        dead: string;
        inbox: string;
      }>(
        `${ledgerView} select
        (select count(*) from entries) as entries,
        (select count(*) from workflow.outbox) as workflow,
        (select count(*) from entries en where not exists (select 1 from events ev where ev.id = en.event)) as strays,
        (select size from ledger.log where id = 'audit') as size,
        (select count(*) from ledger.dead_letter) as dead,
        (select count(*) from ledger.inbox) as inbox`,
        [recorded],
      );
      assert.equal(Number(ledgerState!.strays), 0, 'no ledger entry for an event nobody published');
      assert.equal(Number(ledgerState!.size), Number(ledgerState!.entries), "the log's size is its entry count");
      assert.equal(Number(ledgerState!.dead), 0, 'nothing dead-lettered');
      assert.equal(Number(ledgerState!.inbox), Number(ledgerState!.entries), 'one inbox record per entry');
      t.diagnostic(
        `${ledgerState!.workflow} workflow events, ${ledgerState!.entries} ledger entries, each once (at ${elapsed()})`,
      );

      // ── the auditor's check, from the database and from the ledger's API ──
      const verify = async (args: string[]) => {
        const child = spawn(process.execPath, [bin, 'ledger', 'verify', ...args], {
          cwd: root,
          env: clusterEnv({}),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
        child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
        const [code] = (await within(60_000, once(child, 'exit'), 'ledger verify did not finish')) as [number | null];
        return { code, out };
      };
      for (const args of [
        ['--database', database.url!],
        ['--url', current.ledger.url],
      ]) {
        const verdict = await verify(args);
        assert.equal(verdict.code, 0, `ledger verify ${args[0]}: ${verdict.out}`);
        assert.match(verdict.out, /^ledger audit: intact — \d+ entries/m, verdict.out);
        t.diagnostic(`ledger verify ${args[0]}: ${verdict.out.trim()}`);
      }

      // ── the portal, in identity's process, reaches workflow in its own ──
      // A browser signs in through the portal and asks for its applications and its live steps:
      // both are answered by the workflow process (TONGBAN_SERVICE_WORKFLOW_URL), not by a 404 here.
      // At the issuer's name (localhost): a sign-in started at another name moves there first.
      const portalOrigin = new URL(issuer).origin;
      const portalBrowser = new Browser();
      const callback = `${portalOrigin}/portal/callback`;
      const portalPage = await portalBrowser.follow(`${portalOrigin}/portal/login?return=/applications`, callback);
      const portalNext = await portalBrowser.follow(
        formAction(await portalPage.response!.text(), portalPage.url),
        callback,
        {
          form: { login: zhang.login, password: zhang.password },
        },
      );
      assert.ok(
        portalNext.url.href.startsWith(callback),
        `the portal's sign-in comes back, not ${portalNext.url.href}`,
      );
      assert.equal((await portalBrowser.request(portalNext.url)).status, 302);
      const mine = await portalBrowser.request(`${portalOrigin}/portal/api/workflow/applications?limit=5`);
      assert.equal(mine.status, 200, await mine.clone().text());
      assert.ok(((await mine.json()) as unknown[]).length > 0, "the citizen's applications, from workflow");
      const live = await portalBrowser.request(`${portalOrigin}/portal/events`);
      // The stream never ends: its body is read only to say why it was refused.
      if (live.status !== 200) assert.fail(`/portal/events: ${live.status} ${await live.text()}`);
      assert.match(live.headers.get('content-type') ?? '', /^text\/event-stream/);
      await live.body?.cancel();
      t.diagnostic(`the portal in identity's process reached workflow's API and stream at ${elapsed()}`);

      // ── nothing generated, and all five stop cleanly ──
      for (const p of processes)
        assert.doesNotMatch(
          p.output,
          /generated into the data directory/,
          `${p.name} generated a secret it should have been given`,
        );
      for (const m of MODULES) {
        const p = current[m];
        assert.deepEqual(await p.stop(), { code: 0, signal: null }, `${m} stops cleanly on SIGTERM${p.tail()}`);
      }
      t.diagnostic(`done in ${elapsed()}`);
    } finally {
      for (const p of processes) await p.kill('SIGKILL');
      await sql.end().catch(() => undefined);
      await jsm.streams.delete(stream).catch(() => undefined);
      await nats.close().catch(() => undefined);
      await database.drop();
      for (const dir of Object.values(dataDirs)) rmSync(dir, { recursive: true, force: true });
    }
  },
);
