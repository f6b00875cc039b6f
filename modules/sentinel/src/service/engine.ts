// The rules engine the service runs: the domain's (src/domain) once it lands; until then the
// stand-in with the same interface (engine-stub.ts). The one place that names which.
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
