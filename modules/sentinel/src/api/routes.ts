// The alert queue (告警队列) for security operators — kind `security`, multi-factor, on every route:
// alerts to triage, assign, close and reopen; responses to list, apply by hand and lift; the SIEM
// export. Operators (政务服务管理局) do not see it: alerts name the people and addresses involved.
// And the risk board's start-up snapshot for the platform's own processes (service clients).
import { Readable } from 'node:stream';
import {
  ActiveResponses,
  AlertDetailView,
  AlertPage,
  AlertStatusSchema,
  AssignAlertBody,
  CloseAlertBody,
  LiftResponseBody,
  ManualResponseBody,
  ReopenAlertBody,
  ResponseList,
  ResponseView,
} from '@tongban/contracts';
import { definePolicies, type HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import { SentinelError } from '../errors.ts';
import type { Sentinel } from '../service/sentinel.ts';
import { alertDetail, alertView, exportLine, responseView } from '../service/views.ts';
import * as store from '../store/sentinel.ts';
import { typed } from '../store/tables.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Cursor = Type.String({ pattern: '^[0-9]{1,18}$' });
const AlertQuery = Type.Object(
  { status: Type.Optional(AlertStatusSchema), cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
const ExportQuery = Type.Object({ since: Type.Optional(Cursor) }, { additionalProperties: false });
const ResponseQuery = Type.Object(
  { active: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) },
  { additionalProperties: false },
);

export const policies = definePolicies({
  security: { kinds: ['security'], assurance: 'mfa' },
  // Every process's risk board asks at start with its module's service token.
  platform: { kinds: ['service'] },
});

export function sentinelRoutes(app: HttpApp, sentinel: Sentinel): void {
  const db = typed(sentinel.ctx.db);
  const security = { config: { policy: policies.security } };
  const tags = ['sentinel'];

  app.get(
    '/alerts',
    {
      ...security,
      schema: {
        tags,
        summary: 'Alerts, newest first (paged by cursor)',
        querystring: AlertQuery,
        response: { 200: AlertPage },
      },
    },
    async (req) => {
      const rows = await store.listAlerts(
        db,
        req.query.status,
        req.query.cursor ? Number(req.query.cursor) : undefined,
      );
      const page = rows.slice(0, store.PAGE_SIZE);
      return {
        items: page.map(alertView),
        next: rows.length > store.PAGE_SIZE ? String(page.at(-1)!.seq) : null,
      };
    },
  );

  // Before /alerts/:id: a static segment.
  app.get(
    '/alerts/export',
    {
      ...security,
      config: { ...security.config, inFlight: false },
      schema: {
        tags,
        summary: 'Alerts after `since` as JSON lines (application/x-ndjson), oldest first, streamed',
        querystring: ExportQuery,
      },
    },
    async (req, reply) => {
      let after = req.query.since ? Number(req.query.since) : 0;
      async function* lines() {
        for (;;) {
          const rows = await store.alertsAfter(db, after, 200);
          if (rows.length === 0) return;
          for (const row of rows) yield `${JSON.stringify(await exportLine(sentinel.ctx.db, row))}\n`;
          after = rows.at(-1)!.seq;
        }
      }
      return reply.type('application/x-ndjson; charset=utf-8').send(Readable.from(lines()));
    },
  );

  app.get(
    '/alerts/:id',
    {
      ...security,
      schema: {
        tags,
        summary: 'An alert with its evidence, responses and history',
        params: Id,
        response: { 200: AlertDetailView },
      },
    },
    async (req) => {
      const row = await store.findAlert(db, req.params.id);
      if (!row) throw new SentinelError('SENTINEL_ALERT_NOT_FOUND', { id: req.params.id });
      return alertDetail(sentinel.ctx.db, row, sentinel.now());
    },
  );

  const detailOf = async (id: string) => alertDetail(sentinel.ctx.db, (await store.findAlert(db, id))!, sentinel.now());

  app.post(
    '/alerts/:id/assign',
    {
      ...security,
      schema: {
        tags,
        summary: 'Assign an alert',
        params: Id,
        body: AssignAlertBody,
        response: { 200: AlertDetailView },
      },
    },
    async (req) => {
      await sentinel.changeAlert(req.principal!, req.params.id, { action: 'assigned', assignee: req.body.assignee });
      return detailOf(req.params.id);
    },
  );

  app.post(
    '/alerts/:id/close',
    {
      ...security,
      schema: {
        tags,
        summary: 'Close an alert with a reason and resolution',
        params: Id,
        body: CloseAlertBody,
        response: { 200: AlertDetailView },
      },
    },
    async (req) => {
      await sentinel.changeAlert(req.principal!, req.params.id, { action: 'closed', ...req.body });
      return detailOf(req.params.id);
    },
  );

  app.post(
    '/alerts/:id/reopen',
    {
      ...security,
      schema: {
        tags,
        summary: 'Reopen a closed alert',
        params: Id,
        body: ReopenAlertBody,
        response: { 200: AlertDetailView },
      },
    },
    async (req) => {
      await sentinel.changeAlert(req.principal!, req.params.id, { action: 'reopened', reason: req.body.reason });
      return detailOf(req.params.id);
    },
  );

  app.get(
    '/responses',
    {
      ...security,
      schema: {
        tags,
        summary: 'Responses, newest first (active ones only with active=true)',
        querystring: ResponseQuery,
        response: { 200: ResponseList },
      },
    },
    async (req) => {
      const now = sentinel.now();
      const rows = await store.listResponses(db, req.query.active === 'true', now);
      return { items: rows.map((r) => responseView(r, now)) };
    },
  );

  app.get(
    '/responses/active',
    {
      config: { policy: policies.platform },
      schema: {
        tags,
        summary: "The guard's responses in force now (every process's risk board at start)",
        response: { 200: ActiveResponses },
      },
    },
    async () => {
      const now = sentinel.now();
      const rows = await store.listResponses(db, true, now);
      return {
        at: now.toISOString(),
        items: rows.map((r) => ({
          responseId: r.id,
          action: r.action as ResponseView['action'],
          target: r.target,
          until: r.until ? new Date(r.until).toISOString() : null,
        })),
      };
    },
  );

  app.post(
    '/responses',
    {
      ...security,
      schema: {
        tags,
        summary: 'Apply a response by hand (block, throttle, step-up, revoke, lock)',
        body: ManualResponseBody,
        response: { 201: ResponseView },
      },
    },
    async (req, reply) => {
      const id = await sentinel.manualResponse(req.principal!, req.body);
      return reply.code(201).send(responseView((await store.findResponse(db, id))!, sentinel.now()));
    },
  );

  app.post(
    '/responses/:id/lift',
    {
      ...security,
      schema: {
        tags,
        summary: 'Lift a response before its end, with a reason',
        params: Id,
        body: LiftResponseBody,
        response: { 200: ResponseView },
      },
    },
    async (req) => {
      await sentinel.lift(req.principal!, req.params.id, req.body.reason);
      return responseView((await store.findResponse(db, req.params.id))!, sentinel.now());
    },
  );
}
