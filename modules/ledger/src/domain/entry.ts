// What a ledger entry says: who did what, to whose data, for what purpose, when, with what
// outcome, and where it came from — references and digests only, never the personal data
// itself (an IP address or a free-text reason is kept as a keyed digest, HMAC-SHA256 with the
// ledger's pepper: a plain hash of an IPv4 address is reversed in minutes). Written as RFC 8785
// canonical JSON, so the bytes hashed are the bytes anyone can recompute.
import { createHash, createHmac } from 'node:crypto';
import { canonicalize } from './canonical.ts';

export interface AuditEntry {
  readonly v: 1;
  /** When it happened (the producing event's time). */
  readonly at: string;
  readonly actor: { readonly kind: string; readonly id: string | null };
  /** What was done: the event type, e.g. workflow.task.approved. */
  readonly action: string;
  /** Whose data it concerns (an account id), if anyone's. */
  readonly subject: { readonly kind: string; readonly id: string } | null;
  /** The thing acted on, by reference. */
  readonly resource: Readonly<Record<string, string>> | null;
  readonly purpose: string;
  readonly outcome: 'success' | 'failure' | 'denied';
  /** Where the entry came from: the module and the event (its id makes the entry traceable). */
  readonly source: { readonly module: string; readonly event?: string };
  /** Digests of what may not be stored in clear. */
  readonly digests?: Readonly<Record<string, string>>;
}

/** A digest that proves a value without revealing it: HMAC-SHA256 under `pepper` (or SHA-256 without one, for public values). */
export const digest = (value: unknown, pepper?: string): string => {
  const text = typeof value === 'string' ? value : canonicalize(value);
  return (pepper ? createHmac('sha256', pepper) : createHash('sha256')).update(text).digest('hex');
};

export function entryBody(entry: AuditEntry): string {
  return canonicalize(entry);
}

