// A signal is one security-relevant event of any module, normalized by the service
// (service/normalize.ts) into the few fields the rules read. The rules never see the events
// themselves, so a module's event can change shape without touching a rule.

export const SIGNAL_TYPES = [
  'sign-in.failed',
  'sign-in.succeeded',
  'sign-in.throttled',
  'account.locked',
  'mfa.changed',
  'access.denied',
  'data.revealed',
  'data.read',
  'data.exported',
  'roles.changed',
  'grant.changed',
  'witness.refused',
  'refresh-token.reused',
  'callback.refused',
  'privileged.action',
] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

/** Password and one-time-code failures count apart, so guessing codes cannot ride on password typos (and the reverse). */
export const SIGNAL_FACTORS = ['password', 'code', 'passkey'] as const;
export type SignalFactor = (typeof SIGNAL_FACTORS)[number];

export interface Signal {
  /** The event id (idempotency is the service's job: a signal is stepped once). */
  readonly id: string;
  /** ISO instant the event happened — the only clock the rules use, so a replay decides as the live run did. */
  readonly at: string;
  readonly type: SignalType;
  readonly ip?: string;
  /** The account acted on or signing in (may be the victim: never lock it on an address's evidence). */
  readonly accountId?: string;
  /** Who did it (officer or operator id) when not the account; for witness.refused the witness. */
  readonly actorId?: string;
  /** The actor's principal kind (PRINCIPAL_KINDS). */
  readonly actorKind?: string;
  readonly sessionId?: string;
  readonly factor?: SignalFactor;
  /** The login tried, for failed sign-ins of an unknown account (credential stuffing counts distinct targets). */
  readonly login?: string;
  /** Person records read or exported in this one event (default 1). */
  readonly count?: number;
  readonly departmentCode?: string;
  /** E.g. a denial's reason or route; never personal data. */
  readonly detail?: string;
}

/** Milliseconds since the epoch of the signal's instant; NaN when `at` is not a date. */
export function signalTime(signal: Signal): number {
  return Date.parse(signal.at);
}
