// "Who used my data": the entries that concern the signed-in person, each with its inclusion proof
// in the latest checkpoint, so they can check the record themselves.
import { type HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import type { Ledger } from '../service/ledger.ts';
import { AUDIT_LOG } from '../service/ledger.ts';
import { typed } from '../store/tables.ts';
import { CheckpointView } from './schemas.ts';

export function meRoutes(app: HttpApp, ledger: Ledger): void {
  app.get('/me/entries', {
    config: { policy: { kinds: ['citizen', 'business'], assurance: 'password' } },
    schema: {
      tags: ['ledger: my records'], summary: 'Ledger entries about me, newest first, each with its inclusion proof in the latest checkpoint',
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({
        pseudonym: Type.String({ description: 'What the public entries call me' }),
        checkpoint: Type.Union([CheckpointView, Type.Null()]),
        entries: Type.Array(Type.Object({ index: Type.Integer(), entry: Type.Unknown(), body: Type.String(), leafHash: Type.Union([Type.String(), Type.Null()]), proof: Type.Union([Type.Array(Type.String()), Type.Null()]) })),
      }) },
    },
  }, async (req) => {
    const log = await ledger.getLog(AUDIT_LOG);
    const me = req.principal!.actingFor ?? req.principal!.id;
    const rows = await typed(ledger.ctx.db).selectFrom('ledger.entry').select(['idx', 'body']).where('log_id', '=', log.id).where('subject_id', '=', me)
      .orderBy('idx', 'desc').limit(req.query.limit).execute();
    const latest = await ledger.latest(log).catch(() => undefined);
    const entries = [];
    for (const r of rows) {
      // Entries after the latest checkpoint get their proof once the next one covers them.
      const covered = latest && Number(r.idx) < Number(latest.row.size);
      // Every proof against the one checkpoint this answer shows.
      const proof = covered ? await ledger.inclusion(log, Number(r.idx), Number(latest.row.size), latest) : undefined;
      entries.push({ index: Number(r.idx), entry: JSON.parse(r.body) as unknown, body: r.body, leafHash: proof?.leafHash ?? null, proof: proof?.proof ?? null });
    }
    return { pseudonym: ledger.pseudonymOf(me), checkpoint: latest?.view ?? null, entries };
  });
}
