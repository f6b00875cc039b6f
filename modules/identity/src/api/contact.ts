// Where a person's notices go by SMS (消息): notify's delivery worker asks for the bound mobile
// and the language identity knows them in, with its own service token (identity.contact.read,
// granted to the notify client only). The mobile in full: notify keeps it masked in what it shows.
import { AccountContactView, ServiceRoles } from '@tongban/contracts';
import type { HttpApp, ModuleContext } from '@tongban/kernel';
import Type from 'typebox';
import { IdentityError } from '../errors.ts';
import { findAccountById, isActive } from '../store/accounts.ts';
import { typed } from '../store/tables.ts';

export function contactRoutes(app: HttpApp, ctx: ModuleContext): void {
  app.get(
    '/services/accounts/:accountId/contact',
    {
      config: { policy: { kinds: ['service'], roles: { service: [ServiceRoles.identityContactRead] } } },
      schema: {
        tags: ['identity: accounts'],
        summary: "An account's mobile and language, for its notices (the notify module)",
        // Account ids are UUIDs, but a pattern keeps a path-only caller from probing with anything else.
        params: Type.Object({ accountId: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }) }),
        response: { 200: AccountContactView },
      },
    },
    async (request) => {
      const account = await findAccountById(typed(ctx.db), request.params.accountId).catch(() => undefined);
      if (!account || !isActive(account)) throw new IdentityError('NOT_FOUND');
      return { mobile: account.mobile, language: account.lang === 'en' ? ('en' as const) : ('zh-CN' as const) };
    },
  );
}
