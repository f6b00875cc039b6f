// Identity's secrets at rest are sealed (ctx.fields): authenticator (TOTP) secrets, enrolled and
// pending, and the token-signing private keys. Rows written before that hold them in clear; each
// start seals what is still clear, before any request reads it.
import type { ModuleContext } from '@tongban/kernel';
import { sealClearTotpSecrets } from '../store/accounts.ts';
import { sealClearSigningKeys } from '../store/keys.ts';
import { typed } from '../store/tables.ts';

export async function sealClearSecrets(ctx: ModuleContext): Promise<void> {
  const totp = await sealClearTotpSecrets(typed(ctx.db), ctx.fields);
  const signing = await sealClearSigningKeys(typed(ctx.db), ctx.fields);
  if (totp + signing > 0) ctx.log.info({ totp, signing }, 'sealed secrets stored in clear');
}
