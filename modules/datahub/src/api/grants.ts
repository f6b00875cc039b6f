// 共享授权: stewards (on their departments' resources) and operators grant a consumer items of a
// resource for a purpose, and revoke.
import type { HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import { stewardOf } from '../service/access.ts';
import type { Hub } from '../service/hub.ts';
import { createGrant, withdrawGrant } from '../service/grants.ts';
import { listGrants } from '../store/grants.ts';
import { typed } from '../store/tables.ts';
import { DatahubPolicies } from './policies.ts';
import { GrantBody, GrantQuery, GrantView, IdParam } from './schemas.ts';

const tags = ['datahub: grants'];

export function grantRoutes(app: HttpApp, hub: Hub): void {
  app.post(
    '/grants',
    {
      config: { policy: DatahubPolicies.steward },
      schema: {
        tags,
        summary: 'Grant a consumer items of a resource for a purpose',
        body: GrantBody,
        response: { 201: GrantView },
      },
    },
    async (req, reply) => reply.code(201).send(await createGrant(hub.ctx, req.body, stewardOf(req.principal!))),
  );

  app.delete(
    '/grants/:id',
    {
      config: { policy: DatahubPolicies.steward },
      schema: { tags, summary: 'Revoke a grant', params: IdParam, response: { 200: GrantView } },
    },
    async (req) => withdrawGrant(hub.ctx, req.params.id, stewardOf(req.principal!)),
  );

  app.get(
    '/grants',
    {
      config: { policy: DatahubPolicies.steward },
      schema: {
        tags,
        summary: 'Grants, active unless revoked=true',
        querystring: GrantQuery,
        response: { 200: Type.Array(GrantView) },
      },
    },
    async (req) =>
      listGrants(typed(hub.ctx.db), {
        ...(req.query.consumer ? { consumer: req.query.consumer } : {}),
        ...(req.query.resource ? { resource: req.query.resource } : {}),
        includeRevoked: req.query.revoked === true,
      }),
  );
}
