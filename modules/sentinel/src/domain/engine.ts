// Evaluates a signal against the rules, one (rule, subject) window at a time. Pure: the service
// loads the states of the keys keysFor names, calls step, and writes back in the same transaction
// the states step returns (null = delete) and the findings — so a restart, a replica or a replay
// continues exactly where the last committed signal left off.
import { findRegion } from './geo.ts';
import { isWorkingTime } from './hours.ts';
import type { ResponseAction, ResponseSpec, Rule, RuleSet, Severity, SubjectKind } from './rules.ts';
import { signalTime, type Signal } from './signals.ts';
import { stepNorm, stepOffHours, stepThreshold, stepTravel, type Outcome, type WindowState } from './windows.ts';

export type { WindowState } from './windows.ts';
export { expiresAt, EVIDENCE_CAP } from './windows.ts';

export interface Finding {
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly severity: Severity;
  readonly subject: { readonly kind: SubjectKind; readonly value: string };
  /** Shown in the alert queue. */
  readonly title: { readonly zh: string; readonly en: string };
  readonly responses: readonly ResponsePlan[];
  /** Signal ids, oldest first, at most EVIDENCE_CAP. */
  readonly evidence: readonly string[];
  /** The triggering signal's instant. */
  readonly at: string;
}

export interface ResponsePlan {
  readonly action: ResponseAction;
  readonly target: { readonly ip?: string; readonly sessionId?: string; readonly accountId?: string };
  /** For block, throttle, lock and step-up. */
  readonly durationSeconds?: number;
}

const SUBJECT_FIELD = {
  address: 'ip',
  account: 'accountId',
  session: 'sessionId',
  actor: 'actorId',
} as const satisfies Record<SubjectKind, keyof Signal>;

function matches(rule: Rule, signal: Signal): boolean {
  const { types, factors, actorKinds } = rule.match;
  if (!types.includes(signal.type)) return false;
  if (factors && (signal.factor === undefined || !factors.includes(signal.factor))) return false;
  if (actorKinds && (signal.actorKind === undefined || !actorKinds.includes(signal.actorKind))) return false;
  return true;
}

/** Whether the rule could act on this signal at all — cheap checks that spare the service a load. */
function applies(rule: Rule, rules: RuleSet, signal: Signal, t: number): boolean {
  if (!rule.enabled || !matches(rule, signal)) return false;
  if (rule.kind === 'travel') return findRegion(rules.geo, signal.ip) !== undefined;
  if (rule.kind === 'off-hours') return !isWorkingTime(rules.workingHours, t);
  return true;
}

interface Slot {
  readonly rule: Rule;
  readonly subject: { readonly kind: SubjectKind; readonly value: string };
  readonly key: string;
}

function slots(signal: Signal, rules: RuleSet): Slot[] {
  const t = signalTime(signal);
  if (!Number.isFinite(t)) return [];
  const out: Slot[] = [];
  for (const rule of rules.rules) {
    if (!applies(rule, rules, signal, t)) continue;
    for (const kind of rule.by) {
      const value = signal[SUBJECT_FIELD[kind]];
      if (typeof value === 'string' && value !== '')
        out.push({ rule, subject: { kind, value }, key: `${rule.id}:${kind}:${value}` });
    }
  }
  return out;
}

/** The state keys (`${ruleId}:${subjectKind}:${value}`) a signal touches; a signal with an unreadable `at` touches none. */
export function keysFor(signal: Signal, rules: RuleSet): string[] {
  return slots(signal, rules).map((s) => s.key);
}

function decide(rule: Rule, rules: RuleSet, signal: Signal, t: number, raw: unknown): Outcome {
  switch (rule.kind) {
    case 'threshold':
      return stepThreshold(rule, signal, t, raw);
    case 'travel':
      return stepTravel(rule, rules, signal, t, raw);
    case 'off-hours':
      return stepOffHours(rule, rules, signal, t, raw);
    case 'norm':
      return stepNorm(rule, rules, signal, t, raw);
  }
}

/** The subject's account: responses on an account take it from the subject, never from the signal of an address. */
function accountOf(subject: Slot['subject']): string | undefined {
  return subject.kind === 'account' || subject.kind === 'actor' ? subject.value : undefined;
}

function plan(spec: ResponseSpec, subject: Slot['subject'], signal: Signal): ResponsePlan | undefined {
  const ip = subject.kind === 'address' ? subject.value : signal.ip;
  const sessionId = subject.kind === 'session' ? subject.value : signal.sessionId;
  const accountId = accountOf(subject);
  const duration = spec.durationSeconds === undefined ? {} : { durationSeconds: spec.durationSeconds };
  switch (spec.action) {
    case 'block-address':
    case 'throttle-address':
      return ip ? { action: spec.action, target: { ip }, ...duration } : undefined;
    case 'step-up-session':
      return sessionId
        ? { action: spec.action, target: { sessionId, ...(accountId ? { accountId } : {}) }, ...duration }
        : undefined;
    case 'revoke-sessions':
    case 'lock-account':
      return accountId ? { action: spec.action, target: { accountId }, ...duration } : undefined;
    case 'alert': {
      const target = {
        ...(ip ? { ip } : {}),
        ...(accountId ? { accountId } : {}),
        ...(subject.kind !== 'address' && sessionId ? { sessionId } : {}),
      };
      return { action: 'alert', target };
    }
  }
}

/**
 * Steps every window the signal touches. `states` holds the stored state of each key keysFor
 * returned (missing or undefined = none). The answer names only the keys whose state changed
 * (null = delete) and at most one finding per rule.
 */
export function step(
  rules: RuleSet,
  signal: Signal,
  states: ReadonlyMap<string, unknown>,
): { states: Map<string, WindowState | null>; findings: Finding[] } {
  const changed = new Map<string, WindowState | null>();
  const findings: Finding[] = [];
  const t = signalTime(signal);
  const found = new Set<string>();
  for (const slot of slots(signal, rules)) {
    const outcome = decide(slot.rule, rules, signal, t, states.get(slot.key));
    if (outcome.state !== 'same') changed.set(slot.key, outcome.state);
    if (!outcome.fired || found.has(slot.rule.id)) continue;
    found.add(slot.rule.id);
    findings.push({
      ruleId: slot.rule.id,
      ruleVersion: rules.version,
      severity: slot.rule.severity,
      subject: slot.subject,
      title: slot.rule.title,
      responses: slot.rule.responses.flatMap((r) => plan(r, slot.subject, signal) ?? []),
      evidence: outcome.evidence,
      at: signal.at,
    });
  }
  return { states: changed, findings };
}
