// The rules engine the service runs: the domain's (src/domain) — validated, versioned rules and a
// pure windowed engine. The service imports it through this one file.
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
} from '../domain/index.ts';
