// 共享授权: a consumer (a registered system's client id, or a department code for its officers)
// may receive, for one purpose (a matter code, a bundle code or a legal basis `law:<ref>`), the
// items a grant names of one resource, and nothing else (X-Road's access rights per consumer ×
// service). Pure: the grants are read by the caller.
import type { DatahubDenialReason } from '@tongban/contracts';

export interface Grant {
  readonly id: string;
  readonly consumer: string;
  readonly resource: string;
  readonly purpose: string;
  readonly items: readonly string[];
}

export interface AccessRequest {
  readonly consumer: string;
  readonly resource: string;
  readonly purpose: string;
  readonly items: readonly string[];
}

export type GrantVerdict =
  | { readonly ok: true; readonly grant: Grant }
  | {
      readonly ok: false;
      readonly reason: Exclude<DatahubDenialReason, 'no_consent'>;
      /** The items outside the grant (items_outside_grant), the purposes granted instead (wrong_purpose). */
      readonly outside: readonly string[];
      readonly purposes: readonly string[];
    };

/**
 * Checks a request against the consumer's active grants on the resource (any purpose): none at all
 * is `no_grant`, none for this purpose is `wrong_purpose`, items the grant does not name are
 * `items_outside_grant`.
 */
export function checkGrant(grants: readonly Grant[], request: AccessRequest): GrantVerdict {
  const mine = grants.filter((g) => g.consumer === request.consumer && g.resource === request.resource);
  if (mine.length === 0) return { ok: false, reason: 'no_grant', outside: [], purposes: [] };
  const grant = mine.find((g) => g.purpose === request.purpose);
  if (!grant) return { ok: false, reason: 'wrong_purpose', outside: [], purposes: mine.map((g) => g.purpose).sort() };
  const outside = request.items.filter((i) => !grant.items.includes(i));
  if (outside.length > 0) return { ok: false, reason: 'items_outside_grant', outside, purposes: [grant.purpose] };
  return { ok: true, grant };
}
