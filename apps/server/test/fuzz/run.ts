// `npm run fuzz`: the whole platform under ≥ 100,000 fuzz requests drawn from its OpenAPI document.
//   npm run fuzz                          100,000 requests, a fresh seed (printed)
//   npm run fuzz -- --runs=5000 --seed=42 replay a run: same seed, same requests
//   npm run fuzz -- --only=/api/workflow  operations whose key contains the text
// Also TONGBAN_FUZZ_RUNS, TONGBAN_FUZZ_SEED. Prints the counts by status (and by operation for
// every answer ≥ 500); exits 1 on any violation of the property (check.ts), each shown shrunk.
import { parseArgs } from 'node:util';
import { describe, fuzz, type FuzzReport } from './fuzz.ts';
import { startFuzzPlatform } from './platform.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    seed: { type: 'string' },
    only: { type: 'string' },
    timeout: { type: 'string' },
  },
});
const runs = Number(values.runs ?? process.env.TONGBAN_FUZZ_RUNS ?? 100_000);
const seed = Number(values.seed ?? process.env.TONGBAN_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(seed)) {
  console.error('usage: npm run fuzz -- [--runs=N] [--seed=S] [--only=TEXT] [--timeout=MS]');
  process.exit(2);
}
const only = values.only;

const statusLine = (r: FuzzReport) =>
  [...r.byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');

console.log(`fuzz: seed ${seed}, ${runs} requests (replay: npm run fuzz -- --seed=${seed} --runs=${runs})`);
const started = performance.now();
const p = await startFuzzPlatform();
const selected = p.operations.filter((o) => !only || o.key.includes(only));
console.log(
  `platform up in ${((performance.now() - started) / 1000).toFixed(1)} s; ${selected.length} operations ` +
    `(${selected.filter((o) => !o.undocumented).length} from /api/openapi.json)`,
);
let report: FuzzReport;
try {
  report = await fuzz(p, {
    runs,
    seed,
    ...(values.timeout ? { timeoutMs: Number(values.timeout) } : {}),
    ...(only ? { only: (o) => o.key.includes(only) } : {}),
    progress: (done, r) => {
      if (done % Number(process.env.TONGBAN_FUZZ_EVERY ?? 10_000) === 0)
        console.log(`  ${done} requests, ${r.seconds.toFixed(0)} s: ${statusLine(r)}`);
    },
  });
} finally {
  await p.close();
}
console.log(
  `\n${report.requests} requests in ${report.seconds.toFixed(1)} s (${(report.requests / report.seconds).toFixed(0)}/s), seed ${seed}`,
);
console.log(`by status: ${statusLine(report)}`);
const fivexx = [...report.byStatus.entries()].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
console.log(`5xx: ${fivexx}; hangs: ${report.hangs}; distinct failures: ${report.failures.length}`);
for (const [op, n] of report.serverErrors) console.log(`  ≥500 ${op}: ${n}`);
for (const f of report.failures) {
  console.log(`\n✗ ${f.operation}: ${f.problem} (run ${f.run}${f.status ? `, status ${f.status}` : ''})`);
  console.log(describe(f.shrunk ?? f.request).replace(/^/gm, '    '));
  if (f.shrunk) console.log('    (shrunk)');
  if (f.body) console.log(`  answer: ${f.body.slice(0, 600)}`);
}
process.exit(report.failures.length > 0 ? 1 : 0);
