// Licences: how fast a scan code is checked, and how fast approvals become licences.
// - Offline verification (what a department's scanner or the verify route does before the status
//   look-up): parse, decompress, decode, check the COSE signature and the claims — ES256 and SM2 —
//   beside a bare signature-verify loop of the same algorithm in the same process, same run.
// - The HTTP verifier (POST /api/licenses/verify on the platform, signature and the register's
//   status), beside the bare Fastify route, each server in its own process.
// - Issuance: a backlog of approved 出生医学证明 tasks drained by the licences issuer (the catalog
//   asked what the matter produces, the workflow's answers fetched with the module's own token,
//   answers sealed, the licence and its event committed), beside pgbench on PostgreSQL.
// The database is the embedded one unless TONGBAN_TEST_DATABASE_URL names a PostgreSQL server.
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import { sm2PrivateKeyFrom, sm2PublicKey, sm2Sign, sm2Verify, SM2_DEFAULT_ID } from '@tongban/kernel';
import { databaseLabel } from '@tongban/kernel/testing';
import licenses from '@tongban/licenses';
import workflow from '@tongban/workflow';
import autocannon from 'autocannon';
import { act, startWorkflow, submitBirthCertificate } from '../apps/server/test/workflow/fixtures.ts';
import {
  es256Signer,
  issueScanCode,
  sm2ScanSigner,
  trustedKeyOf,
  verifyScanCode,
  type ScanSigner,
} from '../modules/licenses/src/domain/scan-code/index.ts';
import { ISSUER, licenceClaims } from '../modules/licenses/test/scan-code-fixtures.ts';
import { load, pgbench, startServer, type LoadResult } from './harness.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ISSUE = Number(process.env.BENCH_LICENSES_ISSUE ?? 200);
const CONNECTIONS = 50;

// The scan-code tests' 出生医学证明: a typical licence's claims.
const claims = licenceClaims();
const NOW = new Date(Date.UTC(2030, 0, 1));

/** Calls of `run` per second over about `seconds` (after a warm-up of a fifth of that). */
function rate(seconds: number, run: () => void): number {
  const loop = (s: number) => {
    let n = 0;
    const t0 = performance.now();
    const end = t0 + s * 1000;
    while (performance.now() < end) {
      for (let i = 0; i < 20; i++) run();
      n += 20;
    }
    return n / ((performance.now() - t0) / 1000);
  };
  loop(seconds / 5);
  return loop(seconds);
}

function offline(seconds: number) {
  const es = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const sm2Private = sm2PrivateKeyFrom(randomBytes(32));
  const signers: [string, ScanSigner, () => void][] = [];
  // The bare loops verify a message of the size of a scan code's Sig_structure with the same key type.
  const message = randomBytes(200);
  const esSignature = sign('sha256', message, { key: es.privateKey, dsaEncoding: 'ieee-p1363' });
  signers.push([
    'ES256',
    es256Signer(es.privateKey),
    () => {
      if (!verify('sha256', message, { key: es.publicKey, dsaEncoding: 'ieee-p1363' }, esSignature))
        throw new Error('bare ES256 verify failed');
    },
  ]);
  const sm2Signature = sm2Sign(message, sm2Private);
  const sm2Public = sm2PublicKey(sm2Private);
  signers.push([
    'SM2',
    sm2ScanSigner(sm2Private),
    () => {
      if (!sm2Verify(message, sm2Signature, sm2Public, SM2_DEFAULT_ID)) throw new Error('bare SM2 verify failed');
    },
  ]);
  return signers.map(([name, signer, bare]) => {
    const code = issueScanCode(claims, signer);
    const trust = [trustedKeyOf(signer, ISSUER)];
    const ours = rate(seconds, () => {
      if (!verifyScanCode(code, { trust, now: NOW }).ok) throw new Error('the scan code did not verify');
    });
    const ceiling = rate(seconds, bare);
    const signs = rate(seconds / 2, () => issueScanCode(claims, signer));
    return { name, length: code.length, ours, ceiling, signs };
  });
}

