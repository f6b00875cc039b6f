// 查看明文 past its limit and at rest: the 429 past an officer's hourly limit leaves a security event
// committed on its own (the request fails, the record of it must not); the officer's reason —
// free text that may name a person — is sealed in datahub.reveal and is not in the read event.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import { sql } from 'kysely';
import {
  REVEAL_REASON_AAD,
  REVEALS_PER_HOUR,
  revealReasonDigest,
} from '../../../../modules/datahub/src/service/reveal.ts';
import { DEMO, startHub, type HubHarness } from './fixtures.ts';

const URL = '/api/datahub/resources/population/records/reveal';
const PURPOSE = '330100-GA-001';

describe(`reveal: limit and reason (${databaseLabel})`, () => {
  let h: HubHarness;
  before(async () => {
    h = await startHub();
    const r = await h.call('POST', '/api/datahub/grants', await h.steward(), {
      consumer: '330100-GA',
      resource: 'population',
      purpose: PURPOSE,
      items: ['idNumber', 'name', 'mobile'],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });
  after(() => h.p.dispose());

  const reveal = (officer: Record<string, string>, reason: string) =>
    h.call('POST', URL, officer, { purpose: PURPOSE, where: { idNumber: DEMO.zhang }, item: 'mobile', reason });

  test('past the hourly limit: 429, nothing read or stored, and a reveal_rate_limited security event committed', async () => {
    const officer = await h.officer('330100-GA', ['officer'], 'officer-limit');
    for (let i = 0; i < REVEALS_PER_HOUR; i++) assert.equal((await reveal(officer, '核实申请人联系方式')).status, 200);
    const reads = (await h.outboxOf('datahub.record.read')).length;
    const denied = (await h.outboxOf('datahub.access.denied')).length;
    const stored = await h.p.database.db
      .selectFrom('datahub.reveal')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const limited = await reveal(officer, '核实申请人联系方式');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 'DATAHUB_REVEAL_LIMIT');
    assert.equal((await h.outboxOf('datahub.record.read')).length, reads, 'nothing was read');
    const after = await h.p.database.db
      .selectFrom('datahub.reveal')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(after.n, stored.n, 'no reveal row');
    const events = await h.outboxOf('datahub.access.denied');
    assert.equal(events.length - denied, 1, 'the refusal is recorded though the request failed');
    assert.deepEqual(events.at(-1)!.data, {
      consumer: { kind: 'staff', id: 'officer-limit', department: '330100-GA' },
      purpose: PURPOSE,
      resource: 'population',
      items: ['mobile'],
      reason: 'reveal_rate_limited',
    });
  });

  test('only an officer may reveal: a citizen and a department system are refused', async () => {
    const citizen = await h.citizen(await h.accountOf(DEMO.zhang));
    assert.equal((await reveal(citizen, '核实申请人联系方式')).status, 403);
    const system = await h.service('tongban-civil-affairs', ['datahub.read']);
    assert.equal((await reveal(system, '核实申请人联系方式')).status, 403);
  });

  test('the officer’s reason is sealed in datahub.reveal and opens to what they wrote', async () => {
    const officer = await h.officer('330100-GA', ['officer'], 'officer-sealed');
    const reason = '张三来电要求核实其本人手机号';
    assert.equal((await reveal(officer, reason)).status, 200);
    const rows = await h.p.database.db
      .selectFrom('datahub.reveal')
      .select(['reason'])
      .where('officer_id', '=', 'officer-sealed')
      .execute();
    assert.equal(rows.length, 1);
    assert.ok(!rows[0]!.reason.includes('张三') && rows[0]!.reason !== reason, 'not in clear');
    const fields = h.p.contexts.get('datahub')!.fields;
    assert.equal(await fields.open(rows[0]!.reason, REVEAL_REASON_AAD), reason);
    const read = (await h.outboxOf('datahub.record.read')).at(-1)!.data;
    assert.equal(read.channel, 'reveal');
    assert.ok(!JSON.stringify(read).includes('张三'), 'the read event does not carry the text');
    assert.equal(read.reason, revealReasonDigest(fields, reason), 'but a digest the hub can recompute');
  });
});
