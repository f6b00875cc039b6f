// The officer's workbench (审批人员): department queues, one task with its application and
// timeline, the actions of the process table, claim and assign; and the service counter (窗口),
// where an officer files an application on a citizen's behalf.
import { CounterView, OfficerTaskView, QueueView, TaskView } from '@tongban/contracts';
import { WorkflowError } from '../errors.ts';
import { negotiateLang, type HttpApp, type Principal } from '@tongban/kernel';
import type { FastifyRequest } from 'fastify';
import { serviceDate } from '../domain/deadlines.ts';
import { matterFields } from '../domain/plan.ts';
import { actionsFor, COUNTER_ROLE } from '../domain/process.ts';
import type { IdentityPort } from '../service/identity.ts';
import { assign, claim, officerAct } from '../service/act.ts';
import { officerAnswers } from '../service/answers.ts';
import { fileAtCounter } from '../service/counter.ts';
import type { Services } from '../service/submit.ts';
import { applicationView, getApplication, prefillView, queue, taskView, timeline } from '../store/views.ts';
import { typed } from '../store/tables.ts';
import { findTaskScope, getTask } from '../store/tasks.ts';
import { licenceMaterialsOf } from '../store/licence-materials.ts';
import { materialViews } from '../store/material-views.ts';
import { idempotencyKey, taskOf } from './applicant.ts';
import { answerRoutes } from './answers.ts';
import {
  ActionBody,
  AssignBody,
  CounterBody,
  IdempotencyHeaders,
  IdParam,
  OPEN_STATES,
  QueueQuery,
  VersionBody,
} from './schemas.ts';

const tags = ['workflow: officers'];

const officerOf = (p: Principal) => ({ id: p.id, roles: p.roles });

