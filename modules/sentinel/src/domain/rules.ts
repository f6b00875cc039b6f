// Correlation rules as configuration: a versioned JSON document (DEFAULT_RULES, or the file named by
// TONGBAN_SENTINEL_RULES) checked in full at load, so a typo refuses to start with the field's path
// instead of silently never firing. Four kinds cover the issue's rules:
//   threshold — ≥ N matching signals (or their `count`s) per subject in a sliding window, optionally
//               against ≥ M distinct targets (credential stuffing)
//   travel    — one account signing in from two regions of the geo table within the window
//   off-hours — a matching signal outside working hours
//   norm      — a rate far above the subject's own exponentially weighted hourly norm
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { buildGeoTable, parseCidr, type GeoTable } from './geo.ts';
import { isTimeZone, parseClock, type WorkingHours } from './hours.ts';
import { SIGNAL_FACTORS, SIGNAL_TYPES } from './signals.ts';

export { DEFAULT_RULES } from './default-rules.ts';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RESPONSE_ACTIONS = [
  'block-address',
  'throttle-address',
  'step-up-session',
  'revoke-sessions',
  'lock-account',
  'alert',
] as const;
export type ResponseAction = (typeof RESPONSE_ACTIONS)[number];

/** What a rule counts per: the signal's ip, accountId, sessionId or actorId. */
export const SUBJECT_KINDS = ['address', 'account', 'session', 'actor'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const RULE_KINDS = ['threshold', 'travel', 'off-hours', 'norm'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

const closed = { additionalProperties: false } as const;
const Text = Type.String({ minLength: 1, maxLength: 200 });

const ResponseSpecSchema = Type.Object(
  {
    action: Type.Enum(RESPONSE_ACTIONS),
    /** Required for block, throttle and lock; for step-up how long the demand stands. */
    durationSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 86_400 })),
  },
  closed,
);
export type ResponseSpec = Static<typeof ResponseSpecSchema>;

const MatchSchema = Type.Object(
  {
    types: Type.Array(Type.Enum(SIGNAL_TYPES), { minItems: 1 }),
    /** Only signals with one of these factors (sign-ins): password and code failures count apart. */
    factors: Type.Optional(Type.Array(Type.Enum(SIGNAL_FACTORS), { minItems: 1 })),
    /** Only signals whose actor is of one of these principal kinds. */
    actorKinds: Type.Optional(Type.Array(Text, { minItems: 1 })),
  },
  closed,
);
export type RuleMatch = Static<typeof MatchSchema>;

const common = {
  id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$' }),
  enabled: Type.Boolean(),
  severity: Type.Enum(SEVERITIES),
  /** Shown in the alert queue. */
  title: Type.Object({ zh: Text, en: Text }, closed),
  match: MatchSchema,
  /** One window per subject kind listed; a signal firing several at once gives one finding, the first listed. */
  by: Type.Array(Type.Enum(SUBJECT_KINDS), { minItems: 1, maxItems: 4, uniqueItems: true }),
  responses: Type.Array(ResponseSpecSchema, { minItems: 1, maxItems: 6 }),
  /**
   * Dedupe: once fired for a subject the rule stays quiet until its window has emptied, or until
   * this many seconds have passed (default: the window) while the signals keep coming — so a
   * continuing attack is answered again when its throttle runs out, not 500 times.
   */
  cooldownSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 86_400 })),
};
const Window = Type.Integer({ minimum: 1, maximum: 7 * 86_400 });

const ThresholdRuleSchema = Type.Object(
  {
    ...common,
    kind: Type.Literal('threshold'),
    windowSeconds: Window,
    /** Fires when the window holds at least this much (signals, or their `count`s with weight 'count'). */
    threshold: Type.Integer({ minimum: 1, maximum: 100_000 }),
    weight: Type.Optional(Type.Enum(['one', 'count'] as const)),
    /** And at least this many distinct targets (accountId, else the login tried). */
    distinct: Type.Optional(
      Type.Object({ of: Type.Literal('target'), atLeast: Type.Integer({ minimum: 2, maximum: 1000 }) }, closed),
    ),
  },
  closed,
);
const TravelRuleSchema = Type.Object({ ...common, kind: Type.Literal('travel'), windowSeconds: Window }, closed);
const OffHoursRuleSchema = Type.Object({ ...common, kind: Type.Literal('off-hours') }, closed);
const NormRuleSchema = Type.Object(
  {
    ...common,
    kind: Type.Literal('norm'),
    /** The rate's window: 3600 for "the last hour". */
    windowSeconds: Window,
    /** Hours folded into the norm before the rule may fire. */
    minBaselineHours: Type.Integer({ minimum: 1, maximum: 10_000 }),
    /** Of the exponentially weighted hourly rate. */
    halfLifeHours: Type.Number({ exclusiveMinimum: 0, maximum: 10_000 }),
    /** Fires when the window's count > max(floor, factor × norm). */
    factor: Type.Number({ exclusiveMinimum: 1, maximum: 1000 }),
    floor: Type.Integer({ minimum: 0, maximum: 100_000 }),
    /** A subject quiet this long starts again without a norm. */
    forgetAfterHours: Type.Integer({ minimum: 1, maximum: 10_000 }),
  },
  closed,
);

