// "Who used my data": the entries that concern the signed-in person, each with its inclusion proof
// in the latest checkpoint, so they can check the record themselves. Paged newest first by an
// opaque cursor: a person with years of records reaches every one of them, a page at a time.
// The data hub asks the same by a person's hub key (`pk-…`: reads of a person's data name the
// person by it, account or not) with its service role, and shows the citizen their page.
import { LedgerError } from '../errors.ts';
import { type HttpApp } from '@tongban/kernel';
import { ServiceRoles } from '@tongban/contracts';
import Type from 'typebox';
import type { Ledger } from '../service/ledger.ts';
import { AUDIT_LOG } from '../service/ledger.ts';
import { typed } from '../store/tables.ts';
import { entriesOfSubject } from '../store/tree.ts';
import { CheckpointView } from './schemas.ts';

/**
 * A cursor says only where the last page stopped (the index of its oldest entry). It is opaque so
 * that clients do not build their own, but it grants nothing: every page is still filtered by the
 * caller's own account, so another person's cursor only moves the caller through their own entries.
 */
export function encodeCursor(before: number): string {
  return Buffer.from(`before:${before}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const match = /^before:(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const before = match ? Number(match[1]) : NaN;
  // Round-tripping rejects what base64url decoding silently tolerates (stray padding bits).
  if (!Number.isSafeInteger(before) || encodeCursor(before) !== cursor) {
    throw new LedgerError('VALIDATION_FAILED', {}, [
      { field: 'query.cursor', code: 'malformed_cursor', message: 'use the `next` value of the previous page' },
    ]);
  }
  return before;
}

const PageQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
    cursor: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'The `next` of the previous page' }),
    ),
  },
  { additionalProperties: false },
);

const EntryPage = Type.Object({
  pseudonym: Type.String({ description: 'What the public entries call the subject' }),
  checkpoint: Type.Union([CheckpointView, Type.Null()]),
  entries: Type.Array(
    Type.Object({
      index: Type.Integer(),
      entry: Type.Unknown(),
      body: Type.String(),
      leafHash: Type.Union([Type.String(), Type.Null()]),
      proof: Type.Union([Type.Array(Type.String()), Type.Null()]),
    }),
  ),
  next: Type.Optional(Type.String({ description: 'Absent on the last page' })),
});

/** A page of the entries kept beside `subjectId`, newest first, each with its proof in the latest checkpoint. */
async function subjectPage(
  ledger: Ledger,
  subjectId: string,
  pseudonym: string,
  query: { limit: number; cursor?: string | undefined },
) {
  const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const log = await ledger.getLog(AUDIT_LOG);
  // One more than asked: whether there is a next page is known without a second query.
  const found = await entriesOfSubject(typed(ledger.ctx.db), log.id, subjectId, before, query.limit + 1);
  const rows = found.slice(0, query.limit);
  const latest = await ledger.latest(log).catch(() => undefined);
  const entries = [];
  for (const r of rows) {
    // Entries after the latest checkpoint get their proof once the next one covers them.
    const covered = latest && Number(r.idx) < Number(latest.row.size);
    // Every proof against the one checkpoint this answer shows.
    const proof = covered ? await ledger.inclusion(log, Number(r.idx), Number(latest.row.size), latest) : undefined;
    entries.push({
      index: Number(r.idx),
      entry: JSON.parse(r.body) as unknown,
      body: r.body,
      leafHash: proof?.leafHash ?? null,
      proof: proof?.proof ?? null,
    });
  }
  const next = found.length > rows.length ? { next: encodeCursor(Number(rows[rows.length - 1]!.idx)) } : {};
  return { pseudonym, checkpoint: latest?.view ?? null, entries, ...next };
}

export function meRoutes(app: HttpApp, ledger: Ledger): void {
  app.get(
    '/me/entries',
    {
      config: { policy: { kinds: ['citizen', 'business'], assurance: 'password' } },
      schema: {
        tags: ['ledger: my records'],
        summary:
          'Ledger entries about me, newest first, each with its inclusion proof in the latest checkpoint; `next` fetches the following page',
        querystring: PageQuery,
        response: { 200: EntryPage },
      },
    },
    async (req) => {
      const me = req.principal!.actingFor ?? req.principal!.id;
      return subjectPage(ledger, me, ledger.pseudonymOf(me), req.query);
    },
  );

  app.get(
    '/subjects/:subject/entries',
    {
      // The data hub's "who used my data": only person keys, so no account's own record is reached this way.
      config: { policy: { kinds: ['service'], roles: [ServiceRoles.ledgerSubjectsRead] } },
      schema: {
        tags: ['ledger: my records'],
        summary: "Entries about a person by the data hub's person key (pk-…), newest first, with proofs",
        params: Type.Object({ subject: Type.String({ pattern: '^pk-[0-9a-f]{32}$' }) }),
        querystring: PageQuery,
        response: { 200: EntryPage },
      },
    },
    async (req) => subjectPage(ledger, req.params.subject, req.params.subject, req.query),
  );
}