export function officerRoutes(app: HttpApp, s: Services, identity: IdentityPort): void {
  const db = s.ctx.db;
  const officer = { kinds: ['officer'] as const, assurance: 'mfa' as const };
  // A task is reached by the officers of its department, within their jurisdiction.
  const ownTask = {
    ...officer,
    resource: async (r: FastifyRequest) => {
      const id = (r.params as { id: string }).id;
      const scope = await findTaskScope(typed(db), id);
      if (!scope) throw new WorkflowError('WORKFLOW_TASK_NOT_FOUND', { id });
      return scope;
    },
  };

  app.get(
    '/queue',
    {
      config: { policy: officer },
      schema: {
        tags,
        summary: "My departments' open tasks, soonest due first; filter by department, state, deadline, assignee",
        querystring: QueueQuery,
        response: { 200: QueueView },
      },
    },
    async (req) => {
      const p = req.principal!;
      const q = req.query;
      if (q.department && !p.departments.includes(q.department)) {
        throw new WorkflowError('FORBIDDEN_RESOURCE', {}, [
          { field: 'query.department', code: 'not_your_department', message: q.department },
        ]);
      }
      return queue(
        db,
        officerOf(p),
        {
          departments: q.department ? [q.department] : p.departments,
          states: q.state ? [q.state] : OPEN_STATES,
          ...(q.deadline ? { deadline: q.deadline } : {}),
          ...(q.assignee ? { assignee: q.assignee } : {}),
          ...(q.escalated ? { escalated: true } : {}),
          limit: q.limit,
          offset: q.offset,
        },
        s.engine.now(),
      );
    },
  );

  app.get(
    '/tasks/:id',
    {
      config: { policy: ownTask },
      schema: {
        tags,
        summary: 'A task with the fields and materials of its matter, its application and the timeline',
        params: IdParam,
        response: { 200: OfficerTaskView },
      },
    },
    async (req) => {
      const task = await getTask(typed(db), req.params.id);
      const { app: a, tasks } = await getApplication(db, task.application_id);
      const matter = await s.catalog.matter(task.matter_code, task.matter_version);
      const fields = matterFields(matter, a.subject_kind);
      const view = applicationView(a, tasks, serviceDate(s.engine.now()));
      // An officer sees the part of the form their matter uses (least privilege), not the whole
      // bundle's, and its personal identifiers masked: the clear value leaves only when revealed.
      const { form, masked } = officerAnswers(a, matter);
      const codes = new Set(matter.materials.map((m) => m.code));
      // Other departments' tasks show where they stand (a prerequisite's state, its due day), not
      // their work: no correction reasons (free text), pending materials or assignees.
      const tasksSeen = view.tasks.map((t) =>
        t.id === task.id ? t : { ...t, assignee: null, correction: null, pendingMaterials: [] },
      );
      return {
        task: taskView(task, serviceDate(s.engine.now())),
        actions: actionsFor(task.process, task.state, req.principal!.roles),
        fields,
        application: {
          ...view,
          form,
          prefill: prefillView(a.prefill, (key) => fields.includes(key)),
          // 免证办: a licence standing in for a material shows as verified, with where it came from.
          materials: materialViews(a.materials, await licenceMaterialsOf(db, a.id), tasks).filter((m) =>
            codes.has(m.code),
          ),
          tasks: tasksSeen,
          needed: view.needed.filter((n) => n.taskId === task.id),
        },
        masked,
        timeline: (await timeline(db, a.id, true)).filter((e) => e.taskId === task.id || e.taskId === null),
      };
    },
  );

  answerRoutes(app, s, ownTask);

  app.post(
    '/tasks/:id/actions',
    {
      config: { policy: ownTask },
      schema: {
        tags,
        summary:
          'Act on a task: accept, acceptPending, review, approve, reject, requestCorrection; `version` as loaded',
        params: IdParam,
        body: ActionBody,
        response: { 200: TaskView },
      },
    },
    async (req) => {
      await officerAct(s, officerOf(req.principal!), req.params.id, req.body);
      s.live.nudge();
      return taskOf(s, req.params.id);
    },
  );

  app.post(
    '/tasks/:id/claim',
    {
      config: { policy: ownTask },
      schema: {
        tags,
        summary: 'Claim an unassigned task (认领)',
        params: IdParam,
        body: VersionBody,
        response: { 200: TaskView },
      },
    },
    async (req) => {
      await claim(s, officerOf(req.principal!), req.params.id, req.body.version);
      return taskOf(s, req.params.id);
    },
  );

  app.post(
    '/tasks/:id/assign',
    {
      config: { policy: ownTask },
      schema: {
        tags,
        summary: "Assign a task to an officer (指派; the department lead's)",
        params: IdParam,
        body: AssignBody,
        response: { 200: TaskView },
      },
    },
    async (req) => {
      await assign(s, officerOf(req.principal!), req.params.id, req.body.version, req.body.assignee);
      return taskOf(s, req.params.id);
    },
  );

  app.post(
    '/counter/applications',
    {
      // Filing for someone else is its own power: the counter role, at multi-factor; the applicant
      // and the departments must be in the officer's jurisdiction (service/counter.ts).
      config: { policy: { ...officer, roles: [COUNTER_ROLE] } },
      schema: {
        tags: ['workflow: service counter'],
        headers: IdempotencyHeaders,
        body: CounterBody,
        response: { 200: CounterView, 201: CounterView },
        summary:
          "File an application at a service counter (窗口) on a citizen's behalf, named by ID number (resolved through the population registry); it appears in the citizen's account",
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const { application, replayed, person } = await fileAtCounter(
        s,
        identity,
        s.datahub,
        { id: p.id, regions: p.regions },
        req.body,
        idempotencyKey(req),
        negotiateLang(req.headers['accept-language']),
      );
      s.live.nudge();
      const { app: a, tasks } = await getApplication(db, application.id);
      return reply
        .code(replayed ? 200 : 201)
        .send({ ...applicationView(a, tasks, serviceDate(s.engine.now())), applicant: person });
    },
  );
}
