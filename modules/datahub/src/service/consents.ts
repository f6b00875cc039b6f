// 授权同意: a citizen consents, for one purpose, to items of the catalogue's resources (an item
// not in its resource is refused naming it), and revokes what they gave.
import type { ModuleContext } from '@tongban/kernel';
import { randomUUID } from 'node:crypto';
import { DatahubError } from '../errors.ts';
import { parseConsentItem } from '../domain/consent.ts';
import { insertConsent, revokeConsent, type ConsentView } from '../store/consents.ts';
import { latestResources } from '../store/resources.ts';
import { typed } from '../store/tables.ts';

export async function giveConsent(
  ctx: ModuleContext,
  accountId: string,
  purpose: string,
  items: readonly string[],
): Promise<ConsentView> {
  const resources = new Map((await latestResources(typed(ctx.db))).map((r) => [r.definition.code, r.definition]));
  const problems = items.flatMap((value, i) => {
    const parsed = parseConsentItem(value);
    const resource = parsed && resources.get(parsed.resource);
    if (!parsed || !resource)
      return [{ field: `body.items.${i}`, code: 'unknown_resource', message: `no resource for ${value}` }];
    if (!resource.items.some((it) => it.key === parsed.item))
      return [
        { field: `body.items.${i}`, code: 'unknown_item', message: `${parsed.resource} has no item ${parsed.item}` },
      ];
    return [];
  });
  if (problems.length > 0) throw new DatahubError('DATAHUB_CONSENT_INVALID', {}, problems);
  return ctx.transaction(async (trx, events) => {
    const consent = await insertConsent(typed(trx), { id: randomUUID(), accountId, purpose, items });
    await events.publish('datahub.consent.given', {
      consentId: consent.id,
      accountId,
      purpose,
      items: [...consent.items],
    });
    return consent;
  });
}

/** Another person's consent, or one already revoked, is "not found": ids tell nothing. */
export async function withdrawConsent(ctx: ModuleContext, accountId: string, id: string): Promise<ConsentView> {
  return ctx.transaction(async (trx, events) => {
    const consent = await revokeConsent(typed(trx), id, accountId, ctx.clock.now());
    if (!consent) throw new DatahubError('DATAHUB_CONSENT_NOT_FOUND', { id });
    await events.publish('datahub.consent.revoked', { consentId: id, accountId, purpose: consent.purpose });
    return consent;
  });
}
