// Shared benchmark plumbing: servers run in their own process (so the load generator does not
// share their event loop), autocannon drives them, and every figure is printed beside the
// ceiling measured in the same run.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { createTestDatabase } from '@tongban/kernel/testing';
import autocannon from 'autocannon';

export interface Server {
  readonly url: string;
  /** What the server printed on stdout before `listening <url>` (e.g. fixtures it created). */
  readonly preamble: readonly string[];
  /** CPU seconds (user + system, all threads) the server process has used; NaN where /proc is missing. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Busy CPU seconds of the whole machine, all cores (Linux /proc/stat); NaN elsewhere. */
export function machineCpuSeconds(): number {
  try {
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    return (total - ticks[3]! - ticks[4]!) / 100; // less idle and iowait
  } catch {
    return NaN;
  }
}

/** utime + stime of a process from /proc/<pid>/stat (Linux; clock ticks of 1/100 s). */
function procCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** BENCH_PROFILE=<dir>: each server writes a V8 CPU profile there when it exits (open it in Chrome's DevTools). */
const profiling = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];

export async function startServer(script: URL, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, [...profiling, script.pathname, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const preamble: string[] = [];
  let listening = false;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script.pathname} exited with ${code} before listening`)));
    lines.on('line', (line) => {
      if (listening) return; // keep draining the pipe so the child never blocks on a full stdout
      const m = /^listening (\S+)/.exec(line);
      if (m?.[1]) {
        listening = true;
        resolve(m[1]);
      } else preamble.push(line);
    });
  });
  return {
    url,
    preamble,
    cpuSeconds: () => procCpuSeconds(child.pid),
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

export interface LoadResult {
  readonly label: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
}

export async function load(
  label: string,
  url: string,
  paths: readonly string[],
  options: { connections?: number; seconds?: number; headers?: Record<string, string> } = {},
): Promise<LoadResult> {
  const run = (seconds: number) =>
    autocannon({
      url,
      connections: options.connections ?? 50,
      duration: seconds,
      ...(options.headers ? { headers: options.headers } : {}),
      requests: paths.map((path) => ({ method: 'GET' as const, path })),
    });
  await run(2); // warm-up: JIT, connection pools, caches
  const r = await run(options.seconds ?? 10);
  return {
    label,
    requestsPerSecond: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

export function table(rows: readonly LoadResult[], ceiling: LoadResult): string {
  const head =
    '| what | requests/s | p50 ms | p99 ms | share of ceiling | errors / non-2xx |\n|---|---:|---:|---:|---:|---:|';
  const body = rows.map(
    (r) =>
      `| ${r.label} | ${Math.round(r.requestsPerSecond)} | ${r.p50Ms} | ${r.p99Ms} | ${((r.requestsPerSecond / ceiling.requestsPerSecond) * 100).toFixed(1)} % | ${r.errors} / ${r.non2xx} |`,
  );
  return [head, ...body].join('\n');
}

export interface PgbenchResult {
  readonly tps: number;
  readonly latencyAvgMs: number;
  readonly failed: number;
  readonly clients: number;
  readonly scale: number;
}

/**
 * The durable-commit ceiling: pgbench's TPC-B (its default script) on a scratch database of its
 * own on the test PostgreSQL server, dropped afterwards. pgbench from PATH, or BENCH_PGBENCH.
 */
export async function pgbench(seconds: number, clients = 10, scale = 10): Promise<PgbenchResult> {
  const run = promisify(execFile);
  const bin = process.env.BENCH_PGBENCH ?? 'pgbench';
  const database = await createTestDatabase();
  try {
    await run(bin, ['-i', '-q', '-s', String(scale), database.url!]);
    const { stdout } = await run(bin, ['-c', String(clients), '-j', '2', '-T', String(seconds), database.url!]);
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1]);
    if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return {
      tps,
      clients,
      scale,
      latencyAvgMs: Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]),
      failed: Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0),
    };
  } finally {
    await database.drop();
  }
}
