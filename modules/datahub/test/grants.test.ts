// 共享授权: consumer × resource × purpose → items; each refusal says which rule it broke.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkGrant, chooseConsumer, type Grant } from '../src/domain/grants.ts';
import { consented, parseConsentItem } from '../src/domain/consent.ts';

const grants: Grant[] = [
  { id: 'g1', consumer: '330100-GA', resource: 'population', purpose: '330100-GA-001', items: ['name', 'idNumber'] },
  { id: 'g2', consumer: '330100-GA', resource: 'population', purpose: 'law:户口登记条例', items: ['name'] },
  { id: 'g3', consumer: 'tongban-workflow', resource: 'birth-record', purpose: 'BIRTH', items: ['childName'] },
];

test('grant check: the rule each request meets', () => {
  const cases = [
    [{ consumer: '330100-GA', resource: 'population', purpose: '330100-GA-001', items: ['name'] }, 'ok'],
    [{ consumer: '330100-GA', resource: 'population', purpose: '330100-GA-001', items: ['name', 'idNumber'] }, 'ok'],
    [{ consumer: '330100-MZ', resource: 'population', purpose: '330100-GA-001', items: ['name'] }, 'no_grant'],
    [{ consumer: '330100-GA', resource: 'birth-record', purpose: '330100-GA-001', items: ['name'] }, 'no_grant'],
    [{ consumer: '330100-GA', resource: 'population', purpose: 'BIRTH', items: ['name'] }, 'wrong_purpose'],
    [
      { consumer: '330100-GA', resource: 'population', purpose: '330100-GA-001', items: ['mobile'] },
      'items_outside_grant',
    ],
    [
      { consumer: '330100-GA', resource: 'population', purpose: 'law:户口登记条例', items: ['idNumber'] },
      'items_outside_grant',
    ],
  ] as const;
  for (const [request, expected] of cases) {
    const verdict = checkGrant(grants, request);
    assert.equal(verdict.ok ? 'ok' : verdict.reason, expected, JSON.stringify(request));
  }
});

test('a refusal names what is outside the grant, never the purposes granted instead', () => {
  const outside = checkGrant(grants, {
    consumer: '330100-GA',
    resource: 'population',
    purpose: '330100-GA-001',
    items: ['name', 'mobile', 'address'],
  });
  assert.deepEqual(outside.ok ? [] : outside.outside, ['mobile', 'address']);
  const wrong = checkGrant(grants, { consumer: '330100-GA', resource: 'population', purpose: 'X', items: ['name'] });
  assert.equal(wrong.ok ? 'ok' : wrong.reason, 'wrong_purpose');
  assert.ok(!JSON.stringify(wrong).includes('330100-GA-001'), 'the other purposes are not in the verdict');
});

test('an officer of several departments reads as the first whose grants admit the request, else the nearest refusal', () => {
  const as = (consumer: string, request: Omit<Parameters<typeof checkGrant>[1], 'consumer'>) => ({
    consumer,
    verdict: checkGrant(grants, { consumer, ...request }),
  });
  const ask = (consumers: string[], purpose: string, items: string[]) => {
    const chosen = chooseConsumer(consumers.map((c) => as(c, { resource: 'population', purpose, items })));
    return chosen && [chosen.consumer, chosen.verdict.ok ? 'ok' : chosen.verdict.reason];
  };
  // 330100-XX holds a grant on population for another purpose; 330100-GA for this one.
  const more: Grant[] = [
    ...grants,
    { id: 'g4', consumer: '330100-XX', resource: 'population', purpose: 'law:x', items: ['name'] },
  ];
  const chosen = chooseConsumer(
    ['330100-XX', '330100-GA'].map((consumer) => ({
      consumer,
      verdict: checkGrant(more, { consumer, resource: 'population', purpose: '330100-GA-001', items: ['name'] }),
    })),
  );
  assert.deepEqual([chosen?.consumer, chosen?.verdict.ok], ['330100-GA', true]);
  assert.deepEqual(ask(['330100-MZ', '330100-GA'], '330100-GA-001', ['mobile']), ['330100-GA', 'items_outside_grant']);
  assert.deepEqual(ask(['330100-MZ', '330100-GA'], 'BIRTH', ['name']), ['330100-GA', 'wrong_purpose']);
  assert.deepEqual(ask(['330100-MZ', '330100-WJW'], 'BIRTH', ['name']), ['330100-MZ', 'no_grant']);
  assert.equal(ask([], 'BIRTH', ['name']), undefined);
});

test('consent covers exactly the items named for the purpose', () => {
  const consents = [
    { id: 'c1', accountId: 'a', purpose: 'BIRTH', items: ['population.name', 'birth-record.childName'] },
  ];
  assert.equal(consented(consents, 'BIRTH', 'population', 'name'), true);
  assert.equal(consented(consents, 'BIRTH', 'population', 'mobile'), false);
  assert.equal(consented(consents, '330100-GA-001', 'population', 'name'), false, 'another purpose');
  assert.deepEqual(parseConsentItem('birth-record.childName'), { resource: 'birth-record', item: 'childName' });
  assert.equal(parseConsentItem('population'), undefined);
});
