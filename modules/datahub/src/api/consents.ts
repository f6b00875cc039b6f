// "My consents" (我的授权): a citizen gives, lists and revokes consents for their own data.
import type { HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import type { Hub } from '../service/hub.ts';
import { giveConsent, withdrawConsent } from '../service/consents.ts';
import { listConsents, type ConsentView as Consent } from '../store/consents.ts';
import { typed } from '../store/tables.ts';
import { DatahubPolicies } from './policies.ts';
import { ConsentBody, ConsentView, IdParam } from './schemas.ts';

const tags = ['datahub: my data'];
const view = ({ accountId: _, ...c }: Consent) => c;

export function consentRoutes(app: HttpApp, hub: Hub): void {
  app.post(
    '/me/consents',
    {
      config: { policy: DatahubPolicies.citizen },
      schema: { tags, summary: 'Consent to items for a purpose', body: ConsentBody, response: { 201: ConsentView } },
    },
    async (req, reply) =>
      reply.code(201).send(view(await giveConsent(hub.ctx, req.principal!.id, req.body.purpose, req.body.items))),
  );

  app.get(
    '/me/consents',
    {
      config: { policy: DatahubPolicies.citizen },
      schema: {
        tags,
        summary: 'My consents, newest first (revoked ones too)',
        response: { 200: Type.Array(ConsentView) },
      },
    },
    async (req) => (await listConsents(typed(hub.ctx.db), req.principal!.id)).map(view),
  );

  app.delete(
    '/me/consents/:id',
    {
      config: { policy: DatahubPolicies.citizen },
      schema: {
        tags,
        summary: 'Revoke one of my consents (prefill stops at once)',
        params: IdParam,
        response: { 200: ConsentView },
      },
    },
    async (req) => view(await withdrawConsent(hub.ctx, req.principal!.id, req.params.id)),
  );
}
