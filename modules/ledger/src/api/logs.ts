// The public API of the ledger: logs, checkpoints, proofs, entries by range, receipts; appending
// for department systems and operators. Reading is open to anyone — that is what makes the log
// checkable — and entries hold references and digests only.
import { LedgerError } from '../errors.ts';
import { ServiceRoles } from '@tongban/contracts';
import { Policies, type HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import { entryBody, type AuditEntry } from '../domain/entry.ts';
import type { Ledger } from '../service/ledger.ts';
import { checkpointJson } from '../service/ledger.ts';
import { typed } from '../store/tables.ts';
import { checkpointsAfter, cosignaturesOf } from '../store/checkpoints.ts';
import { listLogs } from '../store/logs.ts';
import { entriesInRange } from '../store/tree.ts';
import {
  AppendBody,
  CheckpointsQuery,
  CheckpointView,
  ConsistencyQuery,
  EntryParam,
  InclusionQuery,
  LogParam,
  NewLogBody,
  ProofView,
  RangeQuery,
} from './schemas.ts';

const tags = ['ledger'];
const MAX_RANGE = 1000;

const logView = (l: {
  id: string;
  origin: string;
  hash_algorithm: string;
  signature_algorithm: string;
  public_key: string;
  signer_id: string | null;
  size: number;
  root: Uint8Array;
}) => ({
  id: l.id,
  origin: l.origin,
  hashAlgorithm: l.hash_algorithm,
  signatureAlgorithm: l.signature_algorithm,
  publicKey: l.public_key,
  signerId: l.signer_id,
  size: Number(l.size),
  root: Buffer.from(l.root).toString('base64'),
});
const LogView = Type.Object({
  id: Type.String(),
  origin: Type.String(),
  hashAlgorithm: Type.String(),
  signatureAlgorithm: Type.String(),
  publicKey: Type.String(),
  signerId: Type.Union([Type.String(), Type.Null()]),
  size: Type.Integer(),
  root: Type.String({ description: 'base64; not signed — the checkpoints are' }),
});

export function logRoutes(app: HttpApp, ledger: Ledger): void {
  const db = typed(ledger.ctx.db);

  app.get(
    '/logs',
    {
      config: { policy: Policies.public },
      schema: { tags, summary: 'The logs, their algorithms and public keys', response: { 200: Type.Array(LogView) } },
    },
    async () => (await listLogs(db)).map(logView),
  );

  app.post(
    '/logs',
    {
      config: { policy: { kinds: ['operator'], assurance: 'password' } },
      schema: {
        tags,
        summary: 'Create a log: SHA-256 or SM3, Ed25519 or SM2 (fixed for its life)',
        body: NewLogBody,
        response: { 201: LogView },
      },
    },
    async (req, reply) => reply.code(201).send(logView(await ledger.createLog(req.body))),
  );

  app.get(
    '/logs/:log',
    {
      config: { policy: Policies.public },
      schema: { tags, summary: 'One log', params: LogParam, response: { 200: LogView } },
    },
    async (req) => logView(await ledger.getLog(req.params.log)),
  );

  app.get(
    '/logs/:log/checkpoint',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'The latest signed checkpoint with its witness co-signatures',
        params: LogParam,
        response: { 200: CheckpointView },
      },
    },
    async (req) => (await ledger.latest(await ledger.getLog(req.params.log))).view,
  );

  app.get(
    '/logs/:log/checkpoints',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'Checkpoints by size, oldest first',
        params: LogParam,
        querystring: CheckpointsQuery,
        response: { 200: Type.Array(CheckpointView) },
      },
    },
    async (req) => {
      const log = await ledger.getLog(req.params.log);
      const rows = await checkpointsAfter(db, log.id, req.query.after, req.query.limit);
      const cos = await cosignaturesOf(
        db,
        log.id,
        rows.map((r) => r.size),
      );
      return rows.map((r) =>
        checkpointJson(
          log,
          r,
          cos.filter((c) => Number(c.size) === Number(r.size)),
          ledger.witnessKey,
        ),
      );
    },
  );

  app.get(
    '/logs/:log/proofs/inclusion',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary:
          'Inclusion proof (RFC 9162 §2.1.3) of entry `index` in the tree of `size` (default: the latest checkpoint)',
        params: LogParam,
        querystring: InclusionQuery,
        response: { 200: ProofView },
      },
    },
    async (req) => ledger.inclusion(await ledger.getLog(req.params.log), req.query.index, req.query.size),
  );

  app.get(
    '/logs/:log/proofs/consistency',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'Consistency proof (RFC 9162 §2.1.4) between the trees of sizes `first` and `second`',
        params: LogParam,
        querystring: ConsistencyQuery,
        response: {
          200: Type.Object({
            log: Type.String(),
            first: Type.Integer(),
            second: Type.Integer(),
            proof: Type.Array(Type.String()),
          }),
        },
      },
    },
    async (req) => ledger.consistency(await ledger.getLog(req.params.log), req.query.first, req.query.second),
  );

  app.get(
    '/logs/:log/entries',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: `Entries [start, end), at most ${MAX_RANGE}, with the leaf hash stored for each`,
        params: LogParam,
        querystring: RangeQuery,
        response: {
          200: Type.Array(
            Type.Object({
              index: Type.Integer(),
              body: Type.String(),
              leafHash: Type.Union([Type.String(), Type.Null()]),
            }),
          ),
        },
      },
    },
    async (req) => {
      const log = await ledger.getLog(req.params.log);
      const { start, end } = req.query;
      if (end <= start || end - start > MAX_RANGE) {
        throw new LedgerError('LEDGER_RANGE_INVALID', { reason: `need start < end ≤ start + ${MAX_RANGE}` }, [
          { field: 'query.end', code: 'invalid_range', message: `need start < end ≤ start + ${MAX_RANGE}` },
        ]);
      }
      if (end > log.size)
        throw new LedgerError('LEDGER_BEYOND_TREE', { size: log.size }, [
          { field: 'query.end', code: 'beyond_tree', message: `the tree has ${log.size} entries` },
        ]);
      const rows = await entriesInRange(db, log.id, start, end);
      return rows.map((r) => ({
        index: Number(r.idx),
        body: r.body,
        leafHash: r.hash ? Buffer.from(r.hash).toString('base64') : null,
      }));
    },
  );

  app.post(
    '/logs/:log/entries',
    {
      // A department system appends only when identity gave its client the role; the platform's
      // operators may record what they do by hand. Citizens and officers never write the ledger.
      config: { policy: { kinds: ['service', 'operator'], roles: { service: [ServiceRoles.ledgerAppend] } } },
      schema: {
        tags,
        summary: 'Append an entry (references and digests only); answers the receipt once it is sequenced',
        params: LogParam,
        body: AppendBody,
        response: {
          201: Type.Object({
            log: Type.String(),
            index: Type.Integer(),
            leafHash: Type.String(),
            treeSize: Type.Integer(),
          }),
        },
      },
    },
    async (req, reply) => {
      const log = await ledger.getLog(req.params.log);
      // The time is the ledger's, never the caller's: an entry cannot be backdated.
      refusePersonalData(req.body);
      // People are named by pseudonym in the entry — the subject, and an actor who is a person;
      // the subject's account id stays beside it, to find the entry for them.
      const subject = req.body.subject
        ? { kind: req.body.subject.kind, id: ledger.pseudonymOf(req.body.subject.id) }
        : null;
      const actor =
        req.body.actor.id !== null && PERSON_KINDS.has(req.body.actor.kind)
          ? { kind: req.body.actor.kind, id: ledger.pseudonymOf(req.body.actor.id) }
          : req.body.actor;
      const entry: AuditEntry = {
        v: 1,
        at: ledger.ctx.clock.now().toISOString(),
        ...req.body,
        actor,
        subject,
        source: { module: `client:${req.principal!.clientId ?? req.principal!.id}` },
      };
      const receipt = await ledger.sequencer.append(log.id, entryBody(entry), req.body.subject?.id ?? null);
      return reply.code(201).send(receipt);
    },
  );

  app.get(
    '/logs/:log/receipts/:index',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'The receipt of an entry: its inclusion proof in the latest checkpoint (409 until one covers it)',
        params: EntryParam,
        response: { 200: ProofView },
      },
    },
    async (req) => {
      const log = await ledger.getLog(req.params.log);
      const latest = await ledger.latest(log);
      if (req.params.index >= Number(latest.row.size)) {
        if (req.params.index >= Number((await ledger.getLog(log.id)).size)) {
          throw new LedgerError('LEDGER_BEYOND_TREE', { size: log.size }, [
            { field: 'params.index', code: 'beyond_tree', message: `the tree has ${log.size} entries` },
          ]);
        }
        throw new LedgerError('LEDGER_NOT_YET_COVERED', { index: req.params.index });
      }
      return ledger.inclusion(log, req.params.index, Number(latest.row.size), latest);
    },
  );
}

/** Actor kinds that are people, named by pseudonym in an entry. */
const PERSON_KINDS = new Set(['citizen', 'business', 'account', 'applicant', 'person']);

// What an identifier must not be in a public entry: a resident ID (GB 11643, 18 or the old 15
// digits) or a mainland mobile number. Such values belong in `digests`.
const PERSONAL = /(?<!\d)(?:\d{17}[\dXx]|\d{15}|1[3-9]\d{9})(?!\d)/;

function refusePersonalData(body: {
  actor: { id: string | null };
  subject: { id: string } | null;
  resource: Record<string, string> | null;
}): void {
  const fields: [string, string | null | undefined][] = [
    ['body.actor.id', body.actor.id],
    ...Object.entries(body.resource ?? {}).map(([k, v]) => [`body.resource.${k}`, v] as [string, string]),
  ];
  const found = fields
    .filter(([, v]) => v && PERSONAL.test(v))
    .map(([field]) => ({
      field,
      code: 'personal_data',
      message: 'looks like an ID card or mobile number: put it in digests, not in clear',
    }));
  if (found.length > 0) throw new LedgerError('LEDGER_ENTRY_INVALID', {}, found);
}
