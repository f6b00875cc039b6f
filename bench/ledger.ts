// Ledger throughput on PostgreSQL: entries sequenced per second with checkpoints on (the queue
// that other modules' events feed, drained by the batching sequencer; and direct appends over
// HTTP, each awaiting its receipt), beside pgbench TPC-B measured in the same run on the same
// server; then inclusion-proof latency with 10^6 entries in the log. Needs
// TONGBAN_TEST_DATABASE_URL (PostgreSQL); the embedded database is not a target for this one.
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase } from '@tongban/kernel/testing';
import autocannon from 'autocannon';
import pg from 'pg';
import { canonicalize } from '../modules/ledger/src/domain/canonical.ts';
import { appendLeaf, edgeRoot, hasher, leafHash, type EdgeNode } from '../modules/ledger/src/domain/merkle.ts';
import { load, pgbench, startServer, type Server } from './harness.ts';

const QUEUED = Number(process.env.BENCH_LEDGER_QUEUED ?? 100_000);
const FILL = Number(process.env.BENCH_LEDGER_FILL ?? 1_000_000);
const CONNECTIONS = 100;

const entry = (i: number) =>
  canonicalize({
    v: 1,
    at: new Date(Date.UTC(2026, 11, 1) + i * 10).toISOString(),
    actor: { kind: 'officer', id: `officer-${i % 97}` },
    action: 'workflow.task.accepted',
    subject: { kind: 'account', id: `citizen-${i % 100_003}` },
    resource: { taskId: `t-${i}`, caseNumber: `330100-20261201-${String(i).padStart(7, '0')}` },
    purpose: 'government-service-handling',
    outcome: 'success',
    source: { module: 'workflow', event: `e-${i}` },
    digests: { data: '0'.repeat(64) },
  });

async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

// The ledger's keys for this run: each server gets a fresh data directory, and a log refuses to be
// signed with another key than it was created with, so a restart on the same database needs them.
const LEDGER_KEYS = Object.fromEntries(
  ['LOG_KEY', 'WITNESS_KEY', 'DIGEST_PEPPER'].map((k) => [
    `TONGBAN_SECRET_LEDGER_${k}`,
    randomBytes(32).toString('base64url'),
  ]),
);

async function startLedger(url: string, token: string): Promise<Server> {
  return startServer(new URL('./servers/tongban.ts', import.meta.url), ['ledger'], {
    TONGBAN_DATABASE_URL: url,
    TONGBAN_OPERATOR_TOKEN: token,
    TONGBAN_LEDGER_CHECKPOINT_INTERVAL_MS: '1000',
    ...LEDGER_KEYS,
  });
}

/** Queued entries (as producers' events leave them) drained by the running sequencer, checkpoints on. */
async function drainQueue(
  url: string,
  server: Server,
): Promise<{ perSecond: number; seconds: number; checkpoints: number; cpuMs: number }> {
  const c = await client(url);
  try {
    const before = Number((await c.query('select count(*)::int n from ledger.checkpoint')).rows[0].n);
    const cpu0 = server.cpuSeconds();
    // Queue everything in one transaction, so the sequencer sees it all at once.
    await c.query('begin');
    for (let i = 0; i < QUEUED; i += 5000) {
      const rows = Array.from({ length: Math.min(5000, QUEUED - i) }, (_, j) => entry(i + j));
      await c.query(
        `insert into ledger.queue (log_id, body, subject_id) select 'audit', b, null from unnest($1::text[]) b`,
        [rows],
      );
    }
    await c.query('commit');
    const t0 = performance.now();
    for (;;) {
      const left = Number((await c.query('select count(*)::int n from ledger.queue')).rows[0].n);
      if (left === 0) break;
      await sleep(100); // polling the database: nothing to await but its state
    }
    const seconds = (performance.now() - t0) / 1000;
    const checkpoints = Number((await c.query('select count(*)::int n from ledger.checkpoint')).rows[0].n) - before;
    return { perSecond: QUEUED / seconds, seconds, checkpoints, cpuMs: ((server.cpuSeconds() - cpu0) * 1000) / QUEUED };
  } finally {
    await c.end();
  }
}

