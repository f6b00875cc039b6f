// Reads under a grant: a department system or an officer gets masked rows; without a grant, for
// another purpose or for items outside it the answer is 403 with the reason and a security event
// (committed though the request fails); an officer's reveal is explicit, rate-limited and ledgered.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import { token } from '../workflow/fixtures.ts';
import { revealReasonDigest } from '../../../../modules/datahub/src/service/reveal.ts';
import { DEMO, startHub, type HubHarness } from './fixtures.ts';

const SYSTEM = 'tongban-civil-affairs';
const PURPOSE = '330100-MZ-001';

describe(`sharing under grants (${databaseLabel})`, () => {
  let h: HubHarness;
  let system: Record<string, string>;
  before(async () => {
    h = await startHub();
    system = await h.service(SYSTEM, ['datahub.read']);
    const steward = await h.steward(['330100-GA', '330100-WJW']);
    for (const body of [
      {
        consumer: SYSTEM,
        resource: 'population',
        purpose: PURPOSE,
        items: ['idNumber', 'name', 'birthDate', 'mobile'],
      },
      {
        consumer: '330100-GA',
        resource: 'population',
        purpose: '330100-GA-001',
        items: ['idNumber', 'name', 'mobile'],
      },
      {
        consumer: '330100-GA',
        resource: 'birth-record',
        purpose: '330100-GA-001',
        // The item searched by is granted too: a query by it answers whether such a row exists.
        items: ['childName', 'motherName', 'motherIdNumber'],
      },
      // 卫健委 holds a grant on population, for its own matter only (officers of both departments below).
      { consumer: '330100-WJW', resource: 'population', purpose: '330100-WJW-001', items: ['idNumber', 'name'] },
      // A counter system allowed the ID number and name, not the gender and household a resolve reads.
      { consumer: 'tongban-counter-narrow', resource: 'population', purpose: PURPOSE, items: ['idNumber', 'name'] },
      // A system that may read names but not search by ID number.
      { consumer: 'tongban-names-only', resource: 'population', purpose: PURPOSE, items: ['name'] },
    ]) {
      const r = await h.call('POST', '/api/datahub/grants', steward, body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
  });
  after(() => h.p.dispose());

  const query = (who: Record<string, string>, body: unknown, code = 'population') =>
    h.call('POST', `/api/datahub/resources/${code}/query`, who, body);

  test('a department system with a grant reads masked rows by key: one read event per row', async () => {
    const before = (await h.outboxOf('datahub.record.read')).length;
    const r = await query(system, {
      purpose: PURPOSE,
      items: ['idNumber', 'name', 'birthDate'],
      where: { idNumber: DEMO.zhang },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.policy, 'system');
    assert.equal(r.body.rows.length, 1);
    const v = r.body.rows[0].values;
    assert.equal(v.name, '张*');
    assert.equal(v.birthDate, '1990');
    assert.match(v.idNumber, /^ps-/);
    assert.ok(!JSON.stringify(r.body).includes(DEMO.zhang));
    const reads = await h.outboxOf('datahub.record.read');
    assert.equal(reads.length - before, 1);
    assert.equal(reads.at(-1)!.data.channel, 'lookup');
    assert.deepEqual(reads.at(-1)!.data.items, ['idNumber', 'name', 'birthDate']);
  });

  test('the same person is the same pseudonym for one consumer, another for another consumer', async () => {
    const ask = async (who: Record<string, string>, purpose: string) =>
      (await query(who, { purpose, items: ['idNumber'], where: { idNumber: DEMO.zhang } })).body.rows[0].values
        .idNumber;
    const first = await ask(system, PURPOSE);
    assert.equal(await ask(system, PURPOSE), first);
    const steward = await h.steward();
    await h.call('POST', '/api/datahub/grants', steward, {
      consumer: 'tongban-other-system',
      resource: 'population',
      purpose: PURPOSE,
      items: ['idNumber'],
    });
    assert.notEqual(await ask(await h.service('tongban-other-system', ['datahub.read']), PURPOSE), first);
  });

  test('refused without a grant, for another purpose, for items outside it: 403 with the reason, and a denied event each', async () => {
    const before = (await h.outboxOf('datahub.access.denied')).length;
    const noGrant = await query(await h.service('tongban-stranger', ['datahub.read']), {
      purpose: PURPOSE,
      items: ['name'],
      where: { idNumber: DEMO.zhang },
    });
    assert.equal(noGrant.status, 403);
    assert.equal(noGrant.body.code, 'DATAHUB_NO_GRANT');
    const wrongPurpose = await query(system, { purpose: 'BIRTH', items: ['name'], where: { idNumber: DEMO.zhang } });
    assert.equal(wrongPurpose.status, 403);
    assert.equal(wrongPurpose.body.code, 'DATAHUB_WRONG_PURPOSE');
    assert.match(JSON.stringify(wrongPurpose.body.errors), /not granted for BIRTH/);
    assert.ok(!JSON.stringify(wrongPurpose.body).includes(PURPOSE), 'the purposes it does hold are not disclosed');
    const outside = await query(system, {
      purpose: PURPOSE,
      items: ['name', 'address', 'householdId'],
      where: { idNumber: DEMO.zhang },
    });
    assert.equal(outside.status, 403);
    assert.equal(outside.body.code, 'DATAHUB_ITEMS_OUTSIDE_GRANT');
    assert.deepEqual(
      outside.body.errors.map((e: { message: string }) => e.message.split(' ')[0]),
      ['address', 'householdId'],
    );
    const denied = (await h.outboxOf('datahub.access.denied')).slice(before).map((e) => e.data.reason);
    assert.deepEqual(denied, ['no_grant', 'wrong_purpose', 'items_outside_grant']);
  });

  test('lookups served together (one batch of grants and rows) answer each principal by its own grants', async () => {
    const stranger = await h.service('tongban-stranger', ['datahub.read']);
    const officer = await h.officer('330100-GA');
    const before = (await h.outboxOf('datahub.record.read')).length;
    const asks = [
      { who: system, body: { purpose: PURPOSE, items: ['name'], where: { idNumber: DEMO.zhang } }, expect: 200 },
      { who: stranger, body: { purpose: PURPOSE, items: ['name'], where: { idNumber: DEMO.zhang } }, expect: 403 },
      { who: system, body: { purpose: PURPOSE, items: ['name'], where: { idNumber: DEMO.li } }, expect: 200 },
      {
        who: officer,
        code: 'birth-record',
        body: { purpose: '330100-GA-001', items: ['childName'], where: { motherIdNumber: DEMO.li } },
        expect: 200,
      },
      // the officer's department holds no grant on population for the system's matter
      { who: officer, body: { purpose: PURPOSE, items: ['name'], where: { idNumber: DEMO.zhang } }, expect: 403 },
    ];
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => asks)
        .flat()
        .map((a) => query(a.who, a.body, a.code)),
    );
    answers.forEach((r, i) => assert.equal(r.status, asks[i % asks.length]!.expect, JSON.stringify(r.body)));
    answers.forEach((r, i) => {
      if (i % asks.length === 0) assert.equal(r.body.rows[0].values.name, '张*');
      if (i % asks.length === 2) assert.equal(r.body.rows[0].values.name, '李*');
      if (i % asks.length === 3) assert.equal(r.body.rows[0].values.childName, '张小宝');
    });
    // One read per person an answered row is about: a population row is about one, a birth record about
    // both parents (their ID numbers are its subjects).
    assert.equal((await h.outboxOf('datahub.record.read')).length - before, 4 * (1 + 1 + 2));
  });

  test('a query by an item that is neither key nor indexed, or for an unknown item, is 422 naming it', async () => {
    const r = await query(system, { purpose: PURPOSE, items: ['name'], where: { name: '张三' } });
    assert.equal(r.status, 422);
    assert.equal(r.body.errors[0].field, 'body.where.name');
    const unknown = await query(system, { purpose: PURPOSE, items: ['shoeSize'], where: { idNumber: DEMO.zhang } });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.errors[0].field, 'body.items.0');
  });

  test('the item searched by must be granted: no oracle for whether an ID number is in the registry', async () => {
    const namesOnly = await h.service('tongban-names-only', ['datahub.read']);
    const before = (await h.outboxOf('datahub.access.denied')).length;
    const reads = (await h.outboxOf('datahub.record.read')).length;
    for (const idNumber of [DEMO.zhang, '110101199001011237']) {
      const r = await query(namesOnly, { purpose: PURPOSE, items: ['name'], where: { idNumber } });
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.code, 'DATAHUB_ITEMS_OUTSIDE_GRANT');
      assert.deepEqual(
        r.body.errors.map((e: { field: string }) => e.field),
        ['body.where.idNumber'],
      );
    }
    const denied = (await h.outboxOf('datahub.access.denied')).slice(before);
    assert.deepEqual(
      denied.map((e) => [e.data.reason, e.data.items]),
      [
        ['items_outside_grant', ['name', 'idNumber']],
        ['items_outside_grant', ['name', 'idNumber']],
      ],
    );
    assert.equal((await h.outboxOf('datahub.record.read')).length, reads, 'no row was opened');
  });

  test('an officer of two departments reads under the one whose grant is for the purpose, not the first holding any', async () => {
    // 卫健委 (first) holds a population grant for 330100-WJW-001 only; 公安 (second) for 330100-GA-001.
    const officer = await h.officerOf(['330100-WJW', '330100-GA'], 'officer-two-departments');
    const body = { purpose: '330100-GA-001', items: ['idNumber', 'name'], where: { idNumber: DEMO.zhang } };
    const r = await query(officer, body);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const read = (await h.outboxOf('datahub.record.read')).at(-1)!.data as { consumer: { department: string } };
    assert.equal(read.consumer.department, '330100-GA');
    const wjw = await query(officer, { ...body, purpose: '330100-WJW-001' });
    assert.equal(wjw.status, 200, JSON.stringify(wjw.body));
    const again = (await h.outboxOf('datahub.record.read')).at(-1)!.data as { consumer: { department: string } };
    assert.equal(again.consumer.department, '330100-WJW');
    // Refused by both, the refusal is the nearest one: 公安's grant for the purpose lacks the address.
    const outside = await query(officer, { ...body, items: ['address'] });
    assert.equal(outside.status, 403);
    assert.equal(outside.body.code, 'DATAHUB_ITEMS_OUTSIDE_GRANT');
    const denied = (await h.outboxOf('datahub.access.denied')).at(-1)!.data as { consumer: { department: string } };
    assert.equal(denied.consumer.department, '330100-GA');
    const neither = await query(officer, { ...body, purpose: 'BIRTH' });
    assert.equal(neither.status, 403);
    assert.equal(neither.body.code, 'DATAHUB_WRONG_PURPOSE');
  });

  test('a system whose client id is a department code does not read under that department’s grants', async () => {
    const impostor = await h.service('330100-GA', ['datahub.read']);
    const r = await query(impostor, { purpose: '330100-GA-001', items: ['name'], where: { idNumber: DEMO.zhang } });
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.code, 'DATAHUB_NO_GRANT');
    const resolve = await h.call(
      'POST',
      '/api/datahub/persons/resolve',
      await h.service('330100-GA', ['datahub.prefill']),
      {
        idNumber: DEMO.zhang,
        purpose: '330100-GA-001',
      },
    );
    assert.equal(resolve.status, 403);
  });

  test('an officer reads for their department’s grant, by an indexed item, with the officer policy', async () => {
    const officer = await h.officer('330100-GA');
    const r = await query(
      officer,
      { purpose: '330100-GA-001', items: ['childName', 'motherName'], where: { motherIdNumber: DEMO.li } },
      'birth-record',
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.policy, 'officer');
    assert.deepEqual(r.body.rows[0].values, { childName: '张小宝', motherName: '李四' });
    const reads = await h.outboxOf('datahub.record.read');
    const last = reads.at(-1)!.data as { consumer: { kind: string; department: string } };
    assert.deepEqual([last.consumer.kind, last.consumer.department], ['staff', '330100-GA']);
    assert.equal(reads.length >= 2, true);
  });

  test('wrong principals: an officer of another department, a citizen, a service without datahub.read', async () => {
    const body = { purpose: '330100-GA-001', items: ['name'], where: { idNumber: DEMO.zhang } };
    const otherDept = await query(await h.officer('330100-RS'), body);
    assert.equal(otherDept.status, 403);
    assert.equal(otherDept.body.code, 'DATAHUB_NO_GRANT');
    const citizen = await query(await h.citizen(await h.accountOf(DEMO.zhang)), body);
    assert.equal(citizen.status, 403);
    assert.equal(citizen.body.code, 'FORBIDDEN');
    const passwordOnly = await query(
      {
        authorization: `Bearer ${await token(h.key, { sub: 'officer-pw', kind: 'officer', roles: ['officer'], departments: ['330100-GA'] })}`,
      },
      body,
    );
    assert.equal(passwordOnly.status, 401, 'an officer steps up to multi-factor first');
    assert.equal(passwordOnly.body.code, 'STEP_UP_REQUIRED');
    assert.match(String(passwordOnly.headers['www-authenticate']), /insufficient_user_authentication/);
    const roleless = await query(await h.service(SYSTEM, ['datahub.prefill']), body);
    assert.equal(roleless.status, 403);
    assert.equal(roleless.body.code, 'FORBIDDEN');
  });

  test('an officer reveals one value with a reason: ledgered on the reveal channel, at most 10 an hour', async () => {
    const officer = await h.officer('330100-GA', ['officer'], 'officer-reveal');
    const body = {
      purpose: '330100-GA-001',
      where: { idNumber: DEMO.zhang },
      item: 'mobile',
      reason: '核实申请人联系方式',
    };
    const first = await h.call('POST', '/api/datahub/resources/population/records/reveal', officer, body);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.value, '13800000001');
    const read = (await h.outboxOf('datahub.record.read')).at(-1)!.data;
    assert.equal(read.channel, 'reveal');
    assert.equal(read.reason, revealReasonDigest(h.p.contexts.get('datahub')!.fields, '核实申请人联系方式'));
    assert.deepEqual(read.items, ['mobile']);
    for (let i = 1; i < 10; i++) {
      const r = await h.call('POST', '/api/datahub/resources/population/records/reveal', officer, body);
      assert.equal(r.status, 200, `reveal ${i + 1}`);
    }
    const limited = await h.call('POST', '/api/datahub/resources/population/records/reveal', officer, body);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 'DATAHUB_REVEAL_LIMIT');
    h.clock.set(new Date(h.clock.now().getTime() + 3601_000).toISOString());
    const later = await h.call('POST', '/api/datahub/resources/population/records/reveal', officer, body);
    assert.equal(later.status, 200, 'an hour later the officer may again');
  });

  test('a reveal needs a reason of five characters, an item inside the grant, and an officer', async () => {
    const officer = await h.officer('330100-GA', ['officer'], 'officer-reveal-2');
    const url = '/api/datahub/resources/population/records/reveal';
    const short = await h.call('POST', url, officer, {
      purpose: '330100-GA-001',
      where: { idNumber: DEMO.zhang },
      item: 'mobile',
      reason: '看看',
    });
    assert.equal(short.status, 400);
    const outside = await h.call('POST', url, officer, {
      purpose: '330100-GA-001',
      where: { idNumber: DEMO.zhang },
      item: 'address',
      reason: '核实居住地址信息',
    });
    assert.equal(outside.status, 403);
    assert.equal(outside.body.code, 'DATAHUB_ITEMS_OUTSIDE_GRANT');
    const sys = await h.call('POST', url, system, {
      purpose: PURPOSE,
      where: { idNumber: DEMO.zhang },
      item: 'mobile',
      reason: '系统自动核验',
    });
    assert.equal(sys.status, 403);
  });

  test('a counter resolves a person by ID number: masked, with region and account; an unknown number is 404', async () => {
    const workflow = await h.workflow();
    const r = await h.call('POST', '/api/datahub/persons/resolve', workflow, {
      idNumber: DEMO.zhang,
      purpose: '330100-WJW-001',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.person, { idNumber: '330106********123X', name: '张*', gender: '1' });
    assert.equal(r.body.region, '330106');
    assert.equal(r.body.accountId, await h.accountOf(DEMO.zhang));
    assert.equal((await h.outboxOf('datahub.record.read')).at(-1)!.data.channel, 'counter');
    const unknown = await h.call('POST', '/api/datahub/persons/resolve', workflow, {
      idNumber: '110101199001011237',
      purpose: '330100-WJW-001',
    });
    assert.equal(unknown.status, 404);
    const officer = await h.call(
      'POST',
      '/api/datahub/persons/resolve',
      await h.officer('330100-SJZY', ['officer', 'counter']),
      {
        idNumber: DEMO.zhang,
        purpose: '330100-WJW-001',
      },
    );
    assert.equal(officer.status, 403, 'the counter goes through the workflow, not straight to the hub');
  });

  test('a resolve needs a grant for the purpose covering every item it reads (gender, the household for the region); a bad ID number is named', async () => {
    const resolve = async (client: string, body: Record<string, unknown>) =>
      h.call('POST', '/api/datahub/persons/resolve', await h.service(client, ['datahub.prefill']), body);
    const before = (await h.outboxOf('datahub.access.denied')).length;
    const reads = (await h.outboxOf('datahub.record.read')).length;
    const narrow = await resolve('tongban-counter-narrow', { idNumber: DEMO.zhang, purpose: PURPOSE });
    assert.equal(narrow.status, 403, JSON.stringify(narrow.body));
    assert.equal(narrow.body.code, 'DATAHUB_ITEMS_OUTSIDE_GRANT');
    assert.deepEqual(
      narrow.body.errors.map((e: { message: string }) => e.message.split(' ')[0]),
      ['gender', 'householdId'],
    );
    const none = await resolve('tongban-counter-stranger', { idNumber: DEMO.zhang, purpose: PURPOSE });
    assert.equal(none.status, 403);
    assert.equal(none.body.code, 'DATAHUB_NO_GRANT');
    const wrong = await resolve('tongban-counter-narrow', { idNumber: DEMO.zhang, purpose: 'BIRTH' });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.code, 'DATAHUB_WRONG_PURPOSE');
    const denied = (await h.outboxOf('datahub.access.denied')).slice(before).map((e) => e.data);
    assert.deepEqual(
      denied.map((d) => [d.reason, d.resource, d.items]),
      [
        ['items_outside_grant', 'population', ['idNumber', 'name', 'gender', 'householdId']],
        ['no_grant', 'population', ['idNumber', 'name', 'gender', 'householdId']],
        ['wrong_purpose', 'population', ['idNumber', 'name', 'gender', 'householdId']],
      ],
    );
    assert.equal((await h.outboxOf('datahub.record.read')).length, reads, 'nothing was read');
    const malformed = await resolve('tongban-counter-narrow', { idNumber: '12345', purpose: PURPOSE });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.errors[0].field, 'body.idNumber');
    const checkDigit = await resolve('tongban-counter-narrow', {
      idNumber: DEMO.zhang.slice(0, 17) + (DEMO.zhang.endsWith('0') ? '1' : '0'),
      purpose: PURPOSE,
    });
    assert.equal(checkDigit.status, 422, JSON.stringify(checkDigit.body));
    assert.deepEqual(
      checkDigit.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['body.idNumber', 'check_digit']],
    );
  });
});
