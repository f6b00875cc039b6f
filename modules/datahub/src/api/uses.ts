// "Who used my data": the citizen's own page of ledger entries about their data.
import type { HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import type { Hub } from '../service/hub.ts';
import { myUses } from '../service/uses.ts';
import { DatahubPolicies } from './policies.ts';

export function usesRoutes(app: HttpApp, hub: Hub): void {
  app.get(
    '/me/uses',
    {
      config: { policy: DatahubPolicies.citizen },
      schema: {
        tags: ['datahub: my data'],
        summary:
          'Who used my data: ledger entries about me (every read of my data), newest first, with inclusion proofs',
        description:
          'Each entry is one read of my data by a system or an officer (consumer, purpose, resource, items, channel). ' +
          'An entry newer than the latest checkpoint has `proof: null` and `proofPending: true`: its inclusion ' +
          'proof comes with the next checkpoint (made shortly after new entries arrive). A malformed `cursor` is 400 naming query.cursor: ' +
          'pass the `next` of the previous page.',
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            cursor: Type.Optional(
              Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'The `next` of the previous page' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            /** My person key: what the ledger's entries call me. */
            subject: Type.String(),
            checkpoint: Type.Unknown(),
            entries: Type.Array(
              Type.Object(
                {
                  proof: Type.Unknown(),
                  proofPending: Type.Boolean({
                    description: 'Newer than the latest checkpoint: proof is null until the next one covers it',
                  }),
                },
                { additionalProperties: true },
              ),
            ),
            next: Type.Optional(Type.String()),
          }),
        },
      },
    },
    async (req) => myUses(hub, req.principal!.id, req.query),
  );
}
