// 查看明文: an officer reveals one masked value of one row, for a purpose their department holds a
// grant for, with a reason. Explicit, rate-limited (REVEALS_PER_HOUR per officer, counted in
// datahub.reveal under a lock per officer; past it a 429 and a datahub.access.denied
// 'reveal_rate_limited' committed on its own) and ledgered (channel 'reveal'). The reason is
// sealed in datahub.reveal; the read event carries only its keyed digest.
import type { FieldCipher, Principal } from '@tongban/kernel';
import { randomUUID } from 'node:crypto';
import { DatahubError } from '../errors.ts';
import { countRevealsSince, insertReveal, lockOfficerReveals } from '../store/reveals.ts';
import { typed } from '../store/tables.ts';
import { publishReads } from './access.ts';
import type { Hub } from './hub.ts';
import { activeGrants } from '../store/grants.ts';
import { authorise, checkItems, consumerWithGrants, findRows, whereOf } from './query.ts';
import { openRow } from './rows.ts';

export const REVEALS_PER_HOUR = 10;
/** The additional data datahub.reveal.reason is sealed under. */
export const REVEAL_REASON_AAD = 'datahub.reveal.reason';

/** What a reveal's read event says of the reason: a keyed digest (blind index), equal for equal text. */
export const revealReasonDigest = (fields: FieldCipher, reason: string): string =>
  fields.blindIndex('reveal.reason', reason);

export async function reveal(
  hub: Hub,
  officer: Principal,
  code: string,
  body: { purpose: string; where: Record<string, string | number>; item: string; reason: string },
): Promise<{ resource: string; item: string; value: string | number | null }> {
  const db = typed(hub.ctx.db);
  const resource = await hub.resources.get(code);
  checkItems(resource, [body.item], 'body.item');
  const where = whereOf(resource, body.where);
  const asked = where.item === body.item ? [body.item] : [body.item, where.item];
  const { consumer, grants } = await consumerWithGrants(officer, code, (g) => activeGrants(db, g, [code]), {
    purpose: body.purpose,
    items: asked,
  });
  await authorise(hub.ctx, resource, consumer, grants, body.purpose, [body.item], where.item);
  const now = hub.ctx.clock.now();
  const done = await hub.ctx.transaction(async (t, events) => {
    const trx = typed(t);
    await lockOfficerReveals(trx, officer.id);
    // Past the limit nothing is read: the transaction ends (committing nothing) and the refusal is
    // recorded in one of its own below, so the 429 leaves a security event behind.
    if ((await countRevealsSince(trx, officer.id, new Date(now.getTime() - 3600_000))) >= REVEALS_PER_HOUR)
      return undefined;
    const records = await findRows(trx, hub, resource, where);
    if (records.length === 0) throw new DatahubError('DATAHUB_RECORD_NOT_FOUND');
    if (records.length > 1) {
      throw new DatahubError('DATAHUB_QUERY_INVALID', {}, [
        {
          field: 'body.where',
          code: 'ambiguous',
          message: `${records.length} rows match; reveal by ${resource.keyItem}`,
        },
      ]);
    }
    const record = records[0]!;
    const values = await openRow(hub.ctx.fields, record);
    await insertReveal(trx, {
      id: randomUUID(),
      officerId: officer.id,
      resource: code,
      recordKey: record.record_key,
      item: body.item,
      // free text that may name a person: sealed like a row's items
      reason: await hub.ctx.fields.seal(body.reason, REVEAL_REASON_AAD),
      at: now,
    });
    await publishReads(events, {
      consumer,
      purpose: body.purpose,
      resource: code,
      items: [body.item],
      subjects: record.subjects,
      channel: 'reveal',
      // The outbox keeps every event and the bus carries it to every consumer: the read names the
      // reason by a keyed digest (the text is sealed above; the ledger keeps a digest of this one).
      reason: revealReasonDigest(hub.ctx.fields, body.reason),
    });
    return { resource: code, item: body.item, value: values[body.item] ?? null };
  });
  if (done) return done;
  await hub.ctx.transaction(async (_trx, events) => {
    await events.publish('datahub.access.denied', {
      consumer,
      purpose: body.purpose,
      resource: code,
      items: [body.item],
      reason: 'reveal_rate_limited',
    });
  });
  throw new DatahubError('DATAHUB_REVEAL_LIMIT', { limit: REVEALS_PER_HOUR });
}
