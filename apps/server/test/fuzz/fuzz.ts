// The fuzzing loop: fast-check draws requests across every operation from a seed, each is sent and
// its answer checked; every answer is counted by status. A failure is recorded and the run goes
// on (the counts stay whole), then each distinct failure is replayed from its run (the seed and
// its path) and shrunk by fast-check to the smallest request that still fails the same way.
import fc from 'fast-check';
import { violations } from './check.ts';
import type { FuzzPlatform } from './platform.ts';
import { anyRequest, type FuzzRequest, type Operation } from './requests.ts';
import { send, type Outcome } from './send.ts';

export interface Failure {
  readonly operation: string;
  readonly problem: string;
  readonly run: number;
  readonly request: FuzzRequest;
  readonly status?: number;
  readonly body?: string;
  /** The smallest request fast-check found that fails the same way, when the replay failed again. */
  shrunk?: FuzzRequest;
}

export interface FuzzReport {
  readonly seed: number;
  readonly requests: number;
  readonly seconds: number;
  readonly byStatus: Map<number, number>;
  /** Per operation, the answers ≥ 500. */
  readonly serverErrors: Map<string, number>;
  readonly hangs: number;
  readonly failures: Failure[];
}

export interface FuzzOptions {
  readonly runs: number;
  readonly seed: number;
  readonly timeoutMs?: number;
  /** Distinct failures to replay and shrink (each replay sends more requests). */
  readonly shrink?: number;
  readonly only?: (op: Operation) => boolean;
  readonly progress?: (done: number, report: FuzzReport) => void;
}

/** Printable header values: a client cannot put control characters or non-Latin-1 on the wire. */
const wire = (v: string) => v.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

async function deliver(p: FuzzPlatform, req: FuzzRequest, timeoutMs: number): Promise<Outcome> {
  const auth: [string, string][] = [];
  for (const c of req.credentials) auth.push(['authorization', wire(await p.authorization(c))]);
  const headers = [...req.headers.map(([k, v]) => [k, wire(v)] as const), ...auth];
  return send(p.agent, p.base, req.method, req.url, headers, req.body, timeoutMs);
}

/** The failures of one request: a violation of the property, a hang, or no answer at all. */
async function judge(p: FuzzPlatform, op: Operation, req: FuzzRequest, timeoutMs: number) {
  const t0 = performance.now();
  const outcome = await deliver(p, req, timeoutMs);
  const ms = performance.now() - t0;
  if (process.env.TONGBAN_FUZZ_SLOW && ms > Number(process.env.TONGBAN_FUZZ_SLOW))
    console.log(
      `slow ${ms.toFixed(0)} ms ${'answer' in outcome ? outcome.answer.status : ''} ${req.method} ${req.url.slice(0, 100)}`,
    );
  if ('hang' in outcome) return { outcome, problems: [`no answer within ${outcome.hang} ms`] };
  if ('error' in outcome) {
    // Nothing reached the server, or the server closed a connection after answering a body too
    // large for it while the client still wrote: neither is the server's answer.
    if (outcome.error.startsWith('not sent')) return { outcome, problems: [] };
    return { outcome, problems: [`no answer: ${outcome.error}`] };
  }
  return { outcome, problems: violations(req, op, outcome.answer) };
}

export async function fuzz(p: FuzzPlatform, options: FuzzOptions): Promise<FuzzReport> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const operations = p.operations.filter(options.only ?? (() => true));
  const byKey = new Map(operations.map((o) => [o.key, o]));
  const arbitrary = anyRequest(operations, p.world);
  const report: FuzzReport = {
    seed: options.seed,
    requests: 0,
    seconds: 0,
    byStatus: new Map(),
    serverErrors: new Map(),
    hangs: 0,
    failures: [],
  };
  const seen = new Set<string>();
  const started = performance.now();
  let run = 0;
  const count = (outcome: Outcome, operation: string) => {
    (report as { requests: number }).requests++;
    if ('answer' in outcome) {
      const s = outcome.answer.status;
      report.byStatus.set(s, (report.byStatus.get(s) ?? 0) + 1);
      if (s >= 500) report.serverErrors.set(operation, (report.serverErrors.get(operation) ?? 0) + 1);
    } else if ('hang' in outcome) (report as { hangs: number }).hangs++;
  };
  await fc.check(
    fc.asyncProperty(arbitrary, async (req) => {
      const op = byKey.get(req.operation)!;
      const { outcome, problems } = await judge(p, op, req, timeoutMs);
      count(outcome, req.operation);
      for (const problem of problems) {
        // One record per operation and kind of failure ("status 500", "4xx with content-type …").
        const kind = `${req.operation} | ${problem.replace(/:.*$/, '')}`;
        if (seen.has(kind)) continue;
        seen.add(kind);
        report.failures.push({
          operation: req.operation,
          problem,
          run,
          request: req,
          ...('answer' in outcome ? { status: outcome.answer.status, body: outcome.answer.body.slice(0, 2000) } : {}),
        });
      }
      run++;
      if (options.progress && run % 100 === 0) {
        (report as { seconds: number }).seconds = (performance.now() - started) / 1000;
        options.progress(run, report);
      }
      return true;
    }),
    { seed: options.seed, numRuns: options.runs },
  );
  (report as { seconds: number }).seconds = (performance.now() - started) / 1000;

  for (const failure of report.failures.slice(0, options.shrink ?? 5)) {
    const kind = failure.problem.replace(/:.*$/, '');
    const op = byKey.get(failure.operation)!;
    const details = await fc.check(
      fc.asyncProperty(arbitrary, async (req) => {
        if (req.operation !== failure.operation) return true;
        const { problems } = await judge(p, op, req, timeoutMs);
        return !problems.some((x) => x.replace(/:.*$/, '') === kind);
      }),
      { seed: options.seed, path: String(failure.run), numRuns: 1, endOnFailure: false },
    );
    if (details.failed && details.counterexample) failure.shrunk = details.counterexample[0];
  }
  return report;
}

/** A request as a client would write it, for a failure's report. */
export function describe(req: FuzzRequest): string {
  const body =
    req.body === undefined
      ? ''
      : typeof req.body === 'string'
        ? req.body.length > 600
          ? `${req.body.slice(0, 600)}… (${req.body.length} chars)`
          : req.body
        : `<${req.body.length} bytes: ${Buffer.from(req.body).toString('hex')}>`;
  return [
    `${req.method} ${req.url.length > 400 ? `${req.url.slice(0, 400)}…` : req.url}`,
    ...req.headers.map(([k, v]) => `${k}: ${v.length > 200 ? `${v.slice(0, 200)}…` : v}`),
    ...req.credentials.map((c) => `authorization: ${JSON.stringify(c)}`),
    '',
    body,
  ].join('\n');
}
