// Identity throughput: complete password + TOTP sign-ins through the real pages, refresh-token
// grants, and the guard alone on an API route. Each figure stands beside a ceiling measured in the
// same run: argon2id verifications alone (what a sign-in cannot beat) for the flows, a bare
// Fastify route for the guard. Embedded PGlite always; PostgreSQL too when
// TONGBAN_TEST_DATABASE_URL names a server. The flows also report CPU per operation (server,
// database and the rest of the machine, load generator, from /proc), so a per-vCPU figure does
// not depend on the load generator sharing the machine, and a busy neighbour shows up.
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase } from '@tongban/kernel/testing';
import * as client from 'openid-client';
import { API_AUDIENCE } from '../modules/identity/src/service/provider.ts';
import { hashPassword, verifyPassword } from '../modules/identity/src/domain/passwords.ts';
import { Browser, formAction } from '../modules/identity/test/browser.ts';
import { totpNow } from '../modules/identity/test/fixtures.ts';
import { load, machineCpuSeconds, startServer, table, type LoadResult, type Server } from './harness.ts';

const VIRTUAL_USERS = [8, 32];
const REFRESH_VIRTUAL_USERS = 32;
const WARM_UP_SECONDS = 2;
const TOTP_STEP_SECONDS = 30;

interface BenchAccount {
  readonly login: string;
  readonly password: string;
  readonly totpSecret: string;
  /** Where this person signs in from (IPv6 documentation range, one address each). */
  readonly address: string;
}

interface FlowResult {
  readonly label: string;
  readonly virtualUsers: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly firstError?: string;
  /** CPU the server process spent per completed iteration (all its threads), ms. */
  readonly serverCpuMs: number;
  /** The rest of the machine's busy CPU per iteration (the PostgreSQL server, the OS, anything else running), ms. */
  readonly otherCpuMs: number;
  /** CPU the load generator (this process) spent per completed iteration, ms. */
  readonly generatorCpuMs: number;
}

const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * Runs an autocannon load and notes how busy the machine was outside the server and this process
 * meanwhile, as a share of all its cores: the PostgreSQL server where one is in play, otherwise
 * whatever else was running (a noisy neighbour, concurrent tests).
 */
