// Data hub lookups: masked person lookups per second and their latency at 50 connections on the
// query route (a department system under a grant: grant check, blind-index lookup, decryption,
// masking, one datahub.record.read in the outbox per row — a commit per lookup), beside a bare
// Fastify route measured in the same run. Embedded PGlite always; PostgreSQL too when
// TONGBAN_TEST_DATABASE_URL names a server. Then, on PostgreSQL, import rows/s beside COPY
// (bench/datahub-import.ts).
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { createTestDatabase } from '@tongban/kernel/testing';
import autocannon from 'autocannon';
import { importJWK, SignJWT, type JWK } from 'jose';
import { benchDatahubImport } from './datahub-import.ts';
import { load, pgbench, startServer, table, type LoadResult, type Server } from './harness.ts';

const SYSTEM = 'tongban-bench-system';
const PURPOSE = '330100-MZ-001';

async function serviceToken(server: Server): Promise<string> {
  const line = server.preamble.find((l) => l.startsWith('signer '));
  if (!line) throw new Error("the data hub bench server printed no 'signer' line");
  const { privateJwk, issuer, audience } = JSON.parse(line.slice('signer '.length)) as {
    privateJwk: JWK;
    issuer: string;
    audience: string;
  };
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: issuer,
    aud: audience,
    sub: SYSTEM,
    client_id: SYSTEM,
    scope: 'api',
    iat,
    exp: iat + 600,
    jti: randomUUID(),
    tongban: { kind: 'service', roles: ['datahub.read'], departments: [], regions: [] },
  })
    .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid!, typ: 'at+jwt' })
    .sign(await importJWK(privateJwk, 'ES256'));
}

async function lookups(label: string, server: Server, seconds: number): Promise<LoadResult> {
  const line = server.preamble.find((l) => l.startsWith('persons '))!;
  const { ids } = JSON.parse(line.slice('persons '.length)) as { ids: string[] };
  const headers = { authorization: `Bearer ${await serviceToken(server)}`, 'content-type': 'application/json' };
  const requests = ids.map((id) => ({
    method: 'POST' as const,
    path: '/api/datahub/resources/population/query',
    headers,
    body: JSON.stringify({
      purpose: PURPOSE,
      items: ['idNumber', 'name', 'birthDate', 'mobile'],
      where: { idNumber: id },
    }),
  }));
  const run = (s: number) => autocannon({ url: server.url, connections: 50, duration: s, requests });
  await run(2);
  const r = await run(seconds);
  return {
    label,
    requestsPerSecond: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

export async function benchDatahub(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const results: LoadResult[] = [];
  const bare = await startServer(new URL('./servers/bare.ts', import.meta.url));
  const ceiling = await load('bare Fastify route (ceiling)', bare.url, ['/bare'], { seconds });
  await bare.stop();
  results.push(ceiling);

  const shapes: [string, string | undefined][] = [['embedded PGlite', undefined]];
  if (process.env.TONGBAN_TEST_DATABASE_URL) shapes.push(['PostgreSQL', process.env.TONGBAN_TEST_DATABASE_URL]);
  let persons = 0;
  for (const [label, adminUrl] of shapes) {
    const database = adminUrl ? await createTestDatabase() : undefined;
    const server = await startServer(new URL('./servers/datahub.ts', import.meta.url), [], {
      TONGBAN_DATABASE_URL: database?.url ?? '',
    });
    try {
      const line = server.preamble.find((l) => l.startsWith('persons '))!;
      persons = (JSON.parse(line.slice('persons '.length)) as { count: number }).count;
      results.push(await lookups(`masked person lookup, ${label}`, server, seconds));
    } finally {
      await server.stop();
      await database?.drop();
    }
  }
  console.log(
    `\ndatahub bench — ${new Date().toISOString()} — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, 50 connections, ${seconds} s each, ${persons} population rows\n`,
  );
  console.log(table(results, ceiling));
  for (const r of results.slice(1)) {
    console.log(
      `\n${r.label}: ${Math.round(r.requestsPerSecond)} lookups/s, p99 ${r.p99Ms} ms — ${(r.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3)} × the bare route (aim ≥ 0.1)`,
    );
  }
  if (process.env.TONGBAN_TEST_DATABASE_URL) {
    // Each lookup commits its ledgered read: the durable-commit ceiling of the same server, same run.
    const tpcb = await pgbench(seconds, 10, 10);
    console.log(
      `\npgbench TPC-B, ${tpcb.clients} clients, scale ${tpcb.scale} (durable-commit ceiling): ${Math.round(tpcb.tps)} tps, latency ${tpcb.latencyAvgMs} ms — lookups on PostgreSQL are ${(results.at(-1)!.requestsPerSecond / tpcb.tps).toFixed(2)} × it`,
    );
  }
  await benchDatahubImport();
}
