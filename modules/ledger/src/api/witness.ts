// This process as a witness, and the witnesses the logs here ask: their names and public keys.
import { Policies, type HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import type { Ledger } from '../service/ledger.ts';
import { typed } from '../store/tables.ts';
import { listWitnesses } from '../store/witnesses.ts';
import { CosignBody } from './schemas.ts';

export function witnessRoutes(app: HttpApp, ledger: Ledger): void {
  app.get(
    '/witnesses',
    {
      config: { policy: Policies.public },
      schema: {
        tags: ['ledger: witnesses'],
        summary: 'The witnesses asked to co-sign, with their keys',
        response: {
          200: Type.Array(
            Type.Object({
              name: Type.String(),
              url: Type.Union([Type.String(), Type.Null()]),
              publicKey: Type.Object({
                algorithm: Type.String(),
                key: Type.String(),
                signerId: Type.Optional(Type.String()),
              }),
            }),
          ),
        },
      },
    },
    async () =>
      (await listWitnesses(typed(ledger.ctx.db))).map((w) => ({
        name: w.name,
        url: w.url,
        publicKey: { algorithm: w.algorithm, key: w.public_key, ...(w.signer_id ? { signerId: w.signer_id } : {}) },
      })),
  );

  // Authenticated by what it carries: a checkpoint signed by a log this witness knows.
  app.post(
    '/witness/cosign',
    {
      config: { policy: Policies.public },
      schema: {
        tags: ['ledger: witnesses'],
        summary: 'Co-sign a checkpoint after checking it is consistent with the last one co-signed (409 on a fork)',
        body: CosignBody,
        response: { 200: Type.Object({ witness: Type.String(), keyId: Type.String(), signature: Type.String() }) },
      },
    },
    async (req) => ledger.witness.cosign(req.body),
  );
}
