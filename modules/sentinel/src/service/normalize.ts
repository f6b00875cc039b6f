// Each security-relevant event of the catalog, normalized into the engine's Signal: one mapper per
// event type (a table the compiler checks against EVENT_CATALOG). A mapper returns undefined for
// an event that says nothing to the rules (a denial of an address already blocked: sentinel's own
// response, not a new sign of an attack).
import { GUARDED_MODULES, type EventData, type EventType, type RequestDenied } from '@tongban/contracts';
import type { EventEnvelope } from '@tongban/kernel';
import type { Signal } from './engine.ts';

type Mapper<K extends EventType> = (data: EventData<K>, event: EventEnvelope) => Omit<Signal, 'id' | 'at'> | undefined;
type MapperTable = { readonly [K in EventType]?: Mapper<K> };

const factorOf = (factor: string): Signal['factor'] =>
  factor === 'password' ? 'password' : factor === 'passkey' ? 'passkey' : 'code';

/** A guard's denial (`<module>.request.denied`): from an address, by a principal when there was one. */
const denied: Mapper<`${(typeof GUARDED_MODULES)[number]}.request.denied`> = (d: RequestDenied) =>
  d.code === 'ADDRESS_BLOCKED'
    ? undefined
    : {
        type: 'access.denied',
        ip: d.ip,
        ...(d.principal
          ? {
              actorId: d.principal.id,
              actorKind: d.principal.kind,
              ...(d.principal.sessionId ? { sessionId: d.principal.sessionId } : {}),
            }
          : {}),
        detail: `${d.code} ${d.method} ${d.route}`,
      };

const deniedTable = Object.fromEntries(GUARDED_MODULES.map((m) => [`${m}.request.denied`, denied])) as {
  readonly [K in `${(typeof GUARDED_MODULES)[number]}.request.denied`]: Mapper<K>;
};

export const NORMALIZERS = {
  'identity.sign-in.failed': (d) => ({
    type: 'sign-in.failed',
    ip: d.ip,
    factor: factorOf(d.factor),
    ...(d.accountId ? { accountId: d.accountId } : {}),
    detail: d.reason,
  }),
  'identity.sign-in.succeeded': (d) => {
    // The session, when identity names it (impossible travel steps it up).
    const sessionId = (d as { sessionId?: unknown }).sessionId;
    return {
      type: 'sign-in.succeeded',
      ip: d.ip,
      accountId: d.accountId,
      ...(typeof sessionId === 'string' ? { sessionId } : {}),
      detail: d.acr,
    };
  },
  'identity.sign-in.throttled': (d) => ({
    type: 'sign-in.throttled',
    ip: d.ip,
    factor: d.factor === 'password' ? 'password' : 'code',
    detail: d.scope,
  }),
  'identity.account.locked': (d) => ({
    type: 'account.locked',
    ip: d.ip,
    accountId: d.accountId,
    ...(d.factor ? { factor: factorOf(d.factor) } : {}),
  }),
  'identity.mfa.changed': (d) => ({ type: 'mfa.changed', accountId: d.accountId, detail: `${d.factor} ${d.change}` }),
  // Staff access changes only by operators (identity's accounts API).
  'identity.account.roles-changed': (d) => ({
    type: 'roles.changed',
    accountId: d.accountId,
    actorId: d.by,
    actorKind: 'operator',
  }),
  'identity.refresh-token.reused': (d) => ({
    type: 'refresh-token.reused',
    ip: d.ip,
    ...(d.accountId ? { accountId: d.accountId } : {}),
    ...(d.clientId ? { detail: d.clientId } : {}),
  }),
  'identity.resident.looked-up': (d) => ({
    type: 'data.read',
    actorId: d.by,
    actorKind: 'officer',
    ...(d.accountId ? { accountId: d.accountId } : {}),
    count: 1,
  }),
  'ledger.witness.refused': (d) => ({ type: 'witness.refused', actorId: d.witness, detail: d.reason }),
  'datahub.record.read': (d) => ({
    type: d.channel === 'reveal' ? 'data.revealed' : 'data.read',
    actorId: d.consumer.id,
    actorKind: d.consumer.kind === 'staff' ? 'officer' : d.consumer.kind,
    ...(d.accountId ? { accountId: d.accountId } : {}),
    ...(d.consumer.department ? { departmentCode: d.consumer.department } : {}),
    count: 1,
    detail: `${d.channel} ${d.resource}`,
  }),
  'datahub.access.denied': (d) => ({
    type: 'access.denied',
    actorId: d.consumer.id,
    actorKind: d.consumer.kind === 'staff' ? 'officer' : d.consumer.kind,
    detail: `${d.reason} ${d.resource}`,
  }),
  'datahub.grant.changed': (d) => ({ type: 'grant.changed', actorId: d.by, detail: `${d.change} ${d.resource}` }),
  'workflow.answer.revealed': (d) => ({
    type: 'data.revealed',
    actorId: d.actor.id,
    actorKind: d.actor.kind,
    accountId: d.applicantId,
    departmentCode: d.departmentCode,
    count: 1,
    detail: d.matterCode,
  }),
  'workflow.answer.reveal-refused': (d) => ({
    type: 'access.denied',
    actorId: d.actor.id,
    actorKind: d.actor.kind,
    detail: d.reason,
  }),
  'workflow.document.read': (d) => ({
    type: 'data.read',
    actorId: d.actor.id,
    actorKind: d.actor.kind,
    accountId: d.applicantId,
    departmentCode: d.departmentCode,
    count: 1,
  }),
  // A forged, replayed or mismatched payment-channel callback: whoever sent it from where.
  'payments.callback.refused': (d) => ({
    type: 'callback.refused',
    ip: d.ip,
    actorId: `channel:${d.channel}`,
    detail: d.reason,
  }),
  ...deniedTable,
} satisfies MapperTable;

export type SignalEventType = keyof typeof NORMALIZERS;
export const SIGNAL_EVENTS = Object.keys(NORMALIZERS) as SignalEventType[];

/**
 * The event as a signal, or undefined when it says nothing: its id is the event's, its instant the
 * payload's `at` when it has one (the publisher's clock: the platform's), else the envelope's.
 */
export function normalize(event: EventEnvelope): Signal | undefined {
  const mapper = (NORMALIZERS as Record<string, Mapper<EventType> | undefined>)[event.type];
  const fields = mapper?.(event.data as never, event);
  if (!fields) return undefined;
  const at = (event.data as { at?: unknown }).at;
  return {
    ...fields,
    id: event.id,
    at: typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? at : event.occurredAt,
  };
}
