// What other modules' systems read of a case (a service token with a role of its own):
//   GET /api/workflow/tasks/:id/answers   an approved task's answers, for the licence it produces
// Least privilege: only a decided-and-approved task, only the fields its matter uses (the licence
// authority's issuer reads what its matter asked, not the whole bundle's form), and the applicant
// it names. Who may call: a service principal with `workflow.answers.read` (licences' issuer).
//   GET /api/workflow/services/tasks/:id/payment-facts   what payments assesses a task's fees by
// Who pays, the pinned matter version, and the registry-verified values of only the data
// elements its fees name (tier bases, exemptions): `workflow.payment-facts.read` (payments).
import { feeElements, ServiceRoles, WorkflowApi } from '@tongban/contracts';
import type { HttpApp } from '@tongban/kernel';
import { matterFields, matterForm } from '../domain/plan.ts';
import { verifiedOf } from '../domain/prefill.ts';
import { WorkflowError } from '../errors.ts';
import type { Services } from '../service/submit.ts';
import { getApplication } from '../store/applications.ts';
import { typed } from '../store/tables.ts';
import { findTask } from '../store/tasks.ts';
import { IdParam } from './schemas.ts';

const tags = ['workflow: services'];

export function serviceRoutes(app: HttpApp, s: Services): void {
  app.get(
    '/tasks/:id/answers',
    {
      config: { policy: { kinds: ['service'], roles: { service: [ServiceRoles.workflowAnswersRead] } } },
      schema: {
        tags,
        summary:
          "An approved task's answers (the fields its matter uses) and its applicant: for the licence it produces",
        params: IdParam,
        response: { 200: WorkflowApi.approvedTaskAnswers.response },
      },
    },
    async (req) => {
      const task = await findTask(typed(s.ctx.db), req.params.id);
      // Not approved yet (or not at all): as if it did not exist — the route is for issuing.
      if (!task || task.state !== 'approved') throw new WorkflowError('WORKFLOW_TASK_NOT_FOUND', { id: req.params.id });
      const application = await getApplication(typed(s.ctx.db), task.application_id);
      const matter = await s.catalog.matter(task.matter_code, task.matter_version);
      const fields = new Set(matterFields(matter, application.subject_kind));
      return {
        taskId: task.id,
        applicationId: application.id,
        caseNumber: application.case_number,
        matter: { code: task.matter_code, version: task.matter_version },
        applicant: { id: application.applicant_id, kind: application.applicant_kind },
        answers: Object.fromEntries(Object.entries(application.form).filter(([key]) => fields.has(key))),
      };
    },
  );

  app.get(
    '/services/tasks/:id/payment-facts',
    {
      config: { policy: { kinds: ['service'], roles: { service: [ServiceRoles.workflowPaymentFactsRead] } } },
      schema: {
        tags,
        summary:
          "What payments assesses a task's fees by: the payer, the pinned matter version and the verified values its fees name",
        params: IdParam,
        response: { 200: WorkflowApi.paymentFacts.response },
      },
    },
    async (req) => {
      const task = await findTask(typed(s.ctx.db), req.params.id);
      if (!task) throw new WorkflowError('WORKFLOW_TASK_NOT_FOUND', { id: req.params.id });
      const application = await getApplication(typed(s.ctx.db), task.application_id);
      const matter = await s.catalog.matter(task.matter_code, task.matter_version);
      // Least privilege: only what a fee's tier or exemption reads, and only as a registry verified it.
      const named = new Set(feeElements(matter.fees));
      const all = verifiedOf(application.prefill);
      const verified = Object.fromEntries(Object.entries(all).filter(([e]) => named.has(e)));
      // 交款人 on the receipt: the verified name (the company's for a business), else the form's answer.
      const nameElement = application.applicant_kind === 'business' ? 'company.name' : 'person.name';
      const answers = matterForm(matter, application.subject_kind, application.form);
      const nameKey = Object.entries(matter.form.properties).find(([, f]) => f['x-data-element'] === nameElement)?.[0];
      const payerName = [all[nameElement], nameKey === undefined ? undefined : answers[nameKey]].find(
        (v): v is string => typeof v === 'string' && v.trim() !== '',
      );
      return {
        taskId: task.id,
        applicationId: application.id,
        caseNumber: application.case_number ?? '',
        matterCode: task.matter_code,
        matterVersion: task.matter_version,
        departmentCode: task.department_code,
        payer: { id: application.applicant_id, kind: application.applicant_kind },
        ...(payerName !== undefined ? { payerName } : {}),
        verified,
        awaitingPayment: task.state === 'awaiting_payment',
      };
    },
  );
}
