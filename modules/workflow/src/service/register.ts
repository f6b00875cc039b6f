// The register (人口库) record of a person a task's form names by ID number, for its officer. The
// browser holds only the masked ID number (service/answers.ts), so it names the form field and the
// workflow asks the data hub with the ID number it holds — as the officer: the officer's own access
// token is passed on, so the hub applies the officer's department grant for the matter and its
// officer masking policy, and logs the read (or the reveal) in the officer's name, as when the
// workbench asked it directly. The workflow's own token is not used: its grants are for prefill.
import { WorkflowError } from '../errors.ts';
import type { ApplicationRow, TaskRow } from '../store/tables.ts';
import { officerAnswers } from './answers.ts';
import type { Services } from './submit.ts';

const REGISTER = 'population';

/** The clear ID number of a field the officer was shown masked as one. */
async function idNumberOf(s: Services, task: TaskRow, app: ApplicationRow, field: string): Promise<string> {
  const matter = await s.catalog.matter(task.matter_code, task.matter_version);
  const { masked } = officerAnswers(app, matter);
  const value = app.form[field];
  if (masked[field]?.mask !== 'idNumber' || typeof value !== 'string')
    throw new WorkflowError('WORKFLOW_REVEAL_INVALID', { field }, [
      { field: 'body.field', code: 'not_an_id_number', message: 'not an ID number answer of this task' },
    ]);
  return value.toUpperCase();
}

function hub(s: Services): void {
  if (!s.ctx.modules.locate('datahub')) throw new WorkflowError('UPSTREAM_UNAVAILABLE', { module: 'datahub' });
}

/** POST datahub/resources/population/query as the officer, for the person the field names. */
export async function queryRegister<T>(
  s: Services,
  authorization: string,
  task: TaskRow,
  app: ApplicationRow,
  body: { field: string; items: string[] },
): Promise<T> {
  const idNumber = await idNumberOf(s, task, app, body.field);
  hub(s);
  return s.ctx.modules.request<T>('datahub', {
    method: 'POST',
    path: `/resources/${REGISTER}/query`,
    headers: { authorization },
    body: { purpose: task.matter_code, items: body.items, where: { idNumber } },
  });
}

/** POST datahub/resources/population/records/reveal as the officer: one register value, with a reason. */
export async function revealRegister<T>(
  s: Services,
  authorization: string,
  task: TaskRow,
  app: ApplicationRow,
  body: { field: string; item: string; reason: string },
): Promise<T> {
  const idNumber = await idNumberOf(s, task, app, body.field);
  hub(s);
  return s.ctx.modules.request<T>('datahub', {
    method: 'POST',
    path: `/resources/${REGISTER}/records/reveal`,
    headers: { authorization },
    body: { purpose: task.matter_code, where: { idNumber }, item: body.item, reason: body.reason },
  });
}