export type ThresholdRule = Static<typeof ThresholdRuleSchema>;
export type TravelRule = Static<typeof TravelRuleSchema>;
export type OffHoursRule = Static<typeof OffHoursRuleSchema>;
export type NormRule = Static<typeof NormRuleSchema>;
export type Rule = ThresholdRule | TravelRule | OffHoursRule | NormRule;

const RULE_SCHEMAS = {
  threshold: Compile(ThresholdRuleSchema),
  travel: Compile(TravelRuleSchema),
  'off-hours': Compile(OffHoursRuleSchema),
  norm: Compile(NormRuleSchema),
} satisfies Record<RuleKind, unknown>;

const GeoEntrySchema = Type.Object(
  { cidr: Type.String({ minLength: 3, maxLength: 64 }), region: Type.String({ pattern: '^\\d{6}$' }), name: Text },
  closed,
);
const WorkingHoursSchema = Type.Object(
  {
    timeZone: Text,
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7, uniqueItems: true }),
    start: Type.String({ pattern: '^\\d{2}:\\d{2}$' }),
    end: Type.String({ pattern: '^\\d{2}:\\d{2}$' }),
  },
  closed,
);

/** The document's shape; each rule is checked against its kind's schema afterwards. */
export const RuleSetSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    workingHours: WorkingHoursSchema,
    geo: Type.Array(GeoEntrySchema, { maxItems: 10_000 }),
    rules: Type.Array(Type.Unknown(), { maxItems: 200 }),
  },
  closed,
);
const checkDocument = Compile(RuleSetSchema);

/** The document as written (JSON), its rules typed. */
export type RuleSetInput = Omit<Static<typeof RuleSetSchema>, 'rules'> & { readonly rules: readonly Rule[] };

export interface RuleSet {
  readonly version: number;
  /** Every rule, disabled ones too (the service may list them); the engine skips disabled ones. */
  readonly rules: readonly Rule[];
  readonly geo: GeoTable;
  readonly workingHours: WorkingHours;
}

/** One invalid field: a dotted path (`rules.2.windowSeconds`), a stable code, a message. Same shape as the kernel's FieldError. */
export interface RuleFieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export class RulesInvalid extends Error {
  override readonly name = 'RulesInvalid';
  readonly code = 'SENTINEL_RULES_INVALID';
  readonly errors: readonly RuleFieldError[];
  /** The first bad field's path (`rules.2.windowSeconds`); `errors` has them all. */
  readonly path: string;
  constructor(errors: readonly RuleFieldError[]) {
    super(`the sentinel rules are not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
    this.errors = errors;
    this.path = errors[0]?.field ?? '';
  }
}

const CODES: Readonly<Record<string, string>> = {
  additionalProperties: 'unknown_field',
  required: 'required',
  type: 'wrong_type',
};

interface Issue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: unknown;
  readonly message: string;
}

function fieldErrors(prefix: string, issues: Iterable<Issue>): RuleFieldError[] {
  const out: RuleFieldError[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    // The unknown field itself is reported (below); its "schema is false" twin and anyOf summaries say nothing more.
    if (issue.keyword === 'boolean' || issue.keyword === 'anyOf') continue;
    const path = issue.instancePath
      .split('/')
      .filter(Boolean)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const params = (issue.params ?? {}) as Record<string, unknown>;
    const extra =
      issue.keyword === 'required'
        ? (params.requiredProperties as string[] | undefined)
        : issue.keyword === 'additionalProperties'
          ? (params.additionalProperties as string[] | undefined)
          : undefined;
    for (const name of extra ?? [undefined]) {
      const field = [prefix, ...path, ...(name === undefined ? [] : [name])].filter(Boolean).join('.') || '(document)';
      const code = CODES[issue.keyword] ?? issue.keyword;
      if (seen.has(`${field}|${code}`)) continue;
      seen.add(`${field}|${code}`);
      out.push({ field, code, message: issue.message });
    }
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Responses that act on an account take it from the subject, never from a signal an address sent (lockout abuse). */
const ACCOUNT_ACTIONS: readonly ResponseAction[] = ['revoke-sessions', 'lock-account'];
const NEEDS_DURATION: readonly ResponseAction[] = ['block-address', 'throttle-address', 'lock-account'];

function ruleErrors(rule: Rule, at: string): RuleFieldError[] {
  const out: RuleFieldError[] = [];
  rule.responses.forEach((r, j) => {
    const field = `${at}.responses.${j}`;
    if (NEEDS_DURATION.includes(r.action) && r.durationSeconds === undefined)
      out.push({ field: `${field}.durationSeconds`, code: 'required', message: `${r.action} needs a duration` });
    if (r.action === 'alert' && r.durationSeconds !== undefined)
      out.push({ field: `${field}.durationSeconds`, code: 'not_allowed', message: 'an alert has no duration' });
    if (ACCOUNT_ACTIONS.includes(r.action) && !rule.by.every((b) => b === 'account' || b === 'actor'))
      out.push({
        field: `${field}.action`,
        code: 'needs_account_subject',
        message: `${r.action} acts on the subject's account: the rule must count by account or actor only`,
      });
  });
  if (rule.kind === 'travel' && (rule.by.length !== 1 || rule.by[0] !== 'account'))
    out.push({ field: `${at}.by`, code: 'not_allowed', message: 'travel is counted by account' });
  if (rule.kind === 'threshold' && rule.distinct && rule.distinct.atLeast > rule.threshold && rule.weight !== 'count')
    out.push({
      field: `${at}.distinct.atLeast`,
      code: 'maximum',
      message: 'cannot need more distinct targets than signals',
    });
  return out;
}

