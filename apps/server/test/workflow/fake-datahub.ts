// A stand-in for the data hub with its two routes the workflow calls (POST /prefill, POST
// /persons/resolve), answering what the test tells it: the workflow's side of prefill and counter
// filing, tested apart from the hub's own rules (grants, consent, masking). Each request it gets
// is kept, with the principal that made it.
import type { PrefillRequest, PrefillView } from '@tongban/contracts';
import { defineModule, type ModuleDefinition } from '@tongban/kernel';

/** As the hub answers POST /persons/resolve: the population items masked for a counter. */
export interface ResolvedPersonAnswer {
  person: { name: string; idNumber: string; gender?: string };
  region: string;
  accountId: string | null;
}

/** What the hub answers: a view, or a status with a body (a refusal, a broken answer). */
export type FakeAnswer = PrefillView | { readonly status: number; readonly body: unknown };

export interface FakeDatahub {
  readonly module: ModuleDefinition;
  /** Persons by ID number. */
  readonly persons: Map<string, ResolvedPersonAnswer>;
  /** The answer to a prefill request; an empty view unless set. */
  answer: (request: PrefillRequest) => FakeAnswer;
  readonly requests: { path: string; body: unknown; principal: { kind: string; id: string } }[];
}

export function fakeDatahub(): FakeDatahub {
  const fake: FakeDatahub = {
    persons: new Map(),
    answer: () => ({ values: [], consentNeeded: [], missing: [] }),
    requests: [],
    module: defineModule({
      name: 'datahub',
      title: { zh: '数据共享（测试替身）', en: 'Data hub (test double)' },
      routes(app) {
        app.post('/prefill', { config: { policy: { kinds: ['service'] } } }, async (req, reply) => {
          const body = req.body as PrefillRequest;
          fake.requests.push({ path: '/prefill', body, principal: req.principal! });
          const answer = fake.answer(body);
          if ('status' in answer) return reply.code(answer.status).send(answer.body);
          return answer;
        });
        app.post('/persons/resolve', { config: { policy: { kinds: ['service'] } } }, async (req, reply) => {
          const body = req.body as { idNumber: string; purpose: string };
          fake.requests.push({ path: '/persons/resolve', body, principal: req.principal! });
          const person = fake.persons.get(body.idNumber);
          if (!person)
            return reply
              .code(404)
              .type('application/problem+json')
              .send({ type: 'about:blank', status: 404, code: 'DATAHUB_PERSON_NOT_FOUND', title: 'no such person' });
          return person;
        });
      },
    }),
  };
  return fake;
}

/** 张* / 330106********123X, as the hub masks them for a counter. */
export const masked = (name: string, idNumber: string) => ({
  name: `${[...name][0]}*`,
  idNumber: `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`,
});
