// Security operations (安全运营, issue 14): the guard's denials as events (one schema, published by
// the module whose route refused), sentinel's own events (alerts and responses, which the ledger
// records and every process's risk board hears), and the alert queue's API shapes.
import Type, { type Static } from 'typebox';

/**
 * The modules whose routes the guard protects: each publishes `<module>.request.denied` for the
 * denials of its own routes. (`datahub.access.denied` is the data hub's grant refusal, another
 * thing.) A new module adds its name here.
 */
export const GUARDED_MODULES = [
  'catalog',
  'datahub',
  'identity',
  'ledger',
  'licenses',
  'portal',
  'workflow',
  'sentinel',
  'payments',
  'notify',
] as const;
export type GuardedModule = (typeof GUARDED_MODULES)[number];

/** One refusal by the kernel's guard. No query string, no body, no personal value: the route's pattern. */
export const RequestDenied = Type.Object({
  /** The guard's code (kernel DENIAL_CODES): UNAUTHENTICATED, FORBIDDEN, ADDRESS_BLOCKED … */
  code: Type.String(),
  /** Why (kernel DenialReason): token, kind, role, assurance, resource, address-blocked … */
  reason: Type.String(),
  method: Type.String(),
  /** The route's pattern (`/api/workflow/tasks/:id`), or the path without its query when none matched. */
  route: Type.String(),
  ip: Type.String(),
  principal: Type.Optional(
    Type.Object({ kind: Type.String(), id: Type.String(), sessionId: Type.Optional(Type.String()) }),
  ),
  requestId: Type.String(),
  at: Type.String(),
});
export type RequestDenied = Static<typeof RequestDenied>;

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SeveritySchema = Type.Unsafe<Severity>(Type.Union(SEVERITIES.map((s) => Type.Literal(s))));

/** What sentinel can do about a finding; `alert` (in a rule) raises the alert only and has no response row. */
export const RESPONSE_ACTIONS = [
  'block-address',
  'throttle-address',
  'step-up-session',
  'revoke-sessions',
  'lock-account',
] as const;
export type ResponseAction = (typeof RESPONSE_ACTIONS)[number];
export const ResponseActionSchema = Type.Unsafe<ResponseAction>(
  Type.Union(RESPONSE_ACTIONS.map((a) => Type.Literal(a))),
);

