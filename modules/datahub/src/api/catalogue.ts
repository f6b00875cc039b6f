// 政务数据资源目录: the catalogue is public information (what each registry holds, who owns it,
// how it is shared), never its rows; stewards publish versions of their departments' resources.
import { Policies, type HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import { DatahubError } from '../errors.ts';
import type { ResourceDefinition } from '../domain/resource.ts';
import { stewardOf } from '../service/access.ts';
import type { Hub } from '../service/hub.ts';
import { publishResource } from '../service/resources.ts';
import { findLatestResource, latestResources } from '../store/resources.ts';
import { typed } from '../store/tables.ts';
import { DatahubPolicies } from './policies.ts';
import { CodeParam, ResourceBody, ResourceView } from './schemas.ts';

const tags = ['datahub: catalogue'];

const view = (r: { definition: ResourceDefinition; version: number; publishedAt: Date }) => ({
  version: r.version,
  publishedAt: r.publishedAt.toISOString(),
  // The stored definition is what the body schema admitted (readonly in the domain's type).
  definition: r.definition as unknown as ResourceBody,
});

export function catalogueRoutes(app: HttpApp, hub: Hub): void {
  const db = hub.ctx.db;
  app.get(
    '/resources',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'The resource catalogue (latest versions; no data)',
        response: { 200: Type.Array(ResourceView) },
      },
    },
    async () => (await latestResources(typed(db))).map(view),
  );

  app.get(
    '/resources/:code',
    {
      config: { policy: Policies.public },
      schema: { tags, summary: "A resource's latest definition", params: CodeParam, response: { 200: ResourceView } },
    },
    async (req) => {
      const r = await findLatestResource(typed(db), req.params.code);
      if (!r) throw new DatahubError('DATAHUB_RESOURCE_NOT_FOUND', { code: req.params.code });
      return view(r);
    },
  );

  app.post(
    '/resources',
    {
      config: { policy: DatahubPolicies.steward },
      schema: {
        tags,
        summary: 'Publish a resource definition (the next version); unknown data elements are 422',
        body: ResourceBody,
        response: { 201: Type.Object({ code: Type.String(), version: Type.Integer() }) },
      },
    },
    async (req, reply) => {
      const published = await publishResource(hub.ctx, req.body, stewardOf(req.principal!));
      hub.resources.forget();
      return reply.code(201).send(published);
    },
  );
}
