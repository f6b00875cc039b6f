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
      /** The items outside the grant (items_outside_grant); which other purposes are granted is never said. */
      readonly outside: readonly string[];
    };

/**
 * Checks a request against the consumer's active grants on the resource (any purpose): none at all
 * is `no_grant`, none for this purpose is `wrong_purpose`, items the grant does not name are
 * `items_outside_grant`.
 */
export function checkGrant(grants: readonly Grant[], request: AccessRequest): GrantVerdict {
  const mine = grants.filter((g) => g.consumer === request.consumer && g.resource === request.resource);
  if (mine.length === 0) return { ok: false, reason: 'no_grant', outside: [] };
  const grant = mine.find((g) => g.purpose === request.purpose);
  if (!grant) return { ok: false, reason: 'wrong_purpose', outside: [] };
  const outside = request.items.filter((i) => !grant.items.includes(i));
  if (outside.length > 0) return { ok: false, reason: 'items_outside_grant', outside };
  return { ok: true, grant };
}

/** How near a refusal came to a grant (items outside one for the purpose, then another purpose, then none). */
const NEARNESS: Record<Extract<GrantVerdict, { ok: false }>['reason'], number> = {
  items_outside_grant: 2,
  wrong_purpose: 1,
  no_grant: 0,
};

/**
 * Of the consumers one principal may read as (an officer's departments, in order), the first whose
 * grants admit the request; when none does, the one whose refusal came nearest (the first of those).
 */
export function chooseConsumer<C>(
  candidates: readonly { readonly consumer: C; readonly verdict: GrantVerdict }[],
): { consumer: C; verdict: GrantVerdict } | undefined {
  const admitted = candidates.find((c) => c.verdict.ok);
  if (admitted) return admitted;
  let best: (typeof candidates)[number] | undefined;
  for (const c of candidates) {
    if (c.verdict.ok) continue;
    if (!best || (!best.verdict.ok && NEARNESS[c.verdict.reason] > NEARNESS[best.verdict.reason])) best = c;
  }
  return best;
}