export const ResponseTarget = Type.Object(
  {
    ip: Type.Optional(Type.String({ minLength: 1, maxLength: 45 })),
    sessionId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    accountId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type ResponseTarget = Static<typeof ResponseTarget>;

export const ALERT_STATUSES = ['open', 'assigned', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const AlertStatusSchema = Type.Unsafe<AlertStatus>(Type.Union(ALERT_STATUSES.map((s) => Type.Literal(s))));

export const ALERT_RESOLUTIONS = ['true-positive', 'false-positive', 'benign'] as const;
export type AlertResolution = (typeof ALERT_RESOLUTIONS)[number];
export const AlertResolutionSchema = Type.Unsafe<AlertResolution>(
  Type.Union(ALERT_RESOLUTIONS.map((s) => Type.Literal(s))),
);

const Actor = Type.Object({ kind: Type.String(), id: Type.String() });
const Subject = Type.Object({
  kind: Type.Union([Type.Literal('address'), Type.Literal('account'), Type.Literal('session'), Type.Literal('actor')]),
  value: Type.String(),
});
const Title = Type.Object({ zh: Type.String(), en: Type.String() });
const NullableString = Type.Union([Type.String(), Type.Null()]);

/** The changes of an alert after it is raised: `sentinel.alert.<verb>`, one payload. */
export const ALERT_EVENT_VERBS = ['assigned', 'closed', 'reopened'] as const;
export type AlertEventVerb = (typeof ALERT_EVENT_VERBS)[number];

const AlertChanged = Type.Object({
  alertId: Type.String(),
  action: Type.Unsafe<AlertEventVerb>(Type.Union(ALERT_EVENT_VERBS.map((v) => Type.Literal(v)))),
  status: AlertStatusSchema,
  by: Actor,
  assignee: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  resolution: Type.Optional(AlertResolutionSchema),
  at: Type.String(),
});

export const SentinelEvents = {
  /** A rule fired: one alert per firing (the rules dedupe), with the signals (event ids) that made it. */
  'sentinel.alert.raised': Type.Object({
    alertId: Type.String(),
    ruleId: Type.String(),
    /** The rule set's version the rule was evaluated under (TONGBAN_SENTINEL_RULES or the default). */
    rulesVersion: Type.Integer({ minimum: 1 }),
    severity: SeveritySchema,
    subject: Subject,
    title: Title,
    evidence: Type.Array(Type.String()),
    at: Type.String(),
  }),
  ...(Object.fromEntries(ALERT_EVENT_VERBS.map((verb) => [`sentinel.alert.${verb}`, AlertChanged])) as Record<
    `sentinel.alert.${AlertEventVerb}`,
    typeof AlertChanged
  >),
  /** A response takes effect (automatic: `alertId` set, `by` sentinel; manual: a security operator). */
  'sentinel.response.applied': Type.Object({
    responseId: Type.String(),
    alertId: NullableString,
    action: ResponseActionSchema,
    target: ResponseTarget,
    /** Null: until lifted (never for the timed actions sentinel takes itself). */
    until: NullableString,
    by: Actor,
    reason: Type.Optional(Type.String()),
    at: Type.String(),
  }),
  /** A security operator lifted a response before its end, with a reason. */
  'sentinel.response.lifted': Type.Object({
    responseId: Type.String(),
    alertId: NullableString,
    action: ResponseActionSchema,
    target: ResponseTarget,
    by: Actor,
    reason: Type.String(),
    at: Type.String(),
  }),
} as const;
export type AlertRaised = Static<(typeof SentinelEvents)['sentinel.alert.raised']>;
export type ResponseApplied = Static<(typeof SentinelEvents)['sentinel.response.applied']>;
export type ResponseLifted = Static<(typeof SentinelEvents)['sentinel.response.lifted']>;

// ---- The alert queue's API (all for security principals at mfa) ----

export const RESPONSE_STATES = ['active', 'lifted', 'expired'] as const;
export type ResponseState = (typeof RESPONSE_STATES)[number];

/** Identity's part of a lock-account or revoke-sessions response: called after the commit, retried. */
export const DELIVERY_STATES = ['pending', 'done', 'failed'] as const;

export const ResponseView = Type.Object({
  id: Type.String(),
  alertId: NullableString,
  action: ResponseActionSchema,
  target: ResponseTarget,
  state: Type.Unsafe<ResponseState>(Type.Union(RESPONSE_STATES.map((s) => Type.Literal(s)))),
  appliedAt: Type.String(),
  until: NullableString,
  by: Actor,
  reason: NullableString,
  lifted: Type.Union([Type.Object({ at: Type.String(), by: Actor, reason: Type.String() }), Type.Null()]),
  /** Null for the guard's own actions (block, throttle, step-up); identity's call for the others. */
  delivery: Type.Union([
    Type.Object({
      state: Type.Unsafe<(typeof DELIVERY_STATES)[number]>(Type.Union(DELIVERY_STATES.map((s) => Type.Literal(s)))),
      attempts: Type.Integer({ minimum: 0 }),
      lastError: NullableString,
    }),
    Type.Null(),
  ]),
});
export type ResponseView = Static<typeof ResponseView>;

export const AlertView = Type.Object({
  id: Type.String(),
  ruleId: Type.String(),
  rulesVersion: Type.Integer({ minimum: 1 }),
  severity: SeveritySchema,
  subject: Subject,
  title: Title,
  status: AlertStatusSchema,
  assignee: NullableString,
  resolution: Type.Union([AlertResolutionSchema, Type.Null()]),
  raisedAt: Type.String(),
  updatedAt: Type.String(),
  /** How many signals the alert cites (the detail lists them). */
  evidenceCount: Type.Integer({ minimum: 0 }),
});
export type AlertView = Static<typeof AlertView>;

/** One appended change of an alert (the past is never overwritten). */
export const AlertHistoryEntry = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  action: Type.Unsafe<'raised' | AlertEventVerb>(
    Type.Union([Type.Literal('raised'), ...ALERT_EVENT_VERBS.map((v) => Type.Literal(v))]),
  ),
  status: AlertStatusSchema,
  by: Actor,
  assignee: NullableString,
  reason: NullableString,
  resolution: Type.Union([AlertResolutionSchema, Type.Null()]),
  at: Type.String(),
});
export type AlertHistoryEntry = Static<typeof AlertHistoryEntry>;

/** A signal an alert cites: the normalized event, without anything beyond what correlation used. */
export const EvidenceView = Type.Object({
  eventId: Type.String(),
  eventType: Type.String(),
  signal: Type.String(),
  at: Type.String(),
  ip: NullableString,
  accountId: NullableString,
  actorId: NullableString,
  sessionId: NullableString,
  detail: NullableString,
});
export type EvidenceView = Static<typeof EvidenceView>;

export const AlertDetailView = Type.Object({
  alert: AlertView,
  evidence: Type.Array(EvidenceView),
  responses: Type.Array(ResponseView),
  history: Type.Array(AlertHistoryEntry),
});
export type AlertDetailView = Static<typeof AlertDetailView>;

export const AlertPage = Type.Object({
  items: Type.Array(AlertView),
  /** Pass as `cursor` for the next (older) page; null at the end. */
  next: NullableString,
});
export type AlertPage = Static<typeof AlertPage>;

export const ResponseList = Type.Object({ items: Type.Array(ResponseView) });
export type ResponseList = Static<typeof ResponseList>;

export const AssignAlertBody = Type.Object(
  { assignee: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export const CloseAlertBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }), resolution: AlertResolutionSchema },
  { additionalProperties: false },
);
export const ReopenAlertBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
/** A manual response by a security operator (POST /api/sentinel/responses). */
export const ManualResponseBody = Type.Object(
  {
    action: ResponseActionSchema,
    target: ResponseTarget,
    durationSeconds: Type.Integer({ minimum: 60, maximum: 30 * 86_400 }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type ManualResponseBody = Static<typeof ManualResponseBody>;
export const LiftResponseBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

/**
 * GET /api/sentinel/responses/active (service clients; the kernel's risk board at start): the
 * guard's responses in force now. `at` is sentinel's clock when it answered.
 */
export const ActiveResponses = Type.Object({
  at: Type.String(),
  items: Type.Array(
    Type.Object({
      responseId: Type.String(),
      action: ResponseActionSchema,
      target: ResponseTarget,
      until: NullableString,
    }),
  ),
});
export type ActiveResponses = Static<typeof ActiveResponses>;

/** One line of GET /api/sentinel/alerts/export (application/x-ndjson) — what a SIEM receives. */
export const AlertExportLine = Type.Object({
  cursor: Type.String(),
  alert: AlertView,
  evidence: Type.Array(Type.String()),
  responses: Type.Array(Type.Object({ id: Type.String(), action: ResponseActionSchema, target: ResponseTarget })),
});
export type AlertExportLine = Static<typeof AlertExportLine>;