async function loadNoting(notes: string[], server: Server, ...args: Parameters<typeof load>): Promise<LoadResult> {
  const [machine0, server0, own0, t0] = [machineCpuSeconds(), server.cpuSeconds(), ownCpuSeconds(), performance.now()];
  const result = await load(...args);
  const other = machineCpuSeconds() - machine0 - (server.cpuSeconds() - server0) - (ownCpuSeconds() - own0);
  // Clock-tick rounding can make a quiet machine read a fraction below zero.
  notes.push(
    `${result.label}: ${Math.max(0, (other / (((performance.now() - t0) / 1000) * cpus().length)) * 100).toFixed(1)} %`,
  );
  return result;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * `virtualUsers` loops calling `iteration(vu)` back to back for `seconds` (after a warm-up of the
 * same shape). Throughput counts the iterations that completed inside the window; latencies are
 * those of every completed iteration; CPU per iteration divides what each process used from the
 * start of the window until the last iteration finished by every iteration completed.
 */
async function drive(
  label: string,
  virtualUsers: number,
  seconds: number,
  iteration: (vu: number) => Promise<void>,
  serverCpuSeconds: () => number,
): Promise<FlowResult> {
  const run = async (runSeconds: number): Promise<FlowResult> => {
    const latencies: number[] = [];
    const server0 = serverCpuSeconds();
    const own0 = ownCpuSeconds();
    const machine0 = machineCpuSeconds();
    let inWindow = 0;
    let errors = 0;
    let firstError: string | undefined;
    const start = performance.now();
    const deadline = start + runSeconds * 1000;
    await Promise.all(
      Array.from({ length: virtualUsers }, async (_, vu) => {
        while (performance.now() < deadline) {
          const t = performance.now();
          try {
            await iteration(vu);
            const end = performance.now();
            latencies.push(end - t);
            if (end <= deadline) inWindow++;
          } catch (error) {
            errors++;
            firstError ??= error instanceof Error ? error.message : String(error);
          }
        }
      }),
    );
    const server = serverCpuSeconds() - server0;
    const own = ownCpuSeconds() - own0;
    const machine = machineCpuSeconds() - machine0;
    const serverCpuMs = (server * 1000) / latencies.length;
    const generatorCpuMs = (own * 1000) / latencies.length;
    // Clock-tick rounding can make a quiet machine read a fraction below zero.
    const otherCpuMs =
      (Math.max(0, machine - server - (serverCpuSeconds === ownCpuSeconds ? 0 : own)) * 1000) / latencies.length;
    latencies.sort((a, b) => a - b);
    return {
      label,
      virtualUsers,
      perSecond: inWindow / runSeconds,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      errors,
      ...(firstError ? { firstError } : {}),
      serverCpuMs,
      otherCpuMs,
      generatorCpuMs,
    };
  };
  const warm = await run(WARM_UP_SECONDS);
  if (warm.errors > 0) console.error(`${label}: ${warm.errors} errors while warming up (first: ${warm.firstError})`);
  return run(seconds);
}

const currentStep = () => Math.floor(Date.now() / 1000 / TOTP_STEP_SECONDS);

/**
 * The server's accounts, handed out round-robin, one virtual user at a time. A TOTP code is
 * accepted once per account per 30-second step, so an account is handed out again only in a later
 * step than its last code; if the pool runs round faster than that, take() waits for the next
 * step and counts it (the pool is then too small for the rate, and the figure is capped by it).
 */
class AccountPool {
  readonly #accounts: { account: BenchAccount; lastStep: number; busy: boolean }[];
  #next = 0;
  waits = 0;

  constructor(accounts: readonly BenchAccount[]) {
    this.#accounts = accounts.map((account) => ({ account, lastStep: -1, busy: false }));
  }

  async take(): Promise<{ account: BenchAccount; code(): Promise<string>; release(): void }> {
    for (;;) {
      const slot = this.#accounts[this.#next]!;
      if (!slot.busy && slot.lastStep < currentStep()) {
        this.#next = (this.#next + 1) % this.#accounts.length;
        slot.busy = true;
        return {
          account: slot.account,
          code: async () => {
            const at = new Date();
            slot.lastStep = Math.floor(at.getTime() / 1000 / TOTP_STEP_SECONDS);
            return totpNow(slot.account.totpSecret, at);
          },
          release: () => {
            slot.busy = false;
          },
        };
      }
      this.waits++;
      await sleep((currentStep() + 1) * TOTP_STEP_SECONDS * 1000 - Date.now() + 50);
    }
  }
}

interface RelyingParty {
  readonly config: client.Configuration;
  readonly redirectUri: string;
}

async function relyingParty(server: Server): Promise<{ rp: RelyingParty; accounts: BenchAccount[] }> {
  const line = (prefix: string) => {
    const found = server.preamble.find((l) => l.startsWith(`${prefix} `));
    if (!found) throw new Error(`the identity bench server printed no '${prefix}' line`);
    return JSON.parse(found.slice(prefix.length + 1)) as unknown;
  };
  const { clientId, redirectUri } = line('client') as { clientId: string; redirectUri: string };
  const accounts = line('accounts') as BenchAccount[];
  // The issuer is http://localhost:<port>; the server listens on 127.0.0.1.
  const { issuer } = (await (await fetch(new URL('/api/identity/keys', server.url))).json()) as { issuer: string };
  const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  return { rp: { config, redirectUri }, accounts };
}

/**
 * One interactive sign-in as a browser does it: authorization request (code + PKCE, API resource,
 * offline access) → sign-in page → POST password → TOTP page → POST code → redirects back with a
 * code → token exchange. Returns the refresh token.
 */
async function signIn(rp: RelyingParty, pool: AccountPool): Promise<string> {
  const { account, code, release } = await pool.take();
  try {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(rp.config, {
      redirect_uri: rp.redirectUri,
      scope: 'openid profile offline_access api',
      resource: API_AUDIENCE,
      state,
      prompt: 'consent',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const browser = new Browser({ 'x-forwarded-for': account.address });
    const page = await browser.follow(url, rp.redirectUri);
    if (page.response?.status !== 200) throw new Error(`sign-in page answered ${page.response?.status}`);
    const totpPage = await browser.follow(formAction(await page.response.text(), page.url), rp.redirectUri, {
      form: { login: account.login, password: account.password },
    });
    if (totpPage.response?.status !== 200)
      throw new Error(`password step answered ${totpPage.response?.status ?? 'a redirect'}`);
    const done = await browser.follow(formAction(await totpPage.response.text(), totpPage.url), rp.redirectUri, {
      form: { code: await code() },
    });
    if (!done.url.href.startsWith(rp.redirectUri))
      throw new Error(`TOTP step ended at ${done.url.href} (${done.response?.status})`);
    const tokens = await client.authorizationCodeGrant(rp.config, done.url, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    if (!tokens.refresh_token) throw new Error('no refresh token');
    return tokens.refresh_token;
  } finally {
    release();
  }
}

function flowTable(rows: readonly FlowResult[], vcpus: number): string {
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
  const head = [
    `| what | virtual users | per second | per vCPU (÷ ${vcpus}) | p50 ms | p99 ms | CPU ms each: server | database & rest | load generator | errors |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ].join('\n');
  const body = rows.map(
    (r) =>
      `| ${r.label} | ${r.virtualUsers} | ${r.perSecond.toFixed(1)} | ${(r.perSecond / vcpus).toFixed(1)} | ${r.p50Ms} | ${r.p99Ms} | ${ms(r.serverCpuMs)} | ${ms(r.otherCpuMs)} | ${ms(r.generatorCpuMs)} | ${r.errors} |`,
  );
  return [head, ...body].join('\n');
}

/** What one vCPU would sustain if it did nothing but this: 1000 ms ÷ CPU ms per operation. */
function perVcpu(r: FlowResult): string {
  const server = 1000 / r.serverCpuMs;
  const withDatabase = 1000 / (r.serverCpuMs + Math.max(0, r.otherCpuMs));
  return Number.isFinite(server)
    ? `CPU-bound capacity ${server.toFixed(0)} per vCPU for the server alone, ${withDatabase.toFixed(0)} with the database & rest`
    : 'CPU not measured here';
}

export async function benchIdentity(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const vcpus = cpus().length;
  // Enough accounts that the round-robin pool never comes back to one within a 30-second step
  // at up to ~80 sign-ins/s; only one argon2 hash is computed for all of them.
  const accountCount = Number(process.env.BENCH_IDENTITY_ACCOUNTS ?? 2500);
  const flows: FlowResult[] = [];
  const http: LoadResult[] = [];

  // Ceilings, measured with nothing else running: argon2id verification alone (a sign-in verifies
  // one password; the parent's thread pool is the same size as the server's), and a bare route.
  const password = 'bench horse battery staple';
  const hash = await hashPassword(password);
  // Here the work runs in this process: its CPU is the "server" CPU, and there is no generator.
  const alone = await drive(
    'argon2id verification alone (sign-in ceiling)',
    8,
    seconds,
    async () => {
      if (!(await verifyPassword(hash, password))) throw new Error('argon2 verification failed');
    },
    ownCpuSeconds,
  );
  flows.push({ ...alone, generatorCpuMs: NaN });
  const bare = await startServer(new URL('./servers/bare.ts', import.meta.url));
  const notes: string[] = [];
  const ceiling = await loadNoting(notes, bare, 'bare Fastify route (ceiling)', bare.url, ['/bare'], { seconds });
  await bare.stop();
  http.push(ceiling);

  const shapes: [string, string | undefined][] = [['embedded PGlite', undefined]];
  if (process.env.TONGBAN_TEST_DATABASE_URL) shapes.push(['PostgreSQL', process.env.TONGBAN_TEST_DATABASE_URL]);
  const poolWaits: string[] = [];
  for (const [label, adminUrl] of shapes) {
    const database = adminUrl ? await createTestDatabase() : undefined;
    const server = await startServer(new URL('./servers/identity.ts', import.meta.url), [String(accountCount)], {
      TONGBAN_DATABASE_URL: database?.url ?? '',
    });
    try {
      const { rp, accounts } = await relyingParty(server);
      const pool = new AccountPool(accounts);
      const refreshTokens: string[] = [];
      for (const vus of VIRTUAL_USERS) {
        flows.push(
          await drive(
            `password + TOTP sign-in, ${label}`,
            vus,
            seconds,
            async () => {
              refreshTokens.push(await signIn(rp, pool));
              if (refreshTokens.length > 2 * REFRESH_VIRTUAL_USERS) refreshTokens.shift();
            },
            server.cpuSeconds,
          ),
        );
      }
      if (pool.waits > 0)
        poolWaits.push(
          `${label}: the account pool ran round within a TOTP step ${pool.waits} times; raise BENCH_IDENTITY_ACCOUNTS`,
        );

      // Each virtual user chains its own refresh token: every grant rotates it.
      const chains = refreshTokens.splice(0, REFRESH_VIRTUAL_USERS);
      if (chains.length < REFRESH_VIRTUAL_USERS)
        throw new Error(`only ${chains.length} refresh tokens from the sign-ins`);
      flows.push(
        await drive(
          `refresh-token grant, ${label}`,
          REFRESH_VIRTUAL_USERS,
          seconds,
          async (vu) => {
            try {
              const r = await client.refreshTokenGrant(rp.config, chains[vu]!, { resource: API_AUDIENCE });
              chains[vu] = r.refresh_token!;
            } catch (error) {
              // A failed grant may have revoked the chain; carry on with a spare one.
              const spare = refreshTokens.shift();
              if (spare) chains[vu] = spare;
              throw error;
            }
          },
          server.cpuSeconds,
        ),
      );

      // The guard alone: token check and policy on a route that does nothing else.
      const { access_token: accessToken } = await client.refreshTokenGrant(rp.config, chains[0]!, {
        resource: API_AUDIENCE,
      });
      const headers = { authorization: `Bearer ${accessToken}` };
      const probe = await fetch(new URL('/api/probe/guarded', server.url), { headers });
      if (probe.status !== 200) throw new Error(`the guarded route answered ${probe.status}: ${await probe.text()}`);
      if (!adminUrl)
        http.push(
          await loadNoting(
            notes,
            server,
            'tongban /healthz (platform HTTP overhead, no guard)',
            server.url,
            ['/healthz'],
            { seconds },
          ),
        );
      http.push(
        await loadNoting(
          notes,
          server,
          `guard verification (JWT + policy), ${label}`,
          server.url,
          ['/api/probe/guarded'],
          { seconds, headers },
        ),
      );
    } finally {
      await server.stop();
      await database?.drop();
    }
  }

  console.log(
    `\nidentity bench — ${new Date().toISOString()} — Node ${process.version}, ${vcpus} × ${cpus()[0]?.model ?? 'cpu'}, ${seconds} s each after ${WARM_UP_SECONDS} s warm-up; ${accountCount} accounts per server\n`,
  );
  console.log('Sign-ins and refreshes (virtual users walking the flows, back to back):\n');
  console.log(flowTable(flows, vcpus));
  console.log('\nGuard (autocannon, 50 connections):\n');
  console.log(table(http, ceiling));
  console.log(
    `\nMachine CPU busy outside the server and the load generator during each row (a few % is the OS; more means something else ran): ${notes.join('; ')}`,
  );
  for (const r of flows.filter((r) => r.errors > 0))
    console.log(`\n${r.label} (${r.virtualUsers} VUs): first error: ${r.firstError}`);
  for (const line of poolWaits) console.log(`\n${line}`);
  const argon = flows[0]!;
  for (const r of flows.slice(1).filter((r) => r.label.startsWith('password'))) {
    console.log(
      `\n${r.label}, ${r.virtualUsers} VUs: ${r.perSecond.toFixed(1)} sign-ins/s (${(r.perSecond / vcpus).toFixed(1)} per vCPU), p99 ${r.p99Ms} ms — ${(r.perSecond / argon.perSecond).toFixed(2)} × argon2id alone; ${perVcpu(r)}`,
    );
  }
  for (const r of flows.filter((r) => r.label.startsWith('refresh'))) {
    console.log(
      `\n${r.label}: ${r.perSecond.toFixed(1)} refreshes/s (${(r.perSecond / vcpus).toFixed(1)} per vCPU), p99 ${r.p99Ms} ms; ${perVcpu(r)}`,
    );
  }
  for (const r of http.filter((r) => r.label.startsWith('guard'))) {
    console.log(
      `\n${r.label}: ${Math.round(r.requestsPerSecond)} req/s, p99 ${r.p99Ms} ms — ${(r.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3)} × the bare route`,
    );
  }
  console.log(
    '\nComparison anchor: Keycloak sizes 15 password sign-ins/s and 120 refreshes/s per vCPU; this machine has 2 vCPUs shared with the load generator.',
  );
}
