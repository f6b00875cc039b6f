// Automatic approval (秒批): a matter lists rules as CEL expressions over the application's form,
// the applicant, the outcomes of prerequisite matters and verified data; the first rule that
// holds approves the task, and the action names it. A rule that fails to evaluate (a missing
// field, a wrong type) does not hold: the task goes to an officer, never approved by accident.
import { AUTO_APPROVAL_VARIABLES, callsRegexMatch, type AutoApprovalRule } from '@tongban/contracts';
import { Environment } from '@marcbachmann/cel-js';

const environment = AUTO_APPROVAL_VARIABLES.reduce(
  (env, name) => env.registerVariable(name, 'map'),
  new Environment({
    limits: { maxAstNodes: 2000, maxDepth: 50, maxListElements: 500, maxMapEntries: 500, maxCallArguments: 16 },
  }),
);

type Program = (context: Record<string, unknown>) => unknown;
const compiled = new Map<string, Program>();

// A rule calling matches() never holds (the catalog refuses it at publish; this covers versions published before).
const refused: Program = () => {
  throw new Error('matches() is not available in rules');
};

function program(expression: string): Program {
  let p = compiled.get(expression);
  if (!p) {
    p = environment.parse(expression) as unknown as Program;
    if (callsRegexMatch((p as unknown as { ast: unknown }).ast)) p = refused;
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(expression, p);
  }
  return p;
}

export interface RuleInputs {
  readonly form: Readonly<Record<string, unknown>>;
  readonly applicant: { readonly id: string; readonly kind: string; readonly channel: string };
  /** Outcome of each prerequisite matter by code: 'approved', 'rejected' … */
  readonly prerequisites: Readonly<Record<string, string>>;
  /** Data verified by an authoritative source (datahub prefill); empty until that module exists. */
  readonly verified: Readonly<Record<string, unknown>>;
}

export type RuleVerdict =
  | { readonly fired: AutoApprovalRule }
  | { readonly fired?: undefined; readonly failures: readonly { readonly rule: string; readonly error: string }[] };

export function firstRuleThatHolds(rules: readonly AutoApprovalRule[], inputs: RuleInputs): RuleVerdict {
  const failures: { rule: string; error: string }[] = [];
  const context = {
    form: inputs.form,
    applicant: inputs.applicant,
    prerequisites: inputs.prerequisites,
    verified: inputs.verified,
  };
  for (const rule of rules) {
    try {
      if (program(rule.when)(context) === true) return { fired: rule };
    } catch (error) {
      failures.push({ rule: rule.id, error: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
    }
  }
  return { failures };
}
