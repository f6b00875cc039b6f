// Catalog search throughput and latency, beside a bare Fastify route measured in the same run.
// Embedded PGlite always; PostgreSQL too when TONGBAN_TEST_DATABASE_URL names a server.
import { cpus } from 'node:os';
import { createTestDatabase } from '@tongban/kernel/testing';
import { load, startServer, table, type LoadResult } from './harness.ts';

const QUERIES = [
  '出生证明',
  '营业执照',
  '落户',
  'business licence',
  '不动产 转移',
  'medical insurance',
  '社保卡',
  '契税',
]
  .map((q) => `/api/catalog/search?q=${encodeURIComponent(q)}`)
  .concat(['/api/catalog/search?lifeEvent=birth', '/api/catalog/search?department=330100-GA']);

export async function benchCatalog(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const results: LoadResult[] = [];
  const bare = await startServer(new URL('./servers/bare.ts', import.meta.url));
  const ceiling = await load('bare Fastify route (ceiling)', bare.url, ['/bare'], { seconds });
  await bare.stop();
  results.push(ceiling);

  const shapes: [string, string | undefined][] = [['embedded PGlite', undefined]];
  if (process.env.TONGBAN_TEST_DATABASE_URL) shapes.push(['PostgreSQL', process.env.TONGBAN_TEST_DATABASE_URL]);
  for (const [label, adminUrl] of shapes) {
    // A database of the bench's own on PostgreSQL, dropped afterwards.
    const database = adminUrl ? await createTestDatabase() : undefined;
    const server = await startServer(new URL('./servers/tongban.ts', import.meta.url), ['catalog'], {
      TONGBAN_DATABASE_URL: database?.url ?? '',
    });
    try {
      // The platform's own HTTP cost (helmet, rate limiter, metrics, request ids) without a query.
      if (!adminUrl)
        results.push(
          await load('tongban /healthz (platform HTTP overhead, no query)', server.url, ['/healthz'], { seconds }),
        );
      results.push(await load(`catalog search, ${label}`, server.url, QUERIES, { seconds }));
    } finally {
      await server.stop();
      await database?.drop();
    }
  }
  console.log(
    `\ncatalog bench — ${new Date().toISOString()} — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, 50 connections, ${seconds} s each\n`,
  );
  console.log(table(results, ceiling));
  for (const r of results.slice(1).filter((r) => r.label.startsWith('catalog'))) {
    console.log(
      `\n${r.label}: ${Math.round(r.requestsPerSecond)} req/s, p99 ${r.p99Ms} ms — ${(r.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3)} × the bare route`,
    );
  }
}