interface Envelope {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly occurredAt: string;
  readonly data: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * What a public entry calls a person: a keyed pseudonym of the account id (HMAC under the pepper),
 * the same in every entry. Entries are public; account ids are not secret (tokens carry them), and
 * an account id beside case numbers and matters would tell anyone who knows it that person's life
 * events. The person finds their entries through `GET /me/entries`, which says their pseudonym.
 */
export const pseudonym = (accountId: string, pepper: string): string =>
  `p-${createHmac('sha256', pepper).update(`subject\n${accountId}`).digest('hex').slice(0, 32)}`;

/**
 * Whom an event concerns, kept beside the entry (never in it) to find a person's entries: the
 * account, or for a data hub read the person's key (`pk-…`, the hub's keyed pseudonym of the ID
 * number: the person read may have no account), which "who used my data" asks for.
 */
export function subjectOf(event: Envelope): string | null {
  const d = (event.data ?? {}) as Record<string, unknown>;
  if (event.type === 'datahub.record.read') return str(d.subject) ?? null;
  if (event.source === 'licenses') return str(d.holderId) ?? null;
  return (event.source === 'workflow' ? str(d.applicantId) : str(d.accountId)) ?? null;
}

const STAFF_ACTS: ReadonlySet<string> = new Set([
  'identity.account.roles-changed',
  'identity.account.recovered',
  // a counter officer looking a resident up before filing for them (窗口)
  'identity.resident.looked-up',
]);

/** The purposes the platform's own producers record (数据使用目的). */
export const PURPOSES = {
  identity: 'identity-and-access',
  workflow: 'government-service-handling',
  datahub: 'data-governance',
  licenses: 'licence-issuance',
} as const;

/**
 * An audit entry for an event of another module. Identifiers are kept (they are references);
 * addresses and reasons become digests; everything else of the event is covered by `data`'s digest,
 * so the entry proves what the event said without repeating it.
 */
export function entryFromEvent(event: Envelope, pepper: string): AuditEntry {
  const d = (event.data ?? {}) as Record<string, unknown>;
  const digests: Record<string, string> = { data: digest(event.data ?? null, pepper) };
  if (str(d.ip)) digests.ip = digest(d.ip, pepper);
  if (str(d.reason)) digests.reason = digest(d.reason, pepper);
  const base = {
    v: 1 as const,
    at: event.occurredAt,
    action: event.type,
    source: { module: event.source, event: event.id },
    digests,
  };
  if (event.type.startsWith('datahub.')) return datahubEntry(event.type, d, base, pepper);
  if (event.source === 'licenses') {
    // 电子证照: the issuing department's officer acts in their own name; the holder is a pseudonym.
    const given = (d.actor ?? { kind: 'system', id: 'licenses' }) as { kind?: unknown; id?: unknown };
    const resource: Record<string, string> = {};
    for (const key of [
      'licenceId',
      'identifier',
      'typeCode',
      'departmentCode',
      'action',
      'from',
      'to',
      'code',
    ] as const) {
      const v = str(d[key]);
      if (v) resource[key] = v;
    }
    return {
      ...base,
      actor: { kind: str(given.kind) ?? 'system', id: str(given.id) ?? null },
      subject: str(d.holderId) ? { kind: 'account', id: pseudonym(d.holderId as string, pepper) } : null,
      resource,
      purpose: PURPOSES.licenses,
      outcome: 'success',
    };
  }
  if (event.source === 'workflow') {
    const given = (d.actor ?? { kind: 'applicant', id: d.applicantId }) as { kind?: unknown; id?: unknown };
    // Staff act in their own name (accountability); an applicant is a person, named by pseudonym.
    const actorId = str(given.id);
    const actor = {
      kind: given.kind,
      id: actorId && given.kind === 'applicant' ? pseudonym(actorId, pepper) : actorId,
    };
    const resource: Record<string, string> = {};
    for (const key of [
      'applicationId',
      'caseNumber',
      'channel',
      'taskId',
      'matterCode',
      'departmentCode',
      'action',
      'from',
      'to',
      'rule',
    ] as const) {
      const v = str(d[key]);
      if (v) resource[key] = v;
    }
    return {
      ...base,
      actor: { kind: str(actor.kind) ?? 'system', id: str(actor.id) ?? null },
      subject: str(d.applicantId) ? { kind: 'account', id: pseudonym(d.applicantId as string, pepper) } : null,
      resource,
      purpose: PURPOSES.workflow,
      outcome: 'success',
    };
  }
  const accountId = str(d.accountId);
  const failed = /\.(failed|locked|reused)$/.test(event.type);
  // Staff acting on an account (roles changed, 账号找回 at a counter) act in their own name; the
  // `by` of other events (a representative authorising an agent) is a person and stays unnamed.
  const by = STAFF_ACTS.has(event.type) ? str(d.by) : undefined;
  const resource: Record<string, string> = {};
  for (const key of ['sessionId', 'factor', 'change', 'reason', 'credentialId'] as const) {
    const v = str(d[key]);
    if (v && key !== 'reason') resource[key] = v;
  }
  return {
    ...base,
    actor: by ? { kind: 'staff', id: by } : { kind: 'account', id: accountId ? pseudonym(accountId, pepper) : null },
    subject: accountId ? { kind: 'account', id: pseudonym(accountId, pepper) } : null,
    resource: Object.keys(resource).length > 0 ? resource : null,
    purpose: event.source === 'identity' ? PURPOSES.identity : event.source,
    outcome: failed ? 'failure' : event.type.endsWith('.throttled') ? 'denied' : 'success',
  };
}

const texts = (v: unknown): string | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length > 0 ? v.join(',') : undefined;

/**
 * The data hub's events: a read names the consumer (a system or an officer by id; a person by
 * pseudonym), the person read by their hub key, the resource, items and channel, and the purpose
 * it was read for; a refusal is `denied`; consents concern the person who gave them; grants and
 * published resources are data governance by staff.
 */
function datahubEntry(
  type: string,
  d: Record<string, unknown>,
  base: Pick<AuditEntry, 'v' | 'at' | 'action' | 'source' | 'digests'>,
  pepper: string,
): AuditEntry {
  const consumer = (d.consumer ?? {}) as { kind?: unknown; id?: unknown; department?: unknown };
  const consumerId = str(consumer.id);
  const actorOfConsumer = {
    kind: str(consumer.kind) ?? 'system',
    id: consumerId && consumer.kind === 'citizen' ? pseudonym(consumerId, pepper) : (consumerId ?? null),
  };
  const pick = (keys: readonly string[]) => {
    const resource: Record<string, string> = {};
    for (const key of keys) {
      const v = str(d[key]) ?? texts(d[key]) ?? (typeof d[key] === 'number' ? String(d[key]) : undefined);
      if (v) resource[key] = v;
    }
    if (str(consumer.department)) resource.department = consumer.department as string;
    return resource;
  };
  const accountId = str(d.accountId);
  const account = accountId ? { kind: 'account', id: pseudonym(accountId, pepper) } : null;
  switch (type) {
    case 'datahub.record.read':
      return {
        ...base,
        actor: actorOfConsumer,
        subject: str(d.subject) ? { kind: 'person', id: d.subject as string } : null,
        resource: pick(['resource', 'items', 'channel']),
        purpose: str(d.purpose) ?? PURPOSES.datahub,
        outcome: 'success',
      };
    case 'datahub.access.denied':
      return {
        ...base,
        actor: actorOfConsumer,
        subject: null,
        resource: pick(['resource', 'items', 'reason']),
        purpose: str(d.purpose) ?? PURPOSES.datahub,
        outcome: 'denied',
      };
    case 'datahub.consent.given':
    case 'datahub.consent.revoked':
      return {
        ...base,
        actor: account ?? { kind: 'account', id: null },
        subject: account,
        resource: pick(['consentId', 'items']),
        purpose: str(d.purpose) ?? PURPOSES.datahub,
        outcome: 'success',
      };
    default:
      return {
        ...base,
        actor: str(d.by) ? { kind: 'staff', id: d.by as string } : { kind: 'system', id: null },
        subject: null,
        resource: pick(['grantId', 'consumer', 'resource', 'items', 'change', 'code', 'version']),
        purpose: str(d.purpose) ?? PURPOSES.datahub,
        outcome: 'success',
      };
  }
}