/** Validates a rule set document; throws RulesInvalid listing every bad field. */
export function loadRules(input: unknown): RuleSet {
  if (!checkDocument.Check(input)) throw new RulesInvalid(fieldErrors('', checkDocument.Errors(input)));
  const doc = input as Static<typeof RuleSetSchema>;
  const errors: RuleFieldError[] = [];
  const rules: Rule[] = [];
  const ids = new Map<string, number>();
  doc.rules.forEach((raw, i) => {
    const at = `rules.${i}`;
    if (!isRecord(raw)) return errors.push({ field: at, code: 'wrong_type', message: 'a rule is an object' });
    const kind = raw.kind as RuleKind;
    if (!(RULE_KINDS as readonly unknown[]).includes(kind))
      return errors.push({ field: `${at}.kind`, code: 'enum', message: `must be one of ${RULE_KINDS.join(', ')}` });
    const check = RULE_SCHEMAS[kind] as { Check(v: unknown): boolean; Errors(v: unknown): Iterable<Issue> };
    if (!check.Check(raw)) return errors.push(...fieldErrors(at, check.Errors(raw)));
    const rule = raw as unknown as Rule;
    const seen = ids.get(rule.id);
    if (seen !== undefined)
      errors.push({ field: `${at}.id`, code: 'duplicate', message: `rules.${seen} has the id ${rule.id} already` });
    ids.set(rule.id, i);
    errors.push(...ruleErrors(rule, at));
    rules.push(rule);
  });
  doc.geo.forEach((g, i) => {
    if (!parseCidr(g.cidr))
      errors.push({ field: `geo.${i}.cidr`, code: 'bad_cidr', message: 'is not an IPv4 or IPv6 CIDR range' });
  });
  const wh = doc.workingHours;
  if (!isTimeZone(wh.timeZone))
    errors.push({ field: 'workingHours.timeZone', code: 'unknown_time_zone', message: 'is not an IANA time zone' });
  const start = parseClock(wh.start);
  const end = parseClock(wh.end);
  if (start === undefined) errors.push({ field: 'workingHours.start', code: 'pattern', message: 'is not HH:MM' });
  if (end === undefined) errors.push({ field: 'workingHours.end', code: 'pattern', message: 'is not HH:MM' });
  if (start !== undefined && end !== undefined && end <= start)
    errors.push({ field: 'workingHours.end', code: 'minimum', message: 'must be after the start' });
  if (errors.length > 0) throw new RulesInvalid(errors);
  return {
    version: doc.version,
    rules,
    geo: buildGeoTable(doc.geo),
    workingHours: { timeZone: wh.timeZone, days: wh.days, startMinute: start ?? 0, endMinute: end ?? 0 },
  };
}

/** For a schema in another document (the service's OpenAPI for a rules endpoint, if one comes). */
export const RULE_SCHEMA_BY_KIND: Readonly<Record<RuleKind, TSchema>> = {
  threshold: ThresholdRuleSchema,
  travel: TravelRuleSchema,
  'off-hours': OffHoursRuleSchema,
  norm: NormRuleSchema,
};
