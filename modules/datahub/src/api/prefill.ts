// 预填: the workflow's call, with its service token (role datahub.prefill).
import { PrefillRequest, PrefillView } from '@tongban/contracts';
import type { HttpApp } from '@tongban/kernel';
import { consumerOf } from '../service/access.ts';
import type { Hub } from '../service/hub.ts';
import { prefill } from '../service/prefill.ts';
import { DatahubPolicies } from './policies.ts';

const tags = ['datahub: prefill'];

export function prefillRoutes(app: HttpApp, hub: Hub): void {
  app.post(
    '/prefill',
    {
      config: { policy: DatahubPolicies.prefill },
      schema: {
        tags,
        summary: "An applicant's data for the elements a form binds, with source and verified flag",
        body: PrefillRequest,
        response: { 200: PrefillView },
      },
    },
    async (req) => prefill(hub, consumerOf(req.principal!), req.body),
  );
}
