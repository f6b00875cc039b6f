// The resource catalogue is public and versioned; stewards publish, grant and revoke; citizens
// consent to items that exist; and the registries' rows hold no personal data in clear.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import { sql } from 'kysely';
import { token } from '../workflow/fixtures.ts';
import { DEMO, startHub, type HubHarness } from './fixtures.ts';

const definition = (overrides: Record<string, unknown> = {}) => ({
  code: 'marriage',
  name: { zh: '婚姻登记信息', en: 'Marriage register' },
  departmentCode: '330100-MZ',
  sharing: 'conditional',
  level: 3,
  updateCycle: 'daily',
  keyItem: 'certificateNumber',
  authoritative: true,
  items: [
    {
      key: 'certificateNumber',
      name: { zh: '结婚证字号', en: 'Certificate number' },
      element: null,
      type: 'string',
      personal: false,
    },
    {
      key: 'husbandName',
      name: { zh: '男方姓名', en: "Husband's name" },
      element: 'person.name',
      type: 'string',
      personal: true,
    },
  ],
  ...overrides,
});

describe(`resource catalogue, grants and consents (${databaseLabel})`, () => {
  let h: HubHarness;
  let steward: Record<string, string>;
  before(async () => {
    h = await startHub();
    // A steward of 民政 (the marriage register's owner) and of 公安 (the population registry's).
    steward = await h.steward(['330100-MZ', '330100-GA']);
  });
  after(() => h.p.dispose());

  test('the catalogue lists the four registries to anyone, without data', async () => {
    const r = await h.call('GET', '/api/datahub/resources', {});
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.map((x: { definition: { code: string } }) => x.definition.code),
      ['birth-record', 'enterprise', 'population', 'real-estate'],
    );
    const one = await h.call('GET', '/api/datahub/resources/population', {});
    assert.equal(one.body.definition.departmentCode, '330100-GA');
    assert.equal((await h.call('GET', '/api/datahub/resources/nothing', {})).status, 404);
  });

  test('a steward publishes versions; each is datahub.resource.published', async () => {
    const first = await h.call('POST', '/api/datahub/resources', steward, definition());
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.deepEqual(first.body, { code: 'marriage', version: 1 });
    const second = await h.call('POST', '/api/datahub/resources', steward, definition({ level: 4 }));
    assert.equal(second.body.version, 2);
    assert.equal((await h.call('GET', '/api/datahub/resources/marriage', {})).body.definition.level, 4);
    const published = await h.outboxOf('datahub.resource.published');
    assert.deepEqual(published.at(-1)!.data, { code: 'marriage', version: 2 });
  });

  test('an unknown data element or a key item that is not an item is 422 naming the field', async () => {
    const items = definition().items;
    const r = await h.call(
      'POST',
      '/api/datahub/resources',
      steward,
      definition({ code: 'bad', keyItem: 'nope', items: [items[0], { ...items[1], element: 'person.shoeSize' }] }),
    );
    assert.equal(r.status, 422);
    assert.equal(r.body.code, 'DATAHUB_RESOURCE_INVALID');
    assert.deepEqual(
      r.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [
        ['body.items.1.element', 'unknown_element'],
        ['body.keyItem', 'not_an_item'],
      ],
    );
  });

  test('only stewards (at multi-factor) and operators publish and grant', async () => {
    const officer = await h.officer('330100-MZ');
    const passwordSteward = {
      authorization: `Bearer ${await token(h.key, { sub: 's2', kind: 'officer', roles: ['datahub.steward'], departments: ['330100-MZ'] })}`,
    };
    const citizen = await h.citizen(await h.accountOf(DEMO.zhang));
    for (const who of [officer, citizen]) {
      assert.equal((await h.call('POST', '/api/datahub/resources', who, definition())).status, 403);
      assert.equal((await h.call('GET', '/api/datahub/grants', who)).status, 403);
    }
    assert.equal((await h.call('POST', '/api/datahub/resources', passwordSteward, definition())).status, 401);
    const operator = {
      authorization: `Bearer ${await token(h.key, { sub: 'op', kind: 'operator', roles: ['operator'], mfa: true })}`,
    };
    assert.equal((await h.call('GET', '/api/datahub/grants', operator)).status, 200);
  });

  test('a steward acts only on the resources their departments own; the operator on any', async () => {
    const sjzy = await h.steward(['330100-SJZY']);
    const ga = await h.steward(['330100-GA']);
    const population = (await h.call('GET', '/api/datahub/resources/population', {})).body.definition;
    const republish = await h.call('POST', '/api/datahub/resources', sjzy, population);
    assert.equal(republish.status, 403, JSON.stringify(republish.body));
    assert.equal(republish.body.code, 'DATAHUB_NOT_STEWARD');
    assert.equal(republish.body.errors[0].field, 'body.departmentCode');
    // Nor by claiming it for their own department: the owner of the version before is who decides.
    const taken = await h.call('POST', '/api/datahub/resources', sjzy, {
      ...population,
      departmentCode: '330100-SJZY',
    });
    assert.equal(taken.status, 403);
    assert.equal(taken.body.errors[0].field, 'body.code');
    const current = await h.call('GET', '/api/datahub/resources/population', {});
    assert.equal(current.body.definition.departmentCode, '330100-GA');
    const version = current.body.version;

    const body = { consumer: 'tongban-sjzy', resource: 'population', purpose: 'M-2', items: ['idNumber'] };
    const grant = await h.call('POST', '/api/datahub/grants', sjzy, body);
    assert.equal(grant.status, 403);
    assert.equal(grant.body.code, 'DATAHUB_NOT_STEWARD');
    assert.equal(grant.body.errors[0].field, 'body.resource');
    const granted = await h.call('POST', '/api/datahub/grants', ga, body);
    assert.equal(granted.status, 201, JSON.stringify(granted.body));
    const withdrawn = await h.call('DELETE', `/api/datahub/grants/${granted.body.id}`, sjzy);
    assert.equal(withdrawn.status, 403);
    assert.equal(withdrawn.body.code, 'DATAHUB_NOT_STEWARD');
    const active = await h.call('GET', '/api/datahub/grants?consumer=tongban-sjzy', ga);
    assert.deepEqual(
      active.body.map((g: { id: string; revokedAt: string | null }) => [g.id, g.revokedAt]),
      [[granted.body.id, null]],
      'the refused revocation changed nothing',
    );
    assert.equal((await h.call('DELETE', `/api/datahub/grants/${granted.body.id}`, ga)).status, 200);
    const mine = await h.call('POST', '/api/datahub/resources', ga, population);
    assert.equal(mine.status, 201);
    assert.equal(mine.body.version, version + 1);

    // A new resource only with an owning department that is theirs.
    const foreign = await h.call('POST', '/api/datahub/resources', sjzy, definition({ code: 'marriage-sjzy' }));
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.code, 'DATAHUB_NOT_STEWARD');
    const own = await h.call(
      'POST',
      '/api/datahub/resources',
      sjzy,
      definition({ code: 'marriage-sjzy', departmentCode: '330100-SJZY' }),
    );
    assert.equal(own.status, 201, JSON.stringify(own.body));
    const operator = await h.operator();
    const byOperator = await h.call('POST', '/api/datahub/grants', operator, { ...body, purpose: 'M-3' });
    assert.equal(byOperator.status, 201);
    assert.equal((await h.call('DELETE', `/api/datahub/grants/${byOperator.body.id}`, operator)).status, 200);
    assert.equal(
      (await h.call('POST', '/api/datahub/resources', operator, definition({ code: 'marriage-op' }))).status,
      201,
    );
  });

  test('wrong principals on grants: a citizen, a plain officer, a steward at password only', async () => {
    const granted = await h.call('POST', '/api/datahub/grants', steward, {
      consumer: 'tongban-wrong-principals',
      resource: 'population',
      purpose: 'M-4',
      items: ['name'],
    });
    assert.equal(granted.status, 201);
    const body = { consumer: 'tongban-wrong-principals', resource: 'population', purpose: 'M-5', items: ['name'] };
    const citizen = await h.citizen(await h.accountOf(DEMO.zhang));
    const officer = await h.officer('330100-GA');
    const passwordSteward = {
      authorization: `Bearer ${await token(h.key, { sub: 's3', kind: 'officer', roles: ['datahub.steward'], departments: ['330100-GA'] })}`,
    };
    const system = await h.service('tongban-wrong-principals', ['datahub.read', 'datahub.prefill']);
    for (const [who, status] of [
      [citizen, 403],
      [officer, 403],
      [system, 403],
      [passwordSteward, 401],
    ] as const) {
      const create = await h.call('POST', '/api/datahub/grants', who, body);
      assert.equal(create.status, status, JSON.stringify(create.body));
      const revoke = await h.call('DELETE', `/api/datahub/grants/${granted.body.id}`, who);
      assert.equal(revoke.status, status);
    }
    const still = await h.call('GET', '/api/datahub/grants?consumer=tongban-wrong-principals', steward);
    assert.deepEqual(
      still.body.map((g: { purpose: string }) => g.purpose),
      ['M-4'],
    );
  });

  test('only a citizen gives consents: an officer and a system are refused', async () => {
    const body = { purpose: 'BIRTH', items: ['population.name'] };
    const officer = await h.officer('330100-GA');
    const system = await h.service('tongban-workflow', ['datahub.prefill']);
    for (const who of [officer, system]) {
      const r = await h.call('POST', '/api/datahub/me/consents', who, body);
      assert.equal(r.status, 403);
      assert.equal(r.body.code, 'FORBIDDEN');
    }
  });

  test('无条件共享 is read without a grant by systems and officers, never by a citizen; 不予共享 by nobody, grant or not', async () => {
    const operator = await h.operator();
    for (const [code, sharing] of [
      ['open-register', 'unconditional'],
      ['closed-register', 'none'],
    ]) {
      const r = await h.call(
        'POST',
        '/api/datahub/resources',
        operator,
        definition({ code, sharing, departmentCode: '330100-MZ' }),
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const grant = await h.call('POST', '/api/datahub/grants', operator, {
      consumer: 'tongban-granted',
      resource: 'closed-register',
      purpose: 'M-6',
      items: ['certificateNumber', 'husbandName'],
    });
    assert.equal(grant.status, 201);
    const ask = (who: Record<string, string>, code: string) =>
      h.call('POST', `/api/datahub/resources/${code}/query`, who, {
        purpose: 'M-6',
        items: ['husbandName'],
        where: { certificateNumber: 'J330100-2020-000001' },
      });
    const stranger = await h.service('tongban-ungranted', ['datahub.read']);
    const granted = await h.service('tongban-granted', ['datahub.read']);
    const officer = await h.officer('330100-RS');
    const citizen = await h.citizen(await h.accountOf(DEMO.zhang));
    for (const who of [stranger, granted, officer]) {
      const open = await ask(who, 'open-register');
      assert.equal(open.status, 200, JSON.stringify(open.body));
      assert.deepEqual(open.body.rows, []);
    }
    assert.equal((await ask(citizen, 'open-register')).status, 403);
    const before = (await h.outboxOf('datahub.access.denied')).length;
    for (const who of [stranger, granted, officer]) {
      const closed = await ask(who, 'closed-register');
      assert.equal(closed.status, 403);
      assert.equal(closed.body.code, 'DATAHUB_NO_GRANT');
    }
    assert.equal((await ask(citizen, 'closed-register')).status, 403);
    assert.equal((await h.outboxOf('datahub.access.denied')).length - before, 3);
  });

  test('a grant for an unknown resource or item is 422 naming the field; a second active one is 409; revoking stops it', async () => {
    const unknownResource = await h.call('POST', '/api/datahub/grants', steward, {
      consumer: 'tongban-x',
      resource: 'nothing',
      purpose: 'M-1',
      items: ['name'],
    });
    assert.equal(unknownResource.status, 422);
    assert.equal(unknownResource.body.errors[0].field, 'body.resource');
    const unknownItem = await h.call('POST', '/api/datahub/grants', steward, {
      consumer: 'tongban-x',
      resource: 'population',
      purpose: 'M-1',
      items: ['name', 'shoeSize'],
    });
    assert.equal(unknownItem.status, 422);
    assert.deepEqual(
      unknownItem.body.errors.map((e: { field: string }) => e.field),
      ['body.items.1'],
    );
    const body = { consumer: 'tongban-x', resource: 'population', purpose: 'M-1', items: ['idNumber', 'name'] };
    const created = await h.call('POST', '/api/datahub/grants', steward, body);
    assert.equal(created.status, 201);
    assert.equal((await h.call('POST', '/api/datahub/grants', steward, body)).status, 409);
    const system = await h.service('tongban-x', ['datahub.read']);
    const ask = () =>
      h.call('POST', '/api/datahub/resources/population/query', system, {
        purpose: 'M-1',
        items: ['name'],
        where: { idNumber: DEMO.li },
      });
    assert.equal((await ask()).status, 200);
    const revoked = await h.call('DELETE', `/api/datahub/grants/${created.body.id}`, steward);
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revokedAt);
    assert.equal((await ask()).status, 403);
    assert.equal((await h.call('DELETE', `/api/datahub/grants/${created.body.id}`, steward)).status, 404);
    const changes = (await h.outboxOf('datahub.grant.changed')).slice(-2).map((e) => e.data.change);
    assert.deepEqual(changes, ['created', 'revoked']);
    const listed = await h.call('GET', '/api/datahub/grants?consumer=tongban-x&revoked=true', steward);
    assert.equal(listed.body.length, 1);
  });

  test('the workflow’s demo grants bind each demo matter and bundle to the items its form reads', async () => {
    const grants = (await h.call('GET', '/api/datahub/grants?consumer=tongban-workflow', steward)).body as {
      resource: string;
      purpose: string;
      items: string[];
    }[];
    const birth = grants.find((g) => g.purpose === 'BIRTH' && g.resource === 'birth-record');
    assert.ok(birth?.items.includes('childName') && birth.items.includes('motherIdNumber'));
    const startup = grants.find((g) => g.purpose === 'BUSINESS-STARTUP' && g.resource === 'enterprise');
    assert.ok(startup?.items.includes('creditCode'));
    assert.ok(grants.some((g) => g.purpose === 'PROPERTY-TRANSFER' && g.resource === 'real-estate'));
  });

  test('consents: items not in the resource are 422; another person’s consent is 404; my list shows mine', async () => {
    const zhang = await h.citizen(await h.accountOf(DEMO.zhang));
    const li = await h.citizen(await h.accountOf(DEMO.li));
    const bad = await h.call('POST', '/api/datahub/me/consents', zhang, {
      purpose: 'BIRTH',
      items: ['population.name', 'population.shoeSize', 'nothing.name'],
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(
      bad.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [
        ['body.items.1', 'unknown_item'],
        ['body.items.2', 'unknown_resource'],
      ],
    );
    const id = await h.consent(zhang, 'BIRTH', ['population.name']);
    const mine = await h.call('GET', '/api/datahub/me/consents', zhang);
    assert.ok(mine.body.some((c: { id: string }) => c.id === id));
    assert.ok(!(await h.call('GET', '/api/datahub/me/consents', li)).body.some((c: { id: string }) => c.id === id));
    const theirs = await h.call('DELETE', `/api/datahub/me/consents/${id}`, li);
    assert.equal(theirs.status, 404);
    assert.equal(theirs.body.code, 'DATAHUB_CONSENT_NOT_FOUND');
    const officer = await h.officer('330100-GA');
    assert.equal((await h.call('GET', '/api/datahub/me/consents', officer)).status, 403);
    assert.equal((await h.call('DELETE', `/api/datahub/me/consents/${id}`, zhang)).status, 200);
    const given = (await h.outboxOf('datahub.consent.given')).at(-1)!.data;
    assert.deepEqual(given.items, ['population.name']);
    assert.equal((await h.outboxOf('datahub.consent.revoked')).at(-1)!.data.consentId, id);
  });

  test('every row is ciphertext: no ID number, name or address in clear anywhere in datahub.record', async () => {
    const rows = await sql<Record<string, unknown>>`select * from datahub.record`.execute(h.p.database.db);
    assert.ok(rows.rows.length >= 8);
    const raw = JSON.stringify(rows.rows);
    for (const clear of [
      DEMO.zhang,
      DEMO.li,
      DEMO.zhang.slice(0, 14),
      '张三',
      '李四',
      '张小宝',
      '文三路',
      '13800000001',
    ]) {
      assert.ok(!raw.includes(clear), `${clear} is in a stored row`);
    }
    for (const r of rows.rows) assert.match(String(r.data), /^tb1\./);
  });
});
