// The outbox's gate: an event leaves a module only if the contracts' catalog knows its type and
// its payload matches the schema there (packages/contracts, EVENT_CATALOG). Consumers in other
// modules and processes rely on that schema; a payload that breaks it would reach them all.
import { EVENT_CATALOG } from '@tongban/contracts';
import type { TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';

/** Thrown by `publish` for an event the catalog does not allow; the caller's transaction rolls back. */
export class EventRefusedError extends Error {
  override readonly name = 'EventRefusedError';
  readonly type: string;
  /** Where the payload differs from the schema (`/path: message`), or that the type is unknown. */
  readonly problems: readonly string[];
  constructor(type: string, problems: readonly string[]) {
    super(`event ${type} refused by the contracts' catalog: ${problems.join('; ')}`);
    this.type = type;
    this.problems = problems;
  }
}

const MAX_PROBLEMS = 5;

/** The schemas an outbox checks against, compiled on first use. */
export class EventGate {
  readonly #catalog: Readonly<Record<string, TSchema>>;
  readonly #validators = new Map<string, Validator>();

  /** `extra`: schemas of event types outside the contracts (the kernel's own tests' modules). */
  constructor(extra: Readonly<Record<string, TSchema>> = {}) {
    this.#catalog = { ...EVENT_CATALOG, ...extra };
  }

  #validatorOf(type: string): Validator | undefined {
    let validator = this.#validators.get(type);
    if (!validator && Object.hasOwn(this.#catalog, type))
      this.#validators.set(type, (validator = Compile(this.#catalog[type]!)));
    return validator;
  }

  /** Why `data` may not be published as `type`, or undefined when it may. */
  problems(type: string, data: unknown): readonly string[] | undefined {
    return problemsOf(this.#validatorOf(type), data);
  }

  assert(type: string, data: unknown): void {
    const problems = this.problems(type, data);
    if (problems) throw new EventRefusedError(type, problems);
  }
}

export const contractsGate = new EventGate();

/** Why `data` may not be published as `type` by the contracts' catalog, or undefined when it may. */
export function eventProblems(type: string, data: unknown): readonly string[] | undefined {
  return contractsGate.problems(type, data);
}

function problemsOf(validator: Validator | undefined, data: unknown): readonly string[] | undefined {
  if (!validator) return ['the type is not in EVENT_CATALOG (packages/contracts): add its schema there'];
  if (validator.Check(data)) return undefined;
  const problems: string[] = [];
  for (const error of validator.Errors(data)) {
    if (error.keyword === 'boolean') continue; // the additionalProperties report below names the property
    problems.push(`${error.instancePath || '/'}: ${error.message}`);
    if (problems.length === MAX_PROBLEMS) break;
  }
  return problems.length > 0 ? problems : ['does not match its schema'];
}
