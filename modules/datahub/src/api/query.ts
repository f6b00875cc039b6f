// Department reads (共享查询), an officer's reveal (查看明文), and a counter's person resolve.
import type { HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import { consumerOf } from '../service/access.ts';
import type { Hub } from '../service/hub.ts';
import { query } from '../service/query.ts';
import { resolvePerson } from '../service/resolve.ts';
import { reveal } from '../service/reveal.ts';
import { DatahubPolicies } from './policies.ts';
import { CodeParam, QueryBody, QueryView, ResolveBody, RevealBody } from './schemas.ts';

const tags = ['datahub: sharing'];
const Masked = Type.Union([Type.String(), Type.Number(), Type.Null()]);

export function queryRoutes(app: HttpApp, hub: Hub): void {
  app.post(
    '/resources/:code/query',
    {
      config: { policy: DatahubPolicies.query },
      schema: {
        tags,
        summary: 'Rows of a resource by a key or indexed item, masked by policy, under a grant for the purpose',
        params: CodeParam,
        body: QueryBody,
        response: { 200: QueryView },
      },
    },
    async (req) => query(hub, req.principal!, req.params.code, req.body),
  );

  app.post(
    '/resources/:code/records/reveal',
    {
      config: { policy: DatahubPolicies.reveal },
      schema: {
        tags,
        summary: 'Reveal one masked value of one row, with a reason (rate-limited, ledgered)',
        params: CodeParam,
        body: RevealBody,
        response: {
          200: Type.Object({ resource: Type.String(), item: Type.String(), value: Masked }),
        },
      },
    },
    async (req) => reveal(hub, req.principal!, req.params.code, req.body),
  );

  app.post(
    '/persons/resolve',
    {
      config: { policy: DatahubPolicies.prefill },
      schema: {
        tags,
        summary: 'A counter resolves a person by resident ID number: masked, with region and account',
        body: ResolveBody,
        response: {
          200: Type.Object({
            person: Type.Record(Type.String(), Masked),
            region: Type.String(),
            accountId: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (req) => resolvePerson(hub, consumerOf(req.principal!), req.body.idNumber, req.body.purpose),
  );
}
