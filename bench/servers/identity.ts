// The platform with identity and a probe module whose one route runs only the guard, for the
// identity bench. Before `listening <url>` it prints `accounts <json>`: citizen accounts with
// password and TOTP, created straight in the database. They share one real argon2id hash (so a
// sign-in verifies exactly as in production) but each has its own TOTP secret, because a code is
// accepted once per account per 30-second step. It also prints `client <json>`: the browser
// relying party it registered.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineModule, loadConfig, startPlatform } from '@tongban/kernel';
import identity from '@tongban/identity';
import { residentIdCheckChar } from '../../modules/identity/src/domain/identifiers.ts';
import { hashPassword } from '../../modules/identity/src/domain/passwords.ts';
import { newTotpSecret } from '../../modules/identity/src/domain/totp.ts';
import { insertAccount } from '../../modules/identity/src/store/accounts.ts';

const CLIENT_ID = 'bench-rp';
const REDIRECT = 'http://rp.example.test/callback';
const PASSWORD = 'bench horse battery staple';

const probe = defineModule({
  name: 'probe',
  title: { zh: '探针', en: 'Probe' },
  routes(app) {
    app.get('/guarded', { config: { policy: { kinds: ['citizen'] } } }, async () => ({ ok: true }));
  },
});

const count = Number(process.argv[2] ?? 2000);
const config = loadConfig({
  ...process.env,
  TONGBAN_PORT: '0',
  TONGBAN_LOG_LEVEL: 'warn',
  TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000000',
  // People sign in from their own addresses, through a proxy that says which (bench/identity.ts
  // sends X-Forwarded-For per account): one address for every user would be one office NAT.
  TONGBAN_HTTP_TRUST_PROXY: '127.0.0.1',
  TONGBAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'tongban-bench-')),
});
const platform = await startPlatform({ config, modules: [identity, probe] });
// Listen first: identity takes its issuer URL from the port it listens on.
const url = await platform.listen();

const passwordHash = await hashPassword(PASSWORD);
// Authenticator secrets are stored sealed with identity's field keys.
const fields = platform.contexts.get('identity')!.fields;
const accounts: { login: string; password: string; totpSecret: string; address: string }[] = [];
const pending: Promise<void>[] = [];
for (let i = 0; i < count; i++) {
  // Valid resident ID numbers: Hangzhou Xihu district, a birth date from 1990-01-01 on, a sequence number.
  const born = new Date(Date.UTC(1990, 0, 1 + Math.floor(i / 999))).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `330106${born}${String((i % 999) + 1).padStart(3, '0')}`;
  const account = {
    login: first17 + residentIdCheckChar(first17),
    password: PASSWORD,
    totpSecret: newTotpSecret(),
    address: `2001:db8::${(i + 1).toString(16)}`,
  };
  accounts.push(account);
  pending.push(
    insertAccount(
      platform.database.db,
      {
        id: randomUUID(),
        kind: 'citizen',
        login: account.login,
        displayName: `bench ${i}`,
        passwordHash,
        totpSecret: account.totpSecret,
      },
      fields,
    ),
  );
  if (pending.length === 50) await Promise.all(pending.splice(0));
}
await Promise.all(pending);

const registered = await platform.app.inject({
  method: 'PUT',
  url: `/api/identity/clients/${CLIENT_ID}`,
  headers: { authorization: `Bearer ${platform.secrets.operatorToken}` },
  payload: { name: 'bench relying party', redirectUris: [REDIRECT], postLogoutRedirectUris: [REDIRECT], roles: [] },
});
if (registered.statusCode !== 200) throw new Error(`client registration failed: ${registered.body}`);

console.log(`client ${JSON.stringify({ clientId: CLIENT_ID, redirectUri: REDIRECT })}`);
console.log(`accounts ${JSON.stringify(accounts)}`);
console.log(`listening ${url}`);
process.on('SIGTERM', () => void platform.close().then(() => process.exit(0)));
