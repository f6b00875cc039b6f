// The applicant's side (办事群众、企业): drafts, submission, my applications with their timeline and
// what is needed from me, corrections and materials that were to follow.
import { ApplicationListView, ApplicationView, TaskView, TimelineView } from '@tongban/contracts';
import { WorkflowError } from '../errors.ts';
import { negotiateLang, type HttpApp, type Principal } from '@tongban/kernel';
import type { FastifyRequest } from 'fastify';
import { serviceDate } from '../domain/deadlines.ts';
import { answerCorrection, supplyMaterials } from '../service/act.ts';
import { createDraft, deleteDraft, refreshPrefill, saveDraft } from '../service/drafts.ts';
import { submit, type Applicant, type Services, type SubmitContent } from '../service/submit.ts';
import { applicationView, getApplication, inViewOrder, listApplications, taskView, timeline } from '../store/views.ts';
import { withdraw } from '../service/withdraw.ts';
import { typed } from '../store/tables.ts';
import { findApplicationOwner } from '../store/applications.ts';
import { applicationOfTask, getTask } from '../store/tasks.ts';
import {
  CorrectionBody,
  DraftBody,
  IdempotencyHeaders,
  IdParam,
  ListQuery,
  SaveDraftBody,
  SubmitBody,
  SupplyBody,
  TaskParam,
  WithdrawBody,
} from './schemas.ts';

const tags = ['workflow: applications'];

/** The account an application belongs to: the business an agent acts for (代办), or the caller. */
export function applicantOf(principal: Principal): Applicant {
  if (principal.actingFor) return { id: principal.actingFor, kind: 'business' };
  return { id: principal.id, kind: principal.kind === 'business' ? 'business' : 'citizen' };
}

export function idempotencyKey(request: FastifyRequest): string {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key === '') {
    throw new WorkflowError('WORKFLOW_IDEMPOTENCY_KEY_REQUIRED', {}, [
      { field: 'headers.idempotency-key', code: 'required', message: 'a unique key per submission, reused on retries' },
    ]);
  }
  return key;
}