async function httpVerifier(seconds: number): Promise<{ ours: LoadResult; bare: LoadResult }> {
  const bareServer = await startServer(new URL('./servers/bare.ts', import.meta.url));
  const bare = await load('bare Fastify route', bareServer.url, ['/bare'], { seconds, connections: CONNECTIONS });
  await bareServer.stop();
  const server = await startServer(new URL('./servers/licenses.ts', import.meta.url));
  try {
    const code = server.preamble.find((l) => l.startsWith('code '))?.slice('code '.length);
    if (!code) throw new Error('the licences bench server printed no code');
    const body = JSON.stringify({ code });
    const check = await fetch(`${server.url}/api/licenses/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const answer = (await check.json()) as { valid: boolean; reason?: string };
    if (!answer.valid) throw new Error(`the bench licence does not verify: ${JSON.stringify(answer)}`);
    const run = (s: number) =>
      autocannon({
        url: server.url,
        connections: CONNECTIONS,
        duration: s,
        requests: [
          { method: 'POST', path: '/api/licenses/verify', headers: { 'content-type': 'application/json' }, body },
        ],
      });
    await run(2);
    const r = await run(seconds);
    return {
      bare,
      ours: {
        label: 'POST /api/licenses/verify (valid licence)',
        requestsPerSecond: r.requests.average,
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        errors: r.errors,
        non2xx: r.non2xx,
      },
    };
  } finally {
    await server.stop();
  }
}

async function issuance(count: number) {
  const h = await startWorkflow({
    modules: [catalog, identity, workflow, licenses],
    identity: true,
    env: { TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000000' },
  });
  try {
    const issuer = h.p.instanceOf(licenses);
    await issuer.stop(); // its timer: the backlog is drained below, timed
    const officer = await h.officer('330100-WJW');
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const task = (await submitBirthCertificate(h, await h.citizen(`bench-mother-${i}`))).tasks[0] as {
        id: string;
        version: number;
      };
      let r = await act(h, officer, task.id, { action: 'accept', version: task.version });
      r = await act(h, officer, task.id, { action: 'review', version: r.body.version });
      r = await act(h, officer, task.id, { action: 'approve', version: r.body.version });
      if (r.body.state !== 'approved') throw new Error(`not approved: ${JSON.stringify(r.body)}`);
    }
    await h.p.bus.settled();
    const approvalSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const issued = async () =>
      Number(
        (
          await issuer.db
            .selectFrom('licenses.licence')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    while ((await issued()) < count) await issuer.kick();
    const seconds = (performance.now() - t1) / 1000;
    return { perSecond: count / seconds, seconds, approvalSeconds };
  } finally {
    await h.p.dispose();
  }
}

export async function benchLicenses(): Promise<void> {
  const offlineSeconds = Math.max(2, SECONDS / 2);
  console.log(`\n## Licences (${databaseLabel}; ${SECONDS} s per HTTP run)\n`);
  console.log('Offline verification of a scan code (one core, in process):\n');
  console.log('| algorithm | code length | verifications/s | bare verify loop/s | share of ceiling | codes signed/s |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of offline(offlineSeconds))
    console.log(
      `| ${r.name} | ${r.length} | ${Math.round(r.ours)} | ${Math.round(r.ceiling)} | ${((r.ours / r.ceiling) * 100).toFixed(1)} % | ${Math.round(r.signs)} |`,
    );
  const { ours, bare } = await httpVerifier(SECONDS);
  console.log(`\nHTTP verifier, ${CONNECTIONS} connections:\n`);
  console.log(
    '| what | requests/s | p50 ms | p99 ms | share of bare route | errors / non-2xx |\n|---|---:|---:|---:|---:|---:|',
  );
  for (const r of [ours, bare])
    console.log(
      `| ${r.label} | ${Math.round(r.requestsPerSecond)} | ${r.p50Ms} | ${r.p99Ms} | ${((r.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(1)} % | ${r.errors} / ${r.non2xx} |`,
    );
  const issued = await issuance(ISSUE);
  console.log(
    `\nIssuance: ${ISSUE} approved tasks (approved in ${issued.approvalSeconds.toFixed(1)} s) drained by the issuer in ${issued.seconds.toFixed(2)} s: **${issued.perSecond.toFixed(0)} licences/s**`,
  );
  if (process.env.TONGBAN_TEST_DATABASE_URL) {
    const tpcb = await pgbench(SECONDS);
    console.log(
      `beside pgbench TPC-B on the same server, same run: ${tpcb.tps.toFixed(0)} tps (${(issued.perSecond / tpcb.tps).toFixed(3)} × pgbench)`,
    );
  } else console.log('(the embedded database: set TONGBAN_TEST_DATABASE_URL for the PostgreSQL figure beside pgbench)');
}
