// The platform with the catalog and the data hub, as `npm start` runs them (seeded, every plugin),
// rate limiting lifted, for the data hub bench. Access tokens are identity's shape signed with a
// key this server makes (printed as `signer <json>` before `listening <url>`). It stores
// BENCH_DATAHUB_PERSONS population rows (10,000 unless said) through the hub's own sealRow, grants
// the bench's department system the items it reads, and prints `persons <json>`: ID numbers to ask for.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  anyOf,
  API_AUDIENCE,
  createJwtAuthenticator,
  loadConfig,
  operatorTokenAuthenticator,
  residentIdCheckChar,
  startPlatform,
} from '@tongban/kernel';
import { exportJWK, generateKeyPair } from 'jose';
import { selectModules } from '../../apps/server/src/modules.ts';
import { POPULATION } from '../../modules/datahub/src/domain/registries.ts';
import { sealRow } from '../../modules/datahub/src/service/rows.ts';
import { insertGrant } from '../../modules/datahub/src/store/grants.ts';
import { upsertRecords } from '../../modules/datahub/src/store/records.ts';
import { typed } from '../../modules/datahub/src/store/tables.ts';

const BENCH_ISSUER = 'https://id.tongban.bench';
const BENCH_KID = 'bench-key';
const BENCH_SYSTEM = 'tongban-bench-system';
const BENCH_PURPOSE = '330100-MZ-001';

const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const publicJwk = { ...(await exportJWK(publicKey)), kid: BENCH_KID, alg: 'ES256', use: 'sig' };
const privateJwk = { ...(await exportJWK(privateKey)), kid: BENCH_KID, alg: 'ES256' };
const operatorToken = randomBytes(24).toString('base64url');
const dataDir = mkdtempSync(join(tmpdir(), 'tongban-bench-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const config = loadConfig({
  ...process.env,
  TONGBAN_PORT: '0',
  TONGBAN_LOG_LEVEL: 'warn',
  TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000000',
  TONGBAN_DATA_DIR: dataDir,
  TONGBAN_OPERATOR_TOKEN: operatorToken,
});
const authenticate = anyOf(
  createJwtAuthenticator({ issuer: BENCH_ISSUER, audience: API_AUDIENCE, keys: async () => ({ keys: [publicJwk] }) }),
  operatorTokenAuthenticator(operatorToken),
);
const platform = await startPlatform({ config, modules: selectModules('catalog,datahub'), seed: true, authenticate });
await platform.bus.settled();

const ctx = platform.contexts.get('datahub')!;
const persons = Number(process.env.BENCH_DATAHUB_PERSONS ?? 10_000);
const ids: string[] = [];
const SURNAMES = '王李张刘陈杨黄赵吴周';
for (let start = 0; start < persons; start += 1000) {
  const rows = [];
  for (let i = start; i < Math.min(persons, start + 1000); i++) {
    const first17 = `330106${1950 + (i % 50)}${String((i % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
    const idNumber = first17 + residentIdCheckChar(first17);
    if (i % Math.max(1, Math.floor(persons / 500)) === 0) ids.push(idNumber);
    rows.push({
      resourceCode: POPULATION.code,
      ...(await sealRow(ctx.fields, POPULATION, {
        idNumber,
        name: `${SURNAMES[i % 10]}某${i}`,
        gender: String((i % 2) + 1),
        birthDate: `${first17.slice(6, 10)}-${first17.slice(10, 12)}-${first17.slice(12, 14)}`,
        address: `浙江省杭州市西湖区文三路 ${i} 号`,
        householdAddress: `浙江省杭州市西湖区文三路 ${i} 号`,
        householdId: `330106${String(i).padStart(6, '0')}`,
        fatherIdNumber: null,
        motherIdNumber: null,
        mobile: `138${String(i).padStart(8, '0')}`,
      })),
      source: 'bench',
      collectedAt: new Date(),
    });
  }
  await upsertRecords(typed(ctx.db), rows);
}
await insertGrant(typed(ctx.db), {
  id: 'bench-grant',
  consumer: BENCH_SYSTEM,
  resource: POPULATION.code,
  purpose: BENCH_PURPOSE,
  items: ['idNumber', 'name', 'gender', 'birthDate', 'address', 'mobile'],
  by: 'bench',
});

console.log(`persons ${JSON.stringify({ count: persons, ids: [...new Set(ids)] })}`);
console.log(`signer ${JSON.stringify({ privateJwk, issuer: BENCH_ISSUER, audience: API_AUDIENCE })}`);
const url = await platform.listen();
console.log(`listening ${url}`);
process.on('SIGTERM', () => void platform.close().finally(() => process.exit(0)));