/** Direct appends over HTTP, each request awaiting the commit of its batch. */
async function httpAppends(server: Server, token: string, seconds: number) {
  const body = JSON.stringify({
    actor: { kind: 'service', id: 'bench' },
    action: 'datahub.record.read',
    subject: { kind: 'account', id: 'c-1' },
    resource: { record: 'r-1' },
    purpose: 'bench',
    outcome: 'success',
  });
  const run = (s: number) =>
    autocannon({
      url: server.url,
      connections: CONNECTIONS,
      duration: s,
      requests: [
        {
          method: 'POST',
          path: '/api/ledger/logs/audit/entries',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        },
      ],
    });
  await run(2);
  const r = await run(seconds);
  return { perSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

/** 10^6 entries written straight into the tables (leaves and every complete subtree, as the sequencer writes them). */
async function fill(url: string, size: number): Promise<number> {
  const c = await client(url);
  const t0 = performance.now();
  try {
    const h = hasher('sha256');
    const edge: EdgeNode[] = [];
    await c.query('begin');
    const start = Number((await c.query(`select size from ledger.log where id = 'audit' for update`)).rows[0].size);
    if (start !== 0) throw new Error('fill expects an empty log');
    const CHUNK = 20_000;
    for (let i = 0; i < size; i += CHUNK) {
      const bodies: string[] = [];
      const levels: number[] = [];
      const idxs: number[] = [];
      const hashes: Buffer[] = [];
      for (let j = i; j < Math.min(size, i + CHUNK); j++) {
        const body = entry(j);
        bodies.push(body);
        for (const n of appendLeaf(h, edge, j, leafHash(h, Buffer.from(body)))) {
          levels.push(n.level);
          idxs.push(n.index);
          hashes.push(Buffer.from(n.hash));
        }
      }
      await c.query(
        `insert into ledger.entry (log_id, idx, body, subject_id, appended_at) select 'audit', $1::bigint + o - 1, b, null, now() from unnest($2::text[]) with ordinality as t(b, o)`,
        [i, bodies],
      );
      await c.query(
        `insert into ledger.node (log_id, level, idx, hash) select 'audit', l, x, hh from unnest($1::smallint[], $2::bigint[], $3::bytea[]) as t(l, x, hh)`,
        [levels, idxs, hashes],
      );
    }
    await c.query(`update ledger.log set size = $1, root = $2 where id = 'audit'`, [
      size,
      Buffer.from(edgeRoot(h, edge)),
    ]);
    await c.query('commit');
    await c.query('vacuum analyze ledger.node');
    await c.query('vacuum analyze ledger.entry');
  } finally {
    await c.end();
  }
  return (performance.now() - t0) / 1000;
}

async function proofLatency(server: Server, size: number, seconds: number, connections: number) {
  const run = (s: number) =>
    autocannon({
      url: server.url,
      connections,
      duration: s,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => ({
            ...req,
            path: `/api/ledger/logs/audit/proofs/inclusion?index=${Math.floor(Math.random() * size)}&size=${size}`,
          }),
        },
      ],
    });
  await run(2);
  const r = await run(seconds);
  return { perSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx };
}

export async function benchLedger(): Promise<void> {
  const admin = process.env.TONGBAN_TEST_DATABASE_URL;
  if (!admin) {
    console.log('ledger bench: set TONGBAN_TEST_DATABASE_URL to a PostgreSQL server (the figures are for PostgreSQL)');
    return;
  }
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const token = randomBytes(24).toString('hex');
  const tpcb = await pgbench(seconds);
  const bareServer = await startServer(new URL('./servers/bare.ts', import.meta.url));
  const bare = await load('bare Fastify route', bareServer.url, ['/bare'], { seconds, connections: CONNECTIONS });
  await bareServer.stop();

  const a = await createTestDatabase();
  let queue, http;
  try {
    const server = await startLedger(a.url!, token);
    try {
      queue = await drainQueue(a.url!, server);
      http = await httpAppends(server, token, seconds);
    } finally {
      await server.stop();
    }
  } finally {
    await a.drop();
  }

  const b = await createTestDatabase();
  let proofs, proofsOne, fillSeconds;
  try {
    // Start once to create the log, stop, fill, start again on the filled tables.
    await (await startLedger(b.url!, token)).stop();
    fillSeconds = await fill(b.url!, FILL);
    const server = await startLedger(b.url!, token);
    try {
      proofs = await proofLatency(server, FILL, seconds, 50);
      proofsOne = await proofLatency(server, FILL, seconds, 1);
    } finally {
      await server.stop();
    }
  } finally {
    await b.drop();
  }

  console.log(
    `\nledger bench — ${new Date().toISOString()} — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, PostgreSQL, ${seconds} s loads\n`,
  );
  console.log('| what | per second | p50 ms | p99 ms | ratio to ceiling | notes |\n|---|---:|---:|---:|---:|---|');
  console.log(
    `| pgbench TPC-B (durable-commit ceiling), ${tpcb.clients} clients | ${Math.round(tpcb.tps)} | ${tpcb.latencyAvgMs.toFixed(1)} avg | — | — | scale ${tpcb.scale} |`,
  );
  console.log(
    `| bare Fastify route (HTTP ceiling), ${CONNECTIONS} connections | ${Math.round(bare.requestsPerSecond)} | ${bare.p50Ms} | ${bare.p99Ms} | — | |`,
  );
  console.log(
    `| entries sequenced from the queue, checkpoints on | ${Math.round(queue.perSecond)} | — | — | ${(queue.perSecond / tpcb.tps).toFixed(1)} × pgbench | ${QUEUED} entries in ${queue.seconds.toFixed(1)} s, ${queue.checkpoints} checkpoints, server CPU ${queue.cpuMs.toFixed(2)} ms/entry |`,
  );
  console.log(
    `| direct appends over HTTP, ${CONNECTIONS} connections, each awaiting its receipt | ${Math.round(http.perSecond)} | ${http.p50} | ${http.p99} | ${(http.perSecond / tpcb.tps).toFixed(2)} × pgbench, ${(http.perSecond / bare.requestsPerSecond).toFixed(3)} × bare | non-2xx ${http.non2xx}, errors ${http.errors} |`,
  );
  console.log(
    `| inclusion proof at ${FILL.toLocaleString('en')} entries, 50 connections | ${Math.round(proofs.perSecond)} | ${proofs.p50} | ${proofs.p99} | ${(proofs.perSecond / bare.requestsPerSecond).toFixed(3)} × bare | random leaves; fill took ${fillSeconds.toFixed(0)} s; non-2xx ${proofs.non2xx} |`,
  );
  console.log(
    `| inclusion proof at ${FILL.toLocaleString('en')} entries, 1 connection | ${Math.round(proofsOne.perSecond)} | ${proofsOne.p50} | ${proofsOne.p99} | — | non-2xx ${proofsOne.non2xx} |`,
  );
}
