// One read of a person's data is one ledger entry; "who used my data" shows the signed-in citizen
// the entries about them (found by their person key), each with its inclusion proof, paged by the
// ledger's cursor; the ledger's subject route is only for the hub's service role.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import ledger from '@tongban/ledger';
import { ledgerFor, settle } from '../ledger/fixtures.ts';
import { DEMO, startHub, type HubHarness } from './fixtures.ts';

const PURPOSE = '330100-MZ-001';

describe(`who used my data (${databaseLabel})`, () => {
  let h: HubHarness;
  let system: Record<string, string>;
  before(async () => {
    h = await startHub([ledger]);
    system = await h.service('tongban-civil-affairs', ['datahub.read']);
    const r = await h.call('POST', '/api/datahub/grants', await h.steward(), {
      consumer: 'tongban-civil-affairs',
      resource: 'population',
      purpose: PURPOSE,
      items: ['idNumber', 'name', 'gender'],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });
  after(() => h.p.dispose());

  const readLi = () =>
    h.call('POST', '/api/datahub/resources/population/query', system, {
      purpose: PURPOSE,
      items: ['idNumber', 'name', 'gender'],
      where: { idNumber: DEMO.li },
    });

  test('N reads of a person are N ledger entries, each naming consumer, purpose, items and channel, with a proof', async () => {
    const li = await h.citizen(await h.accountOf(DEMO.li));
    await settle(h);
    const before = (await h.call('GET', '/api/datahub/me/uses?limit=100', li)).body.entries.length;
    const N = 5;
    for (let i = 0; i < N; i++) assert.equal((await readLi()).status, 200);
    await settle(h);
    const r = await h.call('GET', '/api/datahub/me/uses?limit=100', li);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.entries.length - before, N);
    const newest = r.body.entries[0];
    assert.ok(newest.proof, 'with its inclusion proof');
    assert.deepEqual(
      {
        action: newest.entry.action,
        actor: newest.entry.actor,
        subject: newest.entry.subject,
        resource: newest.entry.resource,
        purpose: newest.entry.purpose,
      },
      {
        action: 'datahub.record.read',
        actor: { kind: 'service', id: 'tongban-civil-affairs' },
        subject: { kind: 'person', id: r.body.subject },
        resource: { resource: 'population', items: 'idNumber,name,gender', channel: 'lookup' },
        purpose: PURPOSE,
      },
    );
    assert.ok(!newest.body.includes(DEMO.li) && !newest.body.includes('李四'), 'no personal data in the entry');
  });

  test('pages follow the ledger’s cursor; 张三 does not see 李四’s reads', async () => {
    const li = await h.citizen(await h.accountOf(DEMO.li));
    const seen = new Set<number>();
    let query = '?limit=2';
    for (;;) {
      const r = await h.call('GET', `/api/datahub/me/uses${query}`, li);
      assert.equal(r.status, 200);
      for (const e of r.body.entries) seen.add(e.index);
      if (!r.body.next) break;
      query = `?limit=2&cursor=${r.body.next}`;
    }
    assert.ok(seen.size >= 5);
    const zhang = await h.citizen(await h.accountOf(DEMO.zhang));
    const theirs = await h.call('GET', '/api/datahub/me/uses?limit=100', zhang);
    assert.ok(
      theirs.body.entries.every(
        (e: { entry: { subject: { id: string } } }) => e.entry.subject.id === theirs.body.subject,
      ),
    );
    assert.ok(theirs.body.entries.every((e: { index: number }) => !seen.has(e.index)));
  });

  test('the ledger’s subject route takes the hub’s role only; /me/uses only citizens', async () => {
    const url = `/api/ledger/subjects/pk-${'0'.repeat(32)}/entries`;
    assert.equal((await h.call('GET', url, await h.service('tongban-civil-affairs', ['datahub.read']))).status, 403);
    assert.equal((await h.call('GET', url, await h.citizen('c-1'))).status, 403);
    assert.equal((await h.call('GET', url, await h.service('tongban-datahub', ['ledger.subjects.read']))).status, 200);
    assert.equal(
      (
        await h.call(
          'GET',
          '/api/ledger/subjects/p-123/entries',
          await h.service('tongban-datahub', ['ledger.subjects.read']),
        )
      ).status,
      400,
      'only person keys',
    );
    assert.equal((await h.call('GET', '/api/datahub/me/uses', await h.officer('330100-GA'))).status, 403);
  });

  test('one BIRTH prefill for 张三 is one entry per person and resource read, with every item read of it', async () => {
    const zhangId = await h.accountOf(DEMO.zhang);
    const zhang = await h.citizen(zhangId);
    const li = await h.citizen(await h.accountOf(DEMO.li));
    const items = [
      'population.name',
      'population.idNumber',
      'population.mobile',
      'population.householdAddress',
      'birth-record.childName',
      'birth-record.motherIdNumber',
      'birth-record.fatherIdNumber',
    ];
    const elements = ['person.name', 'person.idNumber', 'person.mobile', 'household.address'];
    await h.consent(zhang, 'BIRTH', items);
    await settle(h);
    const newest = async (who: Record<string, string>) =>
      (await h.call('GET', '/api/datahub/me/uses?limit=100', who)).body.entries as {
        index: number;
        entry: { action: string; purpose: string; resource: Record<string, string> };
      }[];
    const [zhangBefore, liBefore] = [await newest(zhang), await newest(li)];
    const r = await h.call('POST', '/api/datahub/prefill', await h.workflow(), {
      accountId: zhangId,
      purpose: 'BIRTH',
      elements: [...elements, 'child.name', 'mother.idNumber', 'father.idNumber', 'father.name'],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await settle(h);
    const fresh = (all: Awaited<ReturnType<typeof newest>>, before: typeof all) =>
      all
        .filter((e) => !before.some((b) => b.index === e.index) && e.entry.action === 'datahub.record.read')
        .map((e) => ({ purpose: e.entry.purpose, resource: e.entry.resource.resource, items: e.entry.resource.items }))
        .sort((a, b) => String(a.resource).localeCompare(String(b.resource)));
    assert.deepEqual(fresh(await newest(zhang), zhangBefore), [
      { purpose: 'BIRTH', resource: 'birth-record', items: 'childName,fatherIdNumber,motherIdNumber' },
      // read as the applicant and as the father: one entry with the items of both
      { purpose: 'BIRTH', resource: 'population', items: 'householdAddress,idNumber,mobile,name' },
    ]);
    const liFresh = fresh(await newest(li), liBefore);
    assert.deepEqual(
      liFresh.map((e) => e.resource),
      ['birth-record', 'population'],
      'the mother: once in the birth record, once in her own row',
    );
  });

  test('a malformed cursor is 400 naming query.cursor; an entry not yet checkpointed says its proof is pending', async () => {
    const li = await h.citizen(await h.accountOf(DEMO.li));
    for (const cursor of ['abc', 'not!a*cursor']) {
      const r = await h.call('GET', `/api/datahub/me/uses?cursor=${encodeURIComponent(cursor)}`, li);
      assert.equal(r.status, 400, `${cursor}: ${JSON.stringify(r.body)}`);
      assert.ok(
        r.body.errors.some((e: { field: string }) => e.field === 'query.cursor'),
        `${cursor}: ${JSON.stringify(r.body.errors)}`,
      );
    }
    assert.equal((await readLi()).status, 200);
    await settle(h);
    const settled = await h.call('GET', '/api/datahub/me/uses?limit=1', li);
    assert.equal(settled.body.entries[0].proofPending, false);
    assert.ok(settled.body.entries[0].proof);
    assert.equal((await readLi()).status, 200);
    await h.p.bus.settled();
    await ledgerFor(h).sequencer.kick();
    const fresh = await h.call('GET', '/api/datahub/me/uses?limit=1', li);
    assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
    assert.deepEqual(
      { proof: fresh.body.entries[0].proof, proofPending: fresh.body.entries[0].proofPending },
      { proof: null, proofPending: true },
    );
  });
});
