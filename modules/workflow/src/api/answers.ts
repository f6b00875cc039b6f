// 查看明文 in the workbench (issue 12): a task's officer reveals one masked answer of its
// application with a reason, and looks up (and reveals from) the register record of a person the
// form names by ID number, which the browser only ever sees masked. Same policy as the task view:
// officers at multi-factor, of the task's department and jurisdiction.
import { RegisterQueryView, RegisterRevealView, RevealedAnswerView } from '@tongban/contracts';
import type { HttpApp, Policy } from '@tongban/kernel';
import Type from 'typebox';
import { revealAnswer } from '../service/answers.ts';
import { queryRegister, revealRegister } from '../service/register.ts';
import type { Services } from '../service/submit.ts';
import { getApplication } from '../store/views.ts';
import { getTask } from '../store/tasks.ts';
import { typed } from '../store/tables.ts';
import { IdParam } from './schemas.ts';

const tags = ['workflow: officers'];
const FieldKey = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.]{0,63}$' });
const RegisterItem = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' });

const RevealAnswerBody = Type.Object(
  {
    field: FieldKey,
    reason: Type.Optional(
      Type.String({ maxLength: 500, description: 'Why the officer needs the whole value: 5–500 characters, recorded' }),
    ),
  },
  { additionalProperties: false },
);
const RegisterQueryBody = Type.Object(
  { field: FieldKey, items: Type.Array(RegisterItem, { minItems: 1, maxItems: 20 }) },
  { additionalProperties: false },
);
const RegisterRevealBody = Type.Object(
  { field: FieldKey, item: RegisterItem, reason: Type.String({ minLength: 5, maxLength: 500 }) },
  { additionalProperties: false },
);

export function answerRoutes(app: HttpApp, s: Services, ownTask: Policy): void {
  const db = s.ctx.db;
  const load = async (id: string) => {
    const task = await getTask(typed(db), id);
    const { app: application } = await getApplication(db, task.application_id);
    return { task, application };
  };

  app.post(
    '/tasks/:id/answers/reveal',
    {
      config: { policy: ownTask },
      schema: {
        tags,
        summary: "Reveal one masked answer of the task's application, with a reason (rate-limited, ledgered)",
        params: IdParam,
        body: RevealAnswerBody,
        response: { 200: RevealedAnswerView },
      },
    },
    async (req) => {
      const { task, application } = await load(req.params.id);
      return revealAnswer(s, req.principal!.id, task, application, req.body);
    },
  );

  app.post(
    '/tasks/:id/register/query',
    {
      config: { policy: ownTask },
      schema: {
        tags,
        summary:
          'The population register record of the person a form field names by ID number: the data hub asked as the officer, masked by its officer policy',
        params: IdParam,
        body: RegisterQueryBody,
        response: { 200: RegisterQueryView },
      },
    },
    async (req) => {
      const { task, application } = await load(req.params.id);
      return queryRegister<RegisterQueryView>(s, req.headers.authorization ?? '', task, application, req.body);
    },
  );

  app.post(
    '/tasks/:id/register/reveal',
    {
      config: { policy: ownTask },
      schema: {
        tags,
        summary:
          'Reveal one register value of the person a form field names, with a reason: the data hub asked as the officer',
        params: IdParam,
        body: RegisterRevealBody,
        response: { 200: RegisterRevealView },
      },
    },
    async (req) => {
      const { task, application } = await load(req.params.id);
      return revealRegister<RegisterRevealView>(s, req.headers.authorization ?? '', task, application, req.body);
    },
  );
}
