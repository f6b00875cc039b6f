// Shared benchmark plumbing: servers run in their own process (so the load generator does not
// share their event loop), autocannon drives them, and every figure is printed beside the
// ceiling measured in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

export interface Server {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startServer(script: URL, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, [script.pathname, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script.pathname} exited with ${code} before listening`)));
    lines.on('line', (line) => {
      const m = /^listening (\S+)/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
  });
  return {
    url,
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

export async function load(label: string, url: string, paths: readonly string[], options: { connections?: number; seconds?: number } = {}): Promise<LoadResult> {
  const run = (seconds: number) => autocannon({
    url,
    connections: options.connections ?? 50,
    duration: seconds,
    requests: paths.map((path) => ({ method: 'GET' as const, path })),
  });
  await run(2); // warm-up: JIT, connection pools, caches
  const r = await run(options.seconds ?? 10);
  return { label, requestsPerSecond: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

export function table(rows: readonly LoadResult[], ceiling: LoadResult): string {
  const head = '| what | requests/s | p50 ms | p99 ms | share of ceiling | errors / non-2xx |\n|---|---:|---:|---:|---:|---:|';
  const body = rows.map((r) => `| ${r.label} | ${Math.round(r.requestsPerSecond)} | ${r.p50Ms} | ${r.p99Ms} | ${(r.requestsPerSecond / ceiling.requestsPerSecond * 100).toFixed(1)} % | ${r.errors} / ${r.non2xx} |`);
  return [head, ...body].join('\n');
}
