// A stand-in for the rules engine (src/domain, another branch) with exactly its interface, so the
// service can be built and tested before the engine lands: three rules only — brute force
// (8 password failures / 120 s from one address → throttle 15 min), probing (20 denials / 5 min
// from one address → throttle 10 min) and refresh-token reuse (→ revoke the account's sessions).
// engine.ts chooses between it and the real one; kept for the service's tests only.

export type SignalType =
  | 'sign-in.failed'
  | 'sign-in.succeeded'
  | 'sign-in.throttled'
  | 'account.locked'
  | 'mfa.changed'
  | 'access.denied'
  | 'data.revealed'
  | 'data.read'
  | 'data.exported'
  | 'roles.changed'
  | 'grant.changed'
  | 'witness.refused'
  | 'refresh-token.reused'
  | 'callback.refused'
  | 'privileged.action';

export interface Signal {
  readonly id: string;
  readonly at: string;
  readonly type: SignalType;
  readonly ip?: string;
  readonly accountId?: string;
  readonly actorId?: string;
  readonly actorKind?: string;
  readonly sessionId?: string;
  readonly factor?: 'password' | 'code' | 'passkey';
  readonly login?: string;
  readonly count?: number;
  readonly departmentCode?: string;
  readonly detail?: string;
}

export interface ResponsePlan {
  readonly action:
    'block-address' | 'throttle-address' | 'step-up-session' | 'revoke-sessions' | 'lock-account' | 'alert';
  readonly target: { readonly ip?: string; readonly sessionId?: string; readonly accountId?: string };
  readonly durationSeconds?: number;
}

export interface Finding {
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly severity: 'low' | 'medium' | 'high' | 'critical';
  readonly subject: { readonly kind: 'address' | 'account' | 'session' | 'actor'; readonly value: string };
  readonly title: { readonly zh: string; readonly en: string };
  readonly responses: readonly ResponsePlan[];
  readonly evidence: readonly string[];
  readonly at: string;
}

export type WindowState = { readonly hits: readonly { id: string; at: number }[]; readonly fired: boolean };

interface StubRule {
  readonly id: string;
  readonly enabled: boolean;
  readonly windowSeconds: number;
  readonly threshold: number;
}

export interface RuleSet {
  readonly version: number;
  readonly rules: readonly StubRule[];
}

export class RulesInvalid extends Error {
  override name = 'RulesInvalid';
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}

export const DEFAULT_RULES: unknown = {
  version: 1,
  rules: [
    { id: 'brute-force', enabled: true, windowSeconds: 120, threshold: 8 },
    { id: 'probing', enabled: true, windowSeconds: 300, threshold: 20 },
    { id: 'refresh-token-reuse', enabled: true, windowSeconds: 1, threshold: 1 },
  ],
};

export function loadRules(input: unknown): RuleSet {
  const o = input as { version?: unknown; rules?: unknown };
  if (typeof o !== 'object' || o === null) throw new RulesInvalid('/', 'must be an object');
  if (!Number.isInteger(o.version) || (o.version as number) < 1) throw new RulesInvalid('/version', 'must be ≥ 1');
  if (!Array.isArray(o.rules)) throw new RulesInvalid('/rules', 'must be an array');
  o.rules.forEach((r: StubRule, i) => {
    if (!(r.windowSeconds > 0)) throw new RulesInvalid(`/rules/${i}/windowSeconds`, 'must be > 0');
  });
  return { version: o.version as number, rules: o.rules as StubRule[] };
}

const subjectOf = (rule: string, s: Signal): string | undefined => {
  if (rule === 'brute-force') return s.type === 'sign-in.failed' && s.factor === 'password' ? s.ip : undefined;
  if (rule === 'probing') return s.type === 'access.denied' ? s.ip : undefined;
  return s.type === 'refresh-token.reused' ? s.accountId : undefined;
};

export function keysFor(signal: Signal, rules: RuleSet): string[] {
  return rules.rules.flatMap((r) => {
    const subject = r.enabled ? subjectOf(r.id, signal) : undefined;
    return subject ? [`${r.id}:${subject}`] : [];
  });
}

export function step(
  rules: RuleSet,
  signal: Signal,
  states: ReadonlyMap<string, WindowState | undefined>,
): { states: Map<string, WindowState | null>; findings: Finding[] } {
  const out = new Map<string, WindowState | null>();
  const findings: Finding[] = [];
  const now = Date.parse(signal.at);
  for (const rule of rules.rules) {
    const subject = rule.enabled ? subjectOf(rule.id, signal) : undefined;
    if (!subject) continue;
    const key = `${rule.id}:${subject}`;
    const before = states.get(key);
    const hits = [
      ...(before?.hits ?? []).filter((h) => h.at > now - rule.windowSeconds * 1000),
      { id: signal.id, at: now },
    ];
    // Re-armed once the window has emptied of what made it fire.
    const fired = (before?.fired ?? false) && hits.length > 1;
    if (!fired && hits.length >= rule.threshold) {
      const evidence = hits.slice(-20).map((h) => h.id);
      const common = { ruleVersion: rules.version, evidence, at: signal.at };
      if (rule.id === 'refresh-token-reuse')
        findings.push({
          ...common,
          ruleId: rule.id,
          severity: 'high',
          subject: { kind: 'account', value: subject },
          title: { zh: '刷新令牌被重复使用', en: 'A refresh token was reused' },
          responses: [
            { action: 'revoke-sessions', target: { accountId: subject } },
            { action: 'alert', target: {} },
          ],
        });
      else
        findings.push({
          ...common,
          ruleId: rule.id,
          severity: 'medium',
          subject: { kind: 'address', value: subject },
          title:
            rule.id === 'brute-force'
              ? { zh: '同一地址多次密码错误', en: 'Repeated wrong passwords from one address' }
              : { zh: '同一地址多次被拒绝访问', en: 'Repeated denials from one address' },
          responses: [
            {
              action: 'throttle-address',
              target: { ip: subject },
              durationSeconds: rule.id === 'brute-force' ? 900 : 600,
            },
            { action: 'alert', target: {} },
          ],
        });
    }
    out.set(key, { hits: hits.slice(-rule.threshold), fired: fired || hits.length >= rule.threshold });
  }
  return { states: out, findings };
}
