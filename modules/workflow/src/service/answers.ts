// The application's answers as the officer of a task receives them: the fields of the task's
// matter, personal identifiers masked (domain/answer-masking.ts), and 查看明文 — one masked answer
// revealed with a reason, rate-limited per officer (past it, workflow.answer.reveal-refused) and
// recorded: a row in workflow.answer_reveal
// (the reason sealed) and the event workflow.answer.revealed through the outbox, in one
// transaction, so the clear value leaves only once its record is committed. The workflow holds
// these answers (the applicant typed them), so the record is the workflow's, in the contracts'
// schema the ledger reads, not a data hub reveal (the hub reveals its registries' rows).
import type { DataElementView, MatterVersionView as MatterVersion } from '@tongban/contracts';
import { uuidv7, type FieldError } from '@tongban/kernel';
import { WorkflowError } from '../errors.ts';
import { maskAnswers, type MaskedAnswer } from '../domain/answer-masking.ts';
import { fieldMap } from '../domain/plan.ts';
import {
  countAnswerRevealsSince,
  insertAnswerReveal,
  lockOfficerAnswerReveals,
  withReveals,
} from '../store/answer-reveals.ts';
import type { ApplicationRow, TaskRow } from '../store/tables.ts';
import type { Services } from './submit.ts';

/** 查看明文 of answers, per officer in any hour (the data hub's limit for its registries' values). */
export const ANSWER_REVEALS_PER_HOUR = 10;
/** The additional data workflow.answer_reveal.reason is sealed under. */
export const ANSWER_REVEAL_REASON_AAD = 'workflow.answer_reveal.reason';
const REASON_MIN = 5;

/** The application's form keys this matter uses, each with the data element it carries. */
export function elementsByKey(
  matter: MatterVersion,
  subjectKind: 'matter' | 'bundle',
): Map<string, DataElementView | undefined> {
  const out = new Map<string, DataElementView | undefined>();
  for (const [key, appKey] of fieldMap(matter, subjectKind)) {
    const id = (matter.form.properties[key] as { 'x-data-element'?: string } | undefined)?.['x-data-element'];
    out.set(appKey, id ? matter.elements?.[id] : undefined);
  }
  return out;
}

/** The part of the form the matter uses, masked for its officer, and which answers were masked. */
export function officerAnswers(
  app: ApplicationRow,
  matter: MatterVersion,
): { form: Record<string, unknown>; masked: Record<string, MaskedAnswer> } {
  const elements = elementsByKey(matter, app.subject_kind);
  const own = Object.fromEntries(Object.entries(app.form).filter(([k]) => elements.has(k)));
  return maskAnswers(own, (key) => elements.get(key));
}

const invalid = (field: string, code: string, message: string): FieldError => ({ field, code, message });

/** A masked answer of the task's application, whole: for its department's officer, with a reason. */
export async function revealAnswer(
  s: Services,
  officerId: string,
  task: TaskRow,
  app: ApplicationRow,
  body: { field: string; reason?: string | undefined },
): Promise<{ field: string; value: string }> {
  const reason = body.reason?.trim() ?? '';
  if ([...reason].length < REASON_MIN)
    throw new WorkflowError('WORKFLOW_REASON_REQUIRED', {}, [
      invalid('body.reason', 'too_short', `at least ${REASON_MIN} characters`),
    ]);
  const matter = await s.catalog.matter(task.matter_code, task.matter_version);
  const { masked } = officerAnswers(app, matter);
  const value = app.form[body.field];
  // Only what the officer was shown masked: another matter's fields stay out of reach.
  if (!masked[body.field] || typeof value !== 'string')
    throw new WorkflowError('WORKFLOW_REVEAL_INVALID', { field: body.field }, [
      invalid('body.field', 'not_masked', 'not a masked answer of this task'),
    ]);
  const element = elementsByKey(matter, app.subject_kind).get(body.field)?.id ?? body.field;
  const now = s.ctx.clock.now();
  const done = await s.ctx.transaction(async (t, events) => {
    const trx = withReveals(t);
    await lockOfficerAnswerReveals(trx, officerId);
    if ((await countAnswerRevealsSince(trx, officerId, new Date(now.getTime() - 3600_000))) >= ANSWER_REVEALS_PER_HOUR)
      return false;
    const id = uuidv7();
    await insertAnswerReveal(trx, {
      id,
      officerId,
      taskId: task.id,
      applicationId: app.id,
      field: body.field,
      // free text that may name a person: sealed
      reason: await s.ctx.fields.seal(reason, ANSWER_REVEAL_REASON_AAD),
      at: now,
    });
    await events.publish('workflow.answer.revealed', {
      revealId: id,
      applicationId: app.id,
      caseNumber: app.case_number ?? '',
      taskId: task.id,
      matterCode: task.matter_code,
      departmentCode: task.department_code,
      applicantId: app.applicant_id,
      field: body.field,
      element,
      actor: { kind: 'officer', id: officerId },
      // the outbox keeps every event and the bus carries it to every consumer: a digest, not the text
      reason: s.ctx.fields.blindIndex('answer-reveal.reason', reason),
      at: now.toISOString(),
    });
    return true;
  });
  if (!done) {
    // Past the limit nothing was read; the refusal is recorded in a transaction of its own, so the
    // 429 leaves a security event behind (as the data hub's reveals do).
    await s.ctx.transaction(async (_trx, events) => {
      await events.publish('workflow.answer.reveal-refused', {
        applicationId: app.id,
        taskId: task.id,
        applicantId: app.applicant_id,
        field: body.field,
        actor: { kind: 'officer', id: officerId },
        reason: 'reveal_rate_limited',
      });
    });
    throw new WorkflowError('WORKFLOW_REVEAL_LIMIT', { limit: ANSWER_REVEALS_PER_HOUR });
  }
  return { field: body.field, value };
}
