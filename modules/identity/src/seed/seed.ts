// Demo accounts for the embedded shape: citizens, a business with its legal representative, an
// officer for each catalog department, the lead of 出生一件事's first department, an operator and a
// security operator. Passwords and TOTP secrets are generated on first seeding (none is in the
// repository), kept in the data directory (mode 0600) and printed in the start summary.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogApi } from '@tongban/contracts';
import { creditCodeCheckChar, residentIdCheckChar, type ModuleContext } from '@tongban/kernel';
import { RECOVERY_ROLE } from '../api/registration.ts';
import { hashPassword } from '../domain/passwords.ts';
import { newTotpSecret } from '../domain/totp.ts';
import { insertAccount, type AccountKind } from '../store/accounts.ts';
import { typed } from '../store/tables.ts';

interface DemoCredential {
  kind: AccountKind;
  login: string;
  name: string;
  password: string;
  totpSecret?: string;
}

const residentId = (first17: string) => first17 + residentIdCheckChar(first17);
const creditCode = (first17: string) => first17 + creditCodeCheckChar(first17);
const password = () => randomBytes(9).toString('base64url');

export async function seedDemoAccounts(ctx: ModuleContext): Promise<string[]> {
  const file = join(ctx.config.dataDir, 'keys', 'demo-accounts.json');
  const existing = await typed(ctx.db).selectFrom('identity.account').select('id').limit(1).executeTakeFirst();
  if (existing) return existsSync(file) ? summary(JSON.parse(readFileSync(file, 'utf8')) as DemoCredential[]) : [];

  const departments = ctx.modules.locate('catalog')
    ? await ctx.modules.request<DemoDepartment[]>('catalog', {
        path: '/departments',
      })
    : [];
  const leadDepartment = await birthLeadDepartment(ctx, departments);
  const credentials: DemoCredential[] = [];
  const zhang = randomUUID();
  await typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const add = async (
        kind: AccountKind,
        login: string,
        name: string,
        extra: Partial<Parameters<typeof insertAccount>[1]> = {},
        mfa = false,
      ) => {
        const secret = password();
        const totpSecret = mfa ? newTotpSecret() : undefined;
        await insertAccount(
          trx,
          {
            id: extra.id ?? randomUUID(),
            kind,
            login,
            displayName: name,
            passwordHash: await hashPassword(secret),
            ...(totpSecret ? { totpSecret } : {}),
            ...extra,
          },
          ctx.fields,
        );
        credentials.push({ kind, login, name, password: secret, ...(totpSecret ? { totpSecret } : {}) });
      };
      await add('citizen', residentId('33010619900101123'), '张三', {
        id: zhang,
        mobile: '13800000001',
        regions: ['330106'],
      });
      await add(
        'citizen',
        residentId('33010219920315234'),
        '李四',
        { mobile: '13800000002', regions: ['330102'] },
        true,
      );
      await add('business', creditCode('91330100MA2H00001'), '杭州通办示范科技有限公司', {
        legalRepresentative: zhang,
        regions: ['330100'],
      });
      // The first department's officer also staffs the service counter: files applications for
      // residents (窗口, the workflow's 'counter' role) and returns squatted IDs (账号找回).
      for (const [i, d] of departments.entries()) {
        await add(
          'officer',
          `officer.${d.code.toLowerCase()}`,
          `${d.name.zh}工作人员`,
          {
            roles: i === 0 ? ['officer', 'counter', RECOVERY_ROLE] : ['officer'],
            departments: [d.code],
            regions: [d.regionCode],
          },
          true,
        );
      }
      // A department lead (分管领导) where 出生一件事 starts: assigns its tasks to the officers (指派).
      if (leadDepartment) {
        await add(
          'officer',
          `lead.${leadDepartment.code.toLowerCase()}`,
          `${leadDepartment.name.zh}分管领导`,
          { roles: ['lead'], departments: [leadDepartment.code], regions: [leadDepartment.regionCode] },
          true,
        );
      }
      await add(
        'operator',
        'operator',
        '政务服务管理办公室运营人员',
        { roles: ['operator'], regions: ['330100'] },
        true,
      );
      await add('security', 'security', '安全运营人员', { roles: ['security'], regions: ['330100'] }, true);
    });
  mkdirSync(join(ctx.config.dataDir, 'keys'), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  ctx.log.info({ accounts: credentials.length }, 'demo accounts seeded');
  return summary(credentials);
}

type DemoDepartment = { code: string; regionCode: string; name: { zh: string } };

/** The department of 出生一件事's first task (the matter nothing in the bundle waits for), if the demo has it. */
async function birthLeadDepartment(
  ctx: ModuleContext,
  departments: readonly DemoDepartment[],
): Promise<DemoDepartment | undefined> {
  if (departments.length === 0) return undefined;
  try {
    const bundle = await ctx.modules.call(CatalogApi.latestBundle, ['BIRTH']);
    const first = bundle.items.find((i) => i.dependsOn.length === 0) ?? bundle.items[0];
    if (!first) return undefined;
    const matter = await ctx.modules.call(CatalogApi.latestMatter, [first.matterCode]);
    return departments.find((d) => d.code === matter.departmentCode);
  } catch {
    // A catalog without the demo's bundle: no lead to seed.
    return undefined;
  }
}

function summary(credentials: readonly DemoCredential[]): string[] {
  // Every officer is listed: a demo bundle needs one from each of its departments to finish.
  const officers = credentials.filter((c) => c.kind === 'officer');
  return [
    'demo accounts (development only; also in the data directory, keys/demo-accounts.json):',
    ...credentials
      .filter((c) => c.kind !== 'officer')
      .concat(officers)
      .map(
        (c) =>
          `  ${c.kind.padEnd(9)} ${c.login.padEnd(24)} password ${c.password}${c.totpSecret ? `   TOTP secret ${c.totpSecret}` : ''}   (${c.name})`,
      ),
    `  ${officers.length} officers in all: one per department, and a lead (lead.*) who assigns tasks`,
  ];
}
