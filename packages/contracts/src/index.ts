// Contracts shared between modules and the web app: the events modules publish and the shapes
// other modules may rely on. A module imports another's contract from here, never its code.
import Type, { type Static } from 'typebox';

export * from './catalog.ts';
export * from './datahub.ts';
export * from './license-verification.ts';
export * from './license-wallet.ts';
export * from './license-trust.ts';
export * from './workflow-stats.ts';
export * from './person-access.ts';
export * from './workflow-documents.ts';
export * from './workflow.ts';
export * from './licenses.ts';
export * from './sentinel.ts';
export * from './payments.ts';
export * from './notify.ts';
import { DatahubEvents } from './datahub.ts';
import { LicenseEvents } from './licenses.ts';
import { LicenseTrustEvents } from './license-trust.ts';
import { PersonAccessEvents } from './person-access.ts';
import { WorkflowDocumentEvents } from './workflow-documents.ts';
import { GUARDED_MODULES, RequestDenied, SentinelEvents } from './sentinel.ts';
import { PaymentsEvents } from './payments.ts';

export const CatalogEvents = {
  'catalog.matter.published': Type.Object({
    code: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    departmentCode: Type.String(),
  }),
  'catalog.bundle.published': Type.Object({
    code: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    /** The matter versions the bundle version pins, by matter code. */
    matterVersions: Type.Record(Type.String(), Type.Integer({ minimum: 1 })),
  }),
} as const;

export type MatterPublished = Static<(typeof CatalogEvents)['catalog.matter.published']>;
export type BundlePublished = Static<(typeof CatalogEvents)['catalog.bundle.published']>;

