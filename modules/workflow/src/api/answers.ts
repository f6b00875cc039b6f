// 查看明文 in the workbench (issue 12): a task's officer reveals one masked answer of its
// application with a reason, and looks up (and reveals from) the register record of a person the
// form names by ID number, which the browser only ever sees masked. Same policy as the task view:
// officers at multi-factor, of the task's department and jurisdiction.
import type { HttpApp, Policy } from '@tongban/kernel';
import Type, { type Static } from 'typebox';
import { ANSWER_MASKS } from '../domain/answer-masking.ts';
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
const RegisterValue = Type.Union([Type.String(), Type.Number(), Type.Null()]);

/** Which answers of a task view are masked, and how (domain/answer-masking.ts). */
export const MaskedAnswers = Type.Record(
  Type.String(),
  Type.Object({
    mask: Type.Unsafe<(typeof ANSWER_MASKS)[number]>({ type: 'string', enum: [...ANSWER_MASKS] }),
    sameAs: Type.Optional(
      Type.String({ description: 'An earlier field with the same clear value: one person, looked up once' }),
    ),
  }),
  { description: 'Per form key masked in `application.form`: reveal one with POST /tasks/:id/answers/reveal' },
);

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
/** The data hub's answers (its query and reveal routes), passed on as it gave them. */
const RegisterQueryView = Type.Object({
  resource: Type.String(),
  policy: Type.String(),
  rows: Type.Array(
    Type.Object({
      values: Type.Record(Type.String(), RegisterValue),
      collectedAt: Type.String(),
      source: Type.String(),
    }),
  ),
});
const RegisterRevealView = Type.Object({ resource: Type.String(), item: Type.String(), value: RegisterValue });

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
        response: { 200: Type.Object({ field: Type.String(), value: Type.String() }) },
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
      return queryRegister<Static<typeof RegisterQueryView>>(
        s,
        req.headers.authorization ?? '',
        task,
        application,
        req.body,
      );
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
      return revealRegister<Static<typeof RegisterRevealView>>(
        s,
        req.headers.authorization ?? '',
        task,
        application,
        req.body,
      );
    },
  );
}
