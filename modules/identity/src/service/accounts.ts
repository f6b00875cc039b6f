// Changes to accounts that commit with their audit events: a business registered by its legal
// representative, an agent authorised, a staff account's access, an authenticator app enrolled or removed.
import type { ModuleContext } from '@tongban/kernel';
import { IdentityError } from '../errors.ts';
import { enrolTotp, insertAccount, removeTotp, setStaffAccess, type Account } from '../store/accounts.ts';
import { addAgent } from '../store/agents.ts';
import { typed } from '../store/tables.ts';

/** The account and its audit event commit together: a crash between them cannot lose the event. */
export async function registerBusiness(
  ctx: ModuleContext,
  business: { id: string; creditCode: string; name: string; passwordHash: string; legalRepresentative: string },
): Promise<void> {
  const { id, legalRepresentative } = business;
  await ctx.transaction(async (trx, events) => {
    await insertAccount(typed(trx), {
      id,
      kind: 'business',
      login: business.creditCode,
      displayName: business.name,
      passwordHash: business.passwordHash,
      legalRepresentative,
    });
    await events.publish('identity.account.registered', { accountId: id, kind: 'business', legalRepresentative });
  });
}

export async function authoriseAgent(
  ctx: ModuleContext,
  businessId: string,
  citizenId: string,
  by: string,
): Promise<void> {
  await ctx.transaction(async (trx, events) => {
    await addAgent(typed(trx), businessId, citizenId);
    await events.publish('identity.agent.authorised', { businessId, citizenId, by });
  });
}

export async function changeStaffAccess(
  ctx: ModuleContext,
  account: Account,
  access: { roles: string[]; departments: string[]; regions: string[] },
  by: string,
): Promise<void> {
  await typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      await setStaffAccess(trx, account.id, access);
      await ctx.events.publish(trx, 'identity.account.roles-changed', {
        accountId: account.id,
        by,
        before: { roles: account.roles, departments: account.departments, regions: account.regions },
        after: access,
      });
    });
}

/** The authenticator whose code was just checked becomes the account's second factor. */
export async function enrolAuthenticator(
  ctx: ModuleContext,
  accountId: string,
  secret: string,
  step: number,
): Promise<void> {
  await typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      await enrolTotp(trx, ctx.fields, accountId, secret, step);
      await ctx.events.publish(trx, 'identity.mfa.changed', { accountId, factor: 'totp', change: 'enrolled' });
    });
}

/** NOT_FOUND when the account has no authenticator. */
export async function removeAuthenticator(ctx: ModuleContext, accountId: string): Promise<void> {
  await typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      if (!(await removeTotp(trx, accountId))) throw new IdentityError('NOT_FOUND');
      await ctx.events.publish(trx, 'identity.mfa.changed', { accountId, factor: 'totp', change: 'removed' });
    });
}