export function applicantRoutes(app: HttpApp, s: Services): void {
  const db = s.ctx.db;
  const ownerOf = async (id: string) => {
    const ownerId = await findApplicationOwner(typed(db), id);
    if (!ownerId) throw new WorkflowError('WORKFLOW_APPLICATION_NOT_FOUND', { id });
    return { ownerId };
  };
  const applicantPolicy = { kinds: ['citizen', 'business'] as const, assurance: 'password' as const };
  const ownApplication = {
    ...applicantPolicy,
    resource: (r: FastifyRequest) => ownerOf((r.params as { id: string }).id),
  };
  const today = () => serviceDate(s.engine.now());
  const view = async (id: string) => {
    const { app: a, tasks } = await getApplication(db, id);
    return applicationView(a, tasks, today(), true);
  };

  app.post(
    '/drafts',
    {
      config: { policy: applicantPolicy },
      schema: {
        tags,
        summary:
          'Start a draft for a matter or bundle (resumable on any device), prefilled from the data hub with what the applicant consented to; verified values are locked',
        body: DraftBody,
        response: { 201: ApplicationView },
      },
    },
    async (req, reply) => {
      const draft = await createDraft(
        s,
        applicantOf(req.principal!),
        req.body,
        negotiateLang(req.headers['accept-language']),
      );
      return reply.code(201).send(await view(draft.id));
    },
  );

  app.post(
    '/drafts/:id/prefill',
    {
      config: { policy: ownApplication },
      schema: {
        tags,
        summary:
          'Ask the data hub again (after consenting there to what `prefill.consentNeeded` lists): verified values replace and lock, others fill empty fields',
        params: IdParam,
        response: { 200: ApplicationView },
      },
    },
    async (req) => {
      await refreshPrefill(s, req.params.id);
      return view(req.params.id);
    },
  );

  app.put(
    '/drafts/:id',
    {
      config: { policy: ownApplication },
      schema: {
        tags,
        summary:
          'Save a draft; `version` is the one you loaded (409 if it changed elsewhere); a changed locked value is 422 `locked_value_changed`',
        params: IdParam,
        body: SaveDraftBody,
        response: { 200: ApplicationView },
      },
    },
    async (req) => {
      await saveDraft(s, req.params.id, req.body, negotiateLang(req.headers['accept-language']));
      return view(req.params.id);
    },
  );

  app.delete(
    '/drafts/:id',
    {
      config: { policy: ownApplication },
      schema: { tags, summary: 'Discard a draft', params: IdParam },
    },
    async (req, reply) => {
      await deleteDraft(s, req.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/applications',
    {
      config: { policy: applicantPolicy },
      schema: {
        tags,
        headers: IdempotencyHeaders,
        body: SubmitBody,
        response: { 200: ApplicationView, 201: ApplicationView },
        summary:
          'Submit a draft (or a complete form) once: Idempotency-Key makes retries return the same application (200)',
      },
    },
    async (req, reply) => {
      const { application, tasks, replayed } = await submit(s, {
        applicant: applicantOf(req.principal!),
        content: req.body as SubmitContent,
        idempotencyKey: idempotencyKey(req),
        lang: negotiateLang(req.headers['accept-language']),
      });
      s.live.nudge();
      return reply
        .code(replayed ? 200 : 201)
        .header('location', `/api/workflow/applications/${application.id}`)
        .send(
          // What was just written is the answer; a replay reads what the first submit made.
          tasks ? applicationView(application, inViewOrder(tasks), today(), true) : await view(application.id),
        );
    },
  );

  app.get(
    '/applications',
    {
      config: { policy: applicantPolicy },
      schema: {
        tags,
        summary: 'My applications and drafts, newest first',
        querystring: ListQuery,
        response: { 200: ApplicationListView },
      },
    },
    async (req) =>
      listApplications(
        db,
        applicantOf(req.principal!).id,
        req.query.status,
        req.query.limit,
        req.query.offset,
        today(),
      ),
  );

  app.get(
    '/applications/:id',
    {
      config: { policy: ownApplication },
      schema: {
        tags,
        summary: 'One application: its department tasks, deadlines and what is needed from me now',
        params: IdParam,
        response: { 200: ApplicationView },
      },
    },
    async (req) => view(req.params.id),
  );

  app.get(
    '/applications/:id/timeline',
    {
      config: { policy: ownApplication },
      schema: {
        tags,
        summary: 'Every step of every department task, from the action log',
        params: IdParam,
        response: { 200: TimelineView },
      },
    },
    async (req) => timeline(db, req.params.id, false),
  );

  app.post(
    '/applications/:id/withdraw',
    {
      config: { policy: ownApplication },
      schema: {
        tags,
        params: IdParam,
        body: WithdrawBody,
        response: { 200: ApplicationView },
        summary:
          'Withdraw my application (撤回) while no department has decided; every open task ends with my reason (409 once one has decided)',
      },
    },
    async (req) => {
      await withdraw(s, req.params.id, { kind: 'applicant', id: applicantOf(req.principal!).id }, req.body.reason);
      s.live.nudge();
      return view(req.params.id);
    },
  );

  app.post(
    '/applications/:id/tasks/:taskId/correction',
    {
      config: { policy: ownApplication },
      schema: {
        tags,
        summary: 'Answer a correction (补正): only the requested fields and materials',
        params: TaskParam,
        body: CorrectionBody,
        response: { 200: TaskView },
      },
    },
    async (req) => {
      await belongs(s, req.params.id, req.params.taskId);
      await answerCorrection(
        s,
        applicantOf(req.principal!).id,
        req.params.taskId,
        req.body,
        negotiateLang(req.headers['accept-language']),
      );
      s.live.nudge();
      return taskOf(s, req.params.taskId, true);
    },
  );

  app.post(
    '/applications/:id/tasks/:taskId/materials',
    {
      config: { policy: ownApplication },
      schema: {
        tags,
        summary: 'Send materials that were to follow (容缺受理)',
        params: TaskParam,
        body: SupplyBody,
        response: { 200: TaskView },
      },
    },
    async (req) => {
      await belongs(s, req.params.id, req.params.taskId);
      await supplyMaterials(s, applicantOf(req.principal!).id, req.params.taskId, req.body);
      s.live.nudge();
      return taskOf(s, req.params.taskId, true);
    },
  );
}

async function belongs(s: Services, applicationId: string, taskId: string): Promise<void> {
  if ((await applicationOfTask(typed(s.ctx.db), taskId)) !== applicationId)
    throw new WorkflowError('WORKFLOW_TASK_NOT_FOUND', { id: taskId });
}

export async function taskOf(s: Services, taskId: string, forApplicant = false) {
  const task = await getTask(typed(s.ctx.db), taskId);
  const view = taskView(task, serviceDate(s.engine.now()));
  return forApplicant ? { ...view, assignee: null } : view;
}
