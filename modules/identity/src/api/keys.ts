import { Policies, type HttpApp, type ModuleContext } from '@tongban/kernel';
import { activeSigningKeys, publicJwk } from '../store/keys.ts';
import { typed } from '../store/tables.ts';

/** The issuer and its public keys, for every module's guard to verify access tokens locally. */
export function keyRoutes(app: HttpApp, ctx: ModuleContext, issuer: () => string): void {
  app.get(
    '/keys',
    {
      config: { policy: Policies.public },
      schema: { tags: ['identity'], summary: 'Token issuer and its public signing keys (JWKS)' },
    },
    async () => ({ issuer: issuer(), keys: (await activeSigningKeys(typed(ctx.db), ctx.fields)).map(publicJwk) }),
  );
}
