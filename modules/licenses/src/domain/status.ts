// The life of a licence (GB/T 36904 status codes): valid ⇄ suspended, then revoked, revoked as a
// penalty, or expired — the last three for good. A table the compiler checks: an action without
// its from-states or its result does not compile.
import { LICENCE_STATUSES, type LicenceStatus } from '@tongban/contracts';

export const STATUS_ACTIONS = {
  /** 暂停: pending an investigation; verifiers answer "suspended". */
  suspend: { from: ['valid'], to: 'suspended', reason: 'required' },
  /** 恢复 */
  reinstate: { from: ['suspended'], to: 'valid', reason: 'optional' },
  /** 撤销: issued in error or on false information. */
  revoke: { from: ['valid', 'suspended'], to: 'revoked', reason: 'required' },
  /** 吊销: revoked as an administrative penalty (GB/T 36904 code 07). */
  'revoke-penalty': { from: ['valid', 'suspended'], to: 'penalty-revoked', reason: 'required' },
  /** 到期: the job at the end of validity, never an officer. */
  expire: { from: ['valid', 'suspended'], to: 'expired', reason: 'optional' },
} as const satisfies Record<
  string,
  { from: readonly LicenceStatus[]; to: LicenceStatus; reason: 'required' | 'optional' }
>;
export type StatusAction = keyof typeof STATUS_ACTIONS;
/** What an officer may do (expiry is the job's). */
export const OFFICER_ACTIONS = [
  'suspend',
  'reinstate',
  'revoke',
  'revoke-penalty',
] as const satisfies readonly StatusAction[];

export type Transition =
  | { readonly ok: true; readonly to: LicenceStatus; readonly code: string }
  | { readonly ok: false; readonly problem: 'not_allowed' | 'reason_required' };

export function transition(from: LicenceStatus, action: StatusAction, reason?: string): Transition {
  const rule = STATUS_ACTIONS[action];
  if (!(rule.from as readonly LicenceStatus[]).includes(from)) return { ok: false, problem: 'not_allowed' };
  if (rule.reason === 'required' && !reason?.trim()) return { ok: false, problem: 'reason_required' };
  return { ok: true, to: rule.to, code: LICENCE_STATUSES[rule.to] };
}

/**
 * What a status list carries for a licence: 0 valid, 1 otherwise (W3C Bitstring Status List
 * purpose "revocation" and "suspension" read the same bit by their own list).
 */
export function statusBit(status: LicenceStatus): 0 | 1 {
  return status === 'valid' ? 0 : 1;
}
