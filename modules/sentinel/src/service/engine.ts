// The rules engine the service runs: the domain's (src/domain) once it lands; until then the
// stand-in with the same interface (engine-stub.ts). The one place that names which: on merging
// the domain, change the line below to `from '../domain/index.ts'` (checked against the rules
// branch at e7d0a1e: every sentinel test passes with it).
export {
  DEFAULT_RULES,
  keysFor,
  loadRules,
  step,
  RulesInvalid,
  type Finding,
  type ResponsePlan,
  type RuleSet,
  type Signal,
  type SignalType,
  type WindowState,
} from './engine-stub.ts';