/** Security events identity publishes; the ledger and security operations consume them. */
const Factor = Type.Union([
  Type.Literal('password'),
  Type.Literal('totp'),
  Type.Literal('sms'),
  Type.Literal('passkey'),
]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
export const SIGN_IN_FAILURE_REASONS = [
  'unknown_account',
  'locked',
  'wrong_password',
  'wrong_code',
  'disabled',
  'pending',
  'no_password',
  'no_challenge',
  'malformed',
  'unknown_passkey',
  'bad_assertion',
  'counter',
  /** Security operations locked the account (identity.account.security-locked): no factor gets in. */
  'security_locked',
] as const;
export type SignInFailureReason = (typeof SIGN_IN_FAILURE_REASONS)[number];
export type SignInFactor = 'password' | 'totp' | 'sms' | 'passkey';
export const IdentityEvents = {
  'identity.sign-in.succeeded': Type.Object({
    accountId: Type.String(),
    acr: Type.String(),
    ip: Type.String(),
    /** The sign-in session (the `sid` of its tokens), when identity knows it. */
    sessionId: Type.Optional(Type.String()),
  }),
  'identity.sign-in.failed': Type.Object({
    accountId: NullableString,
    factor: Factor,
    reason: Type.Enum(SIGN_IN_FAILURE_REASONS),
    ip: Type.String(),
    /**
     * HMAC-SHA-256 of the normalised login under identity's pepper, never the login itself: the same
     * for every attempt at one login (known account or not), so security operations can count the
     * distinct accounts one address tries (credential stuffing) without holding identifiers.
     */
    loginKey: Type.Optional(Type.String()),
  }),
  /**
   * Published with the charge that starts a lock: passwords lock one login from one address
   * (scope `address`) or from one known device (`device`); one-time codes and passkeys lock the
   * account's code step (`account`: only the password holder reaches that step).
   */
  'identity.account.locked': Type.Object({
    accountId: Type.String(),
    until: Type.String(),
    lockCount: Type.Integer(),
    ip: Type.String(),
    factor: Type.Optional(Type.String()),
    scope: Type.Optional(Type.Union([Type.Literal('address'), Type.Literal('device'), Type.Literal('account')])),
  }),
  /**
   * Security operations (sentinel, or a security operator through it) locked the account: no
   * factor signs in until `until` or an unlock, and its sessions were ended in the same transaction.
   * Distinct from the counters' locks above, which it neither sets nor lifts.
   */
  'identity.account.security-locked': Type.Object({
    accountId: Type.String(),
    until: Type.String(),
    reason: Type.String(),
    /** The client or account that asked (a service client id, e.g. `service:sentinel`). */
    by: Type.String(),
    alertId: Type.Optional(Type.String()),
    sessionsEnded: Type.Integer({ minimum: 0 }),
  }),
  'identity.account.security-unlocked': Type.Object({
    accountId: Type.String(),
    reason: Type.String(),
    by: Type.String(),
  }),
  /** A lock charged before the comparison and withdrawn: the attempt was right, or never compared. */
  'identity.account.unlocked': Type.Object({
    accountId: Type.String(),
    lockCount: Type.Integer(),
    ip: Type.String(),
    factor: Type.String(),
    reason: Type.Union([Type.Literal('signed-in'), Type.Literal('not-compared')]),
  }),
  /** Once per crossing of a sign-in throttle, not per refused attempt. */
  'identity.sign-in.throttled': Type.Object({
    scope: Type.Union([Type.Literal('address'), Type.Literal('login')]),
    factor: Type.Union([Type.Literal('password'), Type.Literal('code')]),
    ip: Type.String(),
    retryAfterSeconds: Type.Integer({ minimum: 0 }),
  }),
  /** A registration starts pending until the SMS code to the registered mobile is confirmed. */
  'identity.account.registered': Type.Object({
    accountId: Type.String(),
    kind: Type.String(),
    pendingUntil: Type.Optional(Type.String()),
    /** A business: the citizen who registered it as its legal representative. */
    legalRepresentative: Type.Optional(Type.String()),
  }),
  'identity.account.activated': Type.Object({ accountId: Type.String(), via: Type.Literal('sms-code') }),
  'identity.registration.lapsed': Type.Object({
    accountId: Type.String(),
    replacedBy: Type.Optional(Type.String()),
    reason: Type.Optional(Type.Literal('code-not-sent')),
  }),
  /** 账号找回: an officer with identity.recovery re-bound the account after checking the person at a counter. */
  'identity.account.recovered': Type.Object({
    accountId: Type.String(),
    by: Type.String(),
    verified: Type.String(),
    sessionsEnded: Type.Integer({ minimum: 0 }),
    factorsRemoved: Type.Object({ totp: Type.Boolean(), passkeys: Type.Integer({ minimum: 0 }) }),
    mobileChanged: Type.Boolean(),
    agentLinksRemoved: Type.Optional(Type.Integer({ minimum: 0 })),
    businessesSuspended: Type.Optional(Type.Array(Type.String())),
  }),
  'identity.account.password-set': Type.Object({ accountId: Type.String(), via: Type.Literal('counter-recovery') }),
  'identity.account.roles-changed': Type.Object({
    accountId: Type.String(),
    by: Type.String(),
    before: Type.Unknown(),
    after: Type.Unknown(),
  }),
  'identity.agent.authorised': Type.Object({ businessId: Type.String(), citizenId: Type.String(), by: Type.String() }),
  'identity.mfa.changed': Type.Object({
    accountId: Type.String(),
    factor: Type.Union([Type.Literal('totp'), Type.Literal('passkey')]),
    change: Type.Union([Type.Literal('enrolled'), Type.Literal('removed')]),
    credentialId: Type.Optional(Type.String()),
  }),
  'identity.session.revoked': Type.Object({
    accountId: Type.String(),
    sessionId: Type.String(),
    /** Security operations' revocation: who asked, and why. */
    by: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
  }),
  'identity.refresh-token.reused': Type.Object({
    accountId: NullableString,
    clientId: NullableString,
    grantId: NullableString,
    ip: Type.String(),
  }),
} as const;

const TaskRef = {
  applicationId: Type.String(),
  caseNumber: Type.String(),
  taskId: Type.String(),
  matterCode: Type.String(),
  departmentCode: Type.String(),
  applicantId: Type.String(),
};

/** Every transition of the workflow; notifications, licences, the ledger and ratings consume them. */
export const WorkflowEvents = {
  'workflow.application.submitted': Type.Object({
    applicationId: Type.String(),
    caseNumber: Type.String(),
    applicantId: Type.String(),
    channel: Type.String(),
    /** The applicant online; at a service counter (channel 'counter') the officer who filed it. */
    actor: Type.Object({ kind: Type.String(), id: Type.String() }),
    subject: Type.Object({ kind: Type.String(), code: Type.String(), version: Type.Integer() }),
    tasks: Type.Array(
      Type.Object({
        taskId: Type.String(),
        matterCode: Type.String(),
        departmentCode: Type.String(),
        state: Type.String(),
      }),
    ),
  }),
  'workflow.application.completed': Type.Object({
    applicationId: Type.String(),
    caseNumber: Type.String(),
    applicantId: Type.String(),
  }),
  'workflow.application.closed': Type.Object({
    applicationId: Type.String(),
    caseNumber: Type.String(),
    applicantId: Type.String(),
  }),
  /** 撤回: the applicant withdrew it before any department decided; each open task also publishes workflow.task.withdrawn. */
  'workflow.application.withdrawn': Type.Object({
    applicationId: Type.String(),
    caseNumber: Type.String(),
    applicantId: Type.String(),
    actor: Type.Object({ kind: Type.String(), id: Type.String() }),
    reason: Type.String(),
    tasks: Type.Array(
      Type.Object({
        taskId: Type.String(),
        matterCode: Type.String(),
        departmentCode: Type.String(),
        from: Type.String(),
      }),
    ),
    at: Type.String(),
  }),
  /** One schema for every task transition and note: the action, the states, who and why. */
  'workflow.task.transitioned': Type.Object({
    ...TaskRef,
    action: Type.String(),
    from: Type.Union([Type.String(), Type.Null()]),
    to: Type.Union([Type.String(), Type.Null()]),
    actor: Type.Object({ kind: Type.String(), id: Type.String() }),
    reason: Type.Optional(Type.String()),
    rule: Type.Optional(Type.String()),
    at: Type.String(),
    seq: Type.Integer(),
  }),
} as const;
export type TaskTransitioned = Static<(typeof WorkflowEvents)['workflow.task.transitioned']>;

/** The verbs of `workflow.task.<verb>`: every one carries the `workflow.task.transitioned` payload. */
export const TASK_EVENT_VERBS = [
  'started',
  'accepted',
  'reviewed',
  'approved',
  'rejected',
  'cancelled',
  'withdrawn',
  'correction-requested',
  'resubmitted',
  'material-supplied',
  'claimed',
  'assigned',
  'deadline-approaching',
  'escalated',
  // Issue 15: a task with fees waits for payments.order.paid (or ends on payments.order.expired).
  'payment-received',
  'payment-lapsed',
] as const;

/** What the ledger's witness raises when a log shows misconduct (a fork, a rewritten tree). */
export const LedgerEvents = {
  'ledger.witness.refused': Type.Object({
    witness: Type.String(),
    origin: Type.String(),
    reason: Type.String(),
    witnessSize: Type.Union([Type.Integer(), Type.Null()]),
    checkpoint: Type.String(),
  }),
} as const;

const { 'workflow.task.transitioned': taskTransitioned, ...applicationEvents } = WorkflowEvents;

/**
 * Every event type any module publishes, with its payload's schema: the one list consumers and
 * derived lists (what the ledger records) are computed from. A test checks that the code
 * publishes no type missing here (apps/server/test/contracts.test.ts).
 */
export const EVENT_CATALOG = {
  ...CatalogEvents,
  ...DatahubEvents,
  ...IdentityEvents,
  ...applicationEvents,
  ...WorkflowDocumentEvents,
  ...(Object.fromEntries(TASK_EVENT_VERBS.map((verb) => [`workflow.task.${verb}`, taskTransitioned])) as Record<
    `workflow.task.${(typeof TASK_EVENT_VERBS)[number]}`,
    typeof taskTransitioned
  >),
  ...LedgerEvents,
  ...PersonAccessEvents,
  ...LicenseEvents,
  ...LicenseTrustEvents,
  ...SentinelEvents,
  ...PaymentsEvents,
  ...(Object.fromEntries(GUARDED_MODULES.map((m) => [`${m}.request.denied`, RequestDenied])) as Record<
    `${(typeof GUARDED_MODULES)[number]}.request.denied`,
    typeof RequestDenied
  >),
} as const;
export type EventType = keyof typeof EVENT_CATALOG;
/** The payload of an event type, as its schema in the catalog describes it. */
export type EventData<K extends EventType> = Static<(typeof EVENT_CATALOG)[K]>;
export type ApplicationWithdrawn = Static<(typeof WorkflowEvents)['workflow.application.withdrawn']>;

/**
 * Roles identity grants to department systems (service clients) for what other modules offer
 * them. Staff roles (officer, approver, lead) belong to the workflow's process tables.
 */
export const ServiceRoles = {
  /** Append audit entries to the ledger directly (`POST /api/ledger/logs/:log/entries`). */
  ledgerAppend: 'ledger.append',
  /** Look an account up (`GET /api/identity/accounts/:id/summary`): workflow's counter filing. */
  accountsRead: 'identity.accounts.read',
  /** Ask the data hub to prefill an application (`POST /api/datahub/prefill`): the workflow. */
  datahubPrefill: 'datahub.prefill',
  /** Read shared resources under a grant (`POST /api/datahub/resources/:code/query`): department systems. */
  datahubRead: 'datahub.read',
  /** A person's ledger entries by subject key (`GET /api/ledger/subjects/:subject/entries`): the data hub's "who used my data". */
  ledgerSubjectsRead: 'ledger.subjects.read',
  /** An approved task's answers (`GET /api/workflow/tasks/:id/answers`): licences' issuer. */
  workflowAnswersRead: 'workflow.answers.read',
  /** Whether a holder's licence is theirs, valid and of a type (`GET /api/licenses/services/holders/…`): the workflow's 免证办. */
  licensesHolderCheck: 'licenses.holder-check',
  /** Lock and unlock an account, end its sessions (`POST /api/identity/security/accounts/…`): sentinel's responses. */
  identityRespond: 'identity.respond',
  /** What payments needs to assess a task's fees (`GET /api/workflow/services/tasks/:id/payment-facts`): the payments client. */
  workflowPaymentFactsRead: 'workflow.payment-facts.read',
  /** A person's mobile and language for their notices (`GET /api/identity/services/accounts/:id/contact`): the notify client. */
  identityContactRead: 'identity.contact.read',
} as const;

/** Roles identity grants to people (staff accounts); a module's routes and process tables use these. */
export const StaffRoles = {
  /** 受理/审核: handles a department's tasks. */
  officer: 'officer',
  /** 审批: decides where a process asks for an approver. */
  approver: 'approver',
  /** 分管领导: escalations, and decisions a lead must take. */
  lead: 'lead',
  /** 窗口: files applications on a person's behalf at a service counter. */
  counter: 'counter',
  /** 账号找回: re-binds an account after checking the person at a counter. */
  recovery: 'identity.recovery',
  operator: 'operator',
  security: 'security',
  /** 数据管理: defines resources, grants and masking; sees audits of the data hub. */
  dataSteward: 'datahub.steward',
} as const;

/** Every role a policy may name: a typo in a route's policy does not compile. */
export type Role = (typeof ServiceRoles)[keyof typeof ServiceRoles] | (typeof StaffRoles)[keyof typeof StaffRoles];

/**
 * The access-token contract between identity (the issuer) and every module (the verifiers): the
 * audience a platform API token names (RFC 8707 resource), the acr values of the two assurances,
 * and the name of the platform claim. packages/kernel/src/auth/principal.ts documents the whole
 * token; identity issues exactly this and the kernel's guard accepts nothing else.
 */
export const AccessToken = {
  audience: 'urn:tongban:api',
  acr: { password: 'urn:tongban:acr:password', mfa: 'urn:tongban:acr:mfa' },
  /** `{ kind, roles, departments, regions, actingFor? }` (TongbanClaim). */
  claim: 'tongban',
} as const;

export const PRINCIPAL_KINDS = ['citizen', 'business', 'officer', 'operator', 'security', 'service'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** The platform claim identity puts in every access token. */
export interface TongbanClaim {
  readonly kind: PrincipalKind;
  readonly roles: readonly string[];
  readonly departments: readonly string[];
  readonly regions: readonly string[];
  readonly actingFor?: string;
}
