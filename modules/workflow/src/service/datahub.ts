// What the workflow needs from the data hub, through its published API with the workflow's own
// service token (client tongban-workflow, role datahub.prefill): an applicant's data for the
// elements a form binds, with provenance (POST /api/datahub/prefill), and at a service counter the
// person behind an ID number (POST /api/datahub/persons/resolve). Answers are checked against
// their schemas, as `modules.call` checks the catalog's. Called before any transaction opens (see
// service/catalog.ts); never cached: a revoked consent stops prefill at once.
import { PrefillView, type PrefillRequest } from '@tongban/contracts';
import { DomainError, ProblemError, type Logger, type ModuleClient } from '@tongban/kernel';
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { WorkflowError } from '../errors.ts';

/**
 * The hub's answer to a counter's lookup (POST /api/datahub/persons/resolve): the population row's
 * items masked for a counter (张*, 330106********123X), the registered household's region and the
 * person's account, when they have one.
 */
const ResolveAnswer = Type.Object({
  person: Type.Object(
    { name: Type.String(), idNumber: Type.String() },
    { additionalProperties: Type.Union([Type.String(), Type.Number(), Type.Null()]) },
  ),
  /** GB/T 2260 code of the registered household. */
  region: Type.String(),
  accountId: Type.Union([Type.String(), Type.Null()]),
});

/** The person an ID number names, as the counter's screen may show them: masked, with their account when they have one. */
export interface ResolvedPerson {
  readonly name: string;
  readonly idNumber: string;
  readonly region: string;
  readonly accountId: string | null;
}

/** The hub's answer, or why there is none: the application goes on without prefill and says so. */
export type PrefillAnswer = { readonly view: PrefillView } | { readonly view?: undefined; readonly problem: string };

export interface DatahubPort {
  /** Never throws: a hub that is absent, refuses or breaks its contract is an answer without values. */
  prefill(request: PrefillRequest): Promise<PrefillAnswer>;
  /** The person, or undefined when the population registry has no one of that ID number. */
  resolvePerson(idNumber: string, purpose: string): Promise<ResolvedPerson | undefined>;
}

const checkers = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/** Where an answer differs from its schema, in at most three `/path: message` lines (none when it fits). */
function problemsOf(schema: TSchema, body: unknown): string[] {
  let checker = checkers.get(schema);
  if (!checker) checkers.set(schema, (checker = Compile(schema)));
  if (checker.Check(body)) return [];
  const problems = [...checker.Errors(body)].slice(0, 3).map((e) => `${e.instancePath || '/'}: ${e.message}`);
  return problems.length > 0 ? problems : ['/: does not match'];
}

export function datahubPort(client: ModuleClient, log: Logger): DatahubPort {
  return {
    async prefill(request) {
      // A deployment without the data hub: no token fetched, no warning per draft.
      if (!client.locate('datahub')) return { problem: 'UPSTREAM_UNAVAILABLE' };
      let body: unknown;
      try {
        body = await client.request<unknown>('datahub', {
          method: 'POST',
          path: '/prefill',
          body: request,
          auth: 'service',
        });
      } catch (error) {
        const problem =
          error instanceof ProblemError
            ? error.problem.code
            : error instanceof DomainError
              ? error.code
              : 'UPSTREAM_UNAVAILABLE';
        // The citizen can still apply (and type what the hub would have filled); the platform is told.
        log.warn({ problem, purpose: request.purpose }, 'the data hub gave no prefill; the form is left unfilled');
        return { problem };
      }
      const problems = problemsOf(PrefillView, body);
      if (problems.length > 0) {
        log.error({ module: 'datahub', path: '/prefill', problems }, 'the data hub answered outside its contract');
        return { problem: 'UPSTREAM_CONTRACT_BROKEN' };
      }
      return { view: body as PrefillView };
    },

    async resolvePerson(idNumber, purpose) {
      // Without the registry no one can be resolved: the counter cannot file (502), it does not guess.
      if (!client.locate('datahub')) throw new WorkflowError('UPSTREAM_UNAVAILABLE', { module: 'datahub' });
      let body: unknown;
      try {
        body = await client.request<unknown>('datahub', {
          method: 'POST',
          path: '/persons/resolve',
          body: { idNumber, purpose },
          auth: 'service',
        });
      } catch (error) {
        if (error instanceof ProblemError && error.problem.status === 404) return undefined;
        // The hub refusing the workflow's own token (a missing role or grant) is the platform's
        // fault, not the officer's: passed on as it came, it would read "you may not".
        if (error instanceof ProblemError) {
          log.error(
            { code: error.problem.code, status: error.problem.status },
            'the data hub refused the person lookup',
          );
          throw new WorkflowError('UPSTREAM_UNAVAILABLE', { module: 'datahub' });
        }
        throw error;
      }
      const problems = problemsOf(ResolveAnswer, body);
      if (problems.length > 0) {
        log.error(
          { module: 'datahub', path: '/persons/resolve', problems },
          'the data hub answered outside its contract',
        );
        throw new WorkflowError('UPSTREAM_CONTRACT_BROKEN', { module: 'datahub', path: '/persons/resolve' });
      }
      const answer = body as Static<typeof ResolveAnswer>;
      return {
        name: answer.person.name,
        idNumber: answer.person.idNumber,
        region: answer.region,
        accountId: answer.accountId,
      };
    },
  };
}
